"""What goes over the socket: every message a client gets is `{"seq": int, "type": str, "data": {...}}`
(plus `change` for events). Each stream kind renders its events (realtime/streams.py); the same
function renders a live event and a replayed one, so both are byte-identical.
"""

from __future__ import annotations

import json
from typing import Any


def dumps(message: dict[str, Any]) -> str:
    return json.dumps(message, ensure_ascii=False, separators=(",", ":"))

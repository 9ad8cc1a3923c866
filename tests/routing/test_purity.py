"""The routing core stays free of Django, so it runs (and is benchmarked) without a database."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_routing_core_imports_no_django() -> None:
    code = (
        "import sys\n"
        "import routing.types, routing.geo, routing.deadlines, routing.decide, routing.old_wards\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in {'django', 'rest_framework', 'backend'})\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == ""

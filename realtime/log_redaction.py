"""Keep credentials passed in query strings (`/ws/ops/?token=...`) out of every log line.

Native clients may authenticate a websocket with `?token=`; uvicorn writes the path with its query
string to its access log (HTTP) and to `uvicorn.error` ("WebSocket /ws/ops/?token=... [accepted]"),
gunicorn and runserver to theirs. A filter on each of those loggers rewrites the value before any
handler sees the record. Installed by realtime's AppConfig.ready(), i.e. in every process that runs
Django, after the server configured its logging (dictConfig keeps a logger's filters).
"""

from __future__ import annotations

import logging
import re
from typing import Any

# Query parameters that carry a credential (`api_key`: Open311 clients).
SECRET_PARAMS = ("token", "access_token", "api_key")
REDACTED = "[redacted]"
# The loggers of the servers that write request lines (access logs) or websocket paths.
SERVER_LOGGERS = ("uvicorn.access", "uvicorn.error", "gunicorn.access", "gunicorn.error", "django.server", "django.request")

_NAMES = "|".join(SECRET_PARAMS)
_PATTERN = re.compile(rf"(?i)((?:^|[?&;\s])(?:{_NAMES})=)[^&;#\s\"']*")


def redact(text: str) -> str:
    return _PATTERN.sub(r"\1" + REDACTED, text)


def _redact_value(value: Any) -> Any:
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, bytes):
        return redact(value.decode("latin1")).encode("latin1")
    return value


class RedactQuerySecrets(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        # Arguments one by one, keeping their shape: uvicorn's access formatter unpacks them.
        if isinstance(record.args, dict):
            record.args = {key: _redact_value(value) for key, value in record.args.items()}
        elif isinstance(record.args, tuple):
            record.args = tuple(_redact_value(value) for value in record.args)
        if isinstance(record.msg, str) and _PATTERN.search(record.msg):
            # A secret in the format string itself: log the redacted, formatted message instead.
            record.msg, record.args = redact(record.getMessage()), None
        return True


def install() -> None:
    for name in SERVER_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactQuerySecrets) for f in logger.filters):
            logger.addFilter(RedactQuerySecrets())

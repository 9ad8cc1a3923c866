"""Logging configuration: readable text by default, one JSON object per line with LOG_FORMAT=json."""

from __future__ import annotations

from typing import Any

JSON_FIELDS = "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s"


def logging_config(*, log_format: str, level: str) -> dict[str, Any]:
    if log_format not in {"text", "json"}:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(f"LOG_FORMAT={log_format!r}: use text or json")
    formatters: dict[str, Any] = {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s]: %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": JSON_FIELDS,
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            "timestamp": False,
        },
    }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        # No query secrets or full client addresses in any record (backend/core/log_redaction.py).
        "filters": {
            "request_id": {"()": "backend.core.request_id.RequestIdFilter"},
            "redact": {"()": "backend.core.log_redaction.RedactSecrets"},
        },
        "formatters": {log_format: formatters[log_format]},
        "handlers": {
            "console": {"class": "logging.StreamHandler", "formatter": log_format, "filters": ["request_id", "redact"]},
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django.db.backends": {"level": "WARNING"},
            # Our access line replaces the servers' own (which would carry the query string).
            "uvicorn.access": {"level": "WARNING"},
            "gunicorn.access": {"level": "WARNING"},
            # uvicorn / gunicorn install their own handlers; route their lines through ours.
            "uvicorn": {"handlers": ["console"], "propagate": False},
            "uvicorn.error": {"handlers": ["console"], "propagate": False},
            "gunicorn.error": {"handlers": ["console"], "propagate": False},
        },
    }

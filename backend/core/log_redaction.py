"""Nothing secret or personal in the logs: query secrets are blanked and client addresses shortened.

Access logs print each request's path with its query string, and some clients must put a secret
there: an Open311 client's `api_key`, a browser's websocket `?token=`, a signed storage URL. Those
values are replaced with `[redacted]` in every record the servers (uvicorn, gunicorn) and Django
write. Client addresses are personal data too (Decree 13/2023 on personal data protection): access
logs keep the network, not the subscriber (IPv4 /24, IPv6 /48); abuse limits count full addresses
themselves, hashed, in the cache (backend/core/limits.py).
"""

from __future__ import annotations

import ipaddress
import logging
import re
from typing import Any

SECRET_PARAMETERS = (
    "api_key", "apikey", "token", "access_token", "refresh_token", "key", "code", "otp", "password",
    "tracking_code", "phone", "email", "first_name", "last_name", "device_id", "account_id",
    "signature", "sig", "x-amz-signature", "x-amz-credential", "x-amz-security-token",
)
_SECRET_QUERY = re.compile(
    r"(?P<name>(?:^|[?&;])(?:" + "|".join(re.escape(name) for name in SECRET_PARAMETERS) + r")=)[^&;\s\"']*",
    re.IGNORECASE,
)
_ADDRESS = re.compile(r"^\[?(?P<ip>[0-9A-Fa-f:.]+?)\]?(?::(?P<port>\d{1,5}))?$")
REDACTED = "[redacted]"


def redact_query_secrets(text: str) -> str:
    if "=" not in text:
        return text
    return _SECRET_QUERY.sub(lambda match: match.group("name") + REDACTED, text)


def shorten_address(text: str, *, need_port: bool = False) -> str:
    """"203.0.113.7:5123" -> "203.0.113.0/24"; anything that is not an address is left alone.

    With `need_port`, only a client's "address:port" is shortened (not the host a server reports it
    listens on)."""
    match = _ADDRESS.match(text)
    if match is None or (need_port and match.group("port") is None):
        return text
    try:
        address = ipaddress.ip_address(match.group("ip"))
    except ValueError:
        return text
    prefix = 24 if address.version == 4 else 48
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))


def _clean(value: Any, *, need_port: bool = True) -> Any:
    if isinstance(value, str):
        return shorten_address(redact_query_secrets(value), need_port=need_port)
    if isinstance(value, bytes):
        return _clean(value.decode("latin1"), need_port=need_port).encode("latin1")
    return value


class RedactSecrets(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact_query_secrets(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(_clean(arg) for arg in record.args)
        elif isinstance(record.args, dict):  # gunicorn's access log passes its atoms as a mapping
            # its "h" atom is the client's bare address
            record.args = {name: _clean(value, need_port=name != "h") for name, value in record.args.items()}
        return True


# The servers' own loggers do not propagate to Django's handlers, so the filter goes on them directly.
SERVER_LOGGERS = (
    "uvicorn.access", "uvicorn.error", "gunicorn.access", "gunicorn.error", "django.server", "django.request",
)


def install_on_server_loggers() -> None:
    for name in SERVER_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(existing, RedactSecrets) for existing in logger.filters):
            logger.addFilter(RedactSecrets())

"""The address abuse limits count a request against.

Behind the production proxy every request comes from the proxy, so the client is read from
X-Forwarded-For: with TRUSTED_PROXY_COUNT = n proxies in front, the n-th address from the right is
the one the outermost proxy saw (addresses further left are whatever the client chose to send).
IPv6 clients are counted per /64, the block one subscriber usually holds, so rotating addresses
inside it does not reset a limit.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    raw = request.META.get("REMOTE_ADDR") or ""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            raw = forwarded[-proxies]
    try:
        address = ipaddress.ip_address(raw)
    except ValueError:
        return raw or "unknown"
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)

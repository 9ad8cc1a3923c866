"""The app containers' HEALTHCHECK: exit 0 when this server's liveness endpoint answers 200.

It asks with a Host the server accepts (the first of DJANGO_ALLOWED_HOSTS): Django refuses any other
Host with 400, and production allows only the site's own name. Standard library only, no Django
start-up, so it is cheap every few seconds.
"""

from __future__ import annotations

import os
import sys
import urllib.request


def allowed_host(raw: str) -> str:
    for entry in (part.strip() for part in raw.split(",")):
        if entry and entry != "*":
            return entry.lstrip(".")  # ".example.vn" allows its subdomains and itself
    return "localhost"


def main() -> int:
    port = os.environ.get("HEALTH_PORT", "8000")
    host = allowed_host(os.environ.get("DJANGO_ALLOWED_HOSTS", "localhost"))
    request = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/health/live/", headers={"Host": host})
    try:
        with urllib.request.urlopen(request, timeout=4) as response:
            return 0 if response.status == 200 else 1
    except Exception as failure:
        print(f"unhealthy: {failure}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())

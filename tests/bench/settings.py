"""Settings of the benchmark servers: production settings plus the bench-only endpoints' urlconf.

The bench scripts start their server with DJANGO_SETTINGS_MODULE=tests.bench.settings (and, for the
realtime benchmark, the ASGI application in tests/bench/asgi.py); production never mounts these.
"""

from backend.settings import *  # noqa: F403

ROOT_URLCONF = "tests.bench.urls"

"""Settings of the benchmark servers: production settings plus the bench-only endpoints' urlconf.

The bench scripts start their server with DJANGO_SETTINGS_MODULE=tests.bench.settings (and, for the
realtime benchmark, the ASGI application in tests/bench/asgi.py); production never mounts these.
"""

from backend.settings import *  # noqa: F403

ROOT_URLCONF = "tests.bench.urls"

import os  # noqa: E402

# bench_realtime.py --layers redis-core,redis-pubsub: compare channels-redis' own layers on the same run.
if os.environ.get("BENCH_REDIS_LAYER") and "redis" in CHANNEL_LAYERS["default"]["BACKEND"].lower():  # noqa: F405
    CHANNEL_LAYERS["default"]["BACKEND"] = os.environ["BENCH_REDIS_LAYER"]  # noqa: F405

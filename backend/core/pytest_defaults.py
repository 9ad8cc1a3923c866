"""pytest plugin (loaded with -p from pyproject): tests run on the embedded default.

Loaded before pytest-django imports the settings, which refuse the development secret key unless
EMBEDDED_DEFAULT is set. CI overrides DATABASE_URL / REDIS_URL for the PostgreSQL + Redis run.
"""

import os

os.environ.setdefault("EMBEDDED_DEFAULT", "true")
os.environ.setdefault("PUBLIC_BASE_URL", "http://testserver")
os.environ.setdefault("SMS_SENDER", "backend.accounts.sms.MemorySmsSender")

"""Tests run on the embedded default unless the environment says otherwise (CI sets DATABASE_URL)."""

import os

os.environ.setdefault("EMBEDDED_DEFAULT", "true")
os.environ.setdefault("SMS_SENDER", "backend.accounts.sms.MemorySmsSender")

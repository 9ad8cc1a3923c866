"""SMS gateway for one-time codes: one interface, chosen with the SMS_SENDER setting.

- ``HttpSmsSender``: production. POSTs ``{"to", "text", "sender"}`` as JSON to ``SMS_HTTP_URL`` with
  ``Authorization: Bearer SMS_HTTP_TOKEN``, the shape of the HTTP APIs of Vietnamese brandname-SMS
  providers (a thin adapter in front of one of them, or the provider itself when it speaks this).
- ``LogSmsSender``: the embedded default writes the code to the server log; settings refuse it in
  production.
- ``MemorySmsSender``: tests read the codes from its outbox.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from backend.core.exceptions import Unavailable

logger = logging.getLogger("backend.sms")


class SmsSender(Protocol):
    def send(self, phone: str, text: str) -> None:
        """Deliver ``text`` to ``phone`` (E.164) or raise ``Unavailable('sms_unavailable')``."""
        ...


class LogSmsSender:
    """Embedded default: no SMS gateway, the code is written to the server log for the demo."""

    def send(self, phone: str, text: str) -> None:
        logger.warning("SMS to %s: %s", phone, text)


class MemorySmsSender:
    """For tests: keeps every message so a test can read the code a citizen would receive."""

    outbox: list[tuple[str, str]] = []

    def send(self, phone: str, text: str) -> None:
        MemorySmsSender.outbox.append((phone, text))


class HttpSmsSender:
    """A JSON-over-HTTPS SMS gateway configured by SMS_HTTP_URL, SMS_HTTP_TOKEN, SMS_HTTP_SENDER."""

    def __init__(self) -> None:
        self.url: str = settings.SMS_HTTP_URL
        self.token: str = settings.SMS_HTTP_TOKEN
        self.sender: str = settings.SMS_HTTP_SENDER
        self.timeout: float = settings.SMS_HTTP_TIMEOUT
        if not self.url.startswith(("https://", "http://")):
            raise ImproperlyConfigured("SMS_HTTP_URL must be the gateway's http(s) URL for HttpSmsSender")

    def send(self, phone: str, text: str) -> None:
        body = json.dumps({"to": phone, "text": text, "sender": self.sender}).encode()
        request = urllib.request.Request(
            self.url,
            data=body,
            method="POST",
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {self.token}"},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 (configured URL)
                response.read()
        except urllib.error.HTTPError as failure:
            # Neither the phone number nor the code goes to the log: only what the gateway said.
            logger.error("SMS gateway refused the message: HTTP %s", failure.code)
            raise Unavailable("sms_unavailable") from None
        except (urllib.error.URLError, TimeoutError, OSError) as failure:
            logger.error("SMS gateway unreachable: %s", type(failure).__name__)
            raise Unavailable("sms_unavailable") from None


def get_sms_sender() -> SmsSender:
    sender: SmsSender = import_string(settings.SMS_SENDER)()
    return sender

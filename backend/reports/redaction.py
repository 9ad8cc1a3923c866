"""Contact details citizens type into their reports, masked before the text is published.

People write "gọi 0905 123 456" or "email tôi: a@b.vn" into a report meant for the city; the public
map, the press and Open311 clients must not receive them. Phone numbers are found twice over:
libphonenumber's matcher (Vietnamese numbers in any spacing, international numbers of tourists) and a
Vietnamese-shaped fallback for numbers the matcher refuses as invalid (typos, retired prefixes) but
which still reach a person. Names cannot be found reliably in free text and are not attempted.
"""

from __future__ import annotations

import re

import phonenumbers
from django.conf import settings

PHONE_MASK = "[số điện thoại đã ẩn]"
EMAIL_MASK = "[email đã ẩn]"

_MIN_PHONE_DIGITS = 7
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# 0 or +84/84, then 9-11 more digits, optionally grouped by spaces, dots or dashes.
_VN_PHONE = re.compile(r"(?<![\d\w+])(?:\+84|84|0)(?:[ .\-]?\d){8,10}(?!\d)")


def redact_contacts(text: str) -> str:
    """`text` with phone numbers and e-mail addresses replaced by a visible mask."""
    if not text:
        return text
    if "@" in text:
        text = _EMAIL.sub(EMAIL_MASK, text)
    # No phone number has fewer digits; most reports have none, and the matcher is the slow part.
    if sum(ch.isdigit() for ch in text) < _MIN_PHONE_DIGITS:
        return text
    matches = list(phonenumbers.PhoneNumberMatcher(text, settings.DEFAULT_PHONE_REGION, leniency=phonenumbers.Leniency.VALID))
    # Replaced from the end so earlier offsets stay valid.
    for match in reversed(matches):
        text = text[: match.start] + PHONE_MASK + text[match.end :]
    return _VN_PHONE.sub(PHONE_MASK, text)

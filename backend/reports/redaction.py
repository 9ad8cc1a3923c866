"""Contact details and ID numbers citizens type into their reports, masked before the text is published.

People write "gọi 0905 123 456" or "email tôi: a@b.vn" into a report meant for the city; the public
map, the press and Open311 clients must not receive them. Phone numbers are found twice over:
libphonenumber's matcher (Vietnamese numbers in any spacing, international numbers of tourists) and a
Vietnamese-shaped fallback for numbers the matcher refuses as invalid (typos, retired prefixes) but
which still reach a person. Citizen ID numbers (CCCD, 12 digits) and e-mail addresses written
around spam filters ("a[at]gmail.com") are masked too. Names cannot be found reliably in free text
and are not attempted.
"""

from __future__ import annotations

import re

import phonenumbers
from django.conf import settings

PHONE_MASK = "[số điện thoại đã ẩn]"
EMAIL_MASK = "[email đã ẩn]"
ID_MASK = "[số giấy tờ đã ẩn]"

_MIN_PHONE_DIGITS = 7
# Addresses as typed to dodge spam filters too: a[at]gmail.com, nam (at) gmail (dot) com, b@x[.]vn.
_AT = r"(?:@|\s*[\[({]\s*(?:at|a còng)\s*[\])}]\s*)"
_DOT = r"(?:\.|\s*[\[({]\s*(?:dot|chấm|\.)\s*[\])}]\s*)"
_EMAIL = re.compile(rf"[\w.+-]+{_AT}[\w-]+(?:{_DOT}[\w-]+)+", re.IGNORECASE)
# A separator people type inside a number: space, dot, dash, underscore.
_SEP = r"[ .\-_]"
# 0 or +84/84, then 9-11 more digits, optionally grouped. Not inside a longer digit run (the
# look-behind); letters right before are fine ("sdt0905123456", "zalo0905123456").
_VN_PHONE = re.compile(rf"(?<![\d+])(?:\+84|84|0)(?:{_SEP}?\d){{8,10}}(?!\d)")
# A citizen ID (CCCD: 12 digits, the first three the province of birth), whole or in groups of 3 or 4.
_CITIZEN_ID = re.compile(r"(?<!\d)0\d{2}(?:[ .\-_]?\d){9}(?!\d)")


def redact_contacts(text: str) -> str:
    """`text` with phone numbers and e-mail addresses replaced by a visible mask."""
    if not text:
        return text
    text = _EMAIL.sub(EMAIL_MASK, text)
    # No phone number has fewer digits; most reports have none, and the matcher is the slow part.
    if sum(ch.isdigit() for ch in text) < _MIN_PHONE_DIGITS:
        return text
    # ID numbers first: their 12 digits would otherwise be read as a phone number plus a remainder.
    text = _CITIZEN_ID.sub(ID_MASK, text)
    matches = list(phonenumbers.PhoneNumberMatcher(text, settings.DEFAULT_PHONE_REGION, leniency=phonenumbers.Leniency.VALID))
    # Replaced from the end so earlier offsets stay valid.
    for match in reversed(matches):
        text = text[: match.start] + PHONE_MASK + text[match.end :]
    return _VN_PHONE.sub(PHONE_MASK, text)

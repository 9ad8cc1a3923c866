from __future__ import annotations

import phonenumbers
from django.conf import settings


def normalize_phone(raw: str) -> str | None:
    """E.164 form of a Vietnamese (0905…, +84…) or international (+33…) number, or None."""
    try:
        number = phonenumbers.parse(raw.strip(), settings.DEFAULT_PHONE_REGION)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)

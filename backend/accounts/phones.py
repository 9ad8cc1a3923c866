from __future__ import annotations

import phonenumbers
from django.conf import settings
from phonenumbers import PhoneNumberType

# Numbers a one-time code may be sent to. Premium-rate, shared-cost, VoIP, pager, personal and
# toll-free numbers are refused: sending to them is how SMS pumping fraud bills the sender.
# FIXED_LINE_OR_MOBILE is kept because North American numbers cannot be told apart (tourists).
SMS_NUMBER_TYPES = frozenset({PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE})
# Non-geographic numbers (+870 Inmarsat, +881 satellite phones, +882/+883 international networks)
# are classified MOBILE by phonenumbers but cost a premium to reach; their region is "001".
NON_GEOGRAPHIC_REGION = "001"


def _parse(raw: str) -> phonenumbers.PhoneNumber | None:
    try:
        number = phonenumbers.parse(raw.strip(), settings.DEFAULT_PHONE_REGION)
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_valid_number(number) else None


def normalize_phone(raw: str) -> str | None:
    """E.164 form of a Vietnamese (0905…, +84…) or international (+33…) number, or None."""
    number = _parse(raw)
    if number is None:
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def is_sms_mobile(e164: str) -> bool:
    """True for an ordinary mobile number a login code may be sent to."""
    number = _parse(e164)
    if number is None:
        return False
    if phonenumbers.region_code_for_number(number) == NON_GEOGRAPHIC_REGION:
        return False
    return phonenumbers.number_type(number) in SMS_NUMBER_TYPES

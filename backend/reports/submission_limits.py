"""How many reports one account may submit: a citizen's app, and an Open311 client's api_key.

A person reports a few problems a day; a script reports hundreds. The citizen limits stop one account
from flooding the operators' queue (the per-address OTP limits stop it from making many accounts).
An Open311 client relays many people's reports under one key, so it has its own, larger allowance.
Retries with an Idempotency-Key that answer with the stored report do not count (report_submit
counts only after its replay check).
"""

from __future__ import annotations

from django.conf import settings

from backend.core.limits import Limit


def citizen_submission_limits() -> list[Limit]:
    return [
        Limit("reports_user_hour", settings.REPORTS_PER_USER_PER_HOUR, 3600),
        Limit("reports_user_day", settings.REPORTS_PER_USER_PER_DAY, 24 * 3600),
    ]


def open311_submission_limits() -> list[Limit]:
    return [Limit("reports_open311_hour", settings.OPEN311_REQUESTS_PER_KEY_PER_HOUR, 3600)]

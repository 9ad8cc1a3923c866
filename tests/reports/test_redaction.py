"""Contacts typed into a report are masked before publication; everything else is left as written."""

from __future__ import annotations

import pytest

from backend.reports.redaction import EMAIL_MASK, PHONE_MASK, redact_contacts

P, E = PHONE_MASK, EMAIL_MASK


@pytest.mark.parametrize(
    ("typed", "published"),
    [
        ("Gọi 0905 123 456 nhé", f"Gọi {P} nhé"),
        ("SĐT:0905123456.", f"SĐT:{P}."),
        ("liên hệ +84 905 123 456", f"liên hệ {P}"),
        ("máy bàn 0234.3822.123", f"máy bàn {P}"),
        ("090-512-3456 hoặc 84905123456", f"{P} hoặc {P}"),
        ("số cũ 01234 567 890", f"số cũ {P}"),  # a retired prefix libphonenumber refuses, still a person
        ("tourist: call +33 6 12 34 56 78", f"tourist: call {P}"),
        ("email nam.nguyen+hue@gmail.com.vn nhé", f"email {E} nhé"),
    ],
)
def test_phone_numbers_and_emails_are_masked(typed, published):
    assert redact_contacts(typed) == published


@pytest.mark.parametrize(
    "text",
    [
        "Rác thải tràn ra đường Lê Lợi, bốc mùi hôi",
        "ổ gà sâu 30cm ở kiệt 5 Hàn Mặc Tử, 2 xe máy ngã",
        "số nhà 123/45 Lê Lợi, ngày 12/03/2026 lúc 14:30",
        "toạ độ 16.4637, 107.5909",
        "thiệt hại 200.000.000 đồng",
        "",
    ],
)
def test_text_without_contacts_is_unchanged(text):
    assert redact_contacts(text) == text

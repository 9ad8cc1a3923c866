"""Contacts typed into a report are masked before publication; everything else is left as written."""

from __future__ import annotations

import pytest

from backend.reports.redaction import EMAIL_MASK, ID_MASK, PHONE_MASK, redact_contacts

P, E, CID = PHONE_MASK, EMAIL_MASK, ID_MASK


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
        # forms that got through before
        ("sdt0905123456", f"sdt{P}"),
        ("Zalo:0905123456 nha", f"Zalo:{P} nha"),
        ("gọi 0905_123_456", f"gọi {P}"),
        ("hotline 1900 1234", f"hotline {P}"),  # 8 digits: a minimum of 10 would leak it
        ("CCCD 046201001234 của bà", f"CCCD {CID} của bà"),
        ("CCCD: 046 201 001 234", f"CCCD: {CID}"),
        ("căn cước 0462 0100 1234", f"căn cước {CID}"),
        ("a[at]gmail.com", E),
        ("nam (at) gmail (dot) com", E),
        ("lan.tran [at] hue [.] gov [.] vn giúp", f"{E} giúp"),
        ("LAN{AT}YAHOO.COM", E),
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
        "mã vận đơn 88409051234567",  # a phone-like run inside a longer number is not a phone
        "meet at hotel.com at 9",  # "at" alone is a word, not an address
        "cột điện số 12, trạm 0905",
        "",
    ],
)
def test_text_without_contacts_is_unchanged(text):
    assert redact_contacts(text) == text

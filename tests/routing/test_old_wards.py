"""Old (pre-July 2025) ward names in citizens' text, resolved with VietMap's mapping."""

from __future__ import annotations

import pytest

from routing.geo import WardIndex
from routing.old_wards import OldWardDirectory, fold, split_prefix


def test_the_mapping_has_133_old_units_onto_the_40_new_wards(
    old_wards: OldWardDirectory, hue_wards: WardIndex
) -> None:
    assert len(old_wards.wards) == 133
    new_codes = {w.new_code for w in old_wards.wards}
    # Every new ward's code agrees with the polygons' codes ("Chân Mây-Lăng Cô" vs "Chân Mây - Lăng Cô").
    assert new_codes == {w.code for w in hue_wards.wards}


@pytest.mark.parametrize(
    ("written", "new_name"),
    [
        ("Phường Phú Hội", "Thuận Hóa"),
        ("phú hội", "Thuận Hóa"),
        ("phu hoi", "Thuận Hóa"),
        ("P. Phú Hội", "Thuận Hóa"),
        ("PHƯỜNG VĨNH NINH", "Thuận Hóa"),
        ("Phường An Đông", "An Cựu"),
        ("xa huong phong", "A Lưới 4"),
        ("phường Hương Phong", "Hóa Châu"),
        ("Thị trấn Sịa", "Quảng Điền"),
        ("tt sia", "Quảng Điền"),
        ("Lăng Cô", "Chân Mây-Lăng Cô"),
        ("Thuận An", "Thuận An"),
    ],
)
def test_old_name_resolves_with_or_without_accents_and_prefix(
    old_wards: OldWardDirectory, written: str, new_name: str
) -> None:
    assert old_wards.resolve(written) == new_name


@pytest.mark.parametrize(
    "written", ["Phường Phường Đúc", "phường Đúc", "Phường Đúc", "phuong phuong duc", "phuong duc"]
)
def test_doubled_prefix_in_the_source_is_handled(old_wards: OldWardDirectory, written: str) -> None:
    # The source row is "Phường Phường Đúc": the ward is called "Phường Đúc".
    assert old_wards.resolve(written) == "Thuận Hóa"
    (ward,) = old_wards.candidates(written)
    assert (ward.name, ward.kind, ward.district, ward.full_name) == (
        "Phường Đúc",
        "phường",
        "Quận Thuận Hóa",
        "Phường Phường Đúc",
    )


def test_bare_name_shared_by_a_phuong_and_a_xa_is_ambiguous(old_wards: OldWardDirectory) -> None:
    # "Hương Phong" was a phường of Thuận Hóa and a xã of A Lưới.
    assert old_wards.resolve("Hương Phong") is None
    assert sorted((w.full_name, w.new_name) for w in old_wards.candidates("Hương Phong")) == [
        ("Phường Hương Phong", "Hóa Châu"),
        ("Xã Hương Phong", "A Lưới 4"),
    ]


def test_names_differing_only_by_accents_are_told_apart_when_written_with_them(
    old_wards: OldWardDirectory,
) -> None:
    assert [w.name for w in old_wards.candidates("Hương Văn")] == ["Hương Văn"]
    assert [w.name for w in old_wards.candidates("Hương Vân")] == ["Hương Vân"]
    # Without accents both remain, and both now belong to Hương Trà, so the answer is still sure.
    assert sorted(w.name for w in old_wards.candidates("huong van")) == ["Hương Vân", "Hương Văn"]
    assert old_wards.resolve("huong van") == "Hương Trà"


def test_unknown_names_and_bare_one_word_names_without_accents_resolve_to_nothing(
    old_wards: OldWardDirectory,
) -> None:
    assert old_wards.resolve("Quận 1") is None
    assert old_wards.resolve("") is None
    # "sia" alone is too common a syllable to trust without its accent or its prefix.
    assert old_wards.resolve("sia") is None
    assert old_wards.resolve("Sịa") == "Quảng Điền"


def test_old_names_are_found_in_free_text(old_wards: OldWardDirectory) -> None:
    text = (
        "Cống bị vỡ trên đường Lê Lợi, phường Vĩnh Ninh, gần cầu Trường Tiền. "
        "Nhà mẹ tôi ở phuong phu hoi còn em ở xã Hương Phong, bạn ở Hương Phong."
    )
    found = old_wards.find_in_text(text)
    assert [(m.text, m.new_name, m.new_code, m.ambiguous) for m in found] == [
        ("phường Vĩnh Ninh", "Thuận Hóa", "thuan-hoa", False),
        ("phuong phu hoi", "Thuận Hóa", "thuan-hoa", False),
        ("xã Hương Phong", "A Lưới 4", "a-luoi-4", False),
        ("Hương Phong", None, None, True),
    ]
    assert all(text[m.start : m.end] == m.text for m in found)


def test_text_without_old_names_finds_nothing(old_wards: OldWardDirectory) -> None:
    assert old_wards.find_in_text("Đèn đường hỏng trước nhà số 5, tối om.") == []


def test_helpers() -> None:
    assert fold("Phường Đúc") == "phuong duc"
    assert split_prefix("Phường  Phường Đúc") == ("phường", "Phường Đúc")
    assert split_prefix("Thị Trấn Sịa") == ("thị trấn", "Sịa")
    assert split_prefix("Kim Long") == (None, "Kim Long")

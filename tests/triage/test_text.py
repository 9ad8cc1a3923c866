"""One accent folding for the project (triage.text): exact outputs, NFC or NFD input alike."""

import unicodedata

import pytest

from triage.text import fold, strip_diacritics


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Đường Lê Lợi bị ngập", "duong le loi bi ngap"),
        ("Phường Đúc", "phuong duc"),
        ("Thừa Thiên Huế", "thua thien hue"),
        ("Ổ GÀ TO QUÁ", "o ga to qua"),
        ("Vỹ Dạ, An Cựu!", "vy da, an cuu!"),
        ("no marks at all 123", "no marks at all 123"),
    ],
)
def test_fold_lowers_and_removes_every_mark(text, folded):
    assert fold(text) == folded
    # the same text typed on a phone that sends decomposed characters folds the same way
    assert fold(unicodedata.normalize("NFD", text)) == folded


def test_strip_diacritics_keeps_the_case():
    assert strip_diacritics("Đường Lê Lợi") == "Duong Le Loi"
    assert strip_diacritics("ĐỨC") == "DUC"


def test_a_stray_combining_mark_is_dropped_and_other_scripts_are_kept():
    # given a mark NFC cannot attach to a letter (after a digit) and a non-Latin word
    assert fold("3\u0301 cái") == "3 cai"
    assert fold("Тест ok") == "тест ok"


def test_folding_keeps_one_character_per_character_of_vietnamese_text():
    # the normaliser relies on it to split the accented and folded forms into the same words
    text = unicodedata.normalize("NFC", "Khói trắng nồng nặc mùi hóa chất, nhiều người khó thở")
    assert len(fold(text)) == len(text)

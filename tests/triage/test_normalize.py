"""Normalisation: how Huế really types must land on the same features."""

import unicodedata

import pytest

from triage.normalize import normalize, normalize_text, strip_diacritics


@pytest.mark.parametrize(
    ("first", "second"),
    [
        # with and without diacritics
        ("Đường bị ngập", "duong bi ngap"),
        ("ĐƯỜNG BỊ NGẬP", "đường bị ngập"),
        # composed vs decomposed Unicode (phones send both)
        (
            unicodedata.normalize("NFD", "Cây đổ chắn đường"),
            unicodedata.normalize("NFC", "Cây đổ chắn đường"),
        ),
        # teencode and abbreviations
        ("ko đi dc", "không đi được"),
        ("k đi đc", "không đi được"),
        ("hok ai dọn j", "không ai dọn gì"),
        ("mn ơi nc mất r", "mọi người ơi nước mất rồi"),
        ("đg ni ngập ntn", "đường này ngập như thế nào"),
        ("bh vẫn chưa có điện vs nước", "bây giờ vẫn chưa có điện với nước"),
        # Huế dialect, typed with its marks
        ("đèn ở kiệt ni hư rứa", "đèn ở hẻm này hư vậy"),
        ("răng chừ chưa sửa", "sao bây giờ chưa sửa"),
        ("cái cột nớ nghiêng, bên tê cũng rứa", "cái cột đó nghiêng, bên kia cũng vậy"),
        ("nhà tui ở mô", "nhà tui ở đâu"),
        ("bây chừ hông ai làm", "bây giờ không ai làm"),
        # dialect that stays unambiguous without marks
        ("kiet ni ngap", "hẻm này ngập"),
        # English contractions open up, so negation stays visible
        ("The light isn't working", "the light is not working"),
        ("we can't pass", "we can not pass"),
    ],
)
def test_variants_of_one_report_normalise_identically(first, second):
    # Given two spellings of the same words / When both are normalised / Then the model sees one text
    assert normalize(first) == normalize(second)


def test_accented_and_folded_forms_keep_the_same_tokens():
    # Given a report mixing dialect, teencode and a place name
    text = "Kiệt 45 Lý Thường Kiệt, phường Phú Hội: đèn hỏng thường xuyên, răng ko ai sửa?"

    # When it is normalised
    result = normalize_text(text)

    # Then both forms are aligned word for word
    assert result.accented == "hẻm 45 _place_ phường _place_ đèn hỏng thường xuyên sao không ai sửa ?"
    assert result.folded == "hem 45 _place_ phuong _place_ den hong thuong xuyen sao khong ai sua ?"


@pytest.mark.parametrize(
    "text",
    [
        "Đường Lê Lợi bị ngập",
        "duong le loi bi ngap",
        "Đường Hùng Vương bị ngập",
        "Đường Trần Hưng Đạo bị ngập",
        "Đường Điện Biên Phủ bị ngập",
        "đường ở Vỹ Dạ bị ngập",
        "đường ở An Cựu bị ngập",
        "đường ở A Lưới 1 bị ngập",
        "đường ở Chân Mây - Lăng Cô bị ngập",
    ],
)
def test_place_names_are_masked(text):
    # Given the same complaint in different places / When normalised / Then the place is a placeholder
    assert normalize(text) in {"duong _place_ bi ngap", "duong o _place_ bi ngap"}


def test_neighbouring_place_names_collapse_to_one_placeholder():
    assert normalize("hẻm ở Đông Ba, Phú Hội, Thuận Hóa bốc mùi") == "hem o _place_ boc mui"


def test_accented_word_that_only_folds_like_a_place_is_not_masked():
    # "hỏng thường xuyên" (often broken) folds like the commune name "Hồng Thượng"; the marks decide
    assert normalize("đèn hỏng thường xuyên") == "den hong thuong xuyen"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # ambiguous without marks: "mo" may be "mở" (open), "rang" may be "rằng", "no" may be "nổ"
        ("cua mo", "cua mo"),
        ("noi rang", "noi rang"),
        ("tieng no lon", "tieng no lon"),
        # "hong" without marks is usually "hỏng" (broken), not the dialect "hông"
        ("den hong", "den hong"),
    ],
)
def test_dialect_words_ambiguous_without_marks_are_left_alone(text, expected):
    assert normalize(text) == expected


def test_links_phone_numbers_and_emphasis():
    text = "Gọi 0905123456 xem http://x.vn/a nguy hiểmmmm quáaaa!!!"
    assert normalize_text(text).folded == "goi _number_ xem _url_ nguy hiem qua ! ! !"
    # the model does not read emphasis (issue 14: emphasis is not danger); the rules still see "!"
    assert normalize(text) == "goi _number_ xem _url_ nguy hiem qua"
    assert normalize("KHẨN CẤP!!! Sơn vạch kẻ đường bị mờ, urgent, xử lý ngay lập tức") == (
        "son vach ke duong bi mo xu ly"
    )


def test_strip_diacritics_handles_every_vietnamese_letter():
    assert strip_diacritics("ăâđêôơư ẮẰẲẴẶ ỨỪỬỮỰ Đ") == "aadeoou AAAAA UUUUU D"


def test_empty_and_punctuation_only_texts_normalise_to_empty():
    assert normalize("") == ""
    assert normalize(" ... ,,, ") == ""


def test_real_words_whose_folded_form_is_teencode_keep_their_meaning():
    # given "lún" (subsided), typed with its mark, and "lun", the teencode for "luôn"
    # when both are normalised
    # then only the unmarked one is expanded
    assert normalize("đường bị lún") == "duong bi lun"
    assert normalize("hư lun") == "hu luon"


def test_the_city_app_is_not_the_place_hue():
    # given the app's name written the ways citizens write it
    # when normalised
    # then it is one app token, while the city itself is still masked as a place
    assert normalize("app Hue-S không gửi được") == "app hues khong gui duoc"
    assert normalize("Huế S lỗi") == "hues loi"
    assert normalize("ở Huế mưa") == "o _place_ mua"


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        # issue 14: place names holding danger words are masked before any rule reads them
        ("Ghé thăm Cửa Sập và Điện Hòn Chén", "ghe tham _place_ va _place_"),
        ("Đường Võ Văn Kiệt ngập sâu", "duong _place_ ngap sau"),
        ("Ngã Ba Sình bị ngập", "_place_ bi ngap"),
        ("ngã ba bị ngập", "nga ba bi ngap"),
        # a name that reads like a complaint once folded is masked only when typed with its marks
        ("Đèn hỏng ở Hồng Thượng", "den hong o _place_"),
        ("den hong thuong xuyen", "den hong thuong xuyen"),
        ("Hồng thường xuyên", "hong thuong xuyen"),
    ],
)
def test_place_names_with_danger_words(text, folded):
    assert normalize_text(text).folded == folded


def test_clause_and_sentence_breaks_are_kept_aside_for_the_rules():
    # given a report in three clauses and two sentences, with a decimal number
    result = normalize_text("Hôm qua cây đổ, hôm nay vẫn chưa dọn. Nước sâu 1.5 m!")
    # then the words are unchanged and the breaks say where clauses and sentences start
    assert result.folded == "hom qua cay do hom nay van chua don nuoc sau 1 5 m !"
    assert (result.breaks, result.sentence_breaks) == ((4, 9), (9,))
    # and punctuation separates what it separates: "Đông, Ba" is not the place Đông Ba
    assert normalize_text("xe qua lại đông, ba con lo").folded == "xe qua lai dong ba con lo"

"""The concept lexicon: every phrase can match, shared phrases yield every concept, traps stay quiet."""

import csv
import hashlib
import re
from pathlib import Path

import pytest

from triage.lexicon import (
    CONCEPTS,
    DOMAIN_CONCEPTS,
    LEXICON_DIR,
    LEXICON_SHA256,
    NEUTRAL_PHRASES,
    LexiconError,
    build_index,
    concept_tokens,
    content_sha256,
    match_concepts,
    read_concepts,
    read_phrases,
)
from triage.normalize import NOT_TEENCODE, normalize, normalize_text
from triage.text import fold, strip_diacritics

CORPUS = Path(__file__).resolve().parents[2] / "triage" / "data" / "reports.csv"

# Folded forms that normalise differently when typed without marks but match when typed with them.
_MARKED_ONLY = {strip_diacritics(word) for word in NOT_TEENCODE}


@pytest.mark.parametrize("concepts", [CONCEPTS, DOMAIN_CONCEPTS], ids=["broad", "detailed"])
def test_every_phrase_is_its_own_normal_form(concepts):
    # given every phrase of the lexicon
    # when it is normalised like a report
    # then it is unchanged (otherwise it could never match a report)
    broken = [
        (concept, phrase)
        for concept, phrases in concepts.items()
        for phrase in phrases
        if normalize_text(phrase).folded != phrase and not _MARKED_ONLY.intersection(phrase.split())
    ]
    assert broken == []


def test_neutral_phrases_are_their_own_normal_form():
    assert [phrase for phrase in NEUTRAL_PHRASES if normalize_text(phrase).folded != phrase] == []


def test_detailed_concepts_are_prefixed_and_phrases_are_short():
    assert all(name[:2] in {"a_", "b_", "c_", "d_"} for name in DOMAIN_CONCEPTS)
    assert all(1 <= len(p.split()) <= 4 for phrases in DOMAIN_CONCEPTS.values() for p in phrases)


def test_a_phrase_listed_under_two_concepts_yields_both():
    # given an index where "mat dien" belongs to two concepts
    index = build_index({"outage": ("mat dien",), "power": ("mat dien", "dien luc")})
    # when a text with it is matched
    # then both concepts come out, once each, and the longest phrase wins its words
    assert match_concepts(index, ["nha", "tui", "mat", "dien", "tu", "sang"]) == ["#outage", "#power"]


def test_neutral_phrases_take_their_words_and_add_nothing():
    index = build_index({"power": ("dien",)}, neutral=("dien thoai",))
    assert match_concepts(index, ["goi", "dien", "thoai"]) == []
    assert match_concepts(index, ["cup", "dien"]) == ["#power"]


@pytest.mark.parametrize(
    ("text", "present", "absent"),
    [
        # a phone call to the power company is about power, the phone itself is not
        ("Gọi điện thoại cho điện lực mà không ai nghe", {"#power"}, set()),
        ("Số điện thoại của phường là gì", set(), {"#power"}),
        # an account is not drilling noise
        ("tài khoản ngân hàng bị khóa", set(), {"#noise"}),
        # electrical equipment on fire: the guideline sends it to power_supply
        ("Trạm biến áp nổ lớn rồi bốc cháy", {"#power", "#c_electrical_fire"}, set()),
        # someone posing as an official is not an elderly person
        ("người giả danh công an gọi điện", {"#d_impersonate_official"}, {"#vulnerable"}),
        # water flowing is not a fire once the bare "chay" is gone
        ("nước thải chảy ra đường", {"#pollution"}, {"#fire"}),
        # the same concept in both languages
        ("dead pigs dumped, suspected swine fever", {"#a_livestock_disease"}, set()),
        ("heo chết hàng loạt nghi dịch tả lợn châu Phi", {"#a_livestock_disease"}, set()),
    ],
)
def test_concepts_of_real_sentences(text, present, absent):
    tokens = set(concept_tokens(normalize(text)))
    assert present <= tokens
    assert not (absent & tokens)


def test_broad_concepts_are_not_hidden_by_longer_detailed_phrases():
    # given a detailed phrase that covers a broad one ("tram bien ap" is #power)
    tokens = concept_tokens(normalize("trạm biến áp phát nổ"))
    # then both passes contribute
    assert "#power" in tokens
    assert any(token.startswith("#c_") for token in tokens)


def test_the_data_files_match_the_whole_corpus_exactly_as_lexicon_3_did():
    # given every report of the corpus, folded into words (independent of the normaliser, which changes)
    with CORPUS.open(encoding="utf-8", newline="") as handle:
        texts = [row["text"] for row in csv.DictReader(handle) if row["source"] == "handwritten"]
    digest = hashlib.sha256()
    count = 0
    for text in texts:
        tokens = concept_tokens(" ".join(re.findall(r"[^\W_]+", fold(text))))
        count += len(tokens)
        digest.update((" ".join(tokens) + "\n").encode())
    # then the concept tokens are those the Python dicts of lexicon 3 (triage/lexicon_domains.py, 7,270
    # detailed phrases, commit ed27f92) produced on the same 6,427 hand-written reports (and on all
    # 17,920 rows of that day's corpus), recorded before they became data files
    assert (len(texts), count) == (6427, 32340)
    assert digest.hexdigest() == "2c9ea889163e3b9d90eb952f7531fad9eea1cbd8669f1639f91965a78f08a220"
    assert LEXICON_SHA256 == "d66b52c06fc5ef55ce357582d7b6fbafe2e146336fb625c96f09da7dbcedb635"


def test_the_version_is_the_content_hash_not_the_bytes(tmp_path):
    # given the detailed file rewritten with Windows line ends and blank lines
    raw = (LEXICON_DIR / "detailed.tsv").read_text(encoding="utf-8")
    (tmp_path / "detailed.tsv").write_bytes(raw.replace("\n", "\r\n\r\n").encode("utf-8"))
    same = read_concepts(tmp_path / "detailed.tsv")
    assert content_sha256(CONCEPTS, NEUTRAL_PHRASES, same) == LEXICON_SHA256
    # when one phrase is added to one concept, the hash changes
    changed = dict(same)
    changed["a_garbage_pile"] = (*changed["a_garbage_pile"], "rac moi")
    assert content_sha256(CONCEPTS, NEUTRAL_PHRASES, changed) != LEXICON_SHA256


def test_the_lexicon_sizes():
    assert (len(CONCEPTS), sum(map(len, CONCEPTS.values()))) == (40, 773)
    assert (len(DOMAIN_CONCEPTS), sum(map(len, DOMAIN_CONCEPTS.values()))) == (158, 7270)
    assert len(NEUTRAL_PHRASES) == 14


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("concept,phrase\nfire\tboc chay\n", "the first line must be the header"),
        ("concept\tphrase\nfire boc chay\n", "expected 'concept<TAB>phrase'"),
        ("concept\tphrase\nfire\tBốc cháy\n", "must be lower case, without diacritics"),
        ("concept\tphrase\nfire\tboc  chay\n", "single-spaced"),
        ("concept\tphrase\nFire\tboc chay\n", "must be a lower-case identifier"),
        ("concept\tphrase\nfire\tboc chay\nfire\tboc chay\n", "listed twice under 'fire'"),
    ],
)
def test_a_malformed_lexicon_file_is_an_error_with_its_line(tmp_path, content, message):
    path = tmp_path / "broken.tsv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(LexiconError, match=message):
        read_concepts(path)


def test_a_neutral_phrase_with_marks_is_an_error(tmp_path):
    path = tmp_path / "neutral.tsv"
    path.write_text("phrase\nđiện thoại\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"neutral.tsv:2: phrase"):
        read_phrases(path)

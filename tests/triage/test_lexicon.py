"""The concept lexicon: every phrase can match, shared phrases yield every concept, traps stay quiet."""

import pytest

from triage.lexicon import CONCEPTS, NEUTRAL_PHRASES, build_index, concept_tokens, match_concepts
from triage.lexicon_domains import DOMAIN_CONCEPTS
from triage.normalize import NOT_TEENCODE, normalize, strip_diacritics

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
        if normalize(phrase) != phrase and not _MARKED_ONLY.intersection(phrase.split())
    ]
    assert broken == []


def test_neutral_phrases_are_their_own_normal_form():
    assert [phrase for phrase in NEUTRAL_PHRASES if normalize(phrase) != phrase] == []


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

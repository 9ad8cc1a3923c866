"""Text normalisation for how people in Huế really type.

One report reaches us as "Đường Lê Lợi bị ngập", "duong le loi bi ngap", "đg ni ngập r, ko đi dc" or
"the road near Dong Ba is flooded". Before the model or the safety rules look at it, the text goes
through the same steps:

1. Unicode NFC (phones send both composed and decomposed Vietnamese) and casefold;
   English contractions are opened ("isn't" -> "is not") so negation is visible.
2. Split into words; links become ``_url_``, long digit runs (phone numbers) ``_number_``,
   letters repeated for emphasis ("quáaaa") are collapsed.
3. Huế place names (``triage.gazetteer``) become ``_place_``: place must not decide the category.
4. Teencode, abbreviations and Huế dialect are expanded to standard Vietnamese
   (ko -> không, đc -> được, ni -> này, răng -> sao, kiệt -> hẻm, ...).
5. Every token gets a diacritics-free form (đ -> d).

The result keeps two aligned strings with the same tokens: ``accented`` (diacritics kept where the
citizen typed them) and ``folded`` (no diacritics). The model only reads ``folded``, so "đường bị ngập"
and "duong bi ngap" give the model identical input. The safety rules may also look at ``accented``
because a few words are only unambiguous with their marks: "cháy" (fire) folds to "chay", which is also
"chạy" (run) and "chảy" (flow).

Dialect words that are ambiguous once the marks are gone are only expanded when typed with their marks:
"mô" -> "đâu", but "mo" may be "mở" (open); "răng" -> "sao", but "rang" may be "rằng".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Final

from triage.gazetteer import ACCENTED_ONLY_PLACE_NAMES, ALL_PLACE_NAMES, PLACE_TOKEN
from triage.text import FOLD_TABLE, strip_diacritics

# Bump when a change here changes what the model sees; recorded in each model's manifest.
NORMALIZER_VERSION: Final = 3

URL_TOKEN: Final = "_url_"
NUMBER_TOKEN: Final = "_number_"


# Expanded only when typed with these exact marks (see the module docstring).
ACCENTED_EXPANSIONS: Final[dict[str, str]] = {
    # Huế dialect
    "nớ": "đó",
    "mô": "đâu",
    "răng": "sao",
    "rứa": "vậy",
    "chừ": "bây giờ",
    "tê": "kia",
    "tề": "kìa",
    "hông": "không",
    "trốc": "đầu",
    # teencode that carries marks
    "đc": "được",
    "đk": "được",
    "nhìu": "nhiều",
    "rùi": "rồi",
    "mún": "muốn",
    "bít": "biết",
    "wá": "quá",
}

# Expanded whether typed with or without marks (keys are diacritics-free).
FOLDED_EXPANSIONS: Final[dict[str, str]] = {
    # negation, the most important one to get right
    "ko": "không",
    "k": "không",
    "kg": "không",
    "kh": "không",
    "khg": "không",
    "kô": "không",
    "hok": "không",
    "hk": "không",
    # teencode and abbreviations
    "dc": "được",
    "dk": "được",
    "j": "gì",
    "z": "vậy",
    "ntn": "như thế nào",
    "bh": "bây giờ",
    "bjo": "bây giờ",
    "bgio": "bây giờ",
    "vs": "với",
    "r": "rồi",
    "mn": "mọi người",
    "mng": "mọi người",
    "nc": "nước",
    "cx": "cũng",
    "cg": "cũng",
    "trc": "trước",
    "ng": "người",
    "ngta": "người ta",
    "wa": "quá",
    "ms": "mới",
    "nhiu": "nhiều",
    "lun": "luôn",
    "hnay": "hôm nay",
    "hqua": "hôm qua",
    "sdt": "số điện thoại",
    "tp": "thành phố",
    "csgt": "cảnh sát giao thông",
    "đg": "đường",
    "dg": "đường",
    # Huế dialect that stays unambiguous without marks
    "ni": "này",
    "kiet": "hẻm",
    # English chat shorthand
    "pls": "please",
    "plz": "please",
    "ppl": "people",
    "thx": "thanks",
    "cuz": "because",
    "coz": "because",
    "asap": "as soon as possible",
}

# Words typed with these marks are real words, not the teencode their folded form is:
# "lún" (subsided) and "lùn" (short) are not "lun" (luôn).
NOT_TEENCODE: Final = frozenset({"lún", "lùn"})

# Two-word forms, keyed by their diacritics-free tokens (looked at before place names).
PHRASE_EXPANSIONS: Final[dict[tuple[str, str], str]] = {
    ("bay", "chu"): "bây giờ",  # bây chừ
    ("bua", "ni"): "hôm nay",  # bữa ni
    # The city's app ("Hue-S", "Huế-S"), not the place Huế: reports about the app are public_services.
    ("hue", "s"): "hues",
}

_WORD_RE: Final = re.compile(r"[^\W_]+|[!?]|_(?:url|number)_")
# Words plus the punctuation that ends a sentence (".", ";", a new line) or a clause (",", ":"); a
# point or comma inside a number ("1.5 m") is not a break. Breaks are not tokens of the text the model
# reads: they are kept aside for the rules, which read negation, past and reported speech per clause.
_TOKEN_RE: Final = re.compile(r"[^\W_]+|[!?]|_(?:url|number)_|[.;\n](?!\d)|[,:](?!\d)")
_SENTENCE_BREAKS: Final = frozenset({".", ";", "\n"})
_CLAUSE_BREAKS: Final = frozenset({",", ":"})
_BREAKS: Final = _SENTENCE_BREAKS | _CLAUSE_BREAKS
_URL_RE: Final = re.compile(r"https?://\S+|www\.\S+")
_REPEAT_RE: Final = re.compile(r"([^\W\d_])\1{2,}")
_CONTRACTION_RE: Final = re.compile(r"\b(can|won)['’]t\b|n['’]t\b")
_LONG_NUMBER_RE: Final = re.compile(r"\d{7,}")


def _open_contraction(match: re.Match[str]) -> str:
    head = match.group(1)
    if head == "can":
        return "can not"
    if head == "won":
        return "will not"
    return " not"


@dataclass(frozen=True, slots=True)
class NormalizedText:
    """The two aligned forms of one report: same tokens, with and without diacritics.

    ``breaks`` are the token positions where a clause starts after punctuation (a comma, a colon) and
    ``sentence_breaks`` those after a sentence's end (".", ";", a new line; "!" and "?" are tokens of
    their own and end a sentence too). Position i means "before the i-th token".
    """

    accented: str
    folded: str
    breaks: tuple[int, ...] = ()
    sentence_breaks: tuple[int, ...] = ()


Token = tuple[str, str]  # (accented, folded)


def _expansion_tokens(expansion: str) -> list[Token]:
    return [(word, strip_diacritics(word)) for word in expansion.split()]


PlaceName = tuple[tuple[Token, ...], bool]  # its tokens, and whether it only matches text with marks


def _build_gazetteer() -> dict[str, list[PlaceName]]:
    index: dict[str, list[PlaceName]] = {}
    for names, accented_only in ((ALL_PLACE_NAMES, False), (ACCENTED_ONLY_PLACE_NAMES, True)):
        for name in names:
            words = _WORD_RE.findall(unicodedata.normalize("NFC", name).casefold())
            tokens = tuple((word, strip_diacritics(word)) for word in words)
            index.setdefault(tokens[0][1], []).append((tokens, accented_only))
    for candidates in index.values():
        candidates.sort(key=lambda entry: len(entry[0]), reverse=True)  # "Sông Hương" before "Hương"
    return index


_GAZETTEER: Final = _build_gazetteer()
_ONE_WORD_PLACES: Final = frozenset(
    first for first, names in _GAZETTEER.items() if any(len(n) == 1 for n, _ in names)
)
_PLACE_PAIRS: Final = frozenset(
    (n[0][1], n[1][1]) for names in _GAZETTEER.values() for n, _ in names if len(n) > 1
)
_ACCENTED_EXPANSIONS: Final = {key: _expansion_tokens(value) for key, value in ACCENTED_EXPANSIONS.items()}
_FOLDED_EXPANSIONS: Final = {
    strip_diacritics(key): _expansion_tokens(value) for key, value in FOLDED_EXPANSIONS.items()
}
_PHRASE_EXPANSIONS: Final = {key: _expansion_tokens(value) for key, value in PHRASE_EXPANSIONS.items()}
# Folded words that need a closer look; every other word is copied through on the fast path.
_SPECIAL_FOLDED: Final = (
    frozenset(_GAZETTEER) | frozenset(_FOLDED_EXPANSIONS) | {key[0] for key in PHRASE_EXPANSIONS}
)
_SPECIAL_ACCENTED: Final = frozenset(_ACCENTED_EXPANSIONS)


def _same_word(typed: Token, name: Token) -> bool:
    # An accented word must match the name's marks exactly ("hỏng" is not "hồng"); a word typed
    # without marks matches on its folded form.
    if typed[0] == typed[1]:
        return typed[1] == name[1]
    return typed[0] == name[0]


def _match_place(tokens: list[Token], start: int) -> int:
    """Number of tokens of the place name starting at ``start`` (0 when there is none)."""
    first = tokens[start][1]
    if first not in _ONE_WORD_PLACES and (
        start + 1 >= len(tokens) or (first, tokens[start + 1][1]) not in _PLACE_PAIRS
    ):
        return 0  # the common case: "an", "long", "phu" that do not start a place name here
    for name, accented_only in _GAZETTEER.get(first, ()):
        end = start + len(name)
        if end > len(tokens):
            continue
        typed = tokens[start:end]
        if accented_only:
            # "Hồng Thượng" typed without marks reads "hỏng thường" (broken often): only with its marks
            if all(word[0] == part[0] for word, part in zip(typed, name, strict=True)) and any(
                word[0] != word[1] for word in typed
            ):
                return len(name)
        elif all(_same_word(word, part) for word, part in zip(typed, name, strict=True)):
            return len(name)
    return 0


def _tokenize(text: str) -> list[Token]:
    accented = unicodedata.normalize("NFC", text).casefold()
    if "'" in accented or "’" in accented:
        accented = _CONTRACTION_RE.sub(_open_contraction, accented)
    if "http" in accented or "www." in accented:
        accented = _URL_RE.sub(f" {URL_TOKEN} ", accented)
    if _LONG_NUMBER_RE.search(accented):
        accented = _LONG_NUMBER_RE.sub(f" {NUMBER_TOKEN} ", accented)
    words: list[str] = _TOKEN_RE.findall(accented)
    # Folding the whole string at once is much cheaper than per word; every character keeps its
    # position (the table maps one character to one), so both strings split into the same words.
    folded = accented.translate(FOLD_TABLE)
    folded_words: list[str] = _TOKEN_RE.findall(folded) if len(folded) == len(accented) else []
    if len(folded_words) != len(words):
        folded_words = [word.translate(FOLD_TABLE) for word in words]
    tokens = list(zip(words, folded_words, strict=True))
    if any(len(word) >= 6 for word in words):
        # Only long words can hold emphasis like "quáaaa" or "nguy hiểmmm".
        tokens = [
            (_REPEAT_RE.sub(r"\1", word), _REPEAT_RE.sub(r"\1", fold)) if len(word) >= 6 else (word, fold)
            for word, fold in tokens
        ]
    return tokens


def normalize_text(text: str) -> NormalizedText:
    """Both aligned forms of ``text`` (see the module docstring for the steps)."""
    tokens = _tokenize(text)
    out: list[Token] = []
    append = out.append
    breaks: list[int] = []
    sentence_breaks: list[int] = []
    if _SPECIAL_FOLDED.isdisjoint([token[1] for token in tokens]) and _SPECIAL_ACCENTED.isdisjoint(
        [token[0] for token in tokens]
    ):
        for token in tokens:
            if token[0] in _BREAKS:
                _add_break(token[0], len(out), breaks, sentence_breaks)
            else:
                append(token)
        return _assembled(out, breaks, sentence_breaks)
    position = 0
    count = len(tokens)
    while position < count:
        token = tokens[position]
        if token[0] in _BREAKS:
            _add_break(token[0], len(out), breaks, sentence_breaks)
            position += 1
            continue
        if token[1] not in _SPECIAL_FOLDED and token[0] not in _SPECIAL_ACCENTED:
            append(token)
            position += 1
            continue
        if position + 1 < count:
            phrase = _PHRASE_EXPANSIONS.get((token[1], tokens[position + 1][1]))
            if phrase is not None:
                out.extend(phrase)
                position += 2
                continue
        if token[1] in _GAZETTEER:
            length = _match_place(tokens, position)
            if length:
                if not out or out[-1][1] != PLACE_TOKEN:  # "Phú Hội, Thuận Hóa" is one place
                    append((PLACE_TOKEN, PLACE_TOKEN))
                position += length
                continue
        expansion = _ACCENTED_EXPANSIONS.get(token[0])
        if expansion is None and token[0] not in NOT_TEENCODE:
            expansion = _FOLDED_EXPANSIONS.get(token[1])
        if expansion is None:
            append(token)
        else:
            out.extend(expansion)
        position += 1
    return _assembled(out, breaks, sentence_breaks)


def _add_break(mark: str, position: int, breaks: list[int], sentence_breaks: list[int]) -> None:
    if breaks and breaks[-1] == position:
        if mark in _SENTENCE_BREAKS and (not sentence_breaks or sentence_breaks[-1] != position):
            sentence_breaks.append(position)
        return
    breaks.append(position)
    if mark in _SENTENCE_BREAKS:
        sentence_breaks.append(position)


def _assembled(out: list[Token], breaks: list[int], sentence_breaks: list[int]) -> NormalizedText:
    return NormalizedText(
        accented=" ".join(token[0] for token in out),
        folded=" ".join(token[1] for token in out),
        breaks=tuple(breaks),
        sentence_breaks=tuple(sentence_breaks),
    )


# Emphasis is not danger (issue 14): "KHẨN CẤP!!!" on a cosmetic request says how the citizen feels, not
# what is at risk. The corpus's critical reports carry it far more often than the others, so a model
# that reads it learns to raise urgency on tone; it reads the report without it. (The rules never used it.)
_EMPHASIS_RE: Final = re.compile(
    r"(?<!\S)(?:!|khan cap|ngay lap tuc|urgent|urgently|asap|as soon as possible|immediately)(?!\S)"
)


def model_text(text: NormalizedText) -> str:
    """What the model reads: the diacritics-free form without emphasis."""
    folded = text.folded
    if _EMPHASIS_RE.search(folded) is None:
        return folded
    return " ".join(_EMPHASIS_RE.sub(" ", folded).split())


def normalize(text: str) -> str:
    """The normalised form the model reads (``model_text`` of ``normalize_text``)."""
    return model_text(normalize_text(text))

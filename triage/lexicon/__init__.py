"""A bilingual concept lexicon: Vietnamese and English words for the same thing share a feature.

With a few thousand training reports, "garbage" in an English report and "rác" in a Vietnamese one
would otherwise be unrelated features, and each language would only learn from its own examples.
Every phrase adds a concept token (``#garbage``) to the report's word features, so what the model
learns about one language carries over to the other (and to unseen synonyms listed here).

The lexicon is data, in this folder (format and rules: README.md):

- ``broad.tsv``: 40 broad concepts (``concept<TAB>phrase``), matched in a first pass;
- ``neutral.tsv``: phrases that contain a concept's word but mean something else ("dien thoai" is a
  phone, not #power): they take their words and add nothing;
- ``detailed.tsv``: 158 detailed concepts of the labelling guidelines, one prefix per category group
  (``a_`` environment/health/water/noise, ``b_`` roads/traffic/drainage/lighting, ``c_``
  power/trees/urban order/security, ``d_`` misinformation/public services/other and ``d_urg_``
  urgency cues), matched in a second, independent pass.

Its version is the sha256 of its content (``LEXICON_SHA256``, see ``content_sha256``): every model
records the hash it was trained with, and loading a model under another lexicon is refused
(``triage.artifacts``), since the model's word features would silently mean something else.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

LEXICON_DIR: Final = Path(__file__).resolve().parent
BROAD_FILE: Final = "broad.tsv"
NEUTRAL_FILE: Final = "neutral.tsv"
DETAILED_FILE: Final = "detailed.tsv"

Concepts = dict[str, tuple[str, ...]]


class LexiconError(ValueError):
    """A lexicon file that cannot be read as the format says (README.md)."""


def _lines(path: Path, header: str) -> list[tuple[int, str]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    if not lines or lines[0] != header:
        raise LexiconError(f"{path}: the first line must be the header {header!r}")
    return [(number, line) for number, line in enumerate(lines[1:], start=2) if line.strip()]


def _check_phrase(path: Path, number: int, phrase: str) -> None:
    if phrase != " ".join(phrase.split()) or phrase != phrase.lower() or not phrase.isascii():
        raise LexiconError(
            f"{path}:{number}: phrase {phrase!r} must be lower case, without diacritics, single-spaced"
        )


def read_concepts(path: Path) -> Concepts:
    """``concept<TAB>phrase`` rows, in file order; a phrase is listed once per concept."""
    concepts: dict[str, list[str]] = {}
    for number, line in _lines(path, "concept\tphrase"):
        fields = line.split("\t")
        if len(fields) != 2 or not fields[0] or not fields[1]:
            raise LexiconError(f"{path}:{number}: expected 'concept<TAB>phrase', got {line!r}")
        concept, phrase = fields
        if not concept.replace("_", "").isalnum() or concept != concept.lower():
            raise LexiconError(f"{path}:{number}: concept {concept!r} must be a lower-case identifier")
        _check_phrase(path, number, phrase)
        phrases = concepts.setdefault(concept, [])
        if phrase in phrases:
            raise LexiconError(f"{path}:{number}: {phrase!r} is listed twice under {concept!r}")
        phrases.append(phrase)
    return {concept: tuple(phrases) for concept, phrases in concepts.items()}


def read_phrases(path: Path) -> tuple[str, ...]:
    """One phrase a line, under the header ``phrase``."""
    phrases: list[str] = []
    for number, line in _lines(path, "phrase"):
        _check_phrase(path, number, line)
        phrases.append(line)
    return tuple(phrases)


def content_sha256(
    broad: Mapping[str, Sequence[str]], neutral: Sequence[str], detailed: Mapping[str, Sequence[str]]
) -> str:
    """sha256 of the lexicon's content (not of the files' bytes: line ends and blank lines do not count)."""
    payload = {
        "broad": [[concept, list(phrases)] for concept, phrases in broad.items()],
        "neutral": list(neutral),
        "detailed": [[concept, list(phrases)] for concept, phrases in detailed.items()],
    }
    return hashlib.sha256(
        json.dumps(payload, ensure_ascii=True, separators=(",", ":")).encode("ascii")
    ).hexdigest()


CONCEPTS: Final = read_concepts(LEXICON_DIR / BROAD_FILE)
NEUTRAL_PHRASES: Final = read_phrases(LEXICON_DIR / NEUTRAL_FILE)
DOMAIN_CONCEPTS: Final = read_concepts(LEXICON_DIR / DETAILED_FILE)
LEXICON_SHA256: Final = content_sha256(CONCEPTS, NEUTRAL_PHRASES, DOMAIN_CONCEPTS)


@dataclass(frozen=True, slots=True)
class PhraseIndex:
    """Phrases -> concept tokens, split so that the common case costs one dictionary lookup a word."""

    singles: dict[str, tuple[str, ...]]  # one-word phrases
    longer: dict[tuple[str, ...], tuple[str, ...]]  # phrases of 2+ words
    pairs: dict[tuple[str, str], tuple[int, ...]]  # first two words -> lengths of the phrases they start


def build_index(concepts: Mapping[str, Iterable[str]], neutral: Iterable[str] = ()) -> PhraseIndex:
    """Index phrases by their first words; a phrase listed under several concepts yields all of them."""
    by_phrase: dict[tuple[str, ...], list[str]] = {tuple(phrase.split()): [] for phrase in neutral}
    for concept, phrases in concepts.items():
        for phrase in phrases:
            owners = by_phrase.setdefault(tuple(phrase.split()), [])
            if concept not in owners:
                owners.append(concept)
    tokens = {words: tuple("#" + c for c in owners) for words, owners in by_phrase.items()}
    pairs: dict[tuple[str, str], set[int]] = {}
    for words in tokens:
        if len(words) > 1:
            pairs.setdefault((words[0], words[1]), set()).add(len(words))
    return PhraseIndex(
        singles={words[0]: owners for words, owners in tokens.items() if len(words) == 1},
        longer={words: owners for words, owners in tokens.items() if len(words) > 1},
        pairs={pair: tuple(sorted(sizes, reverse=True)) for pair, sizes in pairs.items()},
    )


def match_concepts(index: PhraseIndex, words: Sequence[str]) -> list[str]:
    """Concept tokens of the phrases in ``words``: whole words, left to right, longest phrase first.

    A word belongs to at most one phrase (so "nuoc thai" is pollution, not just "nuoc").
    """
    found: list[str] = []
    singles, longer, pairs = index.singles, index.longer, index.pairs
    position = 0
    count = len(words)
    while position < count:
        word = words[position]
        if position + 1 < count:
            sizes = pairs.get((word, words[position + 1]))
            if sizes is not None:
                matched = False
                for size in sizes:
                    owners = (
                        longer.get(tuple(words[position : position + size]))
                        if position + size <= count
                        else None
                    )
                    if owners is not None:
                        found.extend(owners)
                        position += size
                        matched = True
                        break
                if matched:
                    continue
        owners = singles.get(word)
        if owners is not None:
            found.extend(owners)
        position += 1
    return found


_BASE_INDEX: Final = build_index(CONCEPTS, NEUTRAL_PHRASES)
# The detailed, per-category concepts (``detailed.tsv``) are matched in a second, independent
# pass: a long detailed phrase ("tram bien ap phat no") must not hide the broad concept ("#power") of
# the words it covers, and the broad concepts keep exactly the meaning earlier models learnt.
_DOMAIN_INDEX: Final = build_index(DOMAIN_CONCEPTS)


def concept_tokens(normalized: str) -> list[str]:
    """The ``#concept`` tokens of a diacritics-free normalised text (broad concepts, then detailed ones)."""
    words = normalized.split()
    return match_concepts(_BASE_INDEX, words) + match_concepts(_DOMAIN_INDEX, words)

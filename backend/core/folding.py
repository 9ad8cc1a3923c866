"""Text as people search it: lower case, without Vietnamese marks, words only.

Citizens type "vac xin" as often as "vắc xin" (and foreigners almost always do), so searches compare
folded forms: "Vắc-xin COVID gây vô sinh?" -> "vac xin covid gay vo sinh". Uses triage's own folding,
so search and the classifier agree on what a letter is.
"""

from __future__ import annotations

import re

from triage.text import fold as fold_marks

_NOT_WORD = re.compile(r"[^0-9a-z]+")


def fold(text: str) -> str:
    """triage's accent folding (lower case, no marks), then words only."""
    return _NOT_WORD.sub(" ", fold_marks(text)).strip()


def search_text(*parts: str) -> str:
    """What a row is found by: its folded words, with a space before each so a query word can be
    matched at the start of a word (" vac" finds "vắc" but not "khác")."""
    return " " + " ".join(fold(part) for part in parts if part) + " "


def query_words(query: str) -> list[str]:
    return [word for word in fold(query).split() if word][:12]

"""Deterministic safety rules: urgency the model must not be allowed to miss.

A rule reads the normalised report (``triage.normalize``) and, when one of its patterns matches, forces
at least its ``min_urgency``. Rules can only raise urgency: the result is the more urgent of the
model's opinion and every fired rule's minimum. The rules themselves are data, in
``triage.safety_rules``, one entry per hazard, each tested on its own in tests/triage/test_rules.py.

Patterns are regular expressions over the normalised text, matched on whole words:

- ``patterns`` read the diacritics-free form ("day dien (bi )?dut"), so they work whether or not the
  citizen typed the marks. They must therefore avoid words that are ambiguous once folded ("chay" is
  cháy/chạy/chảy): use them in an unambiguous phrase ("dam chay", "boc chay").
- ``accented_patterns`` read the form with marks, for words only unambiguous with them ("cháy", "nổ").
- ``exclude`` (diacritics-free) names phrases in which a match does not count: "bóng đèn cháy" is a
  burnt-out bulb, "phòng cháy chữa cháy" is fire safety, "kẹt xe" is a traffic jam.

A match right after a negation ("không có cháy", "chưa thấy ai bị thương", "no fire") does not fire:
a negation word followed by at most three filler words ("có", "bị", "thấy", "is", "any"...). Nor does a
match in a past, near-miss, hypothetical or reported context ("hôm qua cháy", "suýt đâm", "nếu cháy",
"nghe đồn cầu sắp sập"; ``triage.context``): the danger is not here and now, so the model decides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from triage.context import read_context
from triage.normalize import NormalizedText, normalize_text
from triage.taxonomy import CATEGORIES, URGENCIES, urgency_rank


@dataclass(frozen=True, slots=True)
class SafetyRule:
    """One hazard: if a pattern matches, urgency is at least ``min_urgency``."""

    id: str
    description: str
    min_urgency: str
    patterns: tuple[str, ...]
    accented_patterns: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    category: str | None = None  # category hint, used when no model can decide
    # The patterns describe a risk themselves ("nguy cơ sập", "could fall any moment"): a hypothetical
    # context ("nguy cơ", "if") does not silence them; past and reported contexts still do.
    reads_risk: bool = False
    # The patterns name harm done to people (an accident, someone hit or hurt): a sentence that says
    # nobody was hurt ("may mà không ai bị thương", "luckily nobody was hurt") silences them.
    about_harm: bool = False


@dataclass(frozen=True, slots=True)
class RuleOutcome:
    """What the rules say about one report."""

    fired: tuple[str, ...]  # rule ids, in table order
    min_urgency: str | None  # the most urgent minimum among fired rules
    category_hint: str | None  # the hint of the first fired rule with the highest minimum

    def raise_urgency(self, urgency: str) -> str:
        """``urgency`` raised to the rules' minimum; never lowered."""
        if self.min_urgency is None or urgency_rank(urgency) >= urgency_rank(self.min_urgency):
            return urgency
        return self.min_urgency


NO_RULES_FIRED: Final = RuleOutcome(fired=(), min_urgency=None, category_hint=None)

NEGATION_WORDS: Final = frozenset(
    {
        "không", "khong", "chưa", "chua", "chẳng", "chang", "chả", "no", "not", "never", "without", "none",
        "nobody", "noone", "neither", "nor",
    }
)  # fmt: skip
# Words that may stand between a negation and the hazard: "không có", "chưa thấy ai bị", "is not any".
FILLER_WORDS: Final = frozenset(
    {
        "co", "bi", "thay", "phai", "con", "he", "la", "duoc", "ai", "gi", "xay", "ra", "dau", "hieu",
        "nguoi", "nao", "is", "are", "was", "were", "there", "any", "a", "an", "the", "sign", "signs",
        "of", "on", "one", "evidence", "chap", "hay", "hoac", "or", "see", "seen",
    }
)  # fmt: skip
MAX_FILLERS: Final = 3


def _has_top_level_alternation(pattern: str) -> bool:
    depth = 0
    escaped = False
    for char in pattern:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            return True
    return False


def _compile(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
    """One regex for all ``patterns``, whole words only.

    Python's regex engine tries every alternative at every position; grouping the alternatives by
    their first letter ("d(?:ay dien...|ut...)") lets it reject most positions after one character,
    which makes the rules several times cheaper without changing what matches.
    """
    if not patterns:
        return None
    buckets: dict[str, list[str]] = {}
    others: list[str] = []
    for pattern in patterns:
        simple_start = len(pattern) >= 2 and pattern[0].isalpha() and pattern[1] not in "?*+{"
        if simple_start and not _has_top_level_alternation(pattern):
            buckets.setdefault(pattern[0], []).append(pattern[1:])
        else:
            others.append(pattern)
    parts = [
        re.escape(first) + "(?:" + "|".join(f"(?:{rest})" for rest in rests) + ")"
        for first, rests in buckets.items()
    ]
    parts += [f"(?:{pattern})" for pattern in others]
    return re.compile(r"\b(?:" + "|".join(parts) + r")\b")


# per pattern: every entry needs one of its words to be in the text
Needs = tuple[tuple[frozenset[str], ...], ...]


@dataclass(frozen=True, slots=True)
class _CompiledRule:
    rule: SafetyRule
    rank: int
    folded: re.Pattern[str] | None
    accented: re.Pattern[str] | None
    exclude: re.Pattern[str] | None
    # Per pattern, the whole words any match must contain: a cheap test that spares most regex scans.
    # None when that cannot be said (a pattern with a partial word such as "flood(?:ing)?").
    folded_needs: Needs | None
    accented_needs: Needs | None


_ALTERNATIVE_RE: Final = re.compile(r"[^\W\d_]+(?: [^\W\d_]+)*")


def _required_words(pattern: str) -> tuple[frozenset[str], ...] | None:
    """What every match of ``pattern`` contains: per entry, at least one of its whole words.

    Words outside any group are each required; a non-optional group of plain alternatives
    ("(?:dut|rot xuong)") requires one of their first words. None when the pattern cannot be read
    this way (a partial word such as "fires?" or "flood(?:ing)?", a top-level alternation).
    """
    if _has_top_level_alternation(pattern):
        return None
    needs: list[frozenset[str]] = []
    position = 0
    length = len(pattern)
    while position < length:
        char = pattern[position]
        if char == "\\":
            position += 2
        elif char == "(":
            depth, end = 1, position + 1
            while end < length and depth:
                if pattern[end] == "\\":
                    end += 1
                elif pattern[end] == "(":
                    depth += 1
                elif pattern[end] == ")":
                    depth -= 1
                end += 1
            inner = pattern[position + 1 : end - 1]
            after = pattern[end] if end < length else " "
            if after == " " and inner.startswith("?:"):
                alternatives = inner[2:].split("|")
                if all(_ALTERNATIVE_RE.fullmatch(alternative) for alternative in alternatives):
                    needs.append(frozenset(alternative.split(" ")[0] for alternative in alternatives))
            position = end
        elif char.isalpha():
            end = position
            while end < length and pattern[end].isalpha():
                end += 1
            before = pattern[position - 1] if position else " "
            after = pattern[end] if end < length else " "
            if before not in " ?}" or after != " ":
                return None  # part of a word ("fires?", "flood(?:ing)?"): cannot say
            needs.append(frozenset({pattern[position:end]}))
            position = end
        else:
            position += 1
    return tuple(needs)


def _candidate_sets(patterns: tuple[str, ...]) -> Needs | None:
    """Per pattern, what it needs (see ``_required_words``); None when some pattern cannot be read."""
    sets: list[tuple[frozenset[str], ...]] = []
    for pattern in patterns:
        needs = _required_words(pattern)
        if not needs:
            return None
        sets.append(needs)
    return tuple(sets)


def _check_rule(rule: SafetyRule) -> None:
    if not rule.id or not rule.id.replace("_", "").isalnum():
        raise ValueError(f"safety rule id {rule.id!r} must be a non-empty identifier")
    if rule.min_urgency not in URGENCIES:
        raise ValueError(f"safety rule {rule.id!r}: unknown min_urgency {rule.min_urgency!r}")
    if rule.category is not None and rule.category not in CATEGORIES:
        raise ValueError(f"safety rule {rule.id!r}: unknown category {rule.category!r}")
    if not rule.patterns and not rule.accented_patterns:
        raise ValueError(f"safety rule {rule.id!r} has no patterns")
    for pattern in rule.patterns + rule.exclude:
        letters = re.sub(r"\\[A-Za-z]", "", pattern)  # escapes like \w and \d are fine
        if letters != letters.casefold() or not pattern.isascii() or "{W}" in pattern:
            raise ValueError(
                f"safety rule {rule.id!r}: pattern {pattern!r} must be lower case without diacritics "
                "(put patterns with marks in accented_patterns; use rf-strings for {W})"
            )


_COMMON_WORDS: Final = frozenset(
    [
        "nguoi",
        "xe",
        "nha",
        "duong",
        "bi",
        "co",
        "khong",
        "nuoc",
        "o",
        "va",
        "da",
        "dang",
        "cho",
        "len",
        "xuong",
        "trong",
        "tren",
        "di",
        "ra",
        "vao",
        "mot",
        "cac",
        "nhung",
        "the",
        "a",
        "an",
        "of",
        "in",
        "on",
        "is",
        "are",
        "to",
        "and",
        "by",
        "at",
        "it",
        "be",
    ]
)


def _anchor(needs: tuple[frozenset[str], ...]) -> frozenset[str]:
    """The need least likely to be met by chance: fewest common words, then the longest words."""
    return min(needs, key=lambda need: (len(need & _COMMON_WORDS), len(need), -min(map(len, need))))


@dataclass(frozen=True, slots=True)
class _WordIndex:
    """Which rules a report may fire, from its words alone.

    Each pattern is filed under the words of one of its needs (its anchor); a report's words pick
    the patterns filed under them, and a pattern counts when every one of its needs is met.
    """

    all_rules: frozenset[int]  # every rule with patterns of this kind
    always: frozenset[int]  # rules with a pattern that cannot be reduced to words: always tried
    by_word: dict[str, tuple[tuple[int, tuple[frozenset[str], ...]], ...]]


def _word_index(needs_per_rule: tuple[Needs | None, ...]) -> _WordIndex:
    always: set[int] = set()
    every: set[int] = set()
    by_word: dict[str, list[tuple[int, tuple[frozenset[str], ...]]]] = {}
    for position, needs in enumerate(needs_per_rule):
        if needs is None:
            always.add(position)
            every.add(position)
            continue
        for pattern_needs in needs:
            every.add(position)
            for word in _anchor(pattern_needs):
                by_word.setdefault(word, []).append((position, pattern_needs))
    return _WordIndex(
        frozenset(every), frozenset(always), {word: tuple(entries) for word, entries in by_word.items()}
    )


def _candidates(index: _WordIndex, words: frozenset[str]) -> frozenset[int]:
    """Rules that may fire on a report with these words (a superset of those that do)."""
    found = set(index.always)
    by_word = index.by_word
    for word in words:
        entries = by_word.get(word)
        if entries is None:
            continue
        for position, needs in entries:
            if position not in found and all(not need.isdisjoint(words) for need in needs):
                found.add(position)
    return frozenset(found)


class RuleSet:
    """A compiled table of safety rules."""

    def __init__(self, rules: tuple[SafetyRule, ...]) -> None:
        ids = [rule.id for rule in rules]
        duplicates = sorted({rule_id for rule_id in ids if ids.count(rule_id) > 1})
        if duplicates:
            raise ValueError(f"duplicate safety rule ids: {', '.join(duplicates)}")
        for rule in rules:
            _check_rule(rule)
        self.rules: Final = rules
        self._compiled = tuple(
            _CompiledRule(
                rule=rule,
                rank=urgency_rank(rule.min_urgency),
                folded=_compile(rule.patterns),
                accented=_compile(rule.accented_patterns),
                exclude=_compile(rule.exclude),
                folded_needs=_candidate_sets(rule.patterns),
                accented_needs=_candidate_sets(rule.accented_patterns),
            )
            for rule in rules
        )
        # word -> rules that mention it: a report is only checked against the rules whose words it
        # contains (most reports contain none), which keeps the rules' cost per report small.
        self._by_folded_word = _word_index(tuple(c.folded_needs for c in self._compiled))
        self._by_accented_word = _word_index(tuple(c.accented_needs for c in self._compiled))

    def evaluate(self, text: NormalizedText) -> RuleOutcome:
        """Which rules fire on one normalised report."""
        folded_words = text.folded.split(" ")
        accented_words = text.accented.split(" ")
        folded_set = frozenset(folded_words)
        accented_set = frozenset(accented_words)
        candidates_folded = _candidates(self._by_folded_word, folded_set)
        candidates_accented = _candidates(self._by_accented_word, accented_set)
        if not candidates_folded and not candidates_accented:
            return NO_RULES_FIRED
        fired: list[_CompiledRule] = []
        for position in sorted(candidates_folded | candidates_accented):
            compiled = self._compiled[position]
            try_folded = position in candidates_folded and compiled.folded is not None
            try_accented = position in candidates_accented and compiled.accented is not None
            if not try_folded and not try_accented:
                continue
            excluded = _token_spans(compiled.exclude, text.folded)
            if (
                try_folded
                and compiled.folded is not None
                and _fires(compiled.folded, text.folded, excluded, accented_words, folded_words)
            ) or (
                try_accented
                and compiled.accented is not None
                and _fires(compiled.accented, text.accented, excluded, accented_words, folded_words)
            ):
                fired.append(compiled)
        if fired:
            context = read_context(text)
            fired = [
                compiled
                for compiled in fired
                if not all(
                    context.silences(
                        token, reads_risk=compiled.rule.reads_risk, about_harm=compiled.rule.about_harm
                    )
                    for token in self._match_starts(compiled, text, accented_words, folded_words)
                )
            ]
        if not fired:
            return NO_RULES_FIRED
        top = max(fired, key=lambda compiled: compiled.rank)  # first of the most urgent, table order
        hint = next(
            (c.rule.category for c in fired if c.rank == top.rank and c.rule.category is not None),
            None,
        )
        return RuleOutcome(
            fired=tuple(compiled.rule.id for compiled in fired),
            min_urgency=top.rule.min_urgency,
            category_hint=hint,
        )

    @staticmethod
    def _match_starts(
        compiled: _CompiledRule, text: NormalizedText, accented_words: list[str], folded_words: list[str]
    ) -> list[int]:
        """First tokens of every counted match of a rule that fired (not excluded, not negated)."""
        excluded = _token_spans(compiled.exclude, text.folded)
        starts: list[int] = []
        for pattern, source in ((compiled.folded, text.folded), (compiled.accented, text.accented)):
            if pattern is not None:
                starts += _counted_starts(pattern, source, excluded, accented_words, folded_words)
        return starts

    def evaluate_text(self, raw_text: str) -> RuleOutcome:
        """Normalise ``raw_text`` and evaluate it."""
        return self.evaluate(normalize_text(raw_text))


def _token_spans(pattern: re.Pattern[str] | None, text: str) -> list[tuple[int, int]]:
    if pattern is None:
        return []
    return [
        (text.count(" ", 0, match.start()), text.count(" ", 0, match.end()) + 1)
        for match in pattern.finditer(text)
    ]


def _negated(first_token: int, accented_words: list[str], folded_words: list[str]) -> bool:
    position = first_token - 1
    fillers = 0
    while position >= 0:
        if accented_words[position] in NEGATION_WORDS:
            return True
        if folded_words[position] not in FILLER_WORDS or fillers == MAX_FILLERS:
            return False
        fillers += 1
        position -= 1
    return False


def _counted_starts(
    pattern: re.Pattern[str],
    text: str,
    excluded: list[tuple[int, int]],
    accented_words: list[str],
    folded_words: list[str],
) -> list[int]:
    starts: list[int] = []
    for match in pattern.finditer(text):
        first = text.count(" ", 0, match.start())
        last = text.count(" ", 0, match.end()) + 1
        if any(first < end and start < last for start, end in excluded):
            continue
        if _negated(first, accented_words, folded_words):
            continue
        starts.append(first)
    return starts


def _fires(
    pattern: re.Pattern[str],
    text: str,
    excluded: list[tuple[int, int]],
    accented_words: list[str],
    folded_words: list[str],
) -> bool:
    for match in pattern.finditer(text):
        first = text.count(" ", 0, match.start())
        last = text.count(" ", 0, match.end()) + 1
        if any(first < end and start < last for start, end in excluded):
            continue
        if _negated(first, accented_words, folded_words):
            continue
        return True
    return False


_DEFAULT_RULES: RuleSet | None = None


def default_rules() -> RuleSet:
    """The compiled rules of ``triage.safety_rules`` (compiled once, on first use)."""
    global _DEFAULT_RULES
    if _DEFAULT_RULES is None:
        from triage.safety_rules import SAFETY_RULES

        _DEFAULT_RULES = RuleSet(SAFETY_RULES)
    return _DEFAULT_RULES


def evaluate(text: NormalizedText) -> RuleOutcome:
    """The default rules on one normalised report."""
    return default_rules().evaluate(text)

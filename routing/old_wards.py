"""Resolve pre-2025 ward and commune names, still written by citizens, to the wards of July 2025.

Administrative data provided by VietMap: the old-to-new mapping is VietMap's
`admin_mapping_old_to_new_10_25` (github.com/vietmap-company/vietnam_administrative_address), used
under the VietMap Administrative Data License, which asks for this attribution. The CSV is read from a
path given by the caller (the shared data folder); it is not copied into this repository.

Matching ignores case, diacritics ("Phu Hoi" finds "Phú Hội") and the "phường / xã / thị trấn" prefix
(also written "p." / "x." / "tt."). A name that differs only in its accents ("Hương Vân" and "Hương
Văn") is told apart when the text carries the accents. A bare name shared by a phường and a xã of
different districts ("Hương Phong") resolves only with its prefix; without it both candidates are
returned and `new_name` is None. One source row has a doubled prefix, "Phường Phường Đúc": the ward's
own name is "Phường Đúc", so it is found as "phường Phường Đúc" or as "Phường Đúc".
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from routing.geo import ward_code_for
from triage.text import fold

# Longest first, so "thị trấn" is tried before anything shorter.
_PREFIXES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("thị trấn", ("thi tran", "tt")),
    ("phường", ("phuong", "p")),
    ("xã", ("xa", "x")),
)
_PREFIX_RE = re.compile(r"^(thị trấn|phường|xã)\s+", re.IGNORECASE)
_WORD_RE = re.compile(r"\w+", re.UNICODE)


def _accented(text: str) -> str:
    return unicodedata.normalize("NFC", text).lower()


def split_prefix(name: str) -> tuple[str | None, str]:
    """("phường", "Phường Đúc") for "Phường Phường Đúc": only the first prefix is the ward type."""
    name = " ".join(name.split())
    found = _PREFIX_RE.match(name)
    if not found:
        return None, name
    return found.group(1).lower(), name[found.end() :]


@dataclass(frozen=True, slots=True)
class OldWard:
    name: str  # the ward's own name, without its type: "Phú Hội", "Phường Đúc"
    kind: str  # "phường", "xã" or "thị trấn"
    district: str  # the old district, e.g. "Quận Thuận Hóa"
    new_name: str  # the July 2025 ward, without its type, as in the ward polygons: "Thuận Hóa"
    new_kind: str
    new_code: str  # `ward_code_for(new_name)`, the code the ward index uses

    @property
    def full_name(self) -> str:
        return f"{self.kind.capitalize()} {self.name}"


@dataclass(frozen=True, slots=True)
class OldWardMatch:
    """An old ward name found in a text, with the candidates it may mean."""

    text: str
    start: int
    end: int
    candidates: tuple[OldWard, ...]

    @property
    def new_name(self) -> str | None:
        names = {c.new_name for c in self.candidates}
        return names.pop() if len(names) == 1 else None

    @property
    def new_code(self) -> str | None:
        codes = {c.new_code for c in self.candidates}
        return codes.pop() if len(codes) == 1 else None

    @property
    def ambiguous(self) -> bool:
        return self.new_name is None


@dataclass(frozen=True, slots=True)
class _Alias:
    words: tuple[str, ...]  # folded words
    prefixed: bool
    ward: OldWard


class OldWardDirectory:
    """The old -> new mapping, indexed for lookups by name and searches in free text."""

    def __init__(self, wards: Iterable[OldWard]) -> None:
        self.wards: tuple[OldWard, ...] = tuple(wards)
        self._aliases: dict[str, list[_Alias]] = {}  # keyed by first folded word
        self.max_words = 0
        for ward in self.wards:
            base = tuple(fold(ward.name).split())
            variants = [(base, False)]
            for kind, spellings in _PREFIXES:
                if kind == ward.kind:
                    variants += [(tuple(s.split()) + base, True) for s in spellings]
            for words, prefixed in variants:
                self._aliases.setdefault(words[0], []).append(_Alias(words, prefixed, ward))
                self.max_words = max(self.max_words, len(words))

    @classmethod
    def from_csv(cls, path: str | Path) -> OldWardDirectory:
        """Read VietMap's mapping CSV (columns `ward_name_old`, `district_name_old`, `ward_new_name`)."""
        wards: list[OldWard] = []
        with Path(path).open(encoding="utf-8-sig", newline="") as fh:
            for row in csv.DictReader(fh):
                kind, name = split_prefix(row["ward_name_old"])
                new_kind, new_name = split_prefix(row["ward_new_name"])
                wards.append(
                    OldWard(
                        name=name,
                        kind=kind or "",
                        district=" ".join(row["district_name_old"].split()),
                        new_name=new_name,
                        new_kind=new_kind or "",
                        new_code=ward_code_for(new_name),
                    )
                )
        return cls(wards)

    def candidates(self, name: str) -> tuple[OldWard, ...]:
        """Old wards a name may mean; `name` may carry a prefix and may lack accents."""
        found = [m for m in self.find_in_text(name) if m.start == 0 and m.end == len(name.strip())]
        return found[0].candidates if found else ()

    def resolve(self, name: str) -> str | None:
        """The new ward's name for an old ward name, or None if unknown or ambiguous."""
        wards = self.candidates(name.strip())
        names = {w.new_name for w in wards}
        return names.pop() if len(names) == 1 else None

    def find_in_text(self, text: str) -> list[OldWardMatch]:
        """Old ward names in a free text, left to right, longest match first, never overlapping."""
        words = [(m.start(), m.end(), m.group()) for m in _WORD_RE.finditer(text)]
        folded = [fold(w) for _, _, w in words]
        out: list[OldWardMatch] = []
        i = 0
        while i < len(words):
            best: tuple[int, list[_Alias]] | None = None
            for alias in self._aliases.get(folded[i], ()):
                n = len(alias.words)
                if tuple(folded[i : i + n]) != alias.words:
                    continue
                if not alias.prefixed and n == 1 and not self._accents_match(words[i : i + n], alias.ward):
                    continue  # a bare one-word name ("Sịa") must be written exactly to count
                if best is None or n > best[0]:
                    best = (n, [alias])
                elif n == best[0]:
                    best[1].append(alias)
            if best is None:
                i += 1
                continue
            n, aliases = best
            span = words[i : i + n]
            wards = list(dict.fromkeys(a.ward for a in aliases))
            exact = [w for w in wards if self._accents_match(span, w)]
            if exact:
                wards = exact  # "Hương Văn" written with its accents is not "Hương Vân"
            start, end = span[0][0], span[-1][1]
            out.append(OldWardMatch(text[start:end], start, end, tuple(wards)))
            i += n
        return out

    @staticmethod
    def _accents_match(span: list[tuple[int, int, str]], ward: OldWard) -> bool:
        name_words = _accented(ward.name).split()
        written = [_accented(w) for _, _, w in span][-len(name_words) :]
        return written == name_words

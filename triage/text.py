"""Accent folding, written once for the whole project: "Đường Lê Lợi" -> "duong le loi".

Vietnamese is typed with or without its marks (phones without an IME, hurried citizens), so text is
compared without them: the triage normaliser, the dataset builder, duplicate detection and ward-name
lookup all fold with the functions below. Pure Python, no dependencies: ``routing`` and ``backend``
import it without pulling in the model.

Every letter whose Unicode decomposition is an ASCII letter plus combining marks loses the marks
("ệ" -> "e", "Ư" -> "U"); "đ"/"Đ", a letter of its own with no decomposition, becomes "d"/"D"; stray
combining marks that NFC could not attach to a letter are dropped. Other characters are kept as they
are, so a folded string has one character per character of its NFC form.
"""

from __future__ import annotations

import unicodedata
from typing import Final

__all__ = ["fold", "strip_diacritics"]


def _build_fold_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {}
    for codepoint in range(0x00C0, 0x1F00):
        char = chr(codepoint)
        decomposed = unicodedata.normalize("NFD", char)
        base = decomposed[0]
        if len(decomposed) > 1 and base.isascii() and base.isalpha():
            table[codepoint] = base.lower() if char.islower() else base
    for codepoint in range(0x0300, 0x0370):  # stray combining marks NFC could not compose
        table[codepoint] = None
    table[ord("đ")] = "d"
    table[ord("Đ")] = "D"
    return table


FOLD_TABLE: Final = _build_fold_table()


def strip_diacritics(text: str) -> str:
    """``text`` without its marks, case kept: "Đường Lê Lợi" -> "Duong Le Loi"."""
    return unicodedata.normalize("NFC", text).translate(FOLD_TABLE)


def fold(text: str) -> str:
    """``text`` lower-cased (casefold) and without its marks: "Phường Đúc" -> "phuong duc"."""
    return unicodedata.normalize("NFC", text).casefold().translate(FOLD_TABLE)

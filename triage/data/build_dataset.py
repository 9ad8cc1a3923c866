"""Build the labelled triage corpus ``triage/data/reports.csv`` from hand-written base reports.

Base reports live in ``triage/data/source/<category>.txt`` (one report a line:
``<urgency c|h|n|l> <lang vi|en> <text>``, ``#`` starts a comment). Every base report becomes a
*group*; the script adds realistic surface variants of it (diacritics stripped, teencode,
Huế dialect swaps, keyboard typos, dropped punctuation/casing) that keep the labels of the base.

Deterministic: seeded per group, no network, stable ordering. Running it twice gives
byte-identical output.

Usage::

    python triage/data/build_dataset.py                 # writes triage/data/reports.csv
    python triage/data/build_dataset.py --out /tmp/x.csv
    python triage/data/build_dataset.py --stats         # print distribution tables (markdown)
    python triage/data/build_dataset.py --update-card   # refresh the stats block in DATA_CARD.md
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE_DIR = HERE / "source"
DEFAULT_OUT = HERE / "reports.csv"
CARD = HERE / "DATA_CARD.md"
SEED = 20261122

COLUMNS = ["id", "group", "text", "category", "urgency", "lang", "accents", "source"]
# The codes live in one place; this script also runs as `python triage/data/build_dataset.py`.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from triage.taxonomy import CATEGORIES  # noqa: E402
from triage.text import strip_diacritics  # noqa: E402

URGENCY_CODES = {"c": "critical", "h": "high", "n": "normal", "l": "low"}
URGENCIES = ["critical", "high", "normal", "low"]
LANGS = ("vi", "en")


# --------------------------------------------------------------------------------------------
# Reading the hand-written base reports
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Base:
    group: str
    text: str
    category: str
    urgency: str
    lang: str


def read_bases(source_dir: Path = SOURCE_DIR) -> list[Base]:
    bases: list[Base] = []
    for category in CATEGORIES:
        path = source_dir / f"{category}.txt"
        if not path.exists():
            continue
        n = 0
        for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            parts = line.split(maxsplit=2)
            if len(parts) != 3 or parts[0] not in URGENCY_CODES or parts[1] not in LANGS:
                raise ValueError(f"{path.name}:{lineno}: bad line {raw!r}")
            n += 1
            text = unicodedata.normalize("NFC", parts[2].strip())
            bases.append(
                Base(
                    group=f"{category}-{n:03d}",
                    text=text,
                    category=category,
                    urgency=URGENCY_CODES[parts[0]],
                    lang=parts[1],
                )
            )
    return bases


# --------------------------------------------------------------------------------------------
# Text helpers
# --------------------------------------------------------------------------------------------


def has_diacritics(text: str) -> bool:
    return strip_diacritics(text) != text


def norm_key(text: str) -> str:
    """Key used to detect near-identical texts across different groups."""
    return re.sub(r"[\W_]+", "", strip_diacritics(text).casefold())


def _keep_case(src: str, repl: str) -> str:
    if src[:1].isupper() and repl:
        return repl[0].upper() + repl[1:]
    return repl


def drop_punct(text: str, rng: random.Random, keep_question: bool = True) -> str:
    """Drop most punctuation (people typing on a phone)."""
    out = []
    for ch in text:
        if ch in ".,;:!…" or (ch == "?" and not keep_question):
            out.append(" " if rng.random() < 0.5 else "")
        elif ch in "–-" and rng.random() < 0.5:
            out.append(" ")
        else:
            out.append(ch)
    return re.sub(r"\s+", " ", "".join(out)).strip()


def casual_case(text: str, rng: random.Random) -> str:
    if rng.random() < 0.7:
        return text.lower()
    return text[:1].lower() + text[1:]


Rule = tuple[str, list[str], bool]  # (regex, replacement choices, counts as "signature" swap)


def apply_rules(text: str, rules: list[Rule], rng: random.Random, prob: float) -> tuple[str, int, int]:
    """Apply word-level regex rules; return (text, n_changes, n_signature_changes)."""
    changes = 0
    signature = 0
    for pattern, choices, is_sig in rules:
        regex = re.compile(pattern, re.IGNORECASE)

        def repl(m: re.Match[str], choices: list[str] = choices, is_sig: bool = is_sig) -> str:
            nonlocal changes, signature
            if rng.random() >= prob:
                return m.group(0)
            choice = rng.choice(choices)
            new = m.expand(choice)
            if new.lower() == m.group(0).lower():
                return m.group(0)
            changes += 1
            signature += int(is_sig)
            return _keep_case(m.group(0), new)

        text = regex.sub(repl, text)
    return text, changes, signature


# --------------------------------------------------------------------------------------------
# Variation: teencode / abbreviations
# --------------------------------------------------------------------------------------------

TEENCODE_VI: list[Rule] = [
    (r"\bnhư thế nào\b", ["ntn"], True),
    (r"\bmọi người\b", ["mn", "mng", "mọi ng"], True),
    (r"\bbây giờ\b", ["bh", "bjo", "bây h"], True),
    (r"\bkhông\b", ["ko", "k", "hok", "hông", "kh", "ko"], True),
    (r"\bđược\b", ["dc", "đc", "đc", "dk"], True),
    (r"\bgì\b", ["j"], True),
    (r"\bvới\b", ["vs", "vs", "vớ"], True),
    (r"\brồi\b", ["r", "r", "rùi"], True),
    (r"\bvậy\b", ["v", "z", "zậy"], True),
    (r"\bbiết\b", ["bít", "bik"], True),
    (r"\bquá\b", ["wá", "qá", "quá"], True),
    (r"\bcũng\b", ["cũg", "cg"], True),
    (r"\btrước\b", ["trc"], True),
    (r"\bngười\b", ["ng", "người"], True),
    (r"\bnhiều\b", ["nhìu"], True),
    (r"\bthôi\b", ["thui"], True),
    (r"\bluôn\b", ["lun"], True),
    (r"\bhôm nay\b", ["hnay", "hum nay"], True),
    (r"\bhôm qua\b", ["hqua", "hum qua"], True),
    (r"\bthành phố\b", ["tp", "TP"], True),
    (r"\bủy ban nhân dân\b", ["UBND", "ubnd"], True),
    (r"\bủy ban\b", ["UB", "ub"], False),
    (r"\bhọc sinh\b", ["hs"], True),
    (r"\bsinh viên\b", ["sv"], True),
    (r"\bđiện thoại\b", ["đt", "dt"], True),
    (r"\bcảm ơn\b", ["cám ơn", "tks", "thanks"], True),
    (r"\blàm ơn\b", ["lm ơn"], True),
    (r"\bmình\b", ["mk", "mik", "mình"], True),
    (r"\bchưa\b", ["chưa", "chx"], True),
    (r"\b(\d+) giờ\b", [r"\1h", r"\1g"], True),
    (r"\bphường\b", ["p.", "P.", "phường"], False),
    (r"\bđường\b", ["đường", "đg"], False),
    (r"\banh chị\b", ["a/c", "ac"], True),
    (r"\bnhé\b", ["nha", "nhe"], False),
]

TEENCODE_VI_ASCII: list[Rule] = [
    (r"\bnhu the nao\b", ["ntn"], True),
    (r"\bmoi nguoi\b", ["mn", "mng"], True),
    (r"\bbay gio\b", ["bh", "bjo"], True),
    (r"\bkhong\b", ["ko", "k", "hok", "kh"], True),
    (r"\bduoc\b", ["dc", "dk"], True),
    (r"\bgi\b", ["j"], True),
    (r"\bvoi\b", ["vs"], True),
    (r"\broi\b", ["r", "rui"], True),
    (r"\bvay\b", ["v", "z"], True),
    (r"\bbiet\b", ["bit", "bik"], True),
    (r"\bnguoi\b", ["ng"], True),
    (r"\bnhieu\b", ["nhiu"], True),
    (r"\btruoc\b", ["trc"], True),
    (r"\bhom nay\b", ["hnay"], True),
    (r"\bthanh pho\b", ["tp"], True),
    (r"\bhoc sinh\b", ["hs"], True),
    (r"\bsinh vien\b", ["sv"], True),
    (r"\b(\d+) gio\b", [r"\1h"], True),
]

TEXTSPEAK_EN: list[Rule] = [
    (r"\bplease\b", ["pls", "plz"], True),
    (r"\byou\b", ["u"], True),
    (r"\byour\b", ["ur"], True),
    (r"\bpeople\b", ["ppl"], True),
    (r"\bbecause\b", ["bc", "cuz", "coz"], True),
    (r"\btonight\b", ["tonite"], True),
    (r"\bthanks\b|\bthank you\b", ["thx", "ty", "tks"], True),
    (r"\bright now\b", ["rn", "asap"], True),
    (r"\bwith\b", ["w/", "with"], True),
    (r"\babout\b", ["abt"], True),
    (r"\bbefore\b", ["b4"], True),
    (r"\bsomeone\b", ["sb", "someone"], True),
    (r"\btomorrow\b", ["tmr", "tmrw"], True),
    (r"\btoday\b", ["2day", "today"], True),
    (r"\band\b", ["&", "n", "and"], True),
    (r"\bgoing to\b", ["gonna"], True),
    (r"\bwant to\b", ["wanna"], True),
    (r"\bvery\b", ["v", "rly", "very"], True),
    (r"\breally\b", ["rly", "rlly"], True),
    (r"\bmessage\b", ["msg"], True),
    (r"\bnight\b", ["nite"], True),
    (r"\bat\b", ["@", "at"], True),
    (r"\bstreet\b", ["st", "street"], True),
    (r"\bnumber\b", ["no.", "#"], True),
    (r"\bsomething\b", ["smth", "sth"], True),
    (r"\bthough\b", ["tho"], True),
    (r"\bwhat\b", ["wat", "what"], True),
    (r"\bdon't\b", ["dont"], False),
    (r"\bcan't\b", ["cant"], False),
    (r"\bit's\b", ["its"], False),
    (r"\bI'm\b", ["im", "Im"], False),
    (r"\bthere's\b", ["theres"], False),
    (r"\bminutes\b", ["mins"], True),
    (r"\bhours\b", ["hrs"], True),
    (r"\bkilometres\b|\bkilometers\b", ["km"], True),
    (r"\bmotorbike\b", ["motorbike", "moto", "bike"], False),
    (r"\bare\b", ["r", "are"], False),
]


# --------------------------------------------------------------------------------------------
# Variation: Huế dialect
# --------------------------------------------------------------------------------------------

HUE_RULES: list[Rule] = [
    (r"\bbây giờ\b", ["chừ", "bây chừ"], True),
    (r"\bhôm nay\b", ["bữa ni", "hôm ni"], True),
    (r"\bhôm qua\b", ["bữa qua", "bữa hôm qua"], True),
    (r"\bhôm trước\b", ["bữa trước"], True),
    (r"\b(tuần|năm|tháng|sáng|tối|chiều|trưa|đêm) nay\b", [r"\1 ni"], True),
    (r"\bnày\b", ["ni"], True),
    (r"\bđâu\b", ["mô"], True),
    (r"\b(tại sao|vì sao)\b", ["răng", "vì răng"], True),
    (r"\blàm sao\b", ["mần răng", "làm răng"], True),
    (r"\b(như thế nào|thế nào|ra sao)\b", ["răng", "ra răng", "răng rứa"], True),
    (r"\b(vậy|như thế)\b", ["rứa"], True),
    (r"\bkia\b", ["tê"], True),
    (r"\b(chỗ|cái|người|bên|lúc|hồi|ông|bà|nhà|đoạn|khúc|con|thằng) (đó|ấy)\b", [r"\1 nớ"], True),
    (r"\b(hẻm|ngõ)\b", ["kiệt"], True),
    (r"\blàm gì\b", ["mần chi", "làm chi"], True),
    (r"\bgì\b", ["chi"], True),
    (r"\bchúng tôi\b", ["tụi tui", "bọn tui"], False),
    (r"\btôi\b", ["tui"], False),
    (r"\b(bà cụ|cụ bà|bà già)\b", ["mệ"], True),
    (r"\b(ông cụ|cụ ông)\b", ["ôn"], True),
    (r"\bxem\b", ["coi"], False),
    (r"\btrẻ con\b", ["con nít"], False),
    (r"\bnhé\b", ["nghe", "hỉ"], True),
    (r"\bnhỉ\b", ["hỉ"], True),
    (r"\blàm\b(?! ơn)", ["mần", "làm"], True),
    (r"\bthật\b", ["thiệt"], False),
    (r"\brất ((?:\w+ )?\w+)(?=[,.!?]|$)", [r"\1 dữ lắm", r"\1 dễ sợ", r"rất \1"], True),
    (r"\bhả\b", ["hè"], True),
    (r"\bgần đây\b", ["dạo ni", "gần ni"], True),
    (r"\bở đây\b", ["ở ni", "ở đây"], True),
    (r"\b(khi|lúc|nhà|chỗ|hôm|ngày|người) nào\b", [r"\1 mô"], True),
    (r"\bbao giờ\b", ["khi mô", "chừ mô"], True),
    (r"\bmẹ (tôi|tui|em|mình)\b", [r"mạ \1"], True),
    (r"\b(mẹ|mệ) (tôi|tui)\b", [r"\1 tui"], False),
    (r"\bthấy\b", ["thấy", "chộ"], True),
    (r"\bnhanh\b", ["mau"], False),
    (r"\bkhông\?$", ["không rứa?", "khôn?", "hỉ?"], True),
    (r"\b(giúp|giùm|dùm)( với)?([.!]*)$", [r"\1 với nghe\3", r"\1 với hỉ\3", r"\1 nghe\3"], True),
    (r"\bquá\b(?=[,.!?]|$)", ["quá", "quá trời"], False),
]


# --------------------------------------------------------------------------------------------
# Variation: keyboard typos
# --------------------------------------------------------------------------------------------

_ROWS = ["qwertyuiop", "asdfghjkl", "zxcvbnm"]
NEIGHBOURS: dict[str, str] = {}
for _r, _row in enumerate(_ROWS):
    for _i, _ch in enumerate(_row):
        near = []
        if _i > 0:
            near.append(_row[_i - 1])
        if _i < len(_row) - 1:
            near.append(_row[_i + 1])
        for _dr in (-1, 1):
            if 0 <= _r + _dr < len(_ROWS):
                other = _ROWS[_r + _dr]
                for _j in (_i - 1, _i, _i + 1):
                    if 0 <= _j < len(other):
                        near.append(other[_j])
        NEIGHBOURS[_ch] = "".join(sorted(set(near)))


TELEX_TONES = {"\u0301": "s", "\u0300": "f", "\u0309": "r", "\u0303": "x", "\u0323": "j"}


def to_telex(word: str) -> str:
    """The raw Telex keystrokes of a word, as typed when the Vietnamese IME is off: "đường" -> "dduwowngf"."""
    out = []
    tone = ""
    for ch in word:
        if ch in "đĐ":
            out.append("dd" if ch == "đ" else "Dd")
            continue
        decomposed = unicodedata.normalize("NFD", ch)
        base, marks = decomposed[0], decomposed[1:]
        piece = base
        for mark in marks:
            if mark in TELEX_TONES:
                tone = TELEX_TONES[mark]
            elif mark in ("\u0306", "\u031b"):  # breve (ă), horn (ơ, ư)
                piece += "w"
            elif mark == "\u0302":  # circumflex (â, ê, ô)
                piece += base.lower()
        out.append(piece)
    return "".join(out) + tone


def _typo_word(word: str, rng: random.Random, vietnamese: bool) -> str:
    ops = ["swap", "delete", "double", "neighbour"]
    if vietnamese and has_diacritics(word):
        ops += ["lose_accent", "lose_accent", "telex"]
    op = rng.choice(ops)
    chars = list(word)
    if op == "lose_accent":
        return strip_diacritics(word)
    if op == "telex":
        return to_telex(word)
    swappable = [i for i in range(1, len(chars) - 1) if chars[i].isascii() and chars[i + 1].isascii()]
    if op == "swap" and swappable:
        i = rng.choice(swappable)
        chars[i], chars[i + 1] = chars[i + 1], chars[i]
    elif op == "delete" and len(chars) >= 4:
        del chars[rng.randrange(1, len(chars))]
    elif op == "double" and any(c.isascii() for c in chars[1:]):
        i = rng.choice([j for j in range(1, len(chars)) if chars[j].isascii()])
        chars.insert(i, chars[i])
    else:
        ascii_pos = [i for i, c in enumerate(chars) if c.lower() in NEIGHBOURS]
        if ascii_pos:
            i = rng.choice(ascii_pos)
            chars[i] = rng.choice(NEIGHBOURS[chars[i].lower()])
    return "".join(chars)


def add_typos(text: str, rng: random.Random, vietnamese: bool) -> str:
    tokens = text.split(" ")
    candidates = [i for i, t in enumerate(tokens) if len(t) >= 3 and t.isalpha()]
    if not candidates:
        return text
    n = min(len(candidates), 1 + int(rng.random() < 0.5) + int(len(tokens) > 20 and rng.random() < 0.5))
    for i in sorted(rng.sample(candidates, n)):
        tokens[i] = _typo_word(tokens[i], rng, vietnamese)
    # sometimes two words get glued together (missed space bar)
    if len(tokens) > 4 and rng.random() < 0.25:
        j = rng.randrange(len(tokens) - 1)
        if tokens[j].isalpha() and tokens[j + 1].isalpha():
            tokens[j : j + 2] = [tokens[j] + tokens[j + 1]]
    return " ".join(tokens)


# --------------------------------------------------------------------------------------------
# Variant generation
# --------------------------------------------------------------------------------------------

Variant = tuple[str, str]  # (source name, text)


def _no_diacritics(text: str, rng: random.Random) -> str:
    out = strip_diacritics(text)
    if rng.random() < 0.6:
        out = casual_case(out, rng)
    if rng.random() < 0.5:
        out = drop_punct(out, rng)
    return out


def _teencode(text: str, rng: random.Random, ascii_only: bool) -> str | None:
    rules = TEENCODE_VI_ASCII if ascii_only else TEENCODE_VI
    out, changes, _ = apply_rules(text, rules, rng, prob=0.85)
    if changes == 0:
        return None
    if rng.random() < 0.7:
        out = casual_case(out, rng)
    if rng.random() < 0.5:
        out = drop_punct(out, rng)
    return out


HUE_REQUEST = re.compile(r"\b(đề nghị|xin|nhờ|mong|giúp|giùm|dùm)\b", re.IGNORECASE)
HUE_TAIL_REQUEST = [" nghe", " hỉ", " giùm nghe", ", cảm ơn nghe", " giùm tui với hỉ"]
HUE_TAIL_COMPLAINT = [
    ", răng mà chịu nổi",
    ", khổ rứa đó",
    ", chừ mần răng",
    " rứa đó",
    ", ai coi giùm với",
    ", mệt ghê",
    ", nói hoài không ai nghe",
    ", bực mình dễ sợ",
    " đó o ơi",
    ", mấy bữa ni rồi",
]
HUE_TAIL_QUESTION = [" rứa?", " hè?", " hỉ?"]
HUE_TAIL_URGENT = [", mau lên với", ", cứu với", ", mau giùm với", " nghe, gấp lắm"]
HUE_QUESTION = re.compile(
    r"(\?\s*$|\b(không|chưa|ở mô|ở đâu|khi mô|bao giờ|chi|răng|nào)\s*$|\b(cho|xin) hỏi\b|^hỏi\b)",
    re.IGNORECASE,
)


def _hue_tail(text: str, rng: random.Random, urgency: str) -> str:
    """Add a sentence-final Huế particle ("nghe", "hỉ", "rứa") the way people end a message."""
    body = text.rstrip()
    if HUE_QUESTION.search(body) or re.search(r"\bạ\s*\??$", body):
        body = re.sub(r"\s*\bạ\s*(\?)?$", r"\1", body)  # "... ở mô ạ?" -> "... ở mô rứa?"
        return body.rstrip("?").rstrip() + rng.choice(HUE_TAIL_QUESTION)
    m = re.search(r"[.!…]+$", body)
    end = m.group(0) if m else ""
    body = body[: len(body) - len(end)]
    if urgency == "critical":
        tails = HUE_TAIL_URGENT
    elif HUE_REQUEST.search(text):
        tails = HUE_TAIL_REQUEST
    else:
        tails = HUE_TAIL_COMPLAINT
    tail = rng.choice(tails)
    if body.endswith((" giùm", " giúp", " dùm", " với")) and "giùm" in tail:
        tail = " nghe"
    return body + tail + ("" if tail.startswith(",") else end)


def _hue(text: str, rng: random.Random, urgency: str) -> str | None:
    out, _, sig = apply_rules(text, HUE_RULES, rng, prob=0.9)
    if rng.random() < 0.7:  # "vào nhà" -> "vô nhà", but keep the temporal "vào buổi tối"
        out = re.sub(
            r"\bvào\b(?! (buổi|lúc|ngày|tháng|năm|giờ|mùa|tối|sáng|chiều|đêm|trưa|dịp|thứ|khoảng|những|cuối|đầu))",
            "vô",
            out,
        )
    if sig == 0 or rng.random() < 0.25:
        out = _hue_tail(out, rng, urgency)
    if out == text:
        return None
    return out


def _textspeak(text: str, rng: random.Random) -> str | None:
    out, changes, sig = apply_rules(text, TEXTSPEAK_EN, rng, prob=0.85)
    if sig == 0:
        return None
    out = casual_case(out, rng)
    if rng.random() < 0.6:
        out = drop_punct(out, rng)
    return out


def _lower_nopunct(text: str, rng: random.Random) -> str:
    out = drop_punct(text.lower(), rng, keep_question=rng.random() < 0.5)
    return out


def variants_for(base: Base) -> list[Variant]:
    rng = random.Random(f"{SEED}:{base.group}")
    text = base.text
    out: list[Variant] = []

    def maybe(source: str, fn: Callable[[], str | None]) -> None:
        v = fn()
        if v:
            out.append((source, v))

    if base.lang == "en":
        if rng.random() < 0.6:
            maybe("typo", lambda: add_typos(text, rng, vietnamese=False))
        if rng.random() < 0.55:
            ts = _textspeak(text, rng)
            if ts:
                out.append(("textspeak", ts))
            else:
                out.append(("lowercase_nopunct", _lower_nopunct(text, rng)))
        return out

    if not has_diacritics(text):  # Vietnamese typed without accents by its author
        if rng.random() < 0.6:
            maybe("typo", lambda: add_typos(text, rng, vietnamese=True))
        if rng.random() < 0.6:
            maybe("teencode", lambda: _teencode(text, rng, ascii_only=True))
        return out

    # Vietnamese with diacritics
    if rng.random() < 0.9:
        out.append(("no_diacritics", _no_diacritics(text, rng)))
    kinds = ["teencode", "typo"]
    rng.shuffle(kinds)
    # try the Huế variant first more often: it only applies when the text has swappable words
    kinds.insert(0 if rng.random() < 0.4 else 2, "hue_dialect")
    n_extra = 1 + int(rng.random() < 0.6)
    made = 0
    for kind in kinds:
        if made >= n_extra:
            break
        if kind == "teencode":
            v = _teencode(text, rng, ascii_only=False)
            strip_p = 0.35
        elif kind == "hue_dialect":
            v = _hue(text, rng, base.urgency)
            strip_p = 0.3
        elif rng.random() < 0.2:  # typing without accents *and* with typos (no Telex leftovers then)
            v = add_typos(strip_diacritics(text), rng, vietnamese=True)
            if rng.random() < 0.5:
                v = casual_case(v, rng)
            out.append(("typo+no_diacritics", v))
            made += 1
            continue
        else:
            v = add_typos(text, rng, vietnamese=True)
            if rng.random() < 0.3:
                v = casual_case(v, rng)
            strip_p = 0.0
        if not v:
            continue
        if rng.random() < strip_p:
            v = strip_diacritics(v)
            kind = f"{kind}+no_diacritics"
        out.append((kind, v))
        made += 1
    return out


_PLACE = re.compile(r"\b([A-Z][a-z]+(?: [A-Z][a-z]+)+)\b")


def _ascii_words(text: str) -> str:
    return " " + re.sub(r"[\W_]+", " ", strip_diacritics(text).lower()) + " "


def link_translations(bases: list[Base]) -> dict[str, str]:
    """Map every base id to its split group.

    Many English bases were written as translations/paraphrases of a Vietnamese base. They must not
    land on the other side of a train/test split, so an English base joins the group of the
    Vietnamese base with the same category and urgency that shares the most place names with it
    (multi-word names such as "Kim Long", "Dien Bien Phu"; numbers break ties). Deliberately
    over-inclusive: a false link only makes a group larger, a missed one would leak.
    """
    group_of = {b.group: b.group for b in bases}
    vi = [(b, _ascii_words(b.text), set(re.findall(r"\d+", b.text))) for b in bases if b.lang == "vi"]
    for e in bases:
        if e.lang != "en":
            continue
        places = {m.group(1).lower() for m in _PLACE.finditer(e.text)}
        numbers = set(re.findall(r"\d+", e.text))
        best: tuple[float, str] | None = None
        for v, words, v_numbers in vi:
            if v.category != e.category or v.urgency != e.urgency:
                continue
            shared = sum(f" {p} " in words for p in places)
            if not shared:
                continue
            score = shared + 0.5 * len(numbers & v_numbers)
            if best is None or score > best[0]:
                best = (score, v.group)
        if best is not None:
            group_of[e.group] = best[1]
    return group_of


def build_rows(bases: list[Base]) -> list[dict[str, str]]:
    group_of = link_translations(bases)
    rows: list[dict[str, str]] = []
    seen_text: set[str] = set()
    key_owner: dict[str, str] = {}
    # first pass: bases must be unique (also ignoring accents/case/punctuation)
    for b in bases:
        key = norm_key(b.text)
        if key in key_owner:
            raise ValueError(f"near-duplicate base reports: {key_owner[key]} and {b.group}: {b.text!r}")
        key_owner[key] = b.group
    for b in bases:
        items: list[Variant] = [("handwritten", b.text), *variants_for(b)]
        k = 0
        for source, text in items:
            text = re.sub(r"\s+", " ", text).strip()
            if not text or text in seen_text:
                continue
            key = norm_key(text)
            if key_owner.setdefault(key, b.group) != b.group:
                continue
            seen_text.add(text)
            accents = "1" if b.lang == "en" or has_diacritics(text) else "0"
            rows.append(
                {
                    "id": f"{b.group}-{k}",
                    "group": group_of[b.group],
                    "text": text,
                    "category": b.category,
                    "urgency": b.urgency,
                    "lang": b.lang,
                    "accents": accents,
                    "source": source,
                }
            )
            k += 1
    return rows


def render_csv(rows: list[dict[str, str]]) -> bytes:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8")


# --------------------------------------------------------------------------------------------
# Statistics
# --------------------------------------------------------------------------------------------


def stats_markdown(rows: list[dict[str, str]], bases: list[Base]) -> str:
    lines: list[str] = []
    total = len(rows)
    cu = Counter((r["category"], r["urgency"]) for r in rows)
    bcount = Counter(b.category for b in bases)
    n_groups = len({r["group"] for r in rows})
    lines.append(
        f"Rows: **{total}** from **{len(bases)}** hand-written base reports in **{n_groups}** split groups."
    )
    lines.append("")
    lines.append("| category | " + " | ".join(URGENCIES) + " | rows | base reports |")
    lines.append("|---|" + "---:|" * (len(URGENCIES) + 2))
    for c in CATEGORIES:
        cells = [str(cu[(c, u)]) for u in URGENCIES]
        lines.append(
            f"| {c} | " + " | ".join(cells) + f" | {sum(cu[(c, u)] for u in URGENCIES)} | {bcount[c]} |"
        )
    ucount = Counter(r["urgency"] for r in rows)
    lines.append(
        "| **total** | " + " | ".join(str(ucount[u]) for u in URGENCIES) + f" | {total} | {len(bases)} |"
    )
    lines.append("")
    lang = Counter(r["lang"] for r in rows)
    vi = [r for r in rows if r["lang"] == "vi"]
    vi_noacc = sum(r["accents"] == "0" for r in vi)
    blang = Counter(b.lang for b in bases)
    lines.append("| language | rows | share | base reports |")
    lines.append("|---|---:|---:|---:|")
    for lg in LANGS:
        lines.append(f"| {lg} | {lang[lg]} | {lang[lg] / total:.1%} | {blang[lg]} |")
    lines.append("")
    lines.append(
        f"Vietnamese rows without diacritics (`accents=0`): **{vi_noacc}** of {len(vi)} "
        f"(**{vi_noacc / max(len(vi), 1):.1%}**)."
    )
    lines.append("")
    src = Counter(r["source"] for r in rows)
    lines.append("| source | rows | share |")
    lines.append("|---|---:|---:|")
    for s, n in sorted(src.items(), key=lambda kv: (-kv[1], kv[0])):
        lines.append(f"| {s} | {n} | {n / total:.1%} |")
    lines.append("")
    lines.append("| place name (hand-written rows) | reports | categories |")
    lines.append("|---|---:|---:|")
    hand = [r for r in rows if r["source"] == "handwritten"]
    for place in PLACES_FOR_STATS:
        key = norm_key(place)
        hits = [r for r in hand if key in norm_key(r["text"])]
        lines.append(f"| {place} | {len(hits)} | {len({r['category'] for r in hits})} |")
    lines.append("")
    words = sorted(len(r["text"].split()) for r in rows)
    lines.append(f"Text length in words: min {words[0]}, median {words[len(words) // 2]}, max {words[-1]}.")
    return "\n".join(lines) + "\n"


PLACES_FOR_STATS = [
    "Lê Lợi",
    "Hùng Vương",
    "Trần Hưng Đạo",
    "Bà Triệu",
    "Kim Long",
    "Vỹ Dạ",
    "An Cựu",
    "Đông Ba",
    "Trường Tiền",
    "Ngự Bình",
    "Thuận An",
    "Hương Thủy",
]

BEGIN = "<!-- STATS:BEGIN (generated by build_dataset.py --update-card) -->"
END = "<!-- STATS:END -->"


def update_card(stats: str, card: Path = CARD) -> None:
    text = card.read_text(encoding="utf-8")
    if BEGIN not in text or END not in text:
        raise SystemExit(f"{card} has no stats markers")
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    card.write_text(f"{head}{BEGIN}\n{stats}{END}{tail}", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output CSV path")
    parser.add_argument("--stats", action="store_true", help="print distribution tables, do not write")
    parser.add_argument("--update-card", action="store_true", help="write CSV and refresh DATA_CARD.md stats")
    args = parser.parse_args(argv)

    bases = read_bases()
    rows = build_rows(bases)
    if args.stats:
        sys.stdout.write(stats_markdown(rows, bases))
        return 0
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(render_csv(rows))
    if args.update_card:
        update_card(stats_markdown(rows, bases))
    print(f"wrote {len(rows)} rows from {len(bases)} base reports to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

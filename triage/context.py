"""Where a danger word does not describe a danger here and now: past, reported, hypothetical, near miss.

"Hôm qua cháy nhà" (a fire yesterday), "nghe đồn cầu sắp sập" (a rumour that the bridge will
collapse), "nếu cháy thì gọi số nào" (if there is a fire, which number?), "suýt đâm nhau" (nearly
crashed), "thanks for helping after the flood": each names a danger that is not happening now. The
safety rules (``triage.rules``) ask this module, for a matched word, whether its context says so; if
it does, the rule does not force its urgency and the model decides.

Scopes, over the normalised text's clauses and sentences (``NormalizedText.breaks``):

- a *past*, *near-miss* or *hypothetical* marker covers its clause ("hôm qua cây đổ, hôm nay đường
  vẫn ngập": only the fallen tree is past);
- a *reported* marker ("nghe đồn", "tin đồn", "someone posted that") covers the rest of its sentence;
- a *no harm* marker ("may mà không ai bị thương", "luckily nobody was hurt") covers its sentence, but
  only for rules that name harm done to people (an accident, someone hit or hurt: ``about_harm``): "an
  accident in which luckily nobody was hurt" is not an emergency, while a hazard still in place is
  ("dây điện đứt, may chưa ai bị giật" keeps its live wire);
- a *verification* marker ("có thật không", "is it true", "xác minh", "tin giả") covers the whole report:
  it asks whether a danger is real, which is misinformation's business;
- a clause that says the danger is *imminent* ("bất cứ lúc nào", "any moment", "sắp sập") is never
  hypothetical: "có thể đổ bất cứ lúc nào" is a danger now.

Markers are regular expressions over the diacritics-free text (and a few over the accented text,
where the folded word is ambiguous: "sợ" afraid vs "số" number). Computed only for reports where a
rule matched, so the common report pays nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from triage.normalize import NormalizedText


def _words(*alternatives: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\S)(?:" + "|".join(alternatives) + r")(?!\S)")


PAST: Final = _words(
    r"hom (?:qua|kia|truoc)", r"bua (?:truoc|qua|hom)", r"(?:dem|toi|sang|chieu|trua) (?:qua|hom qua)",
    r"(?:tuan|thang|nam) (?:truoc|roi|ngoai)", r"nam ngoai", r"truoc day", r"da tung", r"tung bi",
    r"cach day (?:\w+ ){1,2}(?:ngay|tuan|thang|nam)", r"(?:dot|tran|con|mua) (?:lu|bao|mua|lut) (?:\w+ )?(?:vua qua|vua roi|truoc|nam ngoai|nam roi)",
    r"hoi (?:nam|truoc|do|xua)", r"nam \d{4}",
    r"da (?:duoc )?(?:dap tat|khac phuc|xu ly xong|sua xong|cuu|giai cuu|don xong|dua di cap cuu)",
    r"cam on (?:\w+ ){0,8}(?:da|vi da|vi)", r"yesterday", r"last (?:night|week|month|year|time|summer|winter)",
    r"\w+ ago", r"previously", r"used to", r"in the past", r"back in", r"earlier this (?:week|month|year)",
    r"was (?:put out|extinguished|rescued|fixed|repaired)", r"were (?:rescued|evacuated)",
    r"(?:has|have) been (?:fixed|repaired|put out|cleared|rescued)",
    r"thanks? (?:you )?(?:so much )?for (?:the |your |all )?(?:help|helping|rescuing|fixing|support|saving|evacuating|quick response|responding)",
    r"grateful",
)  # fmt: skip
NEAR_MISS: Final = _words(r"suyt", r"suyt nua", r"xiu nua", r"almost", r"nearly", r"narrowly")
HYPOTHETICAL: Final = _words(
    r"neu", r"lo nhu", r"lo may", r"nho nhu", r"nho may", r"ngo nhu", r"gia su", r"phong khi",
    r"de phong", r"phong ngua", r"phong chong", r"nguy co", r"co nguy co", r"lam sao de", r"lam the nao",
    r"phai lam gi", r"lam gi khi", r"dien tap", r"tap huan", r"if", r"in case", r"what if", r"suppose",
    r"how (?:to|do|can|should)", r"what should", r"risk of", r"drill", r"is there (?:a|any)",
    r"where (?:can|do|should) (?:i|we)", r"do (?:i|we) need", r"prevent", r"prevention",
)  # fmt: skip
HYPOTHETICAL_ACCENTED: Final = _words(r"sợ", r"e rằng", r"lo rằng", r"lỡ", r"nhỡ")
REPORTED: Final = _words(
    r"nghe (?:noi|don|bao|ke|dau)", r"tin don", r"don (?:rang|la|thoi|nhau)",
    r"nguoi ta (?:don|noi|bao) (?:rang|la)", r"co tin (?:rang|la|noi|bao)", r"lan truyen",
    r"(?:facebook|phay buc|zalo|tiktok|youtube|mang|mang xa hoi|clip|video|bai dang|bai viet|tin nhan) (?:\w+ ){0,4}(?:noi|bao|dua tin|cho rang|rang|tuyen bo|canh bao)",
    r"rumou?rs?", r"heard (?:that|people|someone)", r"people (?:are )?saying", r"(?:someone|somebody) (?:posted|says|said|claims)",
    r"(?:post|posts|video|clip|message|article)s? (?:\w+ ){0,3}(?:says?|saying|claims?|claiming|warns?|warning)",
    r"going around", r"dang tin", r"bia (?:chuyen|dat|ra)", r"cau view", r"boi nho", r"made up",
)  # fmt: skip
VERIFICATION: Final = _words(
    r"co (?:that|dung|thiet) (?:khong|la|vay|ko)", r"thiet hay gia", r"that hay gia", r"xac minh", r"kiem chung",
    r"tin gia", r"sai su that", r"bac bo", r"cai chinh", r"fake news", r"is (?:it|this|that) true",
    r"verify", r"hoax", r"misinformation",
)  # fmt: skip
NO_HARM: Final = _words(
    r"may (?:ma |la |qua |sao )?(?:khong|chua) (?:co )?(?:ai |nguoi nao )?(?:bi )?(?:sao|gi|chi|thuong|thuong vong|nguy hiem)",
    r"(?:khong|chua) (?:co )?(?:ai|nguoi nao) (?:bi )?(?:thuong|sao|gi|chi)", r"khong (?:co )?thuong vong",
    r"(?:luckily|fortunately|thankfully) (?:no one|nobody|noone|none|everyone)",
    r"(?:no one|nobody|noone) (?:was |got |is |has been )?(?:hurt|injured|harmed)", r"no (?:injuries|casualties)",
)  # fmt: skip
IMMINENT: Final = _words(
    r"bat (?:cu|ky) (?:luc|khi) nao", r"any (?:moment|minute|second|time now)", r"sap (?:do|sap|roi|rot|gay|nga|sup)",
    r"chuc (?:do|sap|roi|gay)", r"about to", r"toi noi", r"right now", r"ngay bay gio", r"dang (?:chay|do|sap|lan)",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Context:
    """Per token of one report: is it inside a past, near-miss, hypothetical or reported scope?"""

    not_present: tuple[bool, ...]
    hypothetical_only: tuple[bool, ...]  # the scope is only hypothetical (risk rules still read it)
    no_harm: tuple[bool, ...] = ()  # the sentence says nobody was hurt (rules about harm only)

    def silences(self, token: int, *, reads_risk: bool, about_harm: bool = False) -> bool:
        if about_harm and token < len(self.no_harm) and self.no_harm[token]:
            return True
        if token >= len(self.not_present) or not self.not_present[token]:
            return False
        return not (reads_risk and self.hypothetical_only[token])


def _spans(breaks: tuple[int, ...], extra: list[int], count: int) -> list[tuple[int, int]]:
    cuts = sorted({0, count, *breaks, *extra})
    return [(start, end) for start, end in zip(cuts, cuts[1:], strict=False) if start < end]


def _hits(pattern: re.Pattern[str], text: str) -> list[int]:
    """Token positions where ``pattern`` matches in a space-joined text."""
    return [text.count(" ", 0, match.start()) for match in pattern.finditer(text)]


def read_context(text: NormalizedText) -> Context:
    """The scopes of one normalised report (see the module docstring)."""
    folded_words = text.folded.split(" ") if text.folded else []
    count = len(folded_words)
    ends = [i + 1 for i, word in enumerate(folded_words) if word in ("!", "?")]
    clauses = _spans(text.breaks, ends, count)
    sentences = _spans(text.sentence_breaks, ends, count)
    past = [False] * count
    hypothetical = [False] * count
    reported = [False] * count
    if VERIFICATION.search(text.folded):
        reported = [True] * count
    else:
        for position in _hits(REPORTED, text.folded):
            for start, end in sentences:
                if start <= position < end:
                    reported[position:end] = [True] * (end - position)
    no_harm = [False] * count
    for position in _hits(NO_HARM, text.folded):
        for start, end in sentences:
            if start <= position < end:
                no_harm[start:end] = [True] * (end - start)
    past_hits = _hits(PAST, text.folded) + _hits(NEAR_MISS, text.folded)
    hypothetical_hits = _hits(HYPOTHETICAL, text.folded) + _hits(HYPOTHETICAL_ACCENTED, text.accented)
    for start, end in clauses:
        clause = " ".join(folded_words[start:end])
        if any(start <= hit < end for hit in past_hits):
            past[start:end] = [True] * (end - start)
        if any(start <= hit < end for hit in hypothetical_hits) and not IMMINENT.search(clause):
            hypothetical[start:end] = [True] * (end - start)
    not_present = tuple(p or h or r for p, h, r in zip(past, hypothetical, reported, strict=True))
    only_hypothetical = tuple(h and not (p or r) for p, h, r in zip(past, hypothetical, reported, strict=True))
    return Context(not_present=not_present, hypothetical_only=only_hypothetical, no_harm=tuple(no_harm))

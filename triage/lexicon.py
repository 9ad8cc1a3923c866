"""A small bilingual concept lexicon: Vietnamese and English words for the same thing share a feature.

With a few thousand training reports, "garbage" in an English report and "rác" in a Vietnamese one
would otherwise be unrelated features, and each language would only learn from its own examples.
Every phrase below adds a concept token (``#garbage``) to the report's word features, so what the
model learns about one language carries over to the other (and to unseen synonyms listed here).

Written from the taxonomy (DESIGN.md), not from the evaluation data. Phrases are diacritics-free,
over the normalised text (teencode expanded, places masked); longer phrases win over shorter ones.
Avoid words that are ambiguous once folded ("cay" is cây/cay, "lua" is lửa/lúa/lừa).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from triage.lexicon_domains import DOMAIN_CONCEPTS

LEXICON_VERSION: Final = 3

CONCEPTS: Final[dict[str, tuple[str, ...]]] = {
    "garbage": (
        "do trom", "rac", "rac thai", "bai rac", "do rac", "vut rac", "xa rac", "thung rac", "xe rac", "thu gom rac",
        "phe thai", "xa ban", "dong rac", "tui rac", "garbage", "trash", "rubbish", "litter",
        "waste", "bin", "bins", "dumping", "dumped", "bulky", "junk", "debris", "collection",
    ),
    "smell": (
        "boc mui", "mui hoi", "hoi thoi", "thoi", "mui", "tanh", "smell", "smells", "smelly",
        "stink", "stinks", "stench", "odor", "odour",
    ),
    "pollution": (
        "khoi", "bui", "o nhiem", "dot rac", "khi thai", "nuoc thai", "hoa chat", "dau loang",
        "smoke", "dust", "dusty", "pollution", "polluted", "burning", "fumes", "chemical", "sewage",
        "wastewater", "oil spill",
    ),
    "dead_animal": ("xac", "ca chet", "chuot chet", "dead fish", "dead rat", "dead dog", "dead cat", "carcass"),
    "pothole": (
        "o ga", "o voi", "ho sau", "ho to", "lom", "lun", "sut lun", "sut luon", "nut", "nut ne", "bong troc",
        "pothole", "potholes", "hole", "holes", "crack", "cracked", "cracks", "sinking",
    ),
    "road": (
        "mat duong", "duong", "nhua", "be tong", "via he", "le duong", "road", "roads", "street",
        "roadway", "asphalt", "pavement", "sidewalk", "sidewalks", "curb", "bridge",
    ),
    "traffic_signal": (
        "den giao thong", "den tin hieu", "den do", "den xanh", "den vang", "traffic light", "traffic lights",
        "traffic signal", "signal", "signals",
    ),
    "road_sign": (
        "bien bao", "bien cam", "bien chi dan", "vach ke", "son ke", "vach son", "vach qua duong",
        "guong cau loi", "go giam toc", "sign", "signs", "signage", "marking", "markings", "crosswalk",
        "zebra", "stop sign", "speed bump", "mirror",
    ),
    "congestion": (
        "ket xe", "tac duong", "un tac", "tac nghen", "ket cung", "traffic jam", "congestion", "gridlock",
        "traffic", "backed up",
    ),
    "parking": (
        "dau xe", "do xe", "dau do", "giu xe", "bai xe", "parking", "parked", "park illegally",
        "double parked", "tow",
    ),
    "vehicles": (
        "xe may", "o to", "xe tai", "xe khach", "xe buyt", "xe container", "xe ben", "xe", "car", "cars",
        "truck", "trucks", "bus", "motorbike", "motorbikes", "scooter", "vehicle", "vehicles",
    ),
    "reckless_driving": (
        "dua xe", "phong nhanh", "vuot den do", "lang lach", "boc dau", "chay nguoc chieu", "nguoc chieu",
        "speeding", "racing", "red light", "wrong way", "reckless",
    ),
    "street_light": (
        "den duong", "den chieu sang", "bong den", "cot den", "den cao ap", "toi om", "toi thui",
        "khong sang", "chap chon", "nhap nhay", "streetlight", "streetlights", "street light",
        "street lights", "lamp", "lamps", "lamppost", "light", "lights", "dark", "bulb", "flickering",
    ),
    "flood": (
        "ngap", "ngap ung", "ngap nuoc", "nuoc dong", "lut", "lu", "nuoc len", "trieu cuong", "flood",
        "flooded", "flooding", "floods", "waterlogged", "standing water", "puddle", "puddles", "inundated",
    ),
    "drain": (
        "ranh", "muong", "thoat nuoc", "cong thoat nuoc", "nap cong", "ho ga", "tac cong",
        "khong thoat", "nao vet", "drain", "drains", "drainage", "gutter", "gutters", "sewer", "sewers",
        "storm drain", "culvert", "clogged", "blocked", "manhole",
    ),
    "encroachment": (
        "lan chiem", "lan chiem via he", "buon ban", "hang rong", "ban hang", "bay ban", "quan an",
        "quan nhau", "ban ghe", "che bat", "mai hien", "encroach", "encroaching", "encroachment", "vendor",
        "vendors", "stall", "stalls", "blocking the sidewalk", "tables and chairs",
    ),
    "illegal_construction": (
        "xay dung", "xay dung trai phep", "xay trai phep", "trai phep", "khong phep", "coi noi",
        "cong trinh", "vat lieu xay dung", "construction", "illegal construction", "without permit",
        "building materials", "extension",
    ),
    "advertising": (
        "quang cao", "to roi", "dan to roi", "bang ron", "rao vat", "khoan cat be tong", "ve bay", "bien hieu",
        "flyer", "flyers", "poster", "posters", "billboard", "billboards", "advertising", "advert", "ads",
        "graffiti", "banner", "banners", "sticker", "stickers",
    ),
    "tree": (
        "cay xanh", "canh cay", "nhanh cay", "goc cay", "cay co thu", "cay", "cat tia", "tia canh", "la cay",
        "re cay", "tree", "trees", "branch", "branches", "pruning", "prune", "trim", "trimming", "overgrown",
        "vegetation", "bushes", "roots", "leaves",
    ),
    "park": (
        "cong vien", "vuon hoa", "ghe da", "xich du", "cau truot", "san choi", "dung cu the duc", "bai co",
        "co dai", "park", "parks", "playground", "bench", "benches", "swing", "swings", "slide", "grass",
        "field", "lawn",
    ),
    "water_supply": (
        "nuoc may", "mat nuoc", "cup nuoc", "nuoc yeu", "nuoc duc", "nuoc ban", "ong nuoc", "vo ong",
        "be ong", "ro ri nuoc", "dong ho nuoc", "tien nuoc", "hoa don nuoc", "nuoc sach", "co mui clo",
        "tap water", "water supply", "no water", "water pressure", "pipe", "pipes", "burst", "water main",
        "leak", "leaking", "dirty water", "water bill", "faucet",
    ),
    "power": (
        "dien", "mat dien", "cup dien", "dien yeu", "tram bien ap", "may bien ap", "cot dien", "day dien",
        "cong to", "cong to dien", "tien dien", "hoa don dien", "dien luc", "power outage", "blackout",
        "no power", "electricity", "electric", "power", "power cut", "transformer", "voltage", "power line",
        "utility pole", "pole", "wire", "wires", "cable", "cables", "outage",
    ),
    "crime": (
        "tu tap", "con do", "bao ke", "tin dung den", "ham doa", "de doa", "say xin", "say ruou", "gay roi", "chem nhau", "threat", "threatened", "threatening", "harass", "harassment", "drunk", "gang", "vandalism", "camera an ninh",
        "trom", "an trom", "cuop", "giat", "ma tuy", "nghien", "danh nhau", "cuop giat", "co bac", "danh bac",
        "chem", "doi no", "xiet no", "cong an", "trom cap", "ke gian", "thieves", "thief", "theft",
        "stolen", "steal", "robbery", "robbed", "drugs", "drug", "gambling", "burglary", "burglar",
        "police", "fight", "fighting", "suspicious",
    ),
    "fire": (
        "boc chay", "cuu hoa", "pccc", "fire", "burning", "flames", "lua lan", "chay lan", "khoi mu mit", "chua chay", "dam chay", "chay nha", "chay xuong", "chay rung", "chay co", "xe cuu hoa", "blaze", "burnt", "firefighters", "fire truck", "smoke coming",
    ),
    "noise": (
        "on qua", "qua on", "on ao", "tieng on", "karaoke", "hat karaoke", "loa", "loa keo", "nhac", "am thanh", "am i",
        "inh oi", "khoan", "keu", "noise", "noisy", "loud", "music", "speaker",
        "speakers", "barking", "bar", "club", "all night", "drilling", "hammering",
    ),
    "health": (
        "dich benh", "bung dich", "o dich", "muoi can", "diet muoi", "phun thuoc", "nhieu muoi", "benh", "sot", "sot xuat huyet", "tay chan mieng", "cum", "covid", "lay nhiem",
        "lang quang", "thuc pham", "ve sinh an toan thuc pham", "benh vien", "tram y te", "y te",
        "vaccine", "tieu chay", "sick", "ill", "illness", "disease", "outbreak", "fever",
        "dengue", "mosquito", "mosquitoes", "infection", "infected", "hospital", "clinic", "medicine",
        "vomiting", "diarrhea", "food", "expired", "doctor",
    ),
    "misinformation": (
        "tin gia", "tin don", "lan truyen", "mang xa hoi", "facebook", "zalo", "tiktok", "gia mao",
        "mao danh", "lua dao", "tin nhan", "link", "chia se", "xac minh", "sai su that", "bai dang", "video",
        "clip", "nguoi gia danh", "nguoi gia mao", "fake", "fake news", "rumor", "rumors", "rumour", "rumours", "hoax", "viral", "scam",
        "impersonating", "impersonation", "posted", "online", "verify", "true", "claims", "message",
    ),
    "public_services": (
        "thu tuc", "ho so", "giay to", "cap phep", "so do", "dang ky", "can cuoc", "cccd", "dich vu cong",
        "mot cua", "ubnd", "can bo", "nhan vien", "thai do", "cham tre", "giay phep", "xac nhan", "chung thuc",
        "khai sinh", "ho khau", "procedure", "procedures", "paperwork", "permit", "application", "office",
        "staff", "rude", "certificate", "registration", "id card", "portal", "website", "appointment",
        "document", "documents", "form",
    ),
    "gratitude_or_question": (
        "cam on", "xin hoi", "cho hoi", "gop y", "de xuat", "kien nghi", "thac mac", "nen", "co the",
        "thank", "thanks", "suggest", "suggestion", "question", "wondering", "could", "would", "idea",
        "please consider", "how", "when",
    ),
    "danger": (
        "nguy hiem", "nguy co", "de te", "suyt", "mat an toan", "dangerous", "danger", "hazard", "hazardous",
        "unsafe", "risk",
    ),
    "urgent": (
        "khan cap", "ngay lap tuc", "cuu", "cuu voi", "help", "urgent", "urgently", "emergency",
        "immediately", "now", "right now",
    ),
    "many_people": (
        "nhieu nguoi", "ca khu", "ca xom", "ca to", "hang tram", "hang chuc", "ca phuong", "nhieu ho",
        "everyone", "many people", "whole", "neighborhood", "neighbourhood", "hundreds", "dozens",
    ),
    "long_time": (
        "nhieu ngay", "ca tuan", "ca thang", "lau roi", "nhieu thang", "may ngay", "nhieu lan", "van chua",
        "weeks", "months", "days", "still", "again", "repeatedly",
    ),
    "vulnerable": (
        "tre em", "hoc sinh", "tre nho", "em be", "nguoi gia", "cu gia", "truong hoc", "children", "kids",
        "child", "students", "school", "elderly",
    ),
    "injury": ("bi thuong", "te nga", "nga", "injured", "hurt", "fell", "fall", "wounded"),
    "cosmetic": ("xau", "mat my quan", "bac mau", "ugly", "faded", "old", "dirty", "minor", "small"),
    "rescue": (
        "cuu ho", "cuu nan", "mac ket", "lat thuyen", "chim thuyen", "duoi nuoc", "capsized", "sank", "sinking boat", "rescue", "trapped", "drowning", "boat", "thuyen",
    ),
    "animals": (
        "cho hoang", "cho tha rong", "ran", "to chim", "chim", "ong vo ve", "python", "snake", "stray dog", "stray dogs", "bird", "birds", "nest", "monkey", "monkeys", "animal", "animals",
    ),
    "tourism": (
        "du lich", "khach du lich", "tour", "gia ve", "chat chem", "taxi", "xich lo", "homestay", "khach san", "tourist", "tourists", "hotel", "ticket", "tickets", "overcharged", "price", "prices", "meter",
    ),
    "public_facility": (
        "nha ve sinh cong cong", "nha ve sinh", "wifi", "nha cho xe buyt", "tram xe buyt", "bus stop", "public toilet", "restroom", "toilet", "toilets", "bench shelter",
    ),
}  # fmt: skip

# Phrases that contain a concept's word but mean something else: they take their words and add nothing
# ("dien thoai" is a phone, not #power; "tai khoan" is an account, not drilling noise).
NEUTRAL_PHRASES: Final[tuple[str, ...]] = (
    "dien thoai", "so dien thoai", "goi dien", "dai dien", "dien tich", "dien tu", "dien dan", "dien vien",
    "tai khoan", "o ga tau", "mot cua hang", "khong sang ten", "co bac mau", "can bo sung",
)  # fmt: skip


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
# The detailed, per-category concepts (``triage.lexicon_domains``) are matched in a second, independent
# pass: a long detailed phrase ("tram bien ap phat no") must not hide the broad concept ("#power") of
# the words it covers, and the broad concepts keep exactly the meaning earlier models learnt.
_DOMAIN_INDEX: Final = build_index(DOMAIN_CONCEPTS)


def concept_tokens(normalized: str) -> list[str]:
    """The ``#concept`` tokens of a diacritics-free normalised text (broad concepts, then detailed ones)."""
    words = normalized.split()
    return match_concepts(_BASE_INDEX, words) + match_concepts(_DOMAIN_INDEX, words)

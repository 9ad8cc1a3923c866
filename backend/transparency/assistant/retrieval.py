"""Finding the FAQ, guidance, notice or fact check that answers a citizen's question.

TF-IDF (scikit-learn, fitted in process on the city's own published texts: nothing is downloaded)
over word unigrams and bigrams of the folded text, so "xet nghiem o dau" finds "Xét nghiệm ở đâu?".
A document is its title (twice: the question is what people echo) plus its body. The index is rebuilt
when any published text changes (its fingerprint is the rows' count and newest update), so an admin's
new FAQ is answerable on the next question.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, Max
from django.utils import timezone

from backend.core.folding import fold
from backend.factchecks.models import FactCheck
from backend.factchecks.selectors import public_factchecks
from backend.notices.models import Notice
from backend.notices.selectors import public_notices

# Words that say nothing about the topic (folded Vietnamese and English question words).
STOP_WORDS = frozenset(
    ["toi", "minh", "em", "anh", "chi", "ban", "la", "co", "khong", "ko", "k", "gi", "nao", "o", "dau", "the", "thi", "va", "voi", "cho", "cua", "nhu", "nay", "do", "duoc", "bi", "a", "ah", "nhe", "vay", "sao", "lam", "hoi", "xin", "cam", "on", "oi", "ve", "khi", "nhung", "cac", "mot", "nhieu", "can", "muon", "biet", "hay", "di", "den", "tai", "i", "me", "my", "we", "you", "the", "a", "an", "is", "are", "was", "be", "to", "of", "in", "on", "at", "for", "and", "or", "do", "does", "can", "how", "what", "where", "when", "who", "which", "why", "please", "tell", "about", "it", "this", "that", "there", "with"]
)


@dataclass(frozen=True)
class Document:
    kind: str  # "faq", "guidance", "notice" or "factcheck"
    id: int
    title_vi: str
    title_en: str
    body_vi: str
    body_en: str
    verdict: str = ""


@dataclass(frozen=True)
class Hit:
    document: Document
    score: float


class Index:
    def __init__(self, documents: list[Document]) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer  # lazy: only the assistant needs it

        self.documents = documents
        self.vectorizer: Any = None
        self.matrix: Any = None
        texts = [self._text(d) for d in documents]
        if any(t.strip() for t in texts):
            self.vectorizer = TfidfVectorizer(
                analyzer="word", ngram_range=(1, 2), sublinear_tf=True, stop_words=list(STOP_WORDS),
                token_pattern=r"(?u)\b\w+\b",
            )
            self.matrix = self.vectorizer.fit_transform(texts)

    @staticmethod
    def _text(d: Document) -> str:
        return fold(" ".join([d.title_vi, d.title_vi, d.title_en, d.title_en, d.body_vi, d.body_en]))

    def search(self, query: str, *, limit: int = 3) -> list[Hit]:
        if self.vectorizer is None:
            return []
        vector = self.vectorizer.transform([fold(query)])
        if vector.nnz == 0:
            return []
        scores = (self.matrix @ vector.T).toarray().ravel()  # rows are L2-normalised: cosine similarity
        order = scores.argsort()[::-1][:limit]
        return [Hit(self.documents[i], float(scores[i])) for i in order if scores[i] > 0]


def _documents(now: datetime) -> list[Document]:
    docs = [
        Document(n.kind, n.pk, n.title_vi, n.title_en, n.body_vi, n.body_en) for n in public_notices(now=now)
    ]
    docs += [
        Document("factcheck", f.pk, f.claim_vi, f.claim_en, f.explanation_vi, f.explanation_en, verdict=f.verdict)
        for f in public_factchecks()
    ]
    return docs


def _fingerprint(now: datetime) -> tuple[Any, ...]:
    notices = Notice.objects.aggregate(n=Count("id"), t=Max("updated_at"), e=Max("expires_at"))
    facts = FactCheck.objects.aggregate(n=Count("id"), t=Max("updated_at"))
    # Expiry passing changes what is published without changing a row: count the live notices too.
    live = public_notices(now=now).count()
    return notices["n"], notices["t"], notices["e"], facts["n"], facts["t"], live


_lock = threading.Lock()
_cached: tuple[tuple[Any, ...], Index] | None = None


def index() -> Index:
    global _cached
    now = timezone.now()
    key = _fingerprint(now)
    cached = _cached
    if cached is not None and cached[0] == key:
        return cached[1]
    with _lock:
        if _cached is None or _cached[0] != key:
            _cached = (key, Index(_documents(now)))
        return _cached[1]

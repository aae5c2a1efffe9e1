"""Typo-tolerant service search over names, aliases and need tags."""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz, process

from core.text import fold, word_grams
from services_catalog.schemas import Need, Service

EXACT = 100.0
FUZZY_CUTOFF = 84.0
GUESS_CUTOFF = 75.0  # good enough to ask "did you mean …?", not to answer
NEED_WEIGHT = 0.9
SHORTEST_FUZZY_TERM = 5
# "dagsenterplass", "trygghetsalarmene": a name that opens a longer compound word.
COMPOUND_SCORE = 90.0
SHORTEST_COMPOUND_HEAD = 6
LONGEST_COMPOUND_TAIL = 8


@dataclass(frozen=True)
class ServiceHit:
    """A service that matches a query, with how well (0-100) and on which name."""

    service: Service
    score: float
    matched: str


@dataclass(frozen=True)
class _Term:
    text: str
    compact: str
    slugs: tuple[str, ...]
    label: str
    weight: float


# How bokmål parts of service names are spelt in nynorsk (folded), so "tryggleiksalarm",
# "heimesjukepleie" and "korttidsopphald" find their service as well as the bokmål names do.
NYNORSK_SPELLINGS = (
    ("trygghet", "tryggleik"),
    ("hjemme", "heime"),
    ("hjem", "heim"),
    ("syke", "sjuke"),
    ("opphold", "opphald"),
)


def nynorsk_spelling(folded: str) -> str:
    """The nynorsk spelling of a folded bokmål name (the same when nothing differs)."""
    for bokmal, nynorsk in NYNORSK_SPELLINGS:
        folded = folded.replace(bokmal, nynorsk)
    return folded


def _terms(services: tuple[Service, ...], needs: tuple[Need, ...]) -> list[_Term]:
    terms: list[_Term] = []
    for service in services:
        names = [service.name, *service.aliases, service.slug.replace("-", " ")]
        if service.name_en:
            names.append(service.name_en)
        for name in dict.fromkeys(names):
            for folded in dict.fromkeys((fold(name), nynorsk_spelling(fold(name)))):
                if folded:
                    terms.append(_Term(folded, folded.replace(" ", ""), (service.slug,), name, 1.0))
    for need in needs:
        slugs = tuple(s.slug for s in services if need.slug in s.needs)
        folded = fold(need.name)
        if slugs and folded:
            terms.append(_Term(folded, folded.replace(" ", ""), slugs, need.name, NEED_WEIGHT))
    return terms


class ServiceSearch:
    """Finds services by name, alias or need, forgiving typos and split words."""

    def __init__(self, services: tuple[Service, ...], needs: tuple[Need, ...]) -> None:
        self._services = {service.slug: service for service in services}
        self._terms = _terms(services, needs)
        self._by_text = {term.text: term for term in self._terms}
        self._fuzzy = [term for term in self._terms if len(term.compact) >= SHORTEST_FUZZY_TERM]
        self._fuzzy_keys = [term.compact for term in self._fuzzy]
        heads = [term for term in self._terms if len(term.compact) >= SHORTEST_COMPOUND_HEAD]
        self._heads = sorted(heads, key=lambda term: -len(term.compact))

    def _compound_head(self, compact: str) -> _Term | None:
        """The longest name that `compact` starts with, followed by a short tail."""
        for term in self._heads:
            tail = len(compact) - len(term.compact)
            if 0 < tail <= LONGEST_COMPOUND_TAIL and compact.startswith(term.compact):
                return term
        return None

    def _score_gram(self, gram: str, cutoff: float) -> tuple[_Term, float] | None:
        exact = self._by_text.get(gram)
        if exact is not None:
            return exact, EXACT
        compact = gram.replace(" ", "")
        if len(compact) < SHORTEST_FUZZY_TERM:
            return None
        found = process.extractOne(
            compact, self._fuzzy_keys, scorer=fuzz.ratio, score_cutoff=cutoff
        )
        if found is not None and found[1] >= COMPOUND_SCORE:
            return self._fuzzy[found[2]], float(found[1])
        head = self._compound_head(compact)
        if head is not None:
            return head, COMPOUND_SCORE
        if found is None:
            return None
        return self._fuzzy[found[2]], float(found[1])

    def search(
        self, query: str, cutoff: float = FUZZY_CUTOFF, with_needs: bool = True
    ) -> list[ServiceHit]:
        """Services named in `query` (or answering a need it names), best first."""
        best: dict[str, ServiceHit] = {}
        for _, _, gram in word_grams(fold(query).split()):
            scored = self._score_gram(gram, cutoff)
            if scored is None:
                continue
            term, score = scored
            if term.weight != 1.0 and not with_needs:
                continue
            weighted = score * term.weight
            for slug in term.slugs:
                current = best.get(slug)
                if current is None or weighted > current.score:
                    best[slug] = ServiceHit(self._services[slug], weighted, term.label)
        return sorted(best.values(), key=lambda hit: (-hit.score, hit.service.slug))

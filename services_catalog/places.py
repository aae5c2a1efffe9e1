"""Resolve a place a person names ("Holmlia", "bydel Alna", "på Torshov") to a district."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from rapidfuzz import fuzz, process

from core.text import fold, word_grams
from services_catalog.schemas import District

FUZZY_CUTOFF = 88.0
SHORTEST_FUZZY_NAME = 5
# Words that open a place name in a sentence: "bor på Bøler", "i bydel Alna", "near Røa".
PLACE_MARKERS = frozenset(
    {"pa", "i", "fra", "ved", "naer", "til", "rundt", "bydel", "in", "at", "near"}
)
# Neighbourhoods that are also everyday words; in a sentence they need a marker before them.
EVERYDAY_WORDS = frozenset(
    {
        "voksen",
        "stig",
        "berg",
        "hoff",
        "sogn",
        "ila",
        "bryn",
        "ulven",
        "kampen",
        "hasle",
        "saeter",
        "disen",
        "rommen",
        "storo",
        "gimle",
        "ljan",
        "sinsen",
        "fossum",
        "rustad",
        "bestum",
    }
)


class PlaceStatus(StrEnum):
    found = "found"
    ambiguous = "ambiguous"
    not_found = "not_found"


@dataclass(frozen=True)
class PlaceMatch:
    """The outcome: one district, several candidates to ask between, or none."""

    status: PlaceStatus
    districts: tuple[District, ...]
    matched: str | None = None
    score: float = 0.0


@dataclass(frozen=True)
class _Name:
    folded: str
    label: str
    district_slugs: tuple[str, ...]
    is_district: bool


NOT_FOUND = PlaceMatch(PlaceStatus.not_found, ())


class PlaceResolver:
    """A gazetteer of district and neighbourhood names, exact first, then typo-tolerant."""

    def __init__(
        self, districts: tuple[District, ...], ambiguous: dict[str, tuple[str, ...]]
    ) -> None:
        self._districts = {district.slug: district for district in districts}
        names: dict[str, _Name] = {}
        for district in districts:
            for label in (district.name, *district.neighbourhoods):
                folded = fold(label)
                slugs = ambiguous.get(label, (district.slug,))
                is_district = label == district.name
                if folded not in names or is_district:
                    names[folded] = _Name(folded, label, tuple(slugs), is_district)
        for label, slugs in ambiguous.items():
            names[fold(label)] = _Name(fold(label), label, tuple(slugs), False)
        self._names = names
        self._fuzzy = [name for name in names.values() if len(name.folded) >= SHORTEST_FUZZY_NAME]
        self._fuzzy_keys = [name.folded for name in self._fuzzy]

    def _match(self, name: _Name, score: float) -> PlaceMatch:
        districts = tuple(self._districts[slug] for slug in name.district_slugs)
        status = PlaceStatus.found if len(districts) == 1 else PlaceStatus.ambiguous
        return PlaceMatch(status, districts, name.label, score)

    def _lookup(self, folded: str) -> tuple[_Name, float] | None:
        exact = self._names.get(folded)
        if exact is not None:
            return exact, 100.0
        if len(folded) < SHORTEST_FUZZY_NAME:
            return None
        found = process.extractOne(
            folded, self._fuzzy_keys, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF
        )
        if found is None:
            return None
        return self._fuzzy[found[2]], float(found[1])

    def resolve(self, place: str) -> PlaceMatch:
        """A place name given on its own, e.g. in a form field or the API."""
        folded = fold(place)
        if folded.startswith("bydel "):
            folded = folded.removeprefix("bydel ")
        found = self._lookup(folded)
        if found is None:
            return self.find_in_text(place)
        return self._match(*found)

    def find_in_text(self, text: str) -> PlaceMatch:
        """The place a sentence names, e.g. "mor bor på Grefsen".

        Exact names beat typo matches; a longer name beats one inside it ("Søndre
        Nordstrand" is not "Nordstrand"); two different places make it ambiguous.
        """
        words = fold(text).split()
        found: list[_Found] = []
        for start, end, gram in word_grams(words):
            hit = self._lookup(gram)
            if hit is None:
                continue
            marked = start > 0 and words[start - 1] in PLACE_MARKERS
            whole = start == 0 and end == len(words)
            if gram in EVERYDAY_WORDS and not (marked or whole):
                continue
            found.append(_Found(start, end, *hit))
        if not found:
            return NOT_FOUND
        best_score = max(item.score for item in found)
        best = [item for item in found if item.score == best_score]
        outer = [item for item in best if not any(other.contains(item) for other in best)]
        slugs = sorted({slug for item in outer for slug in item.name.district_slugs})
        if len(slugs) == 1 or len(outer) == 1:
            return self._match(outer[0].name, best_score)
        districts = tuple(self._districts[slug] for slug in slugs)
        return PlaceMatch(PlaceStatus.ambiguous, districts, outer[0].name.label, best_score)


@dataclass(frozen=True)
class _Found:
    start: int
    end: int
    name: _Name
    score: float

    def contains(self, other: _Found) -> bool:
        return self != other and self.start <= other.start and other.end <= self.end

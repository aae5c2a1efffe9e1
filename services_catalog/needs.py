"""Find the needs a person describes ("mor glemmer å spise") and the services that answer them."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import zip_longest

from core.text import fold
from services_catalog.schemas import Need, Service

MAX_GAP = 2


@dataclass(frozen=True)
class NeedHit:
    need: Need
    words: tuple[str, ...]


def _phrase_in(stems: list[str], tokens: list[str]) -> bool:
    """Each stem starts a token, in order, with at most MAX_GAP tokens between them."""
    for start, token in enumerate(tokens):
        if not token.startswith(stems[0]):
            continue
        position = start
        for stem in stems[1:]:
            window = tokens[position + 1 : position + 2 + MAX_GAP]
            following = next((i for i, t in enumerate(window) if t.startswith(stem)), None)
            if following is None:
                break
            position += 1 + following
        else:
            return True
    return False


class NeedMatcher:
    """Matches need vocabularies against a message, and ranks the services to offer."""

    def __init__(self, needs: tuple[Need, ...], services: tuple[Service, ...]) -> None:
        self._needs = needs
        self._phrases = {need.slug: [fold(word).split() for word in need.words] for need in needs}
        self._services = services

    def find(self, text: str) -> list[NeedHit]:
        """The needs the text describes, those matched by most words first."""
        tokens = fold(text).split()
        hits = []
        for need in self._needs:
            matched = tuple(
                word
                for word, stems in zip(need.words, self._phrases[need.slug], strict=True)
                if stems and _phrase_in(stems, tokens)
            )
            if matched:
                hits.append(NeedHit(need, matched))
        return sorted(hits, key=lambda hit: -len(hit.words))

    def services_for(self, hits: list[NeedHit], limit: int = 4) -> list[Service]:
        """Services to offer: each need's best first, taking turns between the needs found."""
        by_slug = {service.slug: service for service in self._services}
        queues = []
        for hit in hits:
            answering = [s.slug for s in self._services if hit.need.slug in s.needs]
            queues.append(
                [s for s in dict.fromkeys([*hit.need.suggest, *answering]) if s in by_slug]
            )
        ranked = [slug for round_ in zip_longest(*queues) for slug in round_ if slug]
        return [by_slug[slug] for slug in dict.fromkeys(ranked)][:limit]

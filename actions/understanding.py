"""Reading a message in the light of the conversation: what it names, picks or points back to."""

from __future__ import annotations

from pydantic import model_validator

from actions.answers import asks_about, detect_aspect
from actions.turn import Turn
from core.text import fold
from core.words import WordLists, Words, load_words
from services_catalog.places import PlaceMatch, PlaceStatus
from services_catalog.schemas import FactKind, Service
from services_catalog.search import GUESS_CUTOFF
from services_catalog.snapshot import CatalogueSnapshot

SERVICE_SCORE = 84.0
FOLLOW_UP_MAX_WORDS = 10


class UnderstandingWords(WordLists):
    """`content/words/understanding.yml`: words that pick, point back, ask a number or a place."""

    ordinals: dict[int, Words]
    other_words: Words
    reference_words: Words
    number_stems: Words
    residence_stems: Words

    @model_validator(mode="after")
    def _every_word_picks_one_place(self) -> UnderstandingWords:
        if 0 in self.ordinals:
            raise ValueError("ordinals: places count from 1, or from -1 for the last, not 0")
        words = [word for group in self.ordinals.values() for word in group]
        repeated = sorted({word for word in words if words.count(word) > 1})
        if repeated:
            raise ValueError(f"ordinals: {', '.join(repeated)} picks more than one place")
        return self


_WORDS = load_words("understanding.yml", UnderstandingWords)
# Folded words that pick among services just offered, each with its index in the offer.
ORDINALS = {
    word: place - 1 if place > 0 else place
    for place, words in _WORDS.ordinals.items()
    for word in words
}
# Folded words that ask for the other of two services offered.
OTHER_WORDS = _WORDS.other_words
# Folded words that point back to the service just discussed.
REFERENCE_WORDS = _WORDS.reference_words
# Folded word starts that ask for a phone number.
NUMBER_STEMS = _WORDS.number_stems
# Folded word starts that tell where someone lives.
RESIDENCE_STEMS = _WORDS.residence_stems


def asks_for_a_number(text: str) -> bool:
    """Whether the message asks for a phone number ("hva er telefonnummeret til bydelen?")."""
    return any(word.startswith(NUMBER_STEMS) for word in fold(text).split())


def refers_back(text: str) -> bool:
    """Whether the message points back to what was just said: "det", "en sånn", "that"."""
    return any(word in REFERENCE_WORDS for word in fold(text).split())


def tells_where_they_live(text: str) -> bool:
    words = fold(text).split()
    return any(word.startswith(stem) for word in words for stem in RESIDENCE_STEMS)


def named_services(turn: Turn, catalogue: CatalogueSnapshot) -> list[Service]:
    """Services the message names (a button's entity first), best match first."""
    slug = turn.entity("service")
    if slug in catalogue.services:
        return [catalogue.services[slug]]
    hits = [hit for hit in catalogue.search.search(turn.text) if hit.score >= SERVICE_SCORE]
    return [hit.service for hit in hits]


def named_place(turn: Turn, catalogue: CatalogueSnapshot) -> PlaceMatch:
    """The district a button chose, or the place the message names."""
    slug = turn.entity("district")
    if slug in catalogue.districts:
        return PlaceMatch(PlaceStatus.found, (catalogue.districts[slug],), slug, 100.0)
    return catalogue.places.find_in_text(turn.text)


def known_district(turn: Turn, catalogue: CatalogueSnapshot, place: PlaceMatch) -> str | None:
    """The district of this message if it names one, else the one remembered."""
    if place.status is PlaceStatus.found:
        turn.set("district", place.districts[0].slug)
        return place.districts[0].slug
    remembered = turn.tracker.get_slot("district")
    return remembered if remembered in catalogue.districts else None


def asked_aspect(turn: Turn) -> FactKind | None:
    """The fact asked for: a button's aspect, else the words of the message; None: what it is."""
    chosen = turn.entity("aspect")
    if chosen is not None:
        return FactKind(chosen) if chosen in FactKind.__members__ else None
    return detect_aspect(turn.text)


def _is_short(turn: Turn) -> bool:
    return len(turn.text.split()) <= FOLLOW_UP_MAX_WORDS


def current_topic(turn: Turn, catalogue: CatalogueSnapshot) -> Service | None:
    """The service the conversation is about, when this short message asks more about it.

    "hva koster det?", "hvem kan få en sånn?", "må hun søke selv?" name no service: they ask
    about the one just answered. A long message without a service name is something new.
    """
    slug = turn.tracker.get_slot("service")
    if slug not in catalogue.services or not _is_short(turn):
        return None
    if detect_aspect(turn.text) is None and not asks_about(turn.text):
        return None
    # A word that looks like another service ("tryggleiksalarm") is a new question, not a follow-up.
    hits = catalogue.search.search(turn.text, cutoff=GUESS_CUTOFF, with_needs=False)
    if any(hit.score >= GUESS_CUTOFF and hit.service.slug != slug for hit in hits):
        return None
    return catalogue.services[slug]


def chosen_from_offer(turn: Turn, catalogue: CatalogueSnapshot) -> Service | None:
    """A pick among the services just offered: "den andre", "nummer to", "ikke den, den andre"."""
    offered = [s for s in turn.tracker.get_slot("offered") or [] if s in catalogue.services]
    if not offered or not _is_short(turn):
        return None
    words = fold(turn.text).split()
    current = turn.tracker.get_slot("service")
    if len(offered) == 2 and current in offered and any(w in OTHER_WORDS for w in words):
        return catalogue.services[offered[1 - offered.index(current)]]
    for word in words:
        index = ORDINALS.get(word)
        if index is not None and -len(offered) <= index < len(offered):
            return catalogue.services[offered[index]]
    return None

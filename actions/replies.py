"""Answering from the catalogue: a service, a choice of services, a district, its numbers."""

from __future__ import annotations

from actions.answers import (
    LOCAL_ASPECTS,
    Answer,
    contact_line,
    detect_aspect,
    district_question,
    local_answer,
    service_answer,
    suggestions,
)
from actions.catalogue import switchboard
from actions.turn import Turn
from actions.understanding import asked_aspect, known_district, named_place
from core.assistant_texts import say
from services_catalog.places import PlaceMatch, PlaceStatus
from services_catalog.schemas import FactKind, Service
from services_catalog.snapshot import CatalogueSnapshot


def say_numbers(turn: Turn, catalogue: CatalogueSnapshot) -> None:
    """The numbers the catalogue knows for the person's district, each with how sure it is."""
    district = catalogue.districts.get(turn.tracker.get_slot("district") or "")
    answer = Answer(turn.language)
    answer.add(say("numbers_known", turn.language))
    for contact in district.contacts if district else ():
        if contact.phone:
            answer.add(contact_line(contact), contact.certainty)
    city = switchboard(catalogue)
    if city is not None and city.phone:
        answer.add(say("district_via_switchboard", turn.language, phone=city.phone), city.certainty)
    for reply in answer.replies():
        turn.send(reply)


def answer_service(turn: Turn, catalogue: CatalogueSnapshot, service: Service) -> None:
    """Answer what was asked about `service`, for the district when one is known."""
    place = named_place(turn, catalogue)
    district_slug = known_district(turn, catalogue, place)
    aspect = asked_aspect(turn)
    # The district's details come with where and how to ask, or when a district was just named;
    # once said for this service and district, only a new place or "where?" says them again.
    told = turn.tracker.get_slot("local_told") == f"{service.slug}|{district_slug}"
    local = (
        place.status is PlaceStatus.found
        or aspect is FactKind.where_to_ask
        or (aspect in LOCAL_ASPECTS and not told)
    )
    district = catalogue.districts[district_slug] if district_slug and local else None
    if district is not None:
        turn.set("local_told", f"{service.slug}|{district.slug}")
    for reply in service_answer(
        service,
        turn.language,
        aspect,
        district,
        ask_for_district=bool(service.district_offers) and not district_slug,
        switchboard=switchboard(catalogue),
    ):
        turn.send(reply)
    if place.status is PlaceStatus.ambiguous and place.matched:
        turn.send(district_question(place.matched, list(place.districts), turn.language))
    turn.set("service", service.slug)
    turn.set("fallback_count", 0)


def _say_new_district(turn: Turn, place: PlaceMatch) -> None:
    """Name the district this message gave, so the person sees it was understood."""
    if place.status is PlaceStatus.found:
        turn.say("district_set", district=place.districts[0].name)


def suggest(turn: Turn, catalogue: CatalogueSnapshot) -> bool:
    """Offer the services for the needs the message describes; False if it describes none."""
    needs = catalogue.need_matcher.find(turn.text)
    services = catalogue.need_matcher.services_for(needs)
    if not services:
        return False
    turn.set("needs", [hit.need.slug for hit in needs])
    if len(services) == 1:
        answer_service(turn, catalogue, services[0])
        return True
    place = named_place(turn, catalogue)
    known_district(turn, catalogue, place)
    _say_new_district(turn, place)
    turn.send(suggestions(services, turn.language))
    turn.set("offered", [service.slug for service in services])
    turn.set("fallback_count", 0)
    return True


def take_district(turn: Turn, catalogue: CatalogueSnapshot, place: PlaceMatch) -> None:
    """A place named (or corrected): use its district, and answer the topic there."""
    if place.status is PlaceStatus.ambiguous and place.matched:
        turn.send(district_question(place.matched, list(place.districts), turn.language))
        return
    district = place.districts[0]
    turn.set("district", district.slug)
    turn.set("fallback_count", 0)
    service_slug = turn.tracker.get_slot("service")
    if service_slug not in catalogue.services:
        turn.say("district_set", district=district.name)
        return
    service = catalogue.services[service_slug]
    if detect_aspect(turn.text) is not None:
        answer_service(turn, catalogue, service)  # "kva kostar det? eg bur på Sagene"
        return
    turn.say("district_set", district=district.name)
    for reply in local_answer(service, district, turn.language, switchboard(catalogue)):
        turn.send(reply)
    turn.set("local_told", f"{service.slug}|{district.slug}")

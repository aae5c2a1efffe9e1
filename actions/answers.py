"""Compose the assistant's answers from catalogue entries. Pure functions, no Rasa."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import StrEnum

from actions.texts import say
from core.language import Language
from core.text import fold
from services_catalog.schemas import Certainty, Contact, District, Fact, Service


class Aspect(StrEnum):
    """What about a service the person asks."""

    who = "who"
    how_to_apply = "how_to_apply"
    cost = "cost"
    where_to_ask = "where_to_ask"
    legal_basis = "legal_basis"


ASPECT_WORDS: dict[Aspect, tuple[str, ...]] = {
    Aspect.cost: ("kost", "pris", "betal", "egenandel", "gratis", "cost", "price", "pay", "fee"),
    Aspect.how_to_apply: ("sok", "apply", "applic", "bestill"),
    Aspect.who: ("hvem", "kven", "who", "rett", "eligible"),
    Aspect.where_to_ask: ("hvor", "kvar", "where", "naermest", "adresse", "telefon", "nummer"),
    Aspect.legal_basis: ("lov", "paragraf", "law"),
}
DEFAULT_ASPECTS = (Aspect.how_to_apply, Aspect.cost)
BUTTON_ASPECTS = {
    Aspect.cost: "button_cost",
    Aspect.how_to_apply: "button_apply",
    Aspect.who: "button_who",
}


@dataclass(frozen=True)
class Button:
    title: str
    payload: str


@dataclass(frozen=True)
class Reply:
    text: str
    buttons: tuple[Button, ...] = field(default_factory=tuple)


def intent_payload(intent: str, **entities: str) -> str:
    """A button payload that Rasa reads as an intent with entities: /ask_service{"service":…}."""
    return f"/{intent}{json.dumps(entities, ensure_ascii=False)}" if entities else f"/{intent}"


def detect_aspect(text: str) -> Aspect | None:
    """The first aspect whose word stems start a word of the message."""
    words = fold(text).split()
    for aspect, stems in ASPECT_WORDS.items():
        if any(word.startswith(stem) for word in words for stem in stems):
            return aspect
    return None


def join_names(names: list[str], language: Language) -> str:
    """'A, B og C' (or 'and' in English)."""
    if len(names) <= 1:
        return "".join(names)
    last = {"nb": "og", "nn": "og", "en": "and"}[language]
    return f"{', '.join(names[:-1])} {last} {names[-1]}"


def service_title(service: Service, language: Language) -> str:
    """English answers keep the Norwegian name, because that is the word people will need."""
    if language == "en" and service.name_en:
        return f"{service.name_en} ({service.name})"
    return service.name


def _fact_line(label: str, fact: Fact | None, language: Language) -> str:
    if fact is None:
        return f"{say(label, language)}: {say('unknown_fact', language)}"
    note = {
        Certainty.general: " " + say("general_rule", language),
        Certainty.uncertain: " " + say("uncertain_fact", language),
        Certainty.confirmed: "",
    }[fact.certainty]
    return f"{say(label, language)}: {fact.text}{note}"


def contact_line(contact: Contact, language: Language) -> str:
    parts = [contact.label]
    parts += [part for part in (contact.phone, contact.email, contact.address) if part]
    if contact.opening_hours:
        parts.append(contact.opening_hours)
    line = ", ".join(parts) + "."
    if contact.certainty is not Certainty.confirmed:
        line += " " + say("uncertain_fact", language)
    return line


def _source_lines(facts: list[Fact], language: Language) -> list[str]:
    seen: dict[str, str] = {}
    for fact in facts:
        if fact.source:  # a national rule without a page says so in its text
            seen.setdefault(str(fact.source), fact.checked_on.strftime("%d.%m.%Y"))
    return [say("source", language, url=url, date=date) for url, date in seen.items()]


def service_answer(
    service: Service,
    language: Language,
    aspect: Aspect | None = None,
    district: District | None = None,
    ask_for_district: bool = False,
) -> list[Reply]:
    """What the service is, the facts asked for with their sources, and local details."""
    summary = getattr(service.summary, language) or service.summary.nb
    replies = [Reply(f"{service_title(service, language)}: {summary}")]
    aspects = (aspect,) if aspect else DEFAULT_ASPECTS
    facts = [getattr(service, a.value) for a in aspects]
    lines = [say("facts_in_norwegian", language)] if language != "nb" else []
    lines += [_fact_line(f"label_{a.value}", getattr(service, a.value), language) for a in aspects]
    if aspect is Aspect.where_to_ask or service.contacts:
        lines += [contact_line(contact, language) for contact in service.contacts]
    lines += _source_lines([fact for fact in facts if fact is not None], language)
    buttons = tuple(
        Button(say(key, language), intent_payload("ask_service", service=service.slug, aspect=a))
        for a, key in BUTTON_ASPECTS.items()
        if a not in aspects
    )
    replies.append(Reply("\n".join(line for line in lines if line), buttons))
    if district is not None:
        replies.append(local_answer(service, district, language))
    elif ask_for_district:
        replies.append(Reply(say("ask_district", language)))
    return replies


def local_answer(service: Service, district: District, language: Language) -> Reply:
    """The district's own offers of a service and the district's contacts."""
    offers = [offer for offer in service.district_offers if offer.district == district.slug]
    if not offers:
        text = say("no_local_offers", language, service=service.name, district=district.name)
        contacts = [contact_line(contact, language) for contact in district.contacts]
        return Reply("\n".join([text, *contacts]))
    lines = [say("local_offers", language, district=district.name)]
    for offer in offers:
        line = f"- {offer.name}: {offer.description}"
        if offer.contact:
            line += " " + contact_line(offer.contact, language)
        lines.append(line)
    return Reply("\n".join(lines))


def suggestions(services: list[Service], language: Language) -> Reply:
    """A short list of services to pick from, one button each."""
    names = [service_title(service, language) for service in services]
    return Reply(
        say("suggest_intro", language, names=join_names(names, language)),
        tuple(
            Button(service_title(s, language), intent_payload("ask_service", service=s.slug))
            for s in services
        ),
    )


def district_question(place: str, districts: list[District], language: Language) -> Reply:
    """Ask which district a straddling place means, with a button for each."""
    names = join_names([district.name for district in districts], language)
    return Reply(
        say("district_ambiguous", language, place=place, names=names),
        tuple(
            Button(d.name, intent_payload("inform_district", district=d.slug)) for d in districts
        ),
    )

"""Compose the assistant's answers from catalogue entries. Pure functions, no Rasa."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from pydantic import model_validator

from core.assistant_texts import say
from core.buttons import Button
from core.language import Language
from core.text import fold
from core.words import WordLists, Words, load_words, require_keys
from services_catalog.schemas import Certainty, Contact, District, Fact, FactKind, Service

# An aspect, what the person asks about a service, is one of its facts: a `FactKind`.
ABOUT = "about"  # a button's aspect for "what is it?": the service's summary


class AnswerWords(WordLists):
    """`content/words/answers.yml`: the words that ask about a service, tried in order."""

    aspect_phrases: dict[FactKind, Words]
    aspect_words: dict[FactKind, Words]
    about_phrases: Words
    own_caveats: Words

    @model_validator(mode="after")
    def _every_fact_kind_can_be_asked_for(self) -> AnswerWords:
        require_keys(self.aspect_words, FactKind, "aspect_words")
        return self


_WORDS = load_words("answers.yml", AnswerWords)
# Phrases that ask for an aspect in words no stem gives, tried before the stems, in order.
ASPECT_PHRASES = _WORDS.aspect_phrases
# Word stems that ask for each fact, tried in this order; every fact kind has some.
ASPECT_WORDS = _WORDS.aspect_words
# "hva er det?", "fortell mer": the summary of the service just discussed.
ABOUT_PHRASES = _WORDS.about_phrases
# Words of a fact that already send the person on to check, so no second caveat is added.
CAVEAT_MARKERS = _WORDS.own_caveats
# The questions offered on buttons under an answer, in order; None is "what is it?".
BUTTON_ASPECTS: tuple[FactKind | None, ...] = (
    None,
    FactKind.cost,
    FactKind.how_to_apply,
    FactKind.who,
)
# Where the person is sent on from: the service's and the district's contacts belong here.
LOCAL_ASPECTS = (None, FactKind.how_to_apply, FactKind.where_to_ask)
WORD_LIMIT = 60  # words in one chat bubble: about one phone screen at large text
SENTENCE_END = re.compile(r"(?<=[.!?:])\s+(?=[A-ZÆØÅ0-9(«-])")


@dataclass(frozen=True)
class Reply:
    text: str
    buttons: tuple[Button, ...] = field(default_factory=tuple)
    # Rasa's `custom` payload; `{"feedback": {...}}` asks the channel "Var dette til hjelp?".
    custom: dict[str, dict[str, str]] | None = None


def feedback_marker(
    service: Service, aspect: FactKind | None, language: Language
) -> dict[str, dict[str, str]]:
    """What a "Var dette til hjelp?" answer to this reply is counted under."""
    about = {"service": service.slug, "aspect": aspect.value if aspect else ABOUT}
    return {"feedback": {**about, "language": language}}


def intent_payload(intent: str, **entities: str) -> str:
    """A button payload that Rasa reads as an intent with entities: /ask_service{"service":…}."""
    return f"/{intent}{json.dumps(entities, ensure_ascii=False)}" if entities else f"/{intent}"


def heading_key(kind: FactKind) -> str:
    """The text heading an answer that gives a fact of this kind: "Pris for {service}"."""
    return f"heading_{kind.value}"


def button_key(kind: FactKind | None) -> str:
    """The text of the button that asks for a fact of this kind; None asks what it is."""
    return "button_about" if kind is None else f"button_{kind.value}"


def detect_aspect(text: str) -> FactKind | None:
    """The aspect a phrase of the message asks for, else the first whose word stems it has."""
    words = fold(text).split()
    joined = " ".join(words)
    for aspect, phrases in ASPECT_PHRASES.items():
        if any(phrase in joined for phrase in phrases):
            return aspect
    for aspect, stems in ASPECT_WORDS.items():
        if any(word.startswith(stem) for word in words for stem in stems):
            return aspect
    return None


def asks_about(text: str) -> bool:
    """Whether the message asks what something is ("hva er det?", "fortell mer")."""
    folded = " ".join(fold(text).split())
    return any(phrase in folded for phrase in ABOUT_PHRASES)


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


def word_count(text: str) -> int:
    return len(text.split())


def _pieces(line: str, limit: int) -> list[str]:
    """A line cut between sentences (or, for a run-on sentence, between words) to fit `limit`."""
    if word_count(line) <= limit:
        return [line]
    pieces: list[str] = []
    for sentence in SENTENCE_END.split(line):
        words = sentence.split()
        pieces += [" ".join(words[i : i + limit]) for i in range(0, len(words), limit)]
    return pieces


def pack(lines: list[str], limit: int = WORD_LIMIT) -> list[str]:
    """Lines gathered into as few bubbles of at most `limit` words as they fit in, in order."""
    bubbles: list[list[str]] = []
    room = 0
    for line in lines:
        pieces = _pieces(line, limit)
        for number, piece in enumerate(pieces):
            size = word_count(piece)
            if not bubbles or size > room:
                bubbles.append([])
                room = limit
            joiner = " " if number and bubbles[-1] else ""
            if joiner:
                bubbles[-1][-1] += joiner + piece
            else:
                bubbles[-1].append(piece)
            room -= size
    return ["\n".join(bubble) for bubble in bubbles if bubble]


def _caveat(certainty: Certainty, language: Language) -> str | None:
    return {
        Certainty.general: say("general_rule", language),
        Certainty.uncertain: say("uncertain_fact", language),
        Certainty.confirmed: None,
    }[certainty]


def says_its_own_caveat(line: str) -> bool:
    """Whether a fact already tells the person to check ("Spør bydelen om dagens pris")."""
    folded = fold(line)
    return any(marker in folded for marker in CAVEAT_MARKERS)


def contact_line(contact: Contact) -> str:
    parts = [contact.label]
    parts += [part for part in (contact.phone, contact.email, contact.address) if part]
    if contact.opening_hours:
        parts.append(contact.opening_hours)
    return ", ".join(parts) + "."


def source_line(fact: Fact, language: Language) -> str | None:
    """'Kilde: oslo.kommune.no, sjekket 23.11.2026', the page's address behind the words."""
    if fact.source is None:  # a national rule without a page says so in its text
        return None
    site = (urlsplit(str(fact.source)).hostname or "").removeprefix("www.")
    date = fact.checked_on.strftime("%d.%m.%Y")
    return say("source", language, site=site, date=date, url=str(fact.source))


class Answer:
    """Lines of one answer, each caveat said once, cut into bubbles with buttons on the last."""

    def __init__(self, language: Language) -> None:
        self.language = language
        self.lines: list[str] = []
        self.caveats: list[str] = []

    def add(self, line: str | None, certainty: Certainty = Certainty.confirmed) -> None:
        if line:
            self.lines.append(line)
        caveat = _caveat(certainty, self.language)
        if caveat and caveat not in self.caveats and not says_its_own_caveat(line or ""):
            self.caveats.append(caveat)

    def replies(self, buttons: tuple[Button, ...] = ()) -> list[Reply]:
        bubbles = pack([*self.lines, *self.caveats])
        return [
            Reply(text, buttons if number == len(bubbles) - 1 else ())
            for number, text in enumerate(bubbles)
        ]


def _aspect_buttons(
    service: Service, aspect: FactKind | None, language: Language
) -> tuple[Button, ...]:
    """The other questions about this service, one button each."""
    return tuple(
        Button(
            say(button_key(other), language),
            intent_payload("ask_service", service=service.slug, aspect=other or ABOUT),
        )
        for other in BUTTON_ASPECTS
        if other is not aspect
    )


def _fact_answer(answer: Answer, service: Service, aspect: FactKind) -> None:
    """The fact asked for, headed by the question it answers, with its source."""
    language = answer.language
    if language != "nb":
        answer.add(say("facts_in_norwegian", language))
    heading = say(heading_key(aspect), language, service=service_title(service, language))
    fact = service.fact(aspect)
    if fact is None:
        answer.add(f"{heading}: {say('unknown_fact', language)}")
        return
    year = getattr(fact, "year", None)
    if year:
        heading += " " + say("figures_from", language, year=str(year))
    answer.add(f"{heading}: {fact.text}", fact.certainty)
    if aspect in LOCAL_ASPECTS:
        for contact in service.contacts:
            answer.add(contact_line(contact), contact.certainty)
    answer.add(source_line(fact, language))


def service_answer(
    service: Service,
    language: Language,
    aspect: FactKind | None = None,
    district: District | None = None,
    ask_for_district: bool = False,
    switchboard: Contact | None = None,
) -> list[Reply]:
    """The answer to what was asked (or what the service is), short, with the rest on buttons.

    Its last reply asks for feedback on the answer.
    """
    answer = Answer(language)
    if aspect is None:
        summary = getattr(service.summary, language) or service.summary.nb
        answer.add(f"{service_title(service, language)}: {summary}")
    else:
        _fact_answer(answer, service, aspect)
    replies = answer.replies()
    if district is not None:
        replies += local_answer(service, district, language, switchboard)
    elif ask_for_district and aspect in LOCAL_ASPECTS:
        replies.append(Reply(say("ask_district", language)))
    last = Reply(
        replies[-1].text,
        _aspect_buttons(service, aspect, language),
        feedback_marker(service, aspect, language),
    )
    return [*replies[:-1], last]


def local_answer(
    service: Service, district: District, language: Language, switchboard: Contact | None = None
) -> list[Reply]:
    """The district's own offers of a service and its contacts, or plainly that there are none.

    A district without contacts of its own is reached through the city's switchboard.
    """
    answer = Answer(language)
    offers = [offer for offer in service.district_offers if offer.district == district.slug]
    if not offers:
        answer.add(say("no_local_offers", language, service=service.name, district=district.name))
        for contact in district.contacts:
            answer.add(contact_line(contact), contact.certainty)
        if not district.contacts and switchboard is not None and switchboard.phone:
            line = say("district_via_switchboard", language, phone=switchboard.phone)
            answer.add(line, switchboard.certainty)
        return answer.replies()
    answer.add(say("local_offers", language, district=district.name))
    for offer in offers:
        answer.add(f"- {offer.name}: {offer.description}", offer.certainty)
        if offer.contact:
            answer.add(contact_line(offer.contact), offer.contact.certainty)
    return answer.replies()


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

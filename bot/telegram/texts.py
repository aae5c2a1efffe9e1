"""Everything the bridge itself says, in bokmål. The assistant's answers come from the API.

Only "Var dette til hjelp?" follows the language of the answer it asks about.
"""

from __future__ import annotations

from typing import NamedTuple

COMMANDS = [
    ("start", "Kom i gang"),
    ("hjelp", "Hva jeg kan hjelpe med"),
    ("slett", "Slett samtalen og det du har skrevet"),
]

START = (
    "Hei! Jeg er Seniorveiviseren. Jeg hjelper deg å finne hjelp for eldre i Oslo, "
    "for eksempel hjemmesykepleie, trygghetsalarm eller dagsenter.\n\n"
    "Skriv spørsmålet ditt med egne ord. Et eksempel: «Hvordan får mor trygghetsalarm?»\n\n"
    "Vil du snakke med et menneske? Da kan ansatte i bydelen svare deg her i chatten.\n\n"
    "Personvern: Ikke send fødselsnummer eller andre personnummer. "
    "Skriv /slett når du vil slette samtalen."
)

HELP = (
    "Dette kan jeg hjelpe med:\n"
    "• si hva en tjeneste er, hva den koster og hvordan du søker\n"
    "• finne riktig bydel og tilbudene der\n"
    "• foreslå hjelp når du forteller hva som er vanskelig\n"
    "• sette deg i kontakt med ansatte i bydelen\n\n"
    "Kommandoer:\n"
    "/start – kom i gang\n"
    "/hjelp – denne oversikten\n"
    "/slett – slett samtalen og det du har skrevet\n\n"
    "Ikke send fødselsnummer. Er det fare for liv, ring 113."
)

ERASE_QUESTION = (
    "Vil du slette samtalen? Da sletter jeg det du har skrevet, svarene mine og sakene dine "
    "hos bydelen."
)
ERASE_YES = "Ja, slett"
ERASE_NO = "Nei"
ERASE_DONE = (
    "Samtalen er slettet. Meldingene her i Telegram kan du slette selv i appen. "
    "Du kan begynne på nytt når du vil."
)
ERASE_KEPT = "Greit, jeg sletter ingenting."
ERASE_FAILED = "Jeg fikk ikke slettet samtalen akkurat nå. Prøv /slett igjen om litt."

CHOSEN = "Du valgte: {title}"
BUTTON_EXPIRED = "Dette valget er for gammelt. Skriv gjerne spørsmålet på nytt."
CHOOSE = "Velg:"


class FeedbackTexts(NamedTuple):
    question: str
    yes: str
    no: str
    thanks: str


FEEDBACK = {
    "nb": FeedbackTexts("Var dette til hjelp?", "Ja", "Nei", "Takk for svaret."),
    "nn": FeedbackTexts("Var dette til hjelp?", "Ja", "Nei", "Takk for svaret."),
    "en": FeedbackTexts("Was this helpful?", "Yes", "No", "Thank you for answering."),
}


def feedback_texts(language: str) -> FeedbackTexts:
    return FEEDBACK.get(language, FEEDBACK["nb"])


ONLY_TEXT = "Jeg kan bare lese tekst. Skriv gjerne spørsmålet ditt. Er det fare for liv, ring 113."
UNKNOWN_COMMAND = (
    "Den kommandoen kjenner jeg ikke. Skriv /hjelp for å se hva jeg kan. "
    "Er det fare for liv, ring 113."
)

STAFF_REPLY = "Svar fra {who}:\n\n{text}"
STAFF_DISTRICT_UNKNOWN = "bydelen"


def unavailable(switchboard: str | None) -> str:
    """The assistant is down: we keep the message and say who to call meanwhile."""
    call = f"ring {switchboard}" if switchboard else "ring bydelen din"
    return (
        "Assistenten svarer ikke akkurat nå. Jeg prøver igjen om litt, "
        "og du får svar her når den er tilbake.\n\n"
        f"Haster det, {call}. Er det fare for liv, ring 113."
    )


STILL_UNAVAILABLE = "Jeg har tatt vare på meldingen og sender den når assistenten svarer igjen."

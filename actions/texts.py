"""Every sentence the assistant says, in bokmål, nynorsk and English.

Plain language: short sentences, common words, no medical advice. A test computes the
readability index LIX of every bokmål text and fails above 40.
"""

from __future__ import annotations

from actions.language import Language

TEXTS: dict[str, dict[Language, str]] = {
    "greet": {
        "nb": "Hei! Jeg kan fortelle om hjelp for eldre i Oslo. Hva lurer du på?",
        "nn": "Hei! Eg kan fortelje om hjelp for eldre i Oslo. Kva lurer du på?",
        "en": "Hello! I can tell you about help for older people in Oslo. What do you need?",
    },
    "goodbye": {
        "nb": "Ha det bra! Du kan skrive igjen når du vil.",
        "nn": "Ha det bra! Du kan skrive igjen når du vil.",
        "en": "Goodbye! You can write again whenever you like.",
    },
    "thank": {
        "nb": "Så bra. Si fra hvis du lurer på noe mer.",
        "nn": "Så bra. Sei frå om du lurer på noko meir.",
        "en": "You are welcome. Just ask if there is anything else.",
    },
    "bot_challenge": {
        "nb": "Jeg er en datamaskin, ikke et menneske. Vil du snakke med en person? Si det.",
        "nn": "Eg er ei datamaskin, ikkje eit menneske. Vil du snakke med ein person? Sei det.",
        "en": "I am a computer, not a person. If you want to talk to a person, just say so.",
    },
    "capabilities": {
        "nb": (
            "Jeg svarer på spørsmål om hjelp for eldre i Oslo. Det kan være hjemmesykepleie, "
            "trygghetsalarm eller dagsenter. Fortell meg hva du trenger hjelp til."
        ),
        "nn": (
            "Eg svarar på spørsmål om hjelp for eldre i Oslo. Til dømes heimesjukepleie, "
            "tryggleiksalarm, dagsenter og sjukeheim. Fortel gjerne kva du treng hjelp til."
        ),
        "en": (
            "I answer questions about help for older people in Oslo. For example home nursing "
            "(hjemmesykepleie), a safety alarm (trygghetsalarm) or a day centre (dagsenter). "
            "Tell me what you need help with."
        ),
    },
    "emergency": {
        "nb": "Ring 113 nå hvis det kan være fare for liv. Gjør det før du skriver mer her.",
        "nn": "Ring 113 no viss det kan vere fare for liv. Gjer det før du skriv meir her.",
        "en": "Call 113 now if a life may be in danger. Do it before you write more here.",
    },
    "emergency_urgent": {
        "nb": "Haster det, men er ikke livstruende? Ring legevakten på 116 117.",
        "nn": "Hastar det, men er ikkje livstrugande? Ring legevakta på 116 117.",
        "en": "Urgent but not life-threatening? Call the emergency clinic (legevakt) on 116 117.",
    },
    "out_of_scope": {
        "nb": (
            "Det kan jeg dessverre ikke hjelpe med. Jeg svarer bare på spørsmål om hjelp "
            "for eldre i Oslo. Vil du heller snakke med en person?"
        ),
        "nn": (
            "Det kan eg dessverre ikkje hjelpe med. Eg svarar berre på spørsmål om hjelp "
            "for eldre i Oslo. Vil du heller snakke med ein person?"
        ),
        "en": (
            "Sorry, I cannot help with that. I only answer questions about help for older "
            "people in Oslo. Would you rather talk to a person?"
        ),
    },
    "request_human": {
        "nb": (
            "Jeg kan ikke sette deg over til en person herfra ennå. Ring bydelen din, "
            "eller Oslo kommune på {switchboard}."
        ),
        "nn": (
            "Eg kan ikkje setje deg over til ein person herifrå enno. Ring bydelen din, "
            "eller Oslo kommune på {switchboard}."
        ),
        "en": (
            "I cannot put you through to a person from here yet. Call your district, "
            "or Oslo kommune on {switchboard}."
        ),
    },
    "unconfirmed_number": {
        "nb": "Vi har ikke fått bekreftet dette nummeret.",
        "nn": "Vi har ikkje fått stadfesta dette nummeret.",
        "en": "We have not been able to confirm this number.",
    },
    "clarify_service": {
        "nb": "Mente du {name}?",
        "nn": "Meinte du {name}?",
        "en": "Did you mean {name}?",
    },
    "rephrase": {
        "nb": "Beklager, det forsto jeg ikke. Kan du si det med andre ord?",
        "nn": "Orsak, det forstod eg ikkje. Kan du seie det med andre ord?",
        "en": "Sorry, I did not understand. Could you say it in other words?",
    },
    "give_up": {
        "nb": (
            "Beklager, jeg forstår fortsatt ikke. Jeg kan svare på spørsmål om hjelp for "
            "eldre i Oslo. Du kan også snakke med en person."
        ),
        "nn": (
            "Orsak, eg forstår framleis ikkje. Eg kan svare på spørsmål om hjelp for "
            "eldre i Oslo. Du kan òg snakke med ein person."
        ),
        "en": (
            "Sorry, I still do not understand. I can answer questions about help for older "
            "people in Oslo. You can also talk to a person."
        ),
    },
    "suggest_intro": {
        "nb": "Dette kan passe: {names}. Trykk på det du vil vite mer om.",
        "nn": "Dette kan passe: {names}. Trykk på det du vil vite meir om.",
        "en": "This may help: {names}. Tap the one you want to know more about.",
    },
    "ask_district": {
        "nb": "Hvilken bydel eller hvilket sted i Oslo bor du i? Da kan jeg si mer om det.",
        "nn": "Kva bydel eller kva stad i Oslo bur du i? Då kan eg seie meir om det.",
        "en": "Which district or area of Oslo do you live in? Then I can tell you more about it.",
    },
    "district_set": {
        "nb": "Da bruker jeg bydel {district}.",
        "nn": "Då brukar eg bydel {district}.",
        "en": "I will use the district of {district}.",
    },
    "district_ambiguous": {
        "nb": "{place} hører til to bydeler: {names}. Hvilken gjelder det?",
        "nn": "{place} høyrer til to bydelar: {names}. Kva for ein gjeld det?",
        "en": "{place} is in two districts: {names}. Which one is it?",
    },
    "district_unknown": {
        "nb": "Det stedet kjenner jeg ikke. Skriv navnet på bydelen, for eksempel Alna.",
        "nn": "Den staden kjenner eg ikkje. Skriv namnet på bydelen, til dømes Alna.",
        "en": "I do not know that place. Write the name of the district, for example Alna.",
    },
    "local_offers": {
        "nb": "I bydel {district}:",
        "nn": "I bydel {district}:",
        "en": "In the district of {district}:",
    },
    "no_local_offers": {
        "nb": "Jeg har ingen egne opplysninger om {service} i bydel {district}. Spør bydelen.",
        "nn": "Eg har ingen eigne opplysningar om {service} i bydel {district}. Spør bydelen.",
        "en": "I have no details on {service} in the district of {district}. Ask the district.",
    },
    "label_who": {"nb": "Hvem kan få det", "nn": "Kven kan få det", "en": "Who can get it"},
    "label_how_to_apply": {"nb": "Slik søker du", "nn": "Slik søkjer du", "en": "How to apply"},
    "label_cost": {"nb": "Pris", "nn": "Pris", "en": "Cost"},
    "label_legal_basis": {"nb": "Lov", "nn": "Lov", "en": "Law"},
    "label_where_to_ask": {"nb": "Spør her", "nn": "Spør her", "en": "Where to ask"},
    "unknown_fact": {
        "nb": "Ikke kjent. Spør bydelen.",
        "nn": "Ikkje kjent. Spør bydelen.",
        "en": "Not known. Ask the district.",
    },
    "general_rule": {
        "nb": "(Dette er en regel for hele landet. Spør bydelen hva som gjelder i Oslo.)",
        "nn": "(Nasjonal regel. Spør bydelen kva som gjeld i Oslo.)",
        "en": "(A national rule. Ask the district what applies in Oslo.)",
    },
    "uncertain_fact": {
        "nb": "(Kan være endret. Sjekk med bydelen.)",
        "nn": "(Kan vere endra. Sjekk med bydelen.)",
        "en": "(May have changed. Check with the district.)",
    },
    "source": {
        "nb": "Kilde: {url} (sjekket {date}).",
        "nn": "Kjelde: {url} (sjekka {date}).",
        "en": "Source: {url} (checked {date}).",
    },
    "facts_in_norwegian": {
        "nb": "",
        "nn": "Detaljane under står på bokmål.",
        "en": "The details below are in Norwegian.",
    },
    "button_cost": {"nb": "Hva koster det?", "nn": "Kva kostar det?", "en": "What does it cost?"},
    "button_apply": {
        "nb": "Hvordan søker jeg?",
        "nn": "Korleis søkjer eg?",
        "en": "How do I apply?",
    },
    "button_who": {"nb": "Hvem kan få det?", "nn": "Kven kan få det?", "en": "Who can get it?"},
    "catalogue_down": {
        "nb": "Jeg får ikke slått opp akkurat nå. Prøv igjen om litt, eller ring bydelen.",
        "nn": "Eg får ikkje slått opp akkurat no. Prøv igjen om litt, eller ring bydelen.",
        "en": "I cannot look this up right now. Try again soon, or call your district.",
    },
    "button_yes": {"nb": "Ja", "nn": "Ja", "en": "Yes"},
    "button_no": {"nb": "Nei", "nn": "Nei", "en": "No"},
    "button_human": {
        "nb": "Snakk med en person",
        "nn": "Snakk med ein person",
        "en": "Talk to a person",
    },
}


def say(key: str, language: Language, **values: str) -> str:
    """The text `key` in `language`, with its placeholders filled in."""
    return TEXTS[key][language].format(**values)

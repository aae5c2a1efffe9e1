"""Every sentence the assistant says, in bokmål, nynorsk and English.

Plain language: short sentences, common words, no medical advice. A test computes the
readability index LIX of every bokmål text and fails above 40.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.safety.messages import SAFETY_TEXTS
from core.text import fold
from core.texts import Texts, text_in

if TYPE_CHECKING:  # Rasa's environment imports this module for button_titles: types only
    from core.language import Language

TEXTS: Texts = {
    **SAFETY_TEXTS,
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
    "handoff_intro": {
        "nb": (
            "Jeg kan sende en melding til bydelen, så tar en ansatt kontakt. "
            "Først noen korte spørsmål. Skriv «avbryt» hvis du vil stoppe."
        ),
        "nn": (
            "Eg kan sende ei melding til bydelen, så tek ein tilsett kontakt. "
            "Først nokre korte spørsmål. Skriv «avbryt» om du vil stoppe."
        ),
        "en": (
            "I can send a message to your district, and someone there will contact you. "
            "First a few short questions. Write «cancel» to stop."
        ),
    },
    "ask_handoff_for": {
        "nb": "Gjelder det deg selv, eller en du er pårørende til?",
        "nn": "Gjeld det deg sjølv, eller ein du er pårørande til?",
        "en": "Is it about yourself, or someone you are a relative of?",
    },
    "button_for_self": {
        "nb": "Meg selv",
        "nn": "Meg sjølv",
        "en": "Myself",
    },
    "button_for_relative": {
        "nb": "En pårørende",
        "nn": "Ein pårørande",
        "en": "A relative",
    },
    "ask_handoff_senior_agrees": {
        "nb": "Vet den du skriver for om dette, og er de enige i at du tar kontakt?",
        "nn": "Veit den du skriv for om dette, og er dei samde i at du tek kontakt?",
        "en": "Does the person you write for know about this, and agree that you get in touch?",
    },
    "button_unsure": {
        "nb": "Vet ikke",
        "nn": "Veit ikkje",
        "en": "Not sure",
    },
    "ask_handoff_district": {
        "nb": "Hvor bor du, eller den det gjelder? Skriv bydel eller sted.",
        "nn": "Kvar bur du, eller den det gjeld? Skriv bydel eller stad.",
        "en": "Where do you, or the person it is about, live? Write the district or place.",
    },
    "ask_handoff_contact": {
        "nb": "Skal de ringe deg, eller svare her?",
        "nn": "Skal dei ringje deg, eller svare her?",
        "en": "Should they call you, or answer here?",
    },
    "button_contact_phone": {
        "nb": "Ring meg",
        "nn": "Ring meg",
        "en": "Call me",
    },
    "button_contact_chat": {
        "nb": "Svar her i chatten",
        "nn": "Svar her i chatten",
        "en": "Answer here in the chat",
    },
    "ask_handoff_phone": {
        "nb": "Hvilket telefonnummer kan de ringe? Skriv åtte sifre.",
        "nn": "Kva telefonnummer kan dei ringje? Skriv åtte siffer.",
        "en": "Which phone number can they call? Write the eight digits.",
    },
    "bad_phone": {
        "nb": "Det ser ikke ut som et norsk telefonnummer. Skriv åtte sifre, som 22 33 44 55.",
        "nn": "Det ser ikkje ut som eit norsk telefonnummer. Skriv åtte siffer, som 22 33 44 55.",
        "en": "That does not look like a Norwegian phone number. Write eight digits.",
    },
    "ask_handoff_description": {
        "nb": (
            "Skriv kort hva det gjelder. Ikke skriv fødselsnummer. Bydelen trenger det ikke her."
        ),
        "nn": ("Skriv kort kva det gjeld. Ikkje skriv fødselsnummer. Bydelen treng det ikkje her."),
        "en": "Write briefly what it is about. Do not write a national ID number.",
    },
    "description_too_long": {
        "nb": "Det ble litt langt. Kan du skrive det kortere, med under 500 tegn?",
        "nn": "Det vart litt langt. Kan du skrive det kortare, med under 500 teikn?",
        "en": "That is a bit long. Could you write it in under 500 characters?",
    },
    "ask_handoff_consent": {
        "nb": (
            "Får jeg sende dette til {district}? De får se det du har skrevet her, "
            "og hvordan de kan nå deg."
        ),
        "nn": (
            "Får eg sende dette til {district}? Dei får sjå det du har skrive her, "
            "og korleis dei kan nå deg."
        ),
        "en": (
            "May I send this to {district}? They will see what you have written here, "
            "and how to reach you."
        ),
    },
    "button_send": {
        "nb": "Ja, send",
        "nn": "Ja, send",
        "en": "Yes, send it",
    },
    "button_dont_send": {
        "nb": "Nei, ikke send",
        "nn": "Nei, ikkje send",
        "en": "No, don't send",
    },
    "choose_button": {
        "nb": "Jeg forsto ikke svaret. Trykk på en av knappene, eller skriv «avbryt».",
        "nn": "Eg forstod ikkje svaret. Trykk på ein av knappane, eller skriv «avbryt».",
        "en": "I did not get that. Tap one of the buttons, or write «cancel».",
    },
    "handoff_sent": {
        "nb": "Takk. Saken er sendt til {district}. Saksnummeret er {reference}.",
        "nn": "Takk. Saka er send til {district}. Saksnummeret er {reference}.",
        "en": "Thank you. Your request was sent to {district}. The reference is {reference}.",
    },
    "handoff_pending": {
        "nb": (
            "Takk. Jeg har tatt imot saken, men fikk ikke sendt den til {district} ennå. "
            "Den sendes av seg selv så snart det går."
        ),
        "nn": (
            "Takk. Eg har teke imot saka, men fekk ikkje sendt henne til {district} enno. "
            "Ho blir send av seg sjølv så snart det går."
        ),
        "en": (
            "Thank you. I have your request, but could not send it to {district} yet. "
            "It will be sent by itself as soon as possible."
        ),
    },
    "handoff_by_phone": {
        "nb": "De ringer deg på {phone}.",
        "nn": "Dei ringjer deg på {phone}.",
        "en": "They will call you on {phone}.",
    },
    "handoff_by_chat": {
        "nb": (
            "Svaret kommer her, på denne enheten. Du kan lukke siden og komme tilbake. "
            "Så lenge en ansatt svarer deg, er jeg stille."
        ),
        "nn": (
            "Svaret kjem her, på denne eininga. Du kan lukke sida og kome tilbake. "
            "Så lenge ein tilsett svarar deg, er eg stille."
        ),
        "en": (
            "The answer will come here, on this device. You can close the page and come back. "
            "While staff answer you, I stay quiet."
        ),
    },
    "handoff_by_telegram": {
        "nb": "Svaret kommer her i Telegram. Så lenge en ansatt svarer deg, er jeg stille.",
        "nn": "Svaret kjem her i Telegram. Så lenge ein tilsett svarar deg, er eg stille.",
        "en": "The answer will come here in Telegram. While staff answer you, I stay quiet.",
    },
    "district_label": {
        "nb": "bydel {name}",
        "nn": "bydel {name}",
        "en": "the district of {name}",
    },
    "switchboard_label": {
        "nb": "Oslo kommune på {phone}",
        "nn": "Oslo kommune på {phone}",
        "en": "Oslo kommune on {phone}",
    },
    "your_district": {
        "nb": "bydelen din",
        "nn": "bydelen din",
        "en": "your district",
    },
    "handoff_urgent": {
        "nb": "Haster det, ring legevakten på 116 117. Er det livstruende, ring 113.",
        "nn": "Hastar det, ring legevakta på 116 117. Er det livstrugande, ring 113.",
        "en": "If it is urgent, call the legevakt on 116 117. If a life is in danger, call 113.",
    },
    "handoff_cancelled": {
        "nb": "Greit, jeg sender ingenting. Du kan også ringe {switchboard}.",
        "nn": "Greitt, eg sender ingenting. Du kan òg ringje {switchboard}.",
        "en": "All right, I will not send anything. You can also call {switchboard}.",
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
    "numbers_known": {
        "nb": "Dette er numrene jeg har:",
        "nn": "Dette er numra eg har:",
        "en": "These are the numbers I have:",
    },
    "give_up_call": {
        "nb": "Eller ring Oslo kommune på {phone}.",
        "nn": "Eller ring Oslo kommune på {phone}.",
        "en": "Or call Oslo kommune on {phone}.",
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
    "heading_who": {
        "nb": "Hvem kan få {service}",
        "nn": "Kven kan få {service}",
        "en": "Who can get {service}",
    },
    "heading_how_to_apply": {
        "nb": "Slik søker du om {service}",
        "nn": "Slik søkjer du om {service}",
        "en": "How to apply for {service}",
    },
    "heading_cost": {
        "nb": "Pris for {service}",
        "nn": "Pris for {service}",
        "en": "Cost of {service}",
    },
    "heading_legal_basis": {
        "nb": "Loven om {service}",
        "nn": "Lova om {service}",
        "en": "The law on {service}",
    },
    "heading_where_to_ask": {
        "nb": "Her kan du spørre om {service}",
        "nn": "Her kan du spørje om {service}",
        "en": "Where to ask about {service}",
    },
    "figures_from": {
        "nb": "(tall fra {year})",
        "nn": "(tal frå {year})",
        "en": "({year} figures)",
    },
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
        "nb": "Kilde: [{site}, sjekket {date}]({url})",
        "nn": "Kjelde: [{site}, sjekka {date}]({url})",
        "en": "Source: [{site}, checked {date}]({url})",
    },
    "district_via_switchboard": {
        "nb": "Ring Oslo kommune på {phone} og spør etter bydelen.",
        "nn": "Ring Oslo kommune på {phone} og spør etter bydelen.",
        "en": "Call Oslo kommune on {phone} and ask for the district.",
    },
    "facts_in_norwegian": {
        "nb": "",
        "nn": "Detaljane under står på bokmål.",
        "en": "The details below are in Norwegian.",
    },
    "button_cost": {
        "nb": "Hva koster det?",
        "nn": "Kva kostar det?",
        "en": "What does it cost?",
    },
    "button_how_to_apply": {
        "nb": "Hvordan søker jeg?",
        "nn": "Korleis søkjer eg?",
        "en": "How do I apply?",
    },
    "button_who": {
        "nb": "Hvem kan få det?",
        "nn": "Kven kan få det?",
        "en": "Who can get it?",
    },
    "button_about": {
        "nb": "Hva er det?",
        "nn": "Kva er det?",
        "en": "What is it?",
    },
    "catalogue_down": {
        "nb": "Jeg får ikke slått opp akkurat nå. Prøv igjen om litt, eller ring bydelen.",
        "nn": "Eg får ikkje slått opp akkurat no. Prøv igjen om litt, eller ring bydelen.",
        "en": "I cannot look this up right now. Try again soon, or call your district.",
    },
    "button_yes": {
        "nb": "Ja",
        "nn": "Ja",
        "en": "Yes",
    },
    "button_no": {
        "nb": "Nei",
        "nn": "Nei",
        "en": "No",
    },
    "button_human": {
        "nb": "Snakk med en person",
        "nn": "Snakk med ein person",
        "en": "Talk to a person",
    },
}


def say(key: str, language: Language, **values: str) -> str:
    """The text `key` in `language`, with its placeholders filled in."""
    return text_in(TEXTS, key, language, **values)


def button_titles() -> frozenset[str]:
    """Every title of the assistant's own buttons, folded, in every language.

    A form's button sends its title as text; pressing one is never an emergency.
    """
    return frozenset(
        fold(text)
        for key, versions in TEXTS.items()
        if key.startswith("button_")
        for text in versions.values()
    )

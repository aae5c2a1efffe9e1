"""Every sentence the API itself says to a person, in one place.

Plain language, as in core/assistant_texts.py: a test computes the readability index LIX of every
bokmål text and fails above 40. A ticket knows the person's language, so its notices exist in
bokmål, nynorsk and English (they are sent in bokmål, as before). The chat gateway and the
public catalogue API get no language with a request, so what they say is bokmål only; the
test in tests/test_texts.py lists those keys.
"""

from __future__ import annotations

from core.texts import Texts

TEXTS: Texts = {
    # Told to the person through the same delivery as staff replies (web chat and Telegram).
    "claimed_notice": {
        "nb": "En ansatt i bydel {district} har tatt saken. Svaret kommer her.",
        "nn": "Ein tilsett i bydel {district} har teke saka. Svaret kjem her.",
        "en": "A staff member in {district} district has taken the case. The answer comes here.",
    },
    "resolved_notice": {
        "nb": (
            "Saken er avsluttet. Trenger du mer hjelp, kan du spørre meg igjen her, "
            "eller be om å få snakke med bydelen på nytt."
        ),
        "nn": (
            "Saka er avslutta. Treng du meir hjelp, kan du spørje meg igjen her, "
            "eller be om å få snakke med bydelen på nytt."
        ),
        "en": (
            "The case is closed. If you need more help, you can ask me again here, "
            "or ask to talk to the district again."
        ),
    },
    # The chat gateway (bokmål only): a national ID number was masked in the person's message.
    "masked_notice": {
        "nb": (
            "Jeg har fjernet et fødselsnummer fra meldingen din. "
            "Vi trenger det ikke, og det blir ikke lagret."
        ),
    },
    # Why the assistant did not answer; also the 503's `detail`.
    "assistant_down": {
        "nb": (
            "Assistenten svarer ikke akkurat nå. Prøv igjen om litt, eller ring oss. "
            "Haster det, ring legevakten på 116 117. Er det livstruende, ring 113."
        ),
    },
    "assistant_busy": {
        "nb": (
            "Assistenten har mange samtaler akkurat nå. Prøv igjen om noen sekunder. "
            "Haster det, ring legevakten på 116 117. Er det livstruende, ring 113."
        ),
    },
    # A message the gateway refuses; the problem's `detail`, which the channels show as it is.
    "empty_message": {"nb": "Meldingen er tom. Skriv hva du lurer på."},
    "long_message": {"nb": "Meldingen er for lang. Skriv kortere, høyst {max_length} tegn."},
    "too_many_messages": {"nb": "Du sender veldig mange meldinger. Vent litt og prøv igjen."},
    # The catalogue API (bokmål only): a fact nobody could source, and where a place lies.
    "unknown_fact": {"nb": "Ikke kjent. Spør bydelen."},
    "place_found": {"nb": "{place} ligger i bydel {district}."},
    "place_ambiguous": {"nb": "{place} kan høre til {districts}. Spør om gateadressen."},
    "place_unknown": {"nb": "Fant ikke stedet. Spør om bydel eller gateadresse."},
}

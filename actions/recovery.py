"""Turns not understood: confirm a guess, ask again, then offer a person and a number."""

from __future__ import annotations

from actions.answers import Reply, intent_payload
from actions.catalogue import switchboard
from actions.turn import Turn
from core.assistant_texts import say
from core.buttons import Button
from services_catalog.search import GUESS_CUTOFF
from services_catalog.snapshot import CatalogueSnapshot

GIVE_UP_AFTER = 3  # the third turn not understood offers a person and a number


def human_button(turn: Turn) -> Button:
    return Button(say("button_human", turn.language), intent_payload("request_human"))


def missed(turn: Turn) -> int:
    """Count one more turn not understood; return how many in a row."""
    count = int(turn.tracker.get_slot("fallback_count") or 0) + 1
    turn.set("fallback_count", count)
    return count


def give_up(turn: Turn, catalogue: CatalogueSnapshot) -> None:
    """After turns not understood: a person, and a number to call, never another "say again"."""
    city = switchboard(catalogue)
    if city is None or not city.phone:
        turn.send(Reply(say("give_up", turn.language), (human_button(turn),)))
        return
    text = f"{say('give_up', turn.language)} {say('give_up_call', turn.language, phone=city.phone)}"
    turn.send(Reply(text, (human_button(turn),)))


def clarify(turn: Turn, catalogue: CatalogueSnapshot) -> None:
    """Confirm a likely guess, then ask to rephrase, then offer a person and a number."""
    count = missed(turn)
    guess = catalogue.search.search(turn.text, cutoff=GUESS_CUTOFF, with_needs=False)
    if count == 1 and guess:
        service = guess[0].service
        yes = intent_payload("ask_service", service=service.slug)
        turn.send(
            Reply(
                say("clarify_service", turn.language, name=service.name),
                (
                    Button(say("button_yes", turn.language), yes),
                    Button(say("button_no", turn.language), intent_payload("deny")),
                ),
            )
        )
    elif count < GIVE_UP_AFTER:
        turn.say("rephrase")
    else:
        give_up(turn, catalogue)

"""Whole conversations at the action server: topics, pieces, corrections, recovery, length."""

from __future__ import annotations

import re

import pytest

from actions import turn
from actions.answers import WORD_LIMIT, local_answer, service_answer
from actions.catalogue import CatalogueAccess
from actions.catalogue_actions import (
    ActionAnswerService,
    ActionClarify,
    ActionOutOfScope,
    ActionSetDistrict,
    ActionSmallTalk,
    ActionSuggestServices,
)
from actions.handoff import form
from core.language import LANGUAGES
from services_catalog.schemas import FactKind
from services_catalog.snapshot import CatalogueSnapshot
from tests.action_turns import Conversation, texts

ANSWER = ActionAnswerService()
NEED = ActionSuggestServices()
PLACE = ActionSetDistrict()
UNSURE = ActionClarify()
ELSEWHERE = ActionOutOfScope()
SMALL_TALK = ActionSmallTalk()
CAVEATS = ("Kan være endret", "regel for hele landet")


@pytest.fixture(autouse=True)
def catalogue_in_database(loaded_database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(turn, "CATALOGUE", CatalogueAccess(loaded_database_url))


@pytest.fixture
def snapshot(loaded_database_url: str) -> CatalogueSnapshot:
    return CatalogueAccess(loaded_database_url).snapshot()


def words(message: dict[str, object]) -> int:
    return len(str(message.get("text") or "").split())


def titles(said: list[dict[str, object]]) -> list[str]:
    return [b["title"] for m in said for b in (m.get("buttons") or [])]  # type: ignore[attr-defined]


def test_every_bubble_of_every_answer_fits_a_phone_screen(snapshot: CatalogueSnapshot) -> None:
    """28 services x (what it is + 4 aspects) x 3 languages, with and without a district."""
    district = snapshot.districts["ostensjo"]  # has local offers for some services
    aspects = [None, FactKind.cost, FactKind.how_to_apply, FactKind.who, FactKind.where_to_ask]
    longest = 0
    for service in snapshot.services.values():
        for aspect in aspects:
            for language in LANGUAGES:
                for place in (None, district):
                    replies = service_answer(service, language, aspect, place)
                    longest = max(longest, *(len(r.text.split()) for r in replies))
                    assert replies[-1].buttons, (service.slug, aspect)
    assert len(snapshot.services) >= 28
    assert longest <= WORD_LIMIT


def test_local_details_fit_too(snapshot: CatalogueSnapshot) -> None:
    for service in snapshot.services.values():
        for district in snapshot.districts.values():
            for reply in local_answer(service, district, "nb"):
                assert len(reply.text.split()) <= WORD_LIMIT, (service.slug, district.slug)


def test_a_price_question_gets_the_price_first_with_a_short_source_and_one_caveat() -> None:
    said = Conversation().say(ANSWER, "hva koster trygghetsalarm", "ask_service")
    assert said[0]["text"].startswith("Pris for Trygghetsalarm (tall fra 2022): ")
    joined = texts(said)
    assert "275 kr" in joined
    assert re.search(r"Kilde: \[oslo\.kommune\.no, sjekket \d\d\.\d\d\.\d{4}\]\(https://", joined)
    assert sum(joined.count(caveat) for caveat in CAVEATS) <= 1
    assert "En trygghetsalarm er en knapp" not in joined  # the description waits behind a button
    assert "Hva er det?" in titles(said)
    assert all(words(m) <= WORD_LIMIT for m in said)


def test_follow_ups_keep_the_topic_until_another_service_is_named() -> None:
    chat = Conversation()
    chat.say(ANSWER, "Fortell om matombringing", "ask_service")
    assert "Pris for Middagslevering" in texts(chat.say(UNSURE, "og prisen?", "nlu_fallback"))
    assert "Middagslevering:" in texts(chat.say(UNSURE, "hva er det egentlig", "nlu_fallback"))
    said = chat.say(ANSWER, "hvordan søker jeg om dagsenter?", "ask_service")
    assert "Slik søker du om Dagsenter" in texts(said)
    assert "Hvem kan få Dagsenter" in texts(chat.say(UNSURE, "hvem kan få det", "nlu_fallback"))


def test_a_need_and_a_place_in_one_message_keep_both() -> None:
    chat = Conversation()
    said = chat.say(NEED, "Svigermor bor på Tåsen og klarer ikke å vaske huset", "describe_need")
    assert "Praktisk bistand" in texts(said)
    assert "Nordre Aker" in texts(said)
    assert chat.slots["district"] == "nordre-aker"


def test_a_place_with_a_question_is_answered_as_the_question() -> None:
    chat = Conversation()
    said = chat.say(PLACE, "Vi bor på Lambertseter, hva koster hjemmesykepleie?", "inform_district")
    assert said[0]["text"].startswith("Pris for Hjemmesykepleie")
    assert "Nordstrand" in texts(said)
    assert chat.slots == chat.slots | {"district": "nordstrand", "service": "hjemmesykepleie"}


def test_nynorsk_service_and_place_work_like_bokmal() -> None:
    chat = Conversation()
    said = chat.say(ANSWER, "kva kostar tryggleiksalarm? eg bur på sagene", "describe_need")
    assert said[0]["text"].startswith("Detaljane under står på bokmål.")
    assert "Pris for Trygghetsalarm" in texts(said)
    assert "bydel Sagene" in texts(said)
    assert chat.slots["language"] == "nn"


def test_a_pick_among_the_services_offered() -> None:
    chat = Conversation()
    offered = chat.say(NEED, "mor glemmer medisinene sine", "describe_need")
    second = titles(offered)[1]
    said = chat.say(UNSURE, "den andre", "nlu_fallback")
    assert texts(said).startswith(f"{second}:")


def test_not_that_one_the_other_one() -> None:
    chat = Conversation()
    chat.slots["offered"] = ["trygghetsalarm", "forebyggende-hjemmebesok"]
    chat.say(ANSWER, "trygghetsalarm", "ask_service")
    said = chat.say(UNSURE, "nei, ikke den, den andre", "nlu_fallback")
    assert texts(said).startswith("Forebyggende hjemmebesøk:")


def test_a_correction_of_the_district_changes_the_local_answer() -> None:
    chat = Conversation()
    chat.say(ANSWER, "dagsenter på Bøler", "ask_service")
    said = chat.say(ELSEWHERE, "nei unnskyld, hun bor på Majorstuen", "out_of_scope")
    assert chat.slots["district"] == "frogner"
    assert "bydel Frogner" in texts(said)
    assert "Østensjø" not in texts(said)


def test_a_correction_of_the_service() -> None:
    chat = Conversation()
    chat.say(ANSWER, "hva koster fotpleie", "ask_service")
    said = chat.say(ANSWER, "jeg mente fysioterapi", "ask_service")
    assert "Fysioterapi" in texts(said)
    assert chat.slots["service"] == "fysioterapi"


def test_a_sigh_is_not_taken_for_a_place() -> None:
    said = Conversation().say(PLACE, "uff", "inform_district")
    assert "kjenner jeg ikke" not in texts(said)


def test_never_a_loop_a_person_and_a_number_from_the_third_miss_on() -> None:
    chat = Conversation()
    chat.say(UNSURE, "hmm", "nlu_fallback")
    chat.say(ELSEWHERE, "hvem vant kampen", "out_of_scope")
    for text in ("asdfg", "tja tja", "qwerty"):
        said = chat.say(UNSURE, text, "nlu_fallback")
        assert "02180" in said[0]["text"]
        assert said[0]["buttons"][0]["payload"] == "/request_human"
    said = chat.say(ANSWER, "hva koster tt-kort", "ask_service")
    assert said[0]["text"].startswith("Pris for TT-kort")
    assert chat.slots["fallback_count"] == 0


def test_a_yes_or_no_with_nothing_asked_counts_as_not_understood() -> None:
    chat = Conversation()
    chat.say(UNSURE, "ehh", "nlu_fallback")
    chat.say(SMALL_TALK, "tja ...", "affirm")
    said = chat.say(UNSURE, "mmmm", "nlu_fallback")
    assert "02180" in said[0]["text"]
    assert said[0]["buttons"][0]["payload"] == "/request_human"


def test_the_district_details_are_said_once_per_service() -> None:
    chat = Conversation()
    chat.say(ANSWER, "hva er praktisk bistand", "ask_service")
    first = chat.say(PLACE, "jeg bor på Kalbakken", "inform_district")
    assert "ingen egne opplysninger" in texts(first)
    assert "02180" in texts(first)  # a district without contacts is reached via the switchboard
    again = chat.say(UNSURE, "hvordan søker jeg?", "nlu_fallback")
    assert "ingen egne opplysninger" not in texts(again)


def test_english_follow_ups_stay_in_english() -> None:
    chat = Conversation()
    chat.say(ANSWER, "What does a safety alarm cost?", "ask_service")
    said = chat.say(PLACE, "Frogner", "inform_district")
    assert "the district of Frogner" in texts(said)
    assert chat.slots["language"] == "en"


def test_a_question_for_a_number_gets_the_numbers_before_the_form(
    loaded_database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(form, "CATALOGUE", CatalogueAccess(loaded_database_url))
    chat = Conversation()
    chat.slots["district"] = "ullern"
    said = chat.say(
        form.ActionRequestHuman(), "hva er telefonnummeret til bydelen?", "request_human"
    )
    assert said[0]["text"].startswith("Dette er numrene jeg har:")
    assert "917 41 425" in said[0]["text"]  # Ullern's seniorveileder, with its own caveat
    assert "02180" in texts(said)
    assert "avbryt" in said[-1]["text"]  # then the offer to be contacted, which can be stopped


def test_a_follow_up_taken_for_out_of_scope_is_still_about_the_topic() -> None:
    chat = Conversation()
    chat.say(ANSWER, "hva er fotpleie", "ask_service")
    said = chat.say(ELSEWHERE, "kan alle få det, eller må man ha diabetes?", "out_of_scope")
    assert said[0]["text"].startswith("Hvem kan få Fotpleie")
    said = chat.say(ELSEWHERE, "hva koster en pizza?", "out_of_scope")
    assert "Fotpleie" not in texts(said)  # nothing points back: out of scope it is

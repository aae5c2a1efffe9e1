"""The custom actions, run as Rasa runs them, against the catalogue in a real database."""

from __future__ import annotations

import re
from typing import Any

import pytest

from actions import turn
from actions.catalogue import CatalogueAccess
from actions.catalogue_actions import (
    ActionAnswerService,
    ActionClarify,
    ActionEmergency,
    ActionOutOfScope,
    ActionSetDistrict,
    ActionSmallTalk,
    ActionSuggestServices,
)
from tests.action_turns import run, texts


@pytest.fixture(autouse=True)
def catalogue_in_database(loaded_database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(turn, "CATALOGUE", CatalogueAccess(loaded_database_url))


def test_service_question_gets_sourced_facts() -> None:
    said, slots = run(ActionAnswerService(), "Hva koster hjemmesykepleie?", "ask_service")
    text = texts(said)
    assert text.startswith("Pris for Hjemmesykepleie (tall fra 2024): Hjemmesykepleie er gratis.")
    assert re.search(
        r"Kilde: \[oslo\.kommune\.no, sjekket \d\d\.\d\d\.\d{4}\]\(https://\S+\)", text
    )
    assert "Hvordan søker jeg?" in [b["title"] for b in said[-1]["buttons"]]
    assert slots["service"] == "hjemmesykepleie"
    # Only the answer's last message asks "Var dette til hjelp?", about what it answered.
    feedback = {"service": "hjemmesykepleie", "aspect": "cost", "language": "nb"}
    assert [message.get("custom") for message in said] == [{}] * (len(said) - 1) + [
        {"feedback": feedback}
    ]


def test_misspelled_service_with_a_place_names_the_district() -> None:
    said, slots = run(ActionAnswerService(), "trenger hjemmehjlep, bor på Hauketo", "ask_service")
    assert texts(said).startswith("Praktisk bistand:")
    assert "Søndre Nordstrand" in texts(said)
    assert slots["district"] == "sondre-nordstrand"


def test_district_specific_offer_is_shown() -> None:
    said, _ = run(ActionAnswerService(), "dagsenter på Bøler", "ask_service")
    assert "I bydel Østensjø:" in texts(said)
    assert "902 39 268" in texts(said)


def test_missing_district_is_asked_for_when_it_matters() -> None:
    said, _ = run(ActionAnswerService(), "hva er et dagsenter", "ask_service")
    assert said[-1]["text"].startswith("Hvilken bydel")


def test_unknown_cost_is_said_plainly() -> None:
    said, _ = run(ActionAnswerService(), "hva koster matombringing", "ask_service")
    assert "Pris for Middagslevering: Ikke kjent. Spør bydelen." in texts(said)


def test_buttons_offer_the_other_facts() -> None:
    said, _ = run(ActionAnswerService(), "trygghetsalarm", "ask_service")
    payloads = [b["payload"] for m in said for b in (m.get("buttons") or [])]
    assert '/ask_service{"service": "trygghetsalarm", "aspect": "who"}' in payloads


def test_a_button_choice_answers_exactly_that() -> None:
    said, _ = run(
        ActionAnswerService(),
        "/ask_service",
        "ask_service",
        entities=[
            {"entity": "service", "value": "tt-kort"},
            {"entity": "aspect", "value": "cost"},
        ],
    )
    assert texts(said).startswith("Pris for TT-kort")
    assert "Slik søker du" not in texts(said)


def test_english_answer_keeps_the_norwegian_name() -> None:
    said, slots = run(
        ActionAnswerService(), "How do I get home nursing for my mother?", "ask_service"
    )
    assert texts(said).startswith("The details below are in Norwegian.")
    assert "How to apply for home nursing (Hjemmesykepleie):" in texts(said)
    assert slots["language"] == "en"


def test_nynorsk_gets_nynorsk() -> None:
    said, slots = run(ActionAnswerService(), "Kva kostar heimehjelp?", "ask_service")
    assert slots["language"] == "nn"
    assert "Detaljane under står på bokmål." in texts(said)


def test_a_described_need_gets_services_to_pick() -> None:
    said, slots = run(ActionSuggestServices(), "mor er så glemsk for tiden", "describe_need")
    assert "Hukommelsesteam" in said[0]["text"]
    assert slots["needs"] == ["hukommelse"]  # counted in the owner's figures
    payloads = [button["payload"] for button in said[0]["buttons"]]
    assert '/ask_service{"service": "hukommelsesteam"}' in payloads


def test_district_is_remembered_and_corrected() -> None:
    said, slots = run(
        ActionSetDistrict(),
        "nei, hun bor på Bøler",
        "inform_district",
        {"service": "dagsenter"},
    )
    assert slots["district"] == "ostensjo"
    assert "bydel Østensjø" in texts(said)
    assert "I bydel Østensjø:" in texts(said)


def test_a_straddling_place_is_asked_about() -> None:
    said, slots = run(ActionSetDistrict(), "Torshov", "inform_district")
    assert "district" not in slots
    assert {b["title"] for b in said[0]["buttons"]} == {"Sagene", "Grünerløkka"}


def test_a_place_it_does_not_know() -> None:
    said, slots = run(ActionSetDistrict(), "jeg bor i Bergen", "inform_district")
    assert "district" not in slots
    assert "kjenner jeg ikke" in texts(said)


def test_emergency_says_113_first() -> None:
    said, _ = run(ActionEmergency(), "han puster ikke", "emergency")
    assert "113" in said[0]["text"]
    assert "116 117" in said[1]["text"]
    assert not any(message.get("custom") for message in said)  # no "Var dette til hjelp?"


def test_out_of_scope_offers_a_person() -> None:
    said, _ = run(ActionOutOfScope(), "Fortell meg om fotball", "out_of_scope")
    assert "ikke hjelpe med" in said[0]["text"]
    assert said[0]["buttons"][0]["payload"] == "/request_human"


def test_fallback_confirms_then_rephrases_then_offers_a_person() -> None:
    first, slots = run(ActionClarify(), "helsevei", "nlu_fallback")
    assert first[0]["text"] == "Mente du Helseveiviseren?"
    second, slots = run(ActionClarify(), "asdf", "nlu_fallback", slots)
    assert "andre ord" in second[0]["text"]
    third, _ = run(ActionClarify(), "qwerty", "nlu_fallback", slots)
    assert third[0]["buttons"][0]["payload"] == "/request_human"
    assert "02180" in third[0]["text"]  # and a number to call, never a loop


@pytest.mark.parametrize(
    ("text", "intent", "answer"),
    [
        ("hva koster det?", "nlu_fallback", "Pris for Praktisk bistand"),
        ("og hvordan søker jeg?", "ask_service", "Slik søker du om Praktisk bistand"),
        ("hvem kan få en sånn?", "nlu_fallback", "Hvem kan få Praktisk bistand"),
        ("kva kostar det?", "nlu_fallback", "Pris for Praktisk bistand"),
        ("hva er det egentlig?", "nlu_fallback", "Praktisk bistand: "),
    ],
)
def test_a_follow_up_without_a_name_is_about_the_service_just_discussed(
    text: str, intent: str, answer: str
) -> None:
    action = ActionClarify() if intent == "nlu_fallback" else ActionAnswerService()
    said, slots = run(action, text, intent, {"service": "praktisk-bistand", "fallback_count": 1})
    assert answer in said[0]["text"] or answer in said[1]["text"], texts(said)
    assert slots["fallback_count"] == 0


def test_a_new_topic_or_a_long_message_is_not_taken_as_a_follow_up() -> None:
    said, _ = run(ActionClarify(), "asdf qwerty", "nlu_fallback", {"service": "tt-kort"})
    assert "TT-kort" not in texts(said)
    said, _ = run(
        ActionClarify(),
        "kva kostar tryggleiksalarm?",
        "nlu_fallback",
        {"service": "tt-kort"},
    )
    assert "TT-kort" not in texts(said)  # another service, in nynorsk
    long_text = "jeg lurer på hva det koster å bo i en leilighet i byen for en pensjonist nå"
    said, _ = run(ActionClarify(), long_text, "nlu_fallback", {"service": "tt-kort"})
    assert "TT-kort" not in texts(said)
    said, slots = run(
        ActionAnswerService(),
        "hva koster trygghetsalarm?",
        "ask_service",
        {"service": "tt-kort"},
    )
    assert texts(said).startswith("Pris for Trygghetsalarm")
    assert slots["service"] == "trygghetsalarm"


@pytest.mark.parametrize(
    ("intent", "expected"),
    [("greet", "Hei!"), ("bot_challenge", "datamaskin"), ("ask_capabilities", "hjemmesykepleie")],
)
def test_small_talk(intent: str, expected: str) -> None:
    said, _ = run(ActionSmallTalk(), "hei", intent)
    assert expected in said[0]["text"]
    assert not any(message.get("custom") for message in said)


def test_catalogue_down_is_said_plainly(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    monkeypatch.setattr(turn, "CATALOGUE", CatalogueAccess(f"sqlite:///{tmp_path}/none.db"))
    said, _ = run(ActionAnswerService(), "hjemmesykepleie", "ask_service")
    assert "Prøv igjen om litt" in said[0]["text"]

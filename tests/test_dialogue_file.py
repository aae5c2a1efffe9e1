"""The evaluation conversations in tests/dialogues are well-formed and use only contract names."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

DIALOGUES_FILE = Path(__file__).parent / "dialogues" / "conversations.yml"
CONTRACT = Path(__file__).parents[2] / "shared" / "contract"
DEV_DIALOGUES = Path(__file__).parents[2] / "shared" / "eval" / "dev_dialogues.yml"
CATEGORIES = {"ctx", "dist", "corr", "comp", "rec", "emg", "lang", "plain", "hand"}
EXPECTATIONS = {
    "services",
    "not_services",
    "district",
    "emergency",
    "no_emergency",
    "contains_any",
    "contains_none",
    "regex",
    "buttons",
    "forwarded",
    "max_words",
    "answered",
}
# Longer messages must not occur anywhere in the dev file, not even inside another message.
MIN_WORDS_FOR_ORIGINALITY = 4


def load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def dialogues() -> list[dict[str, Any]]:
    return list(load(DIALOGUES_FILE)["dialogues"])


def contract_slugs(file_name: str, key: str) -> set[str]:
    return {entry["slug"] for entry in load(CONTRACT / file_name)[key]}


def turns(dialogues: list[dict[str, Any]]) -> list[tuple[str, dict[str, Any]]]:
    return [(dialogue["id"], turn) for dialogue in dialogues for turn in dialogue["turns"]]


def test_there_are_enough_dialogues_with_unique_ids(dialogues: list[dict[str, Any]]) -> None:
    assert len(dialogues) >= 60
    repeated = [name for name, count in Counter(d["id"] for d in dialogues).items() if count > 1]
    assert repeated == []


def test_every_category_is_a_known_one(dialogues: list[dict[str, Any]]) -> None:
    categories = {dialogue["id"].split("-", 1)[0] for dialogue in dialogues}
    assert categories == CATEGORIES


def test_every_turn_says_or_presses_and_expects_known_things(
    dialogues: list[dict[str, Any]],
) -> None:
    for dialogue_id, turn in turns(dialogues):
        assert ("say" in turn) != ("press" in turn), dialogue_id
        assert set(turn) <= {"say", "press", "expect"}, dialogue_id
        assert set(turn.get("expect", {})) <= EXPECTATIONS, dialogue_id


def test_services_and_districts_exist_in_the_contract(dialogues: list[dict[str, Any]]) -> None:
    services = contract_slugs("services.yml", "services")
    districts = contract_slugs("districts.yml", "districts")
    for dialogue_id, turn in turns(dialogues):
        expect = turn.get("expect", {})
        named = set(expect.get("services", [])) | set(expect.get("not_services", []))
        assert named <= services, dialogue_id
        if "district" in expect:
            assert expect["district"] in districts, dialogue_id


def said_in(node: Any) -> set[str]:
    """Every `say` text anywhere in a parsed YAML document, casefolded."""
    if isinstance(node, dict):
        own = {node["say"].casefold()} if isinstance(node.get("say"), str) else set()
        return own.union(*(said_in(value) for value in node.values()))
    if isinstance(node, list):
        return set().union(*(said_in(item) for item in node))
    return set()


def test_no_message_is_copied_from_the_dev_dialogues(dialogues: list[dict[str, Any]]) -> None:
    dev_text = DEV_DIALOGUES.read_text(encoding="utf-8")
    dev_says = said_in(yaml.safe_load(dev_text))
    copied = [
        turn["say"]
        for _, turn in turns(dialogues)
        if "say" in turn
        and (
            turn["say"].casefold() in dev_says
            or (
                len(turn["say"].split()) >= MIN_WORDS_FOR_ORIGINALITY
                and turn["say"].casefold() in dev_text.casefold()
            )
        )
    ]
    assert copied == []

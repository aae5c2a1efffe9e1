"""Every text is there in bokmål, nynorsk and English, and every text the code asks for exists.

A missing text must fail here, not when a person is waiting for the answer.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from actions.catalogue_actions import SMALL_TALK
from actions.handoff.form import AskAction
from api import texts as api_texts
from core import assistant_texts as assistant
from core import texts as core_texts
from core.config import ROOT
from core.language import LANGUAGES, Language
from core.safety.messages import ALERT_KEYS, SAFETY_TEXTS

TEXT_MODULES: dict[str, dict[str, dict[Language, str]]] = {
    "core/assistant_texts.py": assistant.TEXTS,
    "core/texts.py": core_texts.TEXTS,
    "api/texts.py": api_texts.TEXTS,
}
# Said where no language is known (the chat gateway, the catalogue API): bokmål only.
BOKMAL_ONLY = {
    ("api/texts.py", key)
    for key in (
        "masked_notice",
        "assistant_down",
        "assistant_busy",
        "empty_message",
        "long_message",
        "too_many_messages",
        "unknown_fact",
        "place_found",
        "place_ambiguous",
        "place_unknown",
    )
}
# say("key", …), turn.say("key"), say_switchboard(turn, "key"): a key written in the code.
SAID = re.compile(r"\bsay(?:_switchboard)?\((?:[^()\"']*,\s*)?[\"']([a-z_]+)[\"']")
TEXTS_SAID = re.compile(r"\bTEXTS\[\"([a-z_]+)\"\]")


def keys_in(folder: str, pattern: re.Pattern[str]) -> set[str]:
    return {
        key
        for path in sorted(Path(ROOT, folder).rglob("*.py"))
        for key in pattern.findall(path.read_text("utf-8"))
    }


@pytest.mark.parametrize(
    ("home", "key"), [(home, key) for home, texts in TEXT_MODULES.items() for key in texts]
)
def test_every_text_is_in_every_language(home: str, key: str) -> None:
    versions = TEXT_MODULES[home][key]
    languages: set[Language] = {"nb"} if (home, key) in BOKMAL_ONLY else set(LANGUAGES)
    assert set(versions) == languages, (home, key)
    assert all(versions[language] for language in languages - {"nb"}), (home, key)


@pytest.mark.parametrize("names", [core_texts.WEEKDAYS, core_texts.MONTHS])
def test_every_day_and_month_has_a_name_in_every_language(
    names: dict[Language, tuple[str, ...]],
) -> None:
    assert set(names) == set(LANGUAGES)
    assert len({len(versions) for versions in names.values()}) == 1


def test_every_key_the_assistant_says_has_a_text() -> None:
    said = keys_in("actions", SAID)
    said |= set(SMALL_TALK.values()) | {"capabilities"}
    for ask in AskAction.__subclasses__():
        said |= {f"ask_{ask.slot}", *ask.buttons}
    assert len(said) >= 40  # the scan finds the keys: it is not vacuously true
    assert sorted(said - set(assistant.TEXTS)) == []


def test_every_key_the_core_says_has_a_text() -> None:
    said = keys_in("core", TEXTS_SAID)
    assert said == set(core_texts.TEXTS)
    assert set(ALERT_KEYS) <= set(SAFETY_TEXTS)


def test_every_key_the_api_says_has_a_text() -> None:
    assert keys_in("api", TEXTS_SAID) == set(api_texts.TEXTS)

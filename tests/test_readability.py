"""Plain language: every bokmål text a person can see is easy to read.

LIX = words per sentence + the share (in %) of words longer than six letters.
Below 30 is very easy; 30-40 is easy (simple fiction, news for young readers).
LIX says little about a text of a few words (a button, a label): those must use short words.
"""

from __future__ import annotations

import re
from datetime import date, time

import pytest

from bot.telegram import texts as telegram
from core.office_hours import AnswerExpectation, describe_expectation
from services_catalog.loader import Catalogue
from services_catalog.schemas import FactKind
from tests.test_texts import TEXT_MODULES

LIMIT = 40.0
SENTENCE_WORDS = 6  # from this many words on, a text is judged by its LIX
SHORT_WORD_LETTERS = 10  # a shorter text: every word at most this long
WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")

# Catalogue facts are harder: the law and the districts' own words. A ratchet, not a goal:
# neither the hardest fact nor the number of facts above LIMIT may grow (measured 2026-12-04).
FACT_CEILING = 70.0  # tt-kort, legal_basis
FACTS_ABOVE_LIMIT = 30  # of 106 fact texts


def lix(text: str) -> float:
    text = re.sub(r"\{[a-z_]+\}", "Alna", text)
    words = WORD.findall(text)
    sentences = max(1, len(re.findall(r"[.!?:]+(?:\s|$)", text)))
    long_words = sum(len(word) > 6 for word in words)
    return len(words) / sentences + 100 * long_words / len(words)


def test_lix_of_known_texts() -> None:
    # 8 words, 2 sentences, 1 long word ("Holmlia"): 8 / 2 + 100 * 1 / 8
    assert lix("Jeg bor i Oslo. Hun bor på Holmlia.") == pytest.approx(16.5)


def answer_expectations() -> dict[str, str]:
    """Every form of "when to expect an answer", as the handoff receipt says it."""
    monday = date(2026, 12, 7)
    forms = {
        "later_today": AnswerExpectation(monday, today=True, opens_later_today=True),
        "today": AnswerExpectation(monday, today=True, opens_later_today=False),
        "another_day": AnswerExpectation(monday, today=False, opens_later_today=False),
        "at_half_past": AnswerExpectation(monday, True, True, time(8, 30)),
    }
    return {key: describe_expectation(form, "nb") for key, form in forms.items()}


def telegram_texts() -> dict[str, str]:
    """What the Telegram bridge itself says."""
    said = {name: value for name, value in vars(telegram).items() if name.isupper()}
    shown = {name: value for name, value in said.items() if isinstance(value, str)}
    shown |= {f"command_{command}": about for command, about in telegram.COMMANDS}
    shown["unavailable"] = telegram.unavailable("21 80 21 80")
    shown["unavailable_no_number"] = telegram.unavailable(None)
    return shown


SEEN: dict[str, str] = {
    **{
        f"{home}:{key}": versions["nb"]
        for home, texts in TEXT_MODULES.items()
        for key, versions in texts.items()
        if versions["nb"]
    },
    **{f"office_hours.{key}": text for key, text in answer_expectations().items()},
    **{f"telegram.{key}": text for key, text in telegram_texts().items()},
}
SENTENCES = {key: text for key, text in SEEN.items() if len(WORD.findall(text)) >= SENTENCE_WORDS}
SHORT = {key: text for key, text in SEEN.items() if key not in SENTENCES}


def test_every_kind_of_text_is_covered() -> None:
    assert len(SEEN) >= 80
    assert all(
        f"{home}:{key}" in SEEN
        for home, texts in TEXT_MODULES.items()
        for key, versions in texts.items()
        if versions["nb"]
    )
    assert "telegram.ERASE_QUESTION" in SENTENCES
    assert "core/texts.py:answer_later_today" in SENTENCES
    assert "api/texts.py:masked_notice" in SENTENCES
    assert "core/assistant_texts.py:button_human" in SHORT


@pytest.mark.parametrize("key", sorted(SENTENCES))
def test_every_sentence_is_easy_to_read(key: str) -> None:
    assert lix(SENTENCES[key]) <= LIMIT, (key, round(lix(SENTENCES[key]), 1))


@pytest.mark.parametrize("key", sorted(SHORT))
def test_every_button_and_label_uses_short_words(key: str) -> None:
    long = [word for word in WORD.findall(SHORT[key]) if len(word) > SHORT_WORD_LETTERS]
    assert long == [], key


def test_service_summaries_are_easy_to_read(catalogue: Catalogue) -> None:
    hard = {
        s.slug: round(lix(s.summary.nb), 1) for s in catalogue.services if lix(s.summary.nb) > LIMIT
    }
    assert hard == {}


def test_catalogue_facts_get_no_harder_to_read(catalogue: Catalogue) -> None:
    scores = {
        f"{service.slug}.{kind}": round(lix(fact.text), 1)
        for service in catalogue.services
        for kind in FactKind
        if (fact := service.fact(kind)) is not None
    }
    report = "\n".join(f"{score:5.1f}  {key}" for key, score in sorted(scores.items()))
    print(f"\nLIX of {len(scores)} catalogue facts:\n{report}")
    assert max(scores.values()) <= FACT_CEILING, report
    assert sum(score > LIMIT for score in scores.values()) <= FACTS_ABOVE_LIMIT, report

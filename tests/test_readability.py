"""Plain language: the readability index LIX of every bokmål text stays at 40 or below.

LIX = words per sentence + the share (in %) of words longer than six letters.
Below 30 is very easy; 30-40 is easy (simple fiction, news for young readers).
"""

from __future__ import annotations

import re

import pytest

from actions.texts import TEXTS
from services_catalog.loader import Catalogue

LIMIT = 40.0
WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


def lix(text: str) -> float:
    text = re.sub(r"\{[a-z_]+\}", "Alna", text)
    words = WORD.findall(text)
    sentences = max(1, len(re.findall(r"[.!?:]+(?:\s|$)", text)))
    long_words = sum(len(word) > 6 for word in words)
    return len(words) / sentences + 100 * long_words / len(words)


def test_lix_of_known_texts() -> None:
    # 8 words, 2 sentences, 1 long word ("Holmlia"): 8 / 2 + 100 * 1 / 8
    assert lix("Jeg bor i Oslo. Hun bor på Holmlia.") == pytest.approx(16.5)


SENTENCES = {
    key: versions["nb"] for key, versions in TEXTS.items() if len(WORD.findall(versions["nb"])) >= 6
}


@pytest.mark.parametrize("key", sorted(SENTENCES))
def test_every_reply_is_easy_to_read(key: str) -> None:
    assert lix(SENTENCES[key]) <= LIMIT, (key, round(lix(SENTENCES[key]), 1))


def test_service_summaries_are_easy_to_read(catalogue: Catalogue) -> None:
    hard = {
        s.slug: round(lix(s.summary.nb), 1) for s in catalogue.services if lix(s.summary.nb) > LIMIT
    }
    assert hard == {}

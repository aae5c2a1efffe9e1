"""Every fact kind is whole: the texts built from its name exist, and people can ask for it."""

from __future__ import annotations

import pytest

from actions.answers import ASPECT_WORDS, BUTTON_ASPECTS, button_key, detect_aspect, heading_key
from core.assistant_texts import TEXTS
from core.language import LANGUAGES
from services_catalog.schemas import FactKind


@pytest.mark.parametrize("kind", list(FactKind))
def test_every_fact_kind_has_a_heading_in_every_language(kind: FactKind) -> None:
    versions = TEXTS.get(heading_key(kind), {})
    assert all(versions.get(language) for language in LANGUAGES), kind


@pytest.mark.parametrize("aspect", BUTTON_ASPECTS)
def test_every_button_has_a_title_in_every_language(aspect: FactKind | None) -> None:
    versions = TEXTS.get(button_key(aspect), {})
    assert all(versions.get(language) for language in LANGUAGES), aspect


@pytest.mark.parametrize("kind", list(FactKind))
def test_every_fact_kind_can_be_asked_for_in_words(kind: FactKind) -> None:
    assert any(detect_aspect(stem) is kind for stem in ASPECT_WORDS.get(kind, ())), kind

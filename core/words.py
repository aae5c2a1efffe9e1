"""Word lists that messages are matched against: YAML content, validated when a module loads.

The files live in `services_catalog/content/words/`, beside the need vocabularies, so that
people who are not programmers can edit them. A missing, misspelt or unfolded word list
stops the import with a message naming the file, the place and the problem.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Annotated, Any, TypeVar

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from core.config import ROOT
from core.text import fold

WORDS_DIR = ROOT / "services_catalog" / "content" / "words"


def _folded(word: str) -> str:
    if not word or fold(word) != word:
        raise ValueError(f"{word!r} must be written folded, as {fold(word)!r}")
    return word


# A word or phrase as messages are compared: lower case, æ->ae, ø->o, å->a, no punctuation.
Folded = Annotated[str, AfterValidator(_folded)]
Words = Annotated[tuple[Folded, ...], Field(min_length=1)]
Model = TypeVar("Model", bound="WordLists")


class WordLists(BaseModel):
    """Strict base: an unknown key is a typo, and a typo must not pass silently."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def require_keys(table: Mapping[Any, object], keys: Iterable[object], where: str) -> None:
    """Raise unless the word table `where` has words for every one of `keys`."""
    missing = [str(key) for key in keys if key not in table]
    if missing:
        raise ValueError(f"{where}: no words for {', '.join(missing)}")


class WordListError(Exception):
    """A word list file that cannot be read or does not validate."""


def load_words(file_name: str, model: type[Model], folder: Path = WORDS_DIR) -> Model:
    """The word lists of `folder / file_name`, validated; `WordListError` names every problem."""
    path = folder / file_name
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise WordListError(f"{path}: {error}") from error
    try:
        return model.model_validate(data)
    except ValidationError as error:
        problems = [f"{path}: {_where(item['loc'])}: {item['msg']}" for item in error.errors()]
        raise WordListError("\n".join(problems)) from None


def _where(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc) or "(top level)"

"""The word lists in services_catalog/content/words/: they validate, and editing them is enough.

A new word in a file changes what the assistant understands, with no code changed; a broken
file stops the import with a message that says where and what.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from actions.answers import AnswerWords, detect_aspect
from actions.handoff.answers import FOR_WHOM, HandoffWords, choose, wants_to_cancel
from actions.understanding import ORDINALS, UnderstandingWords, tells_where_they_live
from core.config import ROOT
from core.language import LanguageMarkers, detect_language
from core.words import WORDS_DIR, WordListError, WordLists, load_words

FILES: dict[str, type[WordLists]] = {
    "languages.yml": LanguageMarkers,
    "answers.yml": AnswerWords,
    "handoff.yml": HandoffWords,
    "understanding.yml": UnderstandingWords,
}
# Run in a copy of the code with edited word lists: what each detection makes of a message.
PROBE = """
import json
from actions.answers import detect_aspect
from actions.handoff.answers import FOR_WHOM, choose, wants_to_cancel
from actions.understanding import tells_where_they_live
from core.language import detect_language
print(json.dumps([
    detect_language("kjempefint"),
    detect_aspect("hvor mange kroner?"),
    choose("min svoger", FOR_WHOM),
    wants_to_cancel("slutt"),
    tells_where_they_live("hun holder til på Tøyen"),
]))
"""


def edit(path: Path, change: Any) -> None:
    data = yaml.safe_load(path.read_text("utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")


@pytest.mark.parametrize("file_name", FILES)
def test_every_word_list_file_validates(file_name: str) -> None:
    load_words(file_name, FILES[file_name])


def test_every_file_in_the_folder_is_a_word_list() -> None:
    assert sorted(path.name for path in WORDS_DIR.iterdir()) == sorted(FILES)


def test_a_new_word_in_the_content_changes_detection(tmp_path: Path) -> None:
    before = [
        detect_language("kjempefint"),
        detect_aspect("hvor mange kroner?"),
        choose("min svoger", FOR_WHOM),
        wants_to_cancel("slutt"),
        tells_where_they_live("hun holder til på Tøyen"),
    ]
    assert before == ["nb", "where_to_ask", None, False, False]
    for package in ("core", "actions", "services_catalog"):
        ignore = shutil.ignore_patterns("__pycache__")
        shutil.copytree(ROOT / package, tmp_path / package, ignore=ignore)
    words = tmp_path / WORDS_DIR.relative_to(ROOT)
    edit(words / "languages.yml", lambda data: data["nn"].append("kjempefint"))
    # Phrases are tried before stems: "mange kroner" now asks for the price, not the place.
    edit(words / "answers.yml", lambda data: data["aspect_phrases"].update(cost=["mange kroner"]))
    edit(words / "handoff.yml", lambda data: data["for_whom"]["relative"].append("svoger"))
    edit(words / "handoff.yml", lambda data: data["cancel"].append("slutt"))
    edit(words / "understanding.yml", lambda data: data["residence_stems"].append("holder"))
    run = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout) == ["nn", "cost", "relative", True, True]


@pytest.mark.parametrize(
    ("file_name", "change", "problem"),
    [
        (
            "handoff.yml",
            lambda data: data["agrees"].pop("unsure"),
            "handoff.yml: (top level): Value error, agrees: no words for unsure",
        ),
        (
            "handoff.yml",
            lambda data: data["consent"].update(maybe=["kanskje"]),
            "handoff.yml: consent.maybe.[key]: Input should be 'no' or 'yes'",
        ),
        (
            "answers.yml",
            lambda data: data["aspect_words"].pop("legal_basis"),
            "answers.yml: (top level): Value error, aspect_words: no words for legal_basis",
        ),
        (
            "answers.yml",
            lambda data: data["aspect_words"].update(price=["pris"]),
            "answers.yml: aspect_words.price.[key]: Input should be 'who', 'how_to_apply'",
        ),
        (
            "languages.yml",
            lambda data: data.pop("nn"),
            "languages.yml: nn: Field required",
        ),
        (
            "languages.yml",
            lambda data: data["nb"].append("Også"),
            "languages.yml: nb.28: Value error, 'Også' must be written folded, as 'ogsa'",
        ),
        (
            "languages.yml",
            lambda data: data.update(sv=["jag"]),
            "languages.yml: sv: Extra inputs are not permitted",
        ),
        (
            "handoff.yml",
            lambda data: data.update(cancel=[]),
            "handoff.yml: cancel: Tuple should have at least 1 item",
        ),
        (
            "understanding.yml",
            lambda data: data["ordinals"].update({0: ["nullte"]}),
            "understanding.yml: (top level): Value error, ordinals: places count from 1",
        ),
        (
            "understanding.yml",
            lambda data: data["ordinals"][3].append("andre"),
            "understanding.yml: (top level): Value error, ordinals: andre picks more than one",
        ),
    ],
)
def test_a_broken_word_list_fails_loudly(
    tmp_path: Path, file_name: str, change: Any, problem: str
) -> None:
    shutil.copytree(WORDS_DIR, tmp_path, dirs_exist_ok=True)
    edit(tmp_path / file_name, change)
    with pytest.raises(WordListError) as error:
        load_words(file_name, FILES[file_name], tmp_path)
    assert problem in str(error.value)


def test_ordinals_count_places_from_one_and_the_last_from_minus_one() -> None:
    assert [ORDINALS[word] for word in ("forste", "andre", "3", "fourth", "siste")] == [
        0,
        1,
        2,
        3,
        -1,
    ]


def test_a_missing_word_list_fails_loudly(tmp_path: Path) -> None:
    with pytest.raises(WordListError, match=r"handoff\.yml"):
        load_words("handoff.yml", HandoffWords, tmp_path)

"""A broken content file is rejected with its file and field, and nothing is loaded."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from services_catalog.loader import CONTENT_DIR, CatalogueError, load_catalogue


@pytest.fixture
def content(tmp_path: Path) -> Path:
    copy = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, copy)
    return copy


def _problems(content: Path) -> list[str]:
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(content)
    return caught.value.problems


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), "utf-8")


def test_the_repository_content_is_valid() -> None:
    assert len(load_catalogue().services) >= 28


def test_yaml_syntax_error_names_file_line_and_column(content: Path) -> None:
    path = content / "services" / "dagsenter.yml"
    path.write_text("slug: dagsenter\nname: [unclosed\n", "utf-8")
    [problem] = _problems(content)
    assert problem.startswith("services/dagsenter.yml: line ")
    assert "column" in problem


def test_wrong_type_names_file_and_field(content: Path) -> None:
    _edit(content / "services" / "hjemmesykepleie.yml", "year: 2024", "year: last year")
    [problem] = _problems(content)
    assert problem.startswith("services/hjemmesykepleie.yml: cost.year:")


def test_unknown_key_is_a_typo_not_silence(content: Path) -> None:
    _edit(content / "services" / "hjemmesykepleie.yml", "how_to_apply:", "how_to_aply:")
    problems = _problems(content)
    assert "services/hjemmesykepleie.yml: how_to_aply: Extra inputs are not permitted" in problems


def test_confirmed_fact_without_source_is_rejected(content: Path) -> None:
    path = content / "services" / "hjemmesykepleie.yml"
    lines = path.read_text("utf-8").splitlines(keepends=True)
    who = lines.index(next(line for line in lines if line.startswith("who:")))
    del lines[who + 2]  # the `source:` line of `who`
    path.write_text("".join(lines), "utf-8")
    problem = "who: Value error, without a source URL, certainty must be uncertain or general"
    assert f"services/hjemmesykepleie.yml: {problem}" in _problems(content)


def test_unknown_need_and_district_are_cross_checked(content: Path) -> None:
    _edit(content / "services" / "hjemmesykepleie.yml", "needs: [medisiner", "needs: [medisinn")
    problems = _problems(content)
    assert "services/hjemmesykepleie.yml: needs[0]: unknown need 'medisinn'" in problems


def test_every_problem_is_reported_at_once(content: Path) -> None:
    (content / "needs.yml").write_text("", "utf-8")
    (content / "services" / "fotpleie.yml").write_bytes(b"\xff\xfe binary")
    problems = _problems(content)
    assert "needs.yml: file is empty" in problems
    assert any(p.startswith("services/fotpleie.yml: not UTF-8") for p in problems)


def test_slug_must_match_file_name(content: Path) -> None:
    shutil.copy(content / "services" / "fotpleie.yml", content / "services" / "fotpleie-2.yml")
    problems = _problems(content)
    assert "services/fotpleie-2.yml: slug: 'fotpleie' must match the file name" in problems


def test_a_fake_phone_number_is_rejected(content: Path) -> None:
    contacts = content / "contacts.yml"
    _edit(contacts, "phone: ", "phone: call-me-maybe #")
    assert any("is not a phone number" in p for p in _problems(content))

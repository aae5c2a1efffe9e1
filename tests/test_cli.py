"""`python -m services_catalog validate|load|export`, run as the service owner would."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from services_catalog.loader import CONTENT_DIR

ROOT = Path(__file__).resolve().parent.parent


def _cli(*args: str, database_url: str | None = None) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "services_catalog", *args]
    if database_url:
        command += ["--database-url", database_url]
    return subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )


def test_validate_reports_what_it_read() -> None:
    result = _cli("validate")
    assert result.returncode == 0, result.stderr
    assert "15 districts" in result.stdout


def test_load_then_export_then_load_again(empty_database_url: str) -> None:
    first = _cli("load", database_url=empty_database_url)
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("Loaded ")
    again = _cli("load", database_url=empty_database_url)
    assert again.stdout.startswith("Already up to date:")
    exported = _cli("export", database_url=empty_database_url)
    document = json.loads(exported.stdout)
    assert {s["slug"] for s in document["services"]} >= {"hjemmesykepleie", "legevakt"}
    assert document["ambiguous_neighbourhoods"]["Torshov"] == ["grunerlokka", "sagene"]


def test_a_broken_file_loads_nothing(empty_database_url: str, tmp_path: Path) -> None:
    assert _cli("load", database_url=empty_database_url).returncode == 0
    before = _cli("export", database_url=empty_database_url).stdout
    broken = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, broken)
    (broken / "services" / "legevakt.yml").write_text("slug: legevakt\nname: [\n", "utf-8")
    result = _cli("load", "--content", str(broken), database_url=empty_database_url)
    assert result.returncode == 1
    assert "services/legevakt.yml: line" in result.stderr
    assert "Nothing was loaded" in result.stderr
    assert _cli("export", database_url=empty_database_url).stdout == before


def test_export_of_an_empty_database_explains(tmp_path: Path) -> None:
    result = _cli("export", database_url=f"sqlite:///{tmp_path / 'none.db'}")
    assert result.returncode == 1
    assert "No catalogue is loaded" in result.stderr

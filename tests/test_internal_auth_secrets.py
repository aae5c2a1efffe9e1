"""The shared secrets: made once, mode 600, the same for processes that start together."""

from __future__ import annotations

import stat
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from core.secrets import bearer, bearer_matches, read_or_create_secret, write_secret


def test_processes_starting_together_agree_on_one_secret(tmp_path: Path) -> None:
    folder = tmp_path / "secrets"
    with ProcessPoolExecutor(8) as pool:
        made = list(pool.map(read_or_create_secret, [folder] * 32, ["shared.token"] * 32))
    assert len(set(made)) == 1
    assert len(made[0]) >= 40
    assert [p.name for p in folder.iterdir()] == ["shared.token"]
    assert stat.S_IMODE((folder / "shared.token").stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_a_written_secret_replaces_the_old_one_with_mode_600(tmp_path: Path) -> None:
    path = tmp_path / "endpoints.yml"
    path.write_text("old", "utf-8")
    path.chmod(0o644)
    write_secret(path, "new")
    assert path.read_text("utf-8") == "new\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_only_the_exact_bearer_secret_matches() -> None:
    assert bearer_matches(bearer("s3cret")["Authorization"], "s3cret")
    assert bearer_matches("bearer s3cret", "s3cret")
    for header in (None, "", "Bearer", "Bearer s3cre", "Bearer s3cretX", "Basic s3cret"):
        assert not bearer_matches(header, "s3cret")
    assert not bearer_matches("Bearer ", "")

"""The launcher turns Rasa's anonymous usage telemetry off (the running Rasa is checked in
test_internal_auth.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.launch import rasa_environment
from core.config import Settings
from tests.rasa_telemetry import home_that_said_yes, telemetry_enabled


def test_the_launcher_turns_telemetry_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RASA_TELEMETRY_ENABLED", raising=False)
    home = home_that_said_yes(tmp_path / "home")
    assert telemetry_enabled({}, home)
    environment = rasa_environment(Settings(secrets_dir=tmp_path / "secrets"))
    assert not telemetry_enabled(environment, home)

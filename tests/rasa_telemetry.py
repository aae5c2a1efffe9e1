"""Asking Rasa itself whether its anonymous usage telemetry is on."""

from __future__ import annotations

import subprocess
from pathlib import Path

from core.config import ROOT

RASA_PYTHON = ROOT / ".venv" / "rasa" / "bin" / "python"
ASK = "import rasa.telemetry; print(rasa.telemetry.is_telemetry_enabled())"


def home_that_said_yes(folder: Path) -> Path:
    """A home whose user once said yes to Rasa's telemetry."""
    config = folder / ".config" / "rasa"
    config.mkdir(parents=True)
    (config / "global.yml").write_text(
        "metrics:\n  enabled: true\n  rasa_user_id: someone\n  date: 2026-01-01\n", "utf-8"
    )
    return folder


def telemetry_enabled(environment: dict[str, str], home: Path) -> bool:
    """What Rasa decides in `environment`, for the user in `home`."""
    result = subprocess.run(
        [str(RASA_PYTHON), "-c", ASK],
        env={**environment, "HOME": str(home), "TF_CPP_MIN_LOG_LEVEL": "3"},
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return result.stdout.strip().splitlines()[-1] == "True"


def process_environment(pid: int) -> dict[str, str]:
    raw = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    return dict(item.decode().split("=", 1) for item in raw if b"=" in item)

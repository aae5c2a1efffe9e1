"""Running a script in Rasa's own virtual environment, as the Rasa server would run it."""

from __future__ import annotations

import json
import os
import subprocess
from typing import Any

from bot.launch import RASA_PYTHON
from core.config import ROOT

# The Rasa environment's own packages only: not the app's.
RASA_ENVIRONMENT = {
    key: value for key, value in os.environ.items() if key not in {"PYTHONPATH", "VIRTUAL_ENV"}
}


def run_with_rasa(script: str, payload: Any, failure: str) -> str:
    """Run `script` with Rasa's Python, `payload` as JSON on its standard input; its output."""
    done = subprocess.run(
        [str(RASA_PYTHON), "-c", script],
        input=json.dumps(payload),
        cwd=ROOT,
        env={**RASA_ENVIRONMENT, "RASA_TELEMETRY_ENABLED": "false"},
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, f"{failure}:\n{done.stderr}"
    return done.stdout

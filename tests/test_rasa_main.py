"""Rasa's action-response check, built once, accepts and rejects exactly what Rasa's does."""

from __future__ import annotations

import json
import subprocess

from core.config import ROOT

RESPONSES = [
    {"events": [{"event": "slot", "name": "language", "value": "nb"}], "responses": []},
    {"events": [], "responses": [{"text": "Hei", "buttons": [{"title": "Ja", "payload": "/x"}]}]},
    {"events": "not a list", "responses": []},
    {"events": [{"event": "slot", "value": 1}]},
    {"events": [{"name": "no event"}]},
    {"events": [{"event": "user", "text": 5}]},
    {},
]
COMPARE = """
import json, sys
from jsonschema import ValidationError, validate
from rasa.core.actions.action import RemoteAction
from bot.rasa_main import validate_action_result

def outcome(check, response):
    try:
        check(response)
        return "ok"
    except ValidationError as error:
        return error.message

spec = RemoteAction.action_response_format_spec()
for response in json.loads(sys.stdin.read()):
    print(json.dumps([
        outcome(lambda r: validate(r, spec), response),
        outcome(lambda r: validate_action_result(None, r), response),
    ]))
"""


def test_cached_check_gives_rasas_own_verdicts() -> None:
    result = subprocess.run(
        [str(ROOT / ".venv" / "rasa" / "bin" / "python"), "-c", COMPARE],
        input=json.dumps(RESPONSES),
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "TF_CPP_MIN_LOG_LEVEL": "3"},
        timeout=300,
        check=True,
    )
    verdicts = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(verdicts) == len(RESPONSES)
    assert [rasa == ours or ours.startswith(rasa) for rasa, ours in verdicts] == [True] * len(
        RESPONSES
    )
    assert [rasa for rasa, _ in verdicts][:2] == ["ok", "ok"]
    assert all(rasa != "ok" for rasa, _ in verdicts[2:6])

"""Shared secrets between our own processes, kept as files in the secrets folder (mode 600).

Standard library only: Rasa's environment imports this too.
"""

from __future__ import annotations

import hmac
import os
import secrets
from pathlib import Path

# Rasa's HTTP API (sent by the gateway and the tests as `Authorization: Bearer <secret>`).
RASA_API_SECRET = "rasa-api.token"
# Rasa's calls to the action server (sent by Rasa the same way).
ACTIONS_SECRET = "actions.token"
# How the launcher tells Rasa's process where its API secret is.
RASA_API_SECRET_FILE_VARIABLE = "SENIORVEIVISER_RASA_API_SECRET_FILE"


def _draft(path: Path, value: str) -> Path:
    """`value` in a new mode-600 file next to `path`, under a name no one else uses."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    draft = path.with_name(f".{path.name}.{secrets.token_hex(8)}")
    descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(value + "\n")
    return draft


def write_secret(path: Path, value: str) -> None:
    """Replace `path` with `value` at once; the file is mode 600 from its first byte."""
    draft = _draft(path, value)
    try:
        os.replace(draft, path)
    finally:
        draft.unlink(missing_ok=True)


def read_secret(path: Path) -> str:
    return path.read_text("utf-8").strip()


def read_or_create_secret(folder: Path, name: str) -> str:
    """The secret in `folder/name`, made first if missing.

    Made complete under a draft name, then linked into place: linking fails when the file
    exists, so processes starting at the same time all end up with the first one's secret,
    and none ever reads a half-written file.
    """
    path = folder / name
    if not path.exists():
        draft = _draft(path, secrets.token_urlsafe(32))
        try:
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return read_secret(path)


def bearer_matches(authorization: str | None, secret: str) -> bool:
    """Whether an `Authorization` header carries `secret` as its bearer token (constant time)."""
    scheme, _, token = (authorization or "").partition(" ")
    expected = secret.encode("utf-8")
    provided = token.strip().encode("utf-8")
    return hmac.compare_digest(provided, expected) and scheme.lower() == "bearer" and bool(secret)


def bearer(secret: str) -> dict[str, str]:
    """The header that carries `secret`."""
    return {"Authorization": f"Bearer {secret}"}

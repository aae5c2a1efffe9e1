"""Start Rasa with endpoints derived from our settings: `python -m bot.launch`.

Rasa wants its tracker store and lock store spelled out field by field; we keep one
`DATABASE_URL` and one `REDIS_URL` for everything, so this writes Rasa's endpoints file
from them and then runs Rasa from its own virtual environment (through `bot.rasa_main`).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy.engine import make_url

from core.config import ROOT, Settings, get_settings

RASA_PYTHON = ROOT / ".venv" / "rasa" / "bin" / "python"


def tracker_store(settings: Settings) -> dict[str, Any]:
    """Rasa's SQL tracker store on the same kind of database as the rest."""
    url = make_url(settings.database_url)
    if url.get_backend_name() == "sqlite":
        Path(settings.tracker_sqlite_path).parent.mkdir(parents=True, exist_ok=True)
        return {"type": "SQL", "dialect": "sqlite", "db": settings.tracker_sqlite_path}
    store: dict[str, Any] = {
        "type": "SQL",
        "dialect": "postgresql",
        "url": url.host or "localhost",
        "port": url.port or 5432,
        "db": url.database,
        "username": url.username,
        "password": url.password,
    }
    return {key: value for key, value in store.items() if value is not None}


def lock_store(settings: Settings) -> dict[str, Any] | None:
    """Redis locks when several Rasa processes serve one conversation stream."""
    if not settings.redis_url:
        return None
    url = make_url(settings.redis_url)
    store: dict[str, Any] = {
        "type": "redis",
        "url": url.host or "localhost",
        "port": url.port or 6379,
        "db": int(url.database or 0),
        "password": url.password,
        "key_prefix": "seniorveiviser",
    }
    return {key: value for key, value in store.items() if value is not None}


def endpoints(settings: Settings) -> dict[str, Any]:
    config: dict[str, Any] = {
        # Our actions never read the domain, so Rasa need not serialise it into every call.
        "action_endpoint": {
            "url": f"http://127.0.0.1:{settings.actions_port}/webhook",
            "enable_selective_domain": True,
        },
        "tracker_store": tracker_store(settings),
    }
    locks = lock_store(settings)
    if locks:
        config["lock_store"] = locks
    return config


def rasa_command(settings: Settings, endpoints_file: Path) -> list[str]:
    return [
        str(RASA_PYTHON),
        "-m",
        "bot.rasa_main",
        "run",
        "--model",
        settings.rasa_model,
        "--endpoints",
        str(endpoints_file),
        "--credentials",
        str(ROOT / "bot" / "credentials.yml"),
        "--enable-api",
        "--interface",
        settings.rasa_host,
        "--port",
        str(settings.rasa_port),
    ]


def main() -> None:
    settings = get_settings()
    endpoints_file = ROOT / "var" / f"rasa-endpoints-{settings.rasa_port}.yml"
    endpoints_file.parent.mkdir(parents=True, exist_ok=True)
    endpoints_file.write_text(yaml.safe_dump(endpoints(settings)), encoding="utf-8")
    print(f"Rasa: {settings.rasa_url}  (REST channel at /webhooks/rest/webhook)", flush=True)
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    os.execve(str(RASA_PYTHON), rasa_command(settings, endpoints_file), environment)


if __name__ == "__main__":
    main()

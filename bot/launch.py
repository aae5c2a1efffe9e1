"""Start Rasa with endpoints derived from our settings: `python -m bot.launch`.

Rasa wants its tracker store and lock store spelled out field by field; we keep one
`DATABASE_URL` and one `REDIS_URL` for everything, so this writes Rasa's endpoints file
from them and then runs Rasa from its own virtual environment (through `bot.rasa_main`).
Rasa listens on `RASA_HOST` (loopback by default), with its HTTP API closed by the secret
in `var/secrets/rasa-api.token`, sends `var/secrets/actions.token` with every action
call, and has its anonymous usage telemetry off.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy.engine import make_url

from core.config import ROOT, Settings, get_settings
from core.event_broker import broker_endpoint, ensure_broker_database
from core.secrets import (
    ACTIONS_SECRET,
    RASA_API_SECRET,
    RASA_API_SECRET_FILE_VARIABLE,
    bearer,
    read_or_create_secret,
    write_secret,
)
from core.tracker_store import sql_store_endpoint

RASA_PYTHON = ROOT / ".venv" / "rasa" / "bin" / "python"
# Rasa's Redis lock store, its ticket changes made atomic (bot/lock_store.py).
REDIS_LOCK_STORE = "bot.lock_store.AtomicRedisLockStore"


def tracker_store(settings: Settings) -> dict[str, Any]:
    """Rasa's SQL tracker store on the same kind of database as the rest."""
    if make_url(settings.database_url).get_backend_name() == "sqlite":
        Path(settings.tracker_sqlite_path).parent.mkdir(parents=True, exist_ok=True)
    return sql_store_endpoint(settings.tracker_store_url)


def lock_store(settings: Settings) -> dict[str, Any] | None:
    """Redis locks when several Rasa processes serve one conversation stream."""
    if not settings.redis_url:
        return None
    url = make_url(settings.redis_url)
    store: dict[str, Any] = {
        "type": REDIS_LOCK_STORE,
        "url": url.host or "localhost",
        "port": url.port or 6379,
        "db": int(url.database or 0),
        "password": url.password,
        "key_prefix": "seniorveiviser",
    }
    return {key: value for key, value in store.items() if value is not None}


def endpoints(settings: Settings) -> dict[str, Any]:
    config: dict[str, Any] = {
        "action_endpoint": {
            "url": f"http://{settings.actions_host}:{settings.actions_port}/webhook",
            # The action server answers only calls that carry this secret.
            "headers": bearer(read_or_create_secret(settings.secrets_dir, ACTIONS_SECRET)),
            # Our actions never read the domain, so Rasa need not serialise it into every call.
            "enable_selective_domain": True,
        },
        "tracker_store": tracker_store(settings),
    }
    # Every event Rasa records also goes to its SQL event broker, for the figures (api/stats).
    config["event_broker"] = broker_endpoint(settings)
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


SINGLE_THREADED = (
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "TF_INTER_OP_PARALLELISM_THREADS",
    "TF_INTRA_OP_PARALLELISM_THREADS",
)


def rasa_environment(settings: Settings) -> dict[str, str]:
    """Rasa's environment: ours, plus where its API secret is, and no telemetry."""
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        RASA_API_SECRET_FILE_VARIABLE: str(settings.secrets_dir / RASA_API_SECRET),
        # A municipal service sends nothing anywhere by default.
        "RASA_TELEMETRY_ENABLED": "false",
        # Our log level and format (bot.rasa_main reads LOG_FORMAT; Rasa wants the level's name).
        "LOG_LEVEL": settings.log_level.upper(),
        "LOG_FORMAT": settings.log_format,
        # TensorFlow's C++ start-up chatter (info, "no TensorRT"); its errors still show.
        "TF_CPP_MIN_LOG_LEVEL": os.environ.get("TF_CPP_MIN_LOG_LEVEL", "2"),
        # One thread each for BLAS, OpenMP and TensorFlow: on 2 shared cores, their thread
        # pools cost Rasa 51-331 ms of CPU a turn against 31 ms (bench/gateway_bench.py).
        **{name: os.environ.get(name, "1") for name in SINGLE_THREADED},
    }


def main() -> None:
    settings = get_settings()
    endpoints_file = ROOT / "var" / f"rasa-endpoints-{settings.rasa_port}.yml"
    # It holds the action server's secret (and a database password, if any): mode 600.
    write_secret(endpoints_file, yaml.safe_dump(endpoints(settings)))
    read_or_create_secret(settings.secrets_dir, RASA_API_SECRET)
    ensure_broker_database(settings)
    print(f"Rasa: {settings.rasa_url}  (REST channel at /webhooks/rest/webhook)", flush=True)
    os.umask(0o077)  # Rasa's tracker file (conversations) is readable by us alone
    os.execve(str(RASA_PYTHON), rasa_command(settings, endpoints_file), rasa_environment(settings))


if __name__ == "__main__":
    main()

"""Settings, read from the environment (or a `.env` file) with pydantic-settings."""

from functools import lru_cache
from pathlib import Path
from typing import Literal

from limits import parse_many
from pydantic import field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url

from core.office_hours import OfficeHours

ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Every setting has a default that works on a fresh clone (SQLite, loopback)."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str = f"sqlite:///{ROOT / 'var' / 'seniorveiviser.db'}"
    api_host: str = "127.0.0.1"
    api_port: int = 8000
    catalogue_refresh_seconds: float = 2.0
    log_level: str = "info"
    log_format: Literal["text", "json"] = "text"  # json: one object a line, with request_id
    redis_url: str | None = None
    rasa_host: str = "127.0.0.1"
    rasa_port: int = 5005
    actions_host: str = "127.0.0.1"
    actions_port: int = 5055
    rasa_model: str = str(ROOT / "models" / "seniorveiviser.tar.gz")
    tracker_sqlite_path: str = str(ROOT / "var" / "rasa-tracker.db")
    events_sqlite_path: str | None = None  # Rasa's event broker; else beside the tracker's
    stats_interval_seconds: float = 300.0  # how often the API folds events into figures
    # Scaled set-up: Rasa's events go through RabbitMQ (Rasa's Pika broker), and the stats relay
    # (`python -m api.stats relay`) writes them where the fold reads them. Unset: Rasa's SQL
    # broker writes there itself.
    event_broker_amqp_url: str | None = None  # amqp://user:password@host:5672/vhost
    event_broker_queue: str = "seniorveiviser-events"
    # Handoff to district staff.
    secrets_dir: Path = ROOT / "var" / "secrets"
    assistant_token: str | None = None  # else read from secrets_dir/assistant.token
    staff_token_minutes: int = 30
    handoff_office_hours: str = "08:00-15:00"  # when our district staff answer, Mon-Fri
    retention_days: int = 90
    retention_interval_seconds: float = 3600.0
    outbox_interval_seconds: float = 2.0
    rasa_timeout_seconds: float = 8.0  # then the message gets the same 503 as Rasa being down
    # Abuse limits, in the `limits` package's notation; counted in Redis when REDIS_URL is set.
    # Failed logins: each tier waits longer; the last one locks the account for up to a day.
    login_limits_per_username: str = "5 per minute; 10 per 15 minutes; 20 per day"
    login_limits_per_address: str = "60 per 15 minutes; 1000 per day"  # an office shares one
    login_concurrent_checks: int = 2  # password checks (64 MiB of argon2 each) at a time
    chat_start_limits_per_address: str = "120 per minute; 2000 per day"
    chat_message_limits_per_address: str = "600 per minute; 6000 per day"
    chat_message_limits_per_conversation: str = "30 per minute; 600 per day"
    api_docs: bool = False  # /docs and /redoc (they load scripts from a CDN); /openapi.json stays
    # Under load (see README, "Under load").
    db_pool_size: int = 10
    db_max_overflow: int = 10
    db_pool_timeout_seconds: float = 10.0
    chat_db_threads: int = 4  # of the threadpool's 40, what the chat gateway may take
    assistant_max_in_flight: int = 4  # messages Rasa works on at once; more wait for a slot
    assistant_slot_wait_seconds: float = 2.0  # then the message gets a 503 with Retry-After
    # The assistant is busy: the gateway's own emergency check, for at most this many refused
    # messages a second, each waiting at most this long for the detector; else the 503.
    busy_safety_checks_per_second: float = 2.0
    busy_safety_wait_seconds: float = 1.0
    # Scaled set-up: several Rasa servers (comma-separated URLs); a conversation always goes to
    # the same one (a hash of its id). Empty: the one at RASA_HOST:RASA_PORT.
    rasa_urls: str = ""
    metrics_token: str | None = None  # else read from (or made in) secrets_dir/metrics.token

    @field_validator(
        "login_limits_per_username",
        "login_limits_per_address",
        "chat_start_limits_per_address",
        "chat_message_limits_per_address",
        "chat_message_limits_per_conversation",
    )
    @classmethod
    def _limits_parse(cls, value: str) -> str:
        """A limit `limits` cannot read stops the process at start-up."""
        parse_many(value)
        return value

    @field_validator("handoff_office_hours")
    @classmethod
    def _office_hours_parse(cls, value: str) -> str:
        """A bad value stops the process at start-up, not in the middle of a handoff."""
        OfficeHours.parse(value)
        return value

    @property
    def office_hours(self) -> OfficeHours:
        return OfficeHours.parse(self.handoff_office_hours)

    @property
    def tracker_store_url(self) -> str:
        """Where Rasa keeps conversations: its own SQLite file beside ours, or our PostgreSQL."""
        if make_url(self.database_url).get_backend_name() == "sqlite":
            return f"sqlite:///{self.tracker_sqlite_path}"
        return self.database_url

    @property
    def event_broker_url(self) -> str:
        """Where Rasa's event broker writes: a SQLite file, or a database of its own."""
        url = make_url(self.database_url)
        if url.get_backend_name() == "sqlite":
            path = self.events_sqlite_path or Path(self.tracker_sqlite_path).with_name(
                "rasa-events.db"
            )
            return f"sqlite:///{path}"
        return url.set(database=f"{url.database}_events").render_as_string(hide_password=False)

    @property
    def rasa_url(self) -> str:
        return f"http://{self.rasa_host}:{self.rasa_port}"

    @property
    def rasa_servers(self) -> list[str]:
        """Every Rasa server the gateway talks to."""
        listed = [url.strip().rstrip("/") for url in self.rasa_urls.split(",") if url.strip()]
        return listed or [self.rasa_url]

    @property
    def api_url(self) -> str:
        return f"http://{self.api_host}:{self.api_port}"

    def client_token(self, name: str) -> str | None:
        """A machine client's token: from the environment, else from its file in secrets_dir."""
        if name == "assistant" and self.assistant_token:
            return self.assistant_token
        path = self.secrets_dir / f"{name}.token"
        return path.read_text("utf-8").strip() if path.exists() else None


@lru_cache
def get_settings() -> Settings:
    """The process's settings, read once."""
    return Settings()

"""Settings, read from the environment (or a `.env` file) with pydantic-settings."""

from functools import lru_cache
from pathlib import Path

from pydantic import field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

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
    redis_url: str | None = None
    rasa_host: str = "127.0.0.1"
    rasa_port: int = 5005
    actions_port: int = 5055
    rasa_model: str = str(ROOT / "models" / "seniorveiviser.tar.gz")
    tracker_sqlite_path: str = str(ROOT / "var" / "rasa-tracker.db")
    # Handoff to district staff.
    secrets_dir: Path = ROOT / "var" / "secrets"
    assistant_token: str | None = None  # else read from secrets_dir/assistant.token
    staff_token_minutes: int = 30
    handoff_office_hours: str = "08:00-15:00"  # when our district staff answer, Mon-Fri
    retention_days: int = 90
    retention_interval_seconds: float = 3600.0
    outbox_interval_seconds: float = 2.0
    rasa_timeout_seconds: float = 20.0

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
    def rasa_url(self) -> str:
        return f"http://{self.rasa_host}:{self.rasa_port}"

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

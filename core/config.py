"""Settings, read from the environment (or a `.env` file) with pydantic-settings."""

from functools import lru_cache
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

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

    @property
    def rasa_url(self) -> str:
        return f"http://{self.rasa_host}:{self.rasa_port}"


@lru_cache
def get_settings() -> Settings:
    """The process's settings, read once."""
    return Settings()

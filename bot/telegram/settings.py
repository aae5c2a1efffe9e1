"""The Telegram bridge's settings, read from the environment (or `.env`).

The names are the environment variables themselves (no prefix): `TELEGRAM_BOT_TOKEN`,
`TELEGRAM_MODE`, `SENIORVEIVISER_API_URL` and so on.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from core.config import ROOT

TELEGRAM_API = "https://api.telegram.org/bot"


class TelegramSettings(BaseSettings):
    """Everything has a default except the bot's token, which comes from BotFather."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    telegram_bot_token: SecretStr | None = None
    telegram_mode: Literal["polling", "webhook"] = "polling"
    # Telegram's Bot API, or a stand-in / self-hosted server: the token is appended to it.
    telegram_api_base_url: str = TELEGRAM_API
    # Webhook mode: the public HTTPS address Telegram posts to, and where we listen for it
    # (usually behind a reverse proxy that terminates TLS).
    telegram_webhook_url: str | None = None
    telegram_webhook_listen: str = "127.0.0.1"
    telegram_webhook_port: int = 8443
    # Telegram sends it back in a header with every update; random per start when unset.
    telegram_webhook_secret: SecretStr | None = None

    # Our API's chat gateway, and the bridge's client credential for it.
    seniorveiviser_api_url: str = "http://127.0.0.1:8000"
    telegram_bridge_token: SecretStr | None = None
    telegram_bridge_token_file: Path = ROOT / "var" / "secrets" / "telegram.token"
    # How long one turn may take before the bridge treats the assistant as down.
    telegram_api_timeout_seconds: float = Field(default=30.0, gt=0)

    # Staff replies: how often to poll the outbox.
    telegram_outbox_poll_seconds: float = Field(default=3.0, gt=0)
    # Messages kept while the assistant is down: first retry after this, doubling up to the max.
    telegram_retry_initial_seconds: float = Field(default=5.0, gt=0)
    telegram_retry_max_seconds: float = Field(default=120.0, gt=0)
    # Long polling: how long one getUpdates call waits for news.
    telegram_poll_timeout_seconds: int = Field(default=10, ge=0)
    # After a 429 from Telegram, retry a send this many times (PTB's AIORateLimiter).
    telegram_rate_limit_retries: int = Field(default=3, ge=0)
    log_level: str = "info"

    def bridge_token(self) -> str | None:
        """The bearer token for our API: the environment first, then the secrets file."""
        if self.telegram_bridge_token is not None:
            token = self.telegram_bridge_token.get_secret_value().strip()
            return token or None
        try:
            token = self.telegram_bridge_token_file.read_text(encoding="utf-8").strip()
        except OSError:
            return None
        return token or None

    def webhook_path(self) -> str:
        """The path part of the webhook URL: where the local listener accepts updates."""
        if not self.telegram_webhook_url:
            return ""
        return urlsplit(self.telegram_webhook_url).path.lstrip("/")

    def problems(self) -> list[str]:
        """What stops the bridge from starting, in plain words (empty when it can start)."""
        found = []
        if self.telegram_bot_token is None or not self.telegram_bot_token.get_secret_value():
            found.append("TELEGRAM_BOT_TOKEN is not set (get one from @BotFather)")
        if self.bridge_token() is None:
            found.append(
                "no bridge token for the API: set TELEGRAM_BRIDGE_TOKEN or run "
                "`python -m api.admin ensure-clients` "
                f"(writes {self.telegram_bridge_token_file})"
            )
        if self.telegram_mode == "webhook" and not self.telegram_webhook_url:
            found.append("TELEGRAM_MODE=webhook needs TELEGRAM_WEBHOOK_URL (public https://…)")
        return found

"""`python -m bot.telegram`: run the Telegram bridge (`--check`: is it configured?)."""

from __future__ import annotations

import argparse
import logging
import sys

from bot.telegram.settings import TelegramSettings
from core.logs import install_log_filters


class Redact(logging.Filter):
    """Keeps secrets out of the log: PTB's errors can quote the bot's token."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self.secrets = [secret for secret in secrets if secret]

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        trace = record.exc_text or ""
        if any(secret in message or secret in trace for secret in self.secrets):
            for secret in self.secrets:
                message = message.replace(secret, "<secret>")
                trace = trace.replace(secret, "<secret>")
            record.msg, record.args, record.exc_text = message, None, trace or None
        return True


def configure_logging(level: str, secrets: list[str]) -> None:
    logging.basicConfig(
        level=level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    for handler in logging.getLogger().handlers:
        handler.addFilter(Redact(secrets))
    install_log_filters()
    # httpx logs every request's URL at INFO, and Telegram's URLs contain the bot's token.
    for noisy in ("httpx", "httpcore", "apscheduler"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.telegram", description=__doc__)
    parser.add_argument(
        "--check",
        action="store_true",
        help="only say whether the bridge can start (exit 0) or not (exit 1)",
    )
    arguments = parser.parse_args(argv)
    settings = TelegramSettings()
    if settings.telegram_bot_token is None and not arguments.check:
        print(
            "Telegram bridge: not started (TELEGRAM_BOT_TOKEN is not set; "
            "get a token from @BotFather, see README).",
            flush=True,
        )
        return 0
    problems = settings.problems()
    if problems:
        print("Telegram bridge: not started:", *problems, sep="\n  - ", flush=True)
        return 1
    if arguments.check:
        print(f"Telegram bridge: configured ({settings.telegram_mode})", flush=True)
        return 0
    assert settings.telegram_bot_token is not None
    bot_token = settings.telegram_bot_token.get_secret_value()
    configure_logging(settings.log_level, [bot_token, settings.bridge_token() or ""])
    telegram = settings.telegram_api_base_url.removesuffix("/bot")
    print(
        f"Telegram bridge: {settings.telegram_mode} via {telegram}, "
        f"API at {settings.seniorveiviser_api_url}",
        flush=True,
    )
    # PTB loads only when the bridge really starts.
    from telegram.error import InvalidToken

    from bot.telegram.bridge import run

    try:
        run(settings)
    except InvalidToken:
        print("Telegram bridge: Telegram refused TELEGRAM_BOT_TOKEN (ask @BotFather).", flush=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

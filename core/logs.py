"""Log filters that keep personal data out of every log line.

`MaskNationalIds` masks national ID numbers (however written) in each record's message, its
arguments and its traceback; `RedactConversationIds` replaces conversation ids (a web
conversation's id is its only secret) by their channel, as in uvicorn's access lines. Both
also make text that cannot be written as UTF-8 (a lone surrogate) safe to write.

Install them on handlers, not loggers: a logger's filters miss records from its children.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from core.conversations import CONVERSATION_ID
from core.privacy import mask_national_ids

__all__ = [
    "FILTERS",
    "MaskNationalIds",
    "RedactConversationIds",
    "install_log_filters",
    "with_log_filters",
]

# Also when the colon is percent-encoded in a logged URL ("web%3A...").
_CONVERSATION = re.compile(CONVERSATION_ID.replace(":", "(?::|%3[Aa])"))
_NOT_TEXT = (int, float, bool, type(None))


def _writable(text: str) -> str:
    """`text` with anything UTF-8 cannot hold (lone surrogates) escaped."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


class _RewritingFilter(logging.Filter):
    """Rewrites the message, each argument and the traceback of every record it sees."""

    def rewrite(self, text: str) -> str:
        raise NotImplementedError

    def _argument(self, value: Any) -> Any:
        if isinstance(value, _NOT_TEXT):
            return value
        text = value if isinstance(value, str) else str(value)
        rewritten = _writable(self.rewrite(text))
        return value if rewritten == text else rewritten

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = _writable(self.rewrite(record.msg))
        if isinstance(record.args, tuple):
            record.args = tuple(self._argument(value) for value in record.args)
        elif isinstance(record.args, dict):
            record.args = {key: self._argument(value) for key, value in record.args.items()}
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = _writable(self.rewrite(record.exc_text))
        if record.stack_info:
            record.stack_info = _writable(self.rewrite(record.stack_info))
        return True


class MaskNationalIds(_RewritingFilter):
    """National ID numbers, however written, become `core.privacy.MASK`."""

    def rewrite(self, text: str) -> str:
        return mask_national_ids(text)


class RedactConversationIds(_RewritingFilter):
    """`web:<secret>` becomes `web:…`, `telegram:<chat id>` becomes `telegram:…`."""

    def rewrite(self, text: str) -> str:
        return _CONVERSATION.sub(_channel_only, text)


def _channel_only(match: re.Match[str]) -> str:
    return ("web" if match.group(0).startswith("web") else "telegram") + ":…"


# For `logging.config.dictConfig`: the filters' ids and how to make them.
FILTERS: dict[str, dict[str, str]] = {
    "mask_national_ids": {"()": f"{__name__}.MaskNationalIds"},
    "redact_conversation_ids": {"()": f"{__name__}.RedactConversationIds"},
}


def with_log_filters(config: dict[str, Any]) -> dict[str, Any]:
    """A `dictConfig` dictionary with both filters on every handler it defines."""
    handlers = {
        name: {**handler, "filters": [*handler.get("filters", []), *FILTERS]}
        for name, handler in config.get("handlers", {}).items()
    }
    return {**config, "filters": {**config.get("filters", {}), **FILTERS}, "handlers": handlers}


def install_log_filters(*loggers: logging.Logger) -> None:
    """Both filters on every handler of `loggers` (the root logger when none are named)."""
    for logger in loggers or (logging.getLogger(),):
        for handler in logger.handlers:
            if not any(isinstance(f, MaskNationalIds) for f in handler.filters):
                handler.addFilter(MaskNationalIds())
                handler.addFilter(RedactConversationIds())

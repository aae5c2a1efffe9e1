"""Log filters that keep personal data out of every log line.

`MaskNationalIds` masks national ID numbers (however written) in each record's message, its
arguments and its traceback; `RedactConversationIds` replaces conversation ids (a web
conversation's id is its only secret) by their channel, as in uvicorn's access lines. Both
also make text that cannot be written as UTF-8 (a lone surrogate) safe to write.

Install them on handlers, not loggers: a logger's filters miss records from its children.

With `LOG_FORMAT=json`, `JsonLines` writes one JSON object a line, with the id of the message
being handled (`request_id`): the gateway takes it from `X-Request-ID` or makes one, and sends
it to Rasa as a header and as the message's metadata; the action server finds it in the
tracker it is sent.
"""

from __future__ import annotations

import json
import logging
import os
import re
import warnings
from contextvars import ContextVar
from datetime import datetime, timezone
from typing import Any

from core.channels import CONVERSATION_ID, channel_name
from core.privacy import mask_national_ids

__all__ = [
    "FILTERS",
    "REQUEST_ID",
    "JsonLines",
    "MaskNationalIds",
    "RedactConversationIds",
    "current_request_id",
    "install_log_filters",
    "quiet_rasa_warnings",
    "with_log_filters",
]

# The id of the message this task is handling (set by the gateway's and Rasa's middleware).
REQUEST_ID: ContextVar[str | None] = ContextVar("request_id", default=None)
REQUEST_ID_HEADER = "X-Request-ID"
_SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")

# Also when the colon is percent-encoded in a logged URL ("web%3A...").
_ENCODED_COLON = re.compile("%3[Aa]")
_CONVERSATION = re.compile(CONVERSATION_ID.replace(":", f"(?::|{_ENCODED_COLON.pattern})"))
_NOT_TEXT = (int, float, bool, type(None))
_UTC = timezone.utc  # noqa: UP017 (Rasa's Python 3.10 imports this module too)


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
    return channel_name(_ENCODED_COLON.sub(":", match.group(0))) + ":…"


def safe_request_id(value: str | None) -> str | None:
    """`value` if it is a plausible request id (it goes into every log line), else None."""
    return value if value and _SAFE_REQUEST_ID.fullmatch(value) else None


def _sanic_request_id() -> str | None:
    """In a Sanic server (the action server): the id in the request, or in its tracker."""
    try:
        from sanic import Request  # only the Sanic processes have it loaded

        request = Request.get_current()
        header = safe_request_id(request.headers.get(REQUEST_ID_HEADER))
        body = request.json if not header and request.method == "POST" else None
    except Exception:  # no Sanic, an old one, no request being handled, or a body not JSON
        return None
    if header:
        return header
    tracker = body.get("tracker") if isinstance(body, dict) else None
    latest = tracker.get("latest_message") if isinstance(tracker, dict) else None
    metadata = latest.get("metadata") if isinstance(latest, dict) else None
    value = metadata.get("request_id") if isinstance(metadata, dict) else None
    return safe_request_id(value) if isinstance(value, str) else None


def current_request_id() -> str | None:
    """The id of the message being handled here, if any."""
    return REQUEST_ID.get() or _sanic_request_id()


class JsonLines(logging.Formatter):
    """One JSON object a line: time, level, logger, message, request_id, and any traceback.

    Goes after the filters (they rewrite the record), so it writes what they let through.
    """

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, _UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": current_request_id(),
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            line["error"] = record.exc_text
        return json.dumps(line, ensure_ascii=False)


# For `logging.config.dictConfig`: the filters' ids and how to make them.
FILTERS: dict[str, dict[str, str]] = {
    "mask_national_ids": {"()": f"{__name__}.MaskNationalIds"},
    "redact_conversation_ids": {"()": f"{__name__}.RedactConversationIds"},
}
JSON_FORMATTER = {"()": f"{__name__}.JsonLines"}


def json_logs() -> bool:
    """Whether this process writes JSON lines (`LOG_FORMAT=json`)."""
    from core.config import get_settings  # core.config must not need logging to import

    return get_settings().log_format == "json"


def with_log_filters(config: dict[str, Any]) -> dict[str, Any]:
    """A `dictConfig` dictionary with the filters (and JSON lines, if set) on every handler."""
    as_json = json_logs()
    handlers = {
        name: {
            **handler,
            "filters": [*handler.get("filters", []), *FILTERS],
            **({"formatter": "json"} if as_json else {}),
        }
        for name, handler in config.get("handlers", {}).items()
    }
    formatters = {**config.get("formatters", {}), "json": JSON_FORMATTER}
    return {
        **config,
        "formatters": formatters,
        "filters": {**config.get("filters", {}), **FILTERS},
        "handlers": handlers,
    }


def install_log_filters(*loggers: logging.Logger, as_json: bool | None = None) -> None:
    """The filters (and JSON lines, by default if set) on every handler of `loggers` (root)."""
    as_json = json_logs() if as_json is None else as_json
    for logger in loggers or (logging.getLogger(),):
        for handler in logger.handlers:
            if not any(isinstance(f, MaskNationalIds) for f in handler.filters):
                handler.addFilter(MaskNationalIds())
                handler.addFilter(RedactConversationIds())
            if as_json:
                handler.setFormatter(JsonLines())
    # Start-up chatter from libraries (alembic lists its plug-ins): warnings and up only.
    for noisy in QUIET_LIBRARIES:
        logging.getLogger(noisy).setLevel(logging.WARNING)
    # rasa-sdk 3.21 with Rasa 3.6 is on purpose (bot/rasa_main.py, point 2); it says so on
    # every action server's first call.
    warnings.filterwarnings("ignore", message=KNOWN_SDK_MISMATCH, category=UserWarning)


QUIET_LIBRARIES = ("alembic", "pika")
KNOWN_SDK_MISMATCH = r"Your versions of rasa and rasa_sdk might not be compatible"

# What Rasa 3.6's dependencies warn about on every start; none of it is ours to act on.
_RASA_DEPENDENCY_WARNINGS = (
    "sanic_cors",
    "apscheduler",
    "pkg_resources",
    "tensorflow",
    "jax",
    "matplotlib",
    "keras",
    "google.protobuf",
    "flatbuffers",
    "rasa.core.tracker_store",  # SQLAlchemy 2.0 migration notices on Rasa's own code
)
# Raised on their behalf by the standard library, so matched by their text.
_RASA_DEPENDENCY_MESSAGES = (
    r"the load_module\(\) method is deprecated",
    r"non-integer arguments to randrange\(\)",
)


def quiet_rasa_warnings() -> None:
    """Silence the deprecation notices Rasa's dependencies print on start; nothing else.

    Only DeprecationWarning and its kin, and only when raised from those packages
    (SQLAlchemy's `MovedIn20Warning`/`SADeprecationWarning` are DeprecationWarnings).
    TensorFlow's C++ info and its "no TensorRT" warning go too (`TF_CPP_MIN_LOG_LEVEL=2`);
    its errors still show. Call it after importing Sanic, whose import puts "once" for every
    DeprecationWarning first.
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    for package in _RASA_DEPENDENCY_WARNINGS:
        pattern = re.escape(package) + r"(\..*)?"
        for category in (DeprecationWarning, PendingDeprecationWarning):
            warnings.filterwarnings("ignore", category=category, module=pattern)
    for message in _RASA_DEPENDENCY_MESSAGES:
        warnings.filterwarnings("ignore", message=message, category=DeprecationWarning)

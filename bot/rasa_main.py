# ruff: noqa: E402  (warning filters go in before Rasa's imports, which trigger the warnings)
"""Rasa's command line, with its HTTP API closed and two savings in CPU per turn.

Runs in Rasa's environment.

0. Every route needs our secret (`Authorization: Bearer <var/secrets/rasa-api.token>`),
   checked in constant time, except what the evaluation harness and health checks use:
   `GET /`, `GET /version`, `POST /model/parse` (no conversation is touched), and the
   REST channel for sender ids that are not a person's channel conversation. A sender id
   `web:...` or `telegram:...` is someone's conversation; only the gateway may speak as
   it. (Rasa's own `--auth-token` cannot do this: it guards `/model/parse` too, reads the
   token only from the query string, where access logs keep it, and compares with `==`.)

1. Rasa 3.6 checks every action-server response with `jsonschema.validate(result,
   schema)`, which first re-validates the constant schema against its meta-schema: about
   3.5 ms of a turn. Here the same schema is checked with a validator built once. The
   response is validated exactly as before and a bad one raises the same
   `ValidationError`.
2. With `enable_selective_domain`, Rasa 3.6 leaves the domain out of action calls, which
   saves serialising it every turn. rasa-sdk 3.21 speaks a newer protocol and refuses a
   call that has neither a domain nor a domain digest (HTTP 449, which Rasa 3.6 does not
   retry). Our actions need no domain, so such calls carry an empty one.

3. Logs: our filters (national IDs masked, conversation ids redacted, the gateway's request
   id on every line: `X-Request-ID`, also put in the message's metadata so the action server
   sees it), JSON lines with `LOG_FORMAT=json`, and none of the deprecation notices Rasa's
   dependencies print on every start.

Rasa 3.6.21 is the last open-source release, so the wrapped methods will not change.

    .venv/rasa/bin/python -m bot.rasa_main run --model ...
"""

from __future__ import annotations

import os
import sys
from collections.abc import Awaitable, Callable
from functools import cache
from pathlib import Path
from typing import Any

import sanic  # noqa: F401  (its import shows every DeprecationWarning; ours go in after)

from core.logs import quiet_rasa_warnings

quiet_rasa_warnings()  # before Rasa's imports, which print most of them
# isort: split

import rasa.core.run
import rasa.utils.io
from jsonschema import ValidationError
from jsonschema.exceptions import best_match
from jsonschema.validators import validator_for
from rasa.__main__ import main
from rasa.core.actions.action import RemoteAction
from rasa.core.channels.rest import RestInput
from rasa.shared.constants import DOCS_BASE_URL
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from core.channels import CHANNELS
from core.logs import REQUEST_ID, REQUEST_ID_HEADER, install_log_filters, safe_request_id
from core.secrets import RASA_API_SECRET_FILE_VARIABLE, bearer_matches, read_secret

OPEN_ROUTES = {("GET", "/"), ("GET", "/version"), ("POST", "/model/parse")}
REST_WEBHOOK = ("POST", "/webhooks/rest/webhook")
PERSON_CONVERSATIONS = tuple(channel.prefix for channel in CHANNELS)
NOT_AUTHENTICATED = {
    "status": "failure",
    "reason": "NotAuthenticated",
    "message": "User is not authenticated.",
    "code": 401,
}


@cache
def _response_validator() -> Any:
    """The validator `jsonschema.validate` would pick for Rasa's schema, built once."""
    schema = RemoteAction.action_response_format_spec()
    cls = validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def validate_action_result(_action: RemoteAction, result: dict[str, Any]) -> bool:
    """Rasa's own check, minus rebuilding the validator on every call."""
    try:
        error = best_match(_response_validator().iter_errors(result))
        if error is not None:
            raise error
    except ValidationError as error:
        error.message += (
            ". Failed to validate Action server response from API, make sure your "
            f"response from the Action endpoint is valid. See {DOCS_BASE_URL}/custom-actions"
        )
        raise
    return True


_rasa_action_call_format = RemoteAction._action_call_format


def action_call_format(action: RemoteAction, *args: Any, **kwargs: Any) -> dict[str, Any]:
    """Rasa's action call; where it leaves the domain out, an explicitly empty domain."""
    call: dict[str, Any] = _rasa_action_call_format(action, *args, **kwargs)
    call.setdefault("domain", {})
    return call


def _sender(request: Request) -> str:
    try:
        body = request.json
    except Exception:  # Sanic's own error for a body that is not JSON
        return PERSON_CONVERSATIONS[0]
    return str(body.get("sender") or "") if isinstance(body, dict) else PERSON_CONVERSATIONS[0]


def needs_secret(request: Request) -> bool:
    """Everything does, but the open routes and non-person senders on the REST channel."""
    route = (request.method, request.path)
    if route in OPEN_ROUTES:
        return False
    if route == REST_WEBHOOK:
        return _sender(request).startswith(PERSON_CONVERSATIONS)
    return True


def secret_guard(secret: str) -> Callable[[Request], Awaitable[HTTPResponse | None]]:
    """Sanic request middleware: 401 for a request that needs `secret` and lacks it."""

    async def guard(request: Request) -> HTTPResponse | None:
        if needs_secret(request) and not bearer_matches(
            request.headers.get("authorization"), secret
        ):
            return response.json(NOT_AUTHENTICATED, status=401)
        return None

    return guard


async def remember_request_id(request: Request) -> None:
    """The gateway's request id, for every log line written while Rasa handles the message."""
    REQUEST_ID.set(safe_request_id(request.headers.get(REQUEST_ID_HEADER)))


def guarded(configure_app: Callable[..., Sanic], secret: str) -> Callable[..., Sanic]:
    """Rasa's `configure_app`, with `secret_guard` (and the request id) on the app it makes."""

    def configure(*args: Any, **kwargs: Any) -> Sanic:
        app = configure_app(*args, **kwargs)
        app.register_middleware(remember_request_id, "request")
        app.register_middleware(secret_guard(secret), "request")
        return app

    return configure


def close_api() -> None:
    """Every Rasa server this process starts gets `secret_guard`; no secret, no start."""
    secret_file = os.environ.get(RASA_API_SECRET_FILE_VARIABLE)
    if not secret_file:
        sys.exit(
            f"{RASA_API_SECRET_FILE_VARIABLE} is not set; start Rasa with `python -m bot.launch`"
        )
    rasa.core.run.configure_app = guarded(
        rasa.core.run.configure_app, read_secret(Path(secret_file))
    )


_rest_metadata = RestInput.get_metadata


def rest_metadata(channel: RestInput, request: Request) -> dict[str, Any] | None:
    """The message's metadata, with the gateway's request id: the action server logs it."""
    metadata = _rest_metadata(channel, request)
    request_id = REQUEST_ID.get()
    return metadata if request_id is None else {**(metadata or {}), "request_id": request_id}


_rasa_colored_logging = rasa.utils.io.configure_colored_logging


def configure_logging(loglevel: str) -> None:
    """Rasa's console logging, then our filters and format on it, and its warnings quieted."""
    _rasa_colored_logging(loglevel)
    install_log_filters(as_json=os.environ.get("LOG_FORMAT") == "json")
    quiet_rasa_warnings()  # again: Rasa's own set-up puts "once" for UserWarning first


def install() -> None:
    rasa.utils.io.configure_colored_logging = configure_logging
    RestInput.get_metadata = rest_metadata  # type: ignore[method-assign]
    RemoteAction._validate_action_result = validate_action_result  # type: ignore[method-assign]
    RemoteAction._action_call_format = action_call_format  # type: ignore[method-assign]


if __name__ == "__main__":
    close_api()
    install()
    sys.exit(main())

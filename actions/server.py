"""The action server, closed to everyone but our Rasa: `python -m actions.server`.

rasa-sdk's own server listens on every interface, answers any caller, accepts any content
type (so a web page can post to it as `text/plain`) and allows every origin. This one runs
the same Sanic app with:

- the address from our settings (`ACTIONS_HOST`, loopback by default);
- every call but `GET /health` refused (401) unless it carries the shared secret
  (`var/secrets/actions.token`, sent by Rasa as `Authorization: Bearer ...`);
- a `POST` that is not `application/json` refused (415);
- no cross-origin access, and errors that never echo the request.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import utils
from rasa_sdk.endpoint import create_app
from rasa_sdk.executor import ActionExecutor
from sanic import Request, Sanic, response
from sanic.response import HTTPResponse

from core.config import get_settings
from core.logs import install_log_filters
from core.secrets import ACTIONS_SECRET, bearer_matches, read_or_create_secret

log = logging.getLogger(__name__)
OPEN = {("GET", "/health")}


def _problem(status: int, detail: str) -> HTTPResponse:
    return response.json({"error": detail}, status=status)


def guarded_app(secret: str, actions_package: str = "actions") -> Sanic[Any, Any]:
    """rasa-sdk's app for `actions_package`, with the secret and content type required."""
    executor = ActionExecutor()
    executor.register_package(actions_package)
    app: Sanic[Any, Any] = create_app(executor, cors_origins=None)

    async def require_secret(request: Request) -> HTTPResponse | None:
        if (request.method, request.path) in OPEN:
            return None
        if not bearer_matches(request.headers.get("authorization"), secret):
            return _problem(401, "not authenticated")
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if request.method == "POST" and content_type != "application/json":
            return _problem(415, "only application/json is accepted")
        return None

    async def fail_quietly(_request: Request, error: Exception) -> HTTPResponse:
        log.error("action call failed: %s", type(error).__name__, exc_info=error)
        return _problem(500, "the action failed")

    app.register_middleware(require_secret, "request")
    # rasa-sdk's own handler answers with the request body; ours, on its routes, does not.
    app.error_handler.add(Exception, fail_quietly, [f"{app.name}.webhook", f"{app.name}.actions"])
    return app


def main() -> None:
    settings = get_settings()
    utils.configure_colored_logging(settings.log_level.upper())
    install_log_filters()
    utils.update_sanic_log_level()
    app = guarded_app(read_or_create_secret(settings.secrets_dir, ACTIONS_SECRET))
    address = f"http://{settings.actions_host}:{settings.actions_port}/webhook"
    print(f"Action server: {address}", flush=True)
    app.run(
        host=settings.actions_host,
        port=settings.actions_port,
        single_process=True,
        access_log=False,
        motd=False,
    )


if __name__ == "__main__":
    main()

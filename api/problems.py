"""Errors as RFC 9457 problem details (`application/problem+json`)."""

from __future__ import annotations

import logging
import traceback
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from core.privacy import mask_national_ids

PROBLEM_JSON = "application/problem+json"
log = logging.getLogger(__name__)


class ApiError(Exception):
    """An error the API reports to its caller."""

    def __init__(
        self, status: int, detail: str, headers: dict[str, str] | None = None, **extra: Any
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.headers = headers
        self.extra = extra


# A validation error whose message is written for the person (bokmål, plain words): the
# problem's `detail` is that message alone, so a channel can show it as it is.
PLAIN_ERROR = "plain"


def problem_response(
    request: Request,
    status: int,
    detail: str,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    body = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "instance": request.url.path,
        **extra,
    }
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _location(parts: tuple[Any, ...]) -> str:
    """Where in the request an error is; a dictionary key from the caller is masked too."""
    where = mask_national_ids(".".join(str(part) for part in parts))[:200]
    return where.encode("utf-8", "backslashreplace").decode("utf-8")


def install_problem_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(request: Request, error: ApiError) -> JSONResponse:
        return problem_response(request, error.status, error.detail, error.headers, **error.extra)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, error: StarletteHTTPException) -> JSONResponse:
        detail = (
            error.detail if isinstance(error.detail, str) else HTTPStatus(error.status_code).phrase
        )
        headers = dict(error.headers) if error.headers else None
        return problem_response(request, error.status_code, detail, headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, error: RequestValidationError) -> JSONResponse:
        # Never the submitted value: it may hold personal data, or text that cannot be written.
        errors = [
            {"location": _location(item["loc"]), "message": item["msg"]} for item in error.errors()
        ]
        summary = "; ".join(f"{item['location']}: {item['message']}" for item in errors)
        detail = f"The request is not valid: {summary}"
        plain = [item["msg"] for item in error.errors() if item["type"] == PLAIN_ERROR]
        if plain and len(plain) == len(errors):  # written for the person, shown as it is
            detail = " ".join(plain)
        return problem_response(request, 422, detail, errors=errors)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, error: Exception) -> JSONResponse:
        # Where it failed, not what with: an exception's message may quote the request.
        log.error(
            "unexpected %s on %s\n%s",
            type(error).__name__,
            request.url.path,
            "".join(traceback.format_tb(error.__traceback__)),
        )
        return problem_response(request, 500, "Something went wrong on our side. Try again later.")


# What the OpenAPI schema says about problem responses. Every error this API gives is a
# problem document, so routes declare theirs with `responses=problem_responses(404, 422)`;
# declaring 422 also replaces FastAPI's default (a JSON body this API never sends).
PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "type": "object",
    "description": "RFC 9457 problem details.",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string", "description": "What went wrong, in plain words."},
        "instance": {"type": "string", "description": "The path that was asked for."},
        "errors": {
            "type": "array",
            "description": "422 only: each thing that is not valid.",
            "items": {
                "type": "object",
                "properties": {
                    "location": {"type": "string"},
                    "message": {"type": "string"},
                },
            },
        },
    },
}
_STRING_HEADER = {"schema": {"type": "string"}}
PROBLEMS: dict[int, dict[str, Any]] = {
    400: {"description": "The body could not be read (not JSON, or not UTF-8)."},
    401: {
        "description": "No valid credential: log in first, or send the client's token.",
        "headers": {"WWW-Authenticate": _STRING_HEADER},
    },
    403: {"description": "This credential may not do that."},
    404: {"description": "There is no such thing (or it is not yours to see)."},
    409: {"description": "Not possible in its current state; `detail` says why."},
    422: {"description": "The request is not valid; `errors` says where."},
    429: {
        "description": "Too many requests lately; try again after `Retry-After` seconds.",
        "headers": {"Retry-After": _STRING_HEADER},
    },
    503: {
        "description": "A service behind the API does not answer; try again later.",
        "headers": {"Retry-After": _STRING_HEADER},
    },
}


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` for these problem statuses, for a route decorator."""
    return {
        status: {**PROBLEMS[status], "content": {PROBLEM_JSON: {"schema": PROBLEM_SCHEMA}}}
        for status in statuses
    }

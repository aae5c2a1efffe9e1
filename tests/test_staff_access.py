"""Who may see which ticket: the district boundary, checked on every staff route.

The routes are read from the app itself, so a new `/api/staff/tickets/{ticket_id}/…` route is
covered the moment it exists. For every such route, every role of one district gets 404 for
every ticket of the other district, whatever its status, exactly as for a ticket that does not
exist; and the ticket does not change. Machine credentials, missing and expired tokens get 401
on every `/api/staff/*` route.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import fastapi.routing
import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from sqlalchemy import select, update

from api.accounts.models import Role
from api.audit.models import AuditEntry
from api.main import create_app
from api.tickets.models import Ticket
from api.tickets.service import purge_resolved
from core.clock import utc_now
from core.config import Settings
from services_catalog.loader import Catalogue
from tests.staff import AWAY, HOME, PROBLEM, ROLES, Desk, bearer, open_desk, username

TICKET_ROUTE_PREFIX = "/api/staff/tickets/{ticket_id}"
MIN_TICKET_ROUTES = 7
# A valid body for each request model a staff route takes, so the answer is about access and
# never about validation. A new model fails the matrix until it is added here.
BODIES: dict[str, dict[str, Any]] = {
    "TextIn": {"text": "Hei, dette skal aldri komme fram."},
}
STATES = ("new", "claimed", "waiting_for_person", "resolved", "purged")
NONEXISTENT = (999_999, 2**31 - 1)


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    body_model: str | None

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


def _calls(app: FastAPI, prefix: str) -> list[Call]:
    """Every (method, path) the app serves under `prefix`, hidden routes included."""
    # FastAPI 0.16x includes routers lazily; iter_route_contexts walks them with their prefixes.
    walk = getattr(fastapi.routing, "iter_route_contexts", None)
    contexts: Iterable[Any] = walk(app.routes) if walk else app.routes
    calls = []
    for context in contexts:
        route = getattr(context, "original_route", context)
        path = context.path
        if isinstance(route, APIRoute) and path and path.startswith(prefix):
            body = route.body_field
            model = getattr(body.field_info.annotation, "__name__", "?") if body else None
            calls += [Call(method, path, model) for method in sorted(context.methods)]
    return sorted(calls, key=str)


# Read from an app built like the real one (building it touches no database).
TICKET_CALLS = _calls(create_app(Settings()), TICKET_ROUTE_PREFIX)
STAFF_CALLS = _calls(create_app(Settings()), "/api/staff")


def _body(call: Call) -> dict[str, Any] | None:
    if call.body_model is None:
        return None
    if call.body_model not in BODIES:
        pytest.fail(f"{call} takes a {call.body_model}: add a valid one to BODIES")
    return BODIES[call.body_model]


def _send(desk: Desk, call: Call, ticket_id: int, headers: dict[str, str]) -> Any:
    return desk.client.request(
        call.method,
        call.path.format(ticket_id=ticket_id),
        headers=headers,
        json=_body(call),
    )


def _without_instance(problem: dict[str, Any]) -> dict[str, Any]:
    """A problem's body but for `instance`, which only echoes the path the caller asked for."""
    return {key: value for key, value in problem.items() if key != "instance"}


@pytest.fixture(scope="module")
def desk(
    database_kind: str, catalogue: Catalogue, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Desk]:
    with open_desk(database_kind, catalogue, tmp_path_factory.mktemp("desk")) as opened:
        opened.reset()
        yield opened


@pytest.fixture(scope="module")
def tickets(desk: Desk) -> dict[tuple[str, str], int]:
    """(district, state) -> a ticket of that district in that state, handled by its own staff."""
    made = {}
    for district in (HOME, AWAY):
        owner = username(Role.STAFF, district)
        for state in STATES:
            opened = desk.open_ticket(district)
            steps = {
                "new": [],
                "claimed": ["claim"],
                "waiting_for_person": ["claim", "waiting"],
                "resolved": ["claim", "resolve"],
                "purged": ["claim", "resolve"],
            }[state]
            for step in steps:
                desk.act(owner, opened.id, step)
            desk.act(owner, opened.id, "notes", "Et notat fra bydelen.")
            made[district, state] = opened.id
    with desk.sessions() as session, session.begin():
        past = utc_now() - timedelta(days=2)
        purged = made[HOME, "purged"], made[AWAY, "purged"]
        session.execute(update(Ticket).where(Ticket.id.in_(purged)).values(resolved_at=past))
    with desk.sessions() as session:
        assert purge_resolved(session, 1) == 2
    return made


def _snapshot(desk: Desk, ticket_id: int) -> tuple[Any, ...]:
    ticket = desk.ticket(ticket_id)
    assert ticket is not None
    return (
        ticket.status,
        ticket.assignee_id,
        ticket.updated_at,
        ticket.resolved_at,
        ticket.purged_at,
        ticket.description,
        [(m.id, m.text) for m in ticket.messages],
        [(n.id, n.text) for n in ticket.notes],
    )


def _audit_since(desk: Desk, moment: datetime) -> list[tuple[str, str]]:
    with desk.sessions() as session:
        rows = session.execute(
            select(AuditEntry.actor, AuditEntry.action).where(AuditEntry.at >= moment)
        )
        return [(actor, action) for actor, action in rows]


def test_the_staff_ticket_routes_are_all_found() -> None:
    found = [str(call) for call in TICKET_CALLS]
    assert len(found) >= MIN_TICKET_ROUTES, found
    for expected in ("GET", "claim", "notes", "replies", "waiting", "resolve", "reopen"):
        assert any(expected in call for call in found), (expected, found)


def test_the_desk_serves_the_routes_the_matrix_covers(desk: Desk) -> None:
    assert _calls(desk.app, TICKET_ROUTE_PREFIX) == TICKET_CALLS
    assert _calls(desk.app, "/api/staff") == STAFF_CALLS
    # Cross-check with the OpenAPI schema: the walk above misses nothing it documents.
    documented = {
        f"{method.upper()} {path}"
        for path, operations in desk.app.openapi()["paths"].items()
        if path.startswith("/api/staff")
        for method in operations
    }
    assert documented <= {str(call) for call in STAFF_CALLS}


@pytest.mark.parametrize("call", TICKET_CALLS, ids=str)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("caller_district", "ticket_district"), [(HOME, AWAY), (AWAY, HOME)])
def test_another_districts_ticket_does_not_exist_for_any_role(
    desk: Desk,
    tickets: dict[tuple[str, str], int],
    call: Call,
    role: Role,
    caller_district: str,
    ticket_district: str,
) -> None:
    caller = username(role, caller_district)
    headers = desk.auth(caller)
    missing = _send(desk, call, NONEXISTENT[0], headers)
    assert missing.status_code == 404
    started = utc_now()
    for state in STATES:
        ticket_id = tickets[ticket_district, state]
        before = _snapshot(desk, ticket_id)
        response = _send(desk, call, ticket_id, headers)
        assert response.status_code == 404, (caller, state, response.text)
        assert response.headers["content-type"] == PROBLEM
        assert _without_instance(response.json()) == _without_instance(missing.json()), state
        assert _snapshot(desk, ticket_id) == before, state
    # The attempt is audited as the caller's own miss, exactly as for a ticket that does not exist.
    assert _audit_since(desk, started) == [(f"staff:{caller}", "ticket_not_found")] * len(STATES)


@pytest.mark.parametrize("call", TICKET_CALLS, ids=str)
def test_a_nonexistent_ticket_answers_like_a_foreign_one(
    desk: Desk, tickets: dict[tuple[str, str], int], call: Call
) -> None:
    headers = desk.auth(username(Role.ADMIN))
    foreign = _send(desk, call, tickets[AWAY, "new"], headers)
    for ticket_id in NONEXISTENT:
        response = _send(desk, call, ticket_id, headers)
        assert response.status_code == 404
        assert response.headers["content-type"] == foreign.headers["content-type"]
        assert _without_instance(response.json()) == _without_instance(foreign.json())
        assert response.json()["instance"] == call.path.format(ticket_id=ticket_id)


@pytest.mark.parametrize("call", TICKET_CALLS, ids=str)
def test_the_matrix_is_not_vacuous_own_district_gets_an_answer(desk: Desk, call: Call) -> None:
    """The same calls on one's own district are answered (not 404), so the 404s above mean it."""
    opened = desk.open_ticket()
    desk.act(username(Role.STAFF), opened.id, "claim")
    response = _send(desk, call, opened.id, desk.auth(username(Role.LEAD)))
    assert response.status_code in (200, 409), response.text


@pytest.fixture(scope="module")
def credentials(desk: Desk) -> dict[str, dict[str, str]]:
    """Every way of calling that is not a live staff token."""
    expired = desk.log_in(username(Role.ADMIN)).json()["access_token"]
    desk.expire(expired)
    revoked = desk.log_in(username(Role.ADMIN)).json()["access_token"]
    assert desk.client.delete("/api/auth/token", headers=bearer(revoked)).status_code == 204
    return {
        "no token": {},
        "assistant": bearer(desk.assistant_token),
        "telegram": bearer(desk.telegram_token),
        "expired": bearer(expired),
        "revoked": bearer(revoked),
        "made up": bearer("x" * 43),
        "not bearer": {"Authorization": f"Basic {desk.assistant_token}"},
    }


@pytest.mark.parametrize("call", STAFF_CALLS, ids=str)
def test_only_a_staff_token_opens_any_staff_route(
    desk: Desk,
    tickets: dict[tuple[str, str], int],
    credentials: dict[str, dict[str, str]],
    call: Call,
) -> None:
    ticket_id = tickets[HOME, "new"]
    before = _snapshot(desk, ticket_id)
    started = utc_now()
    for who, headers in credentials.items():
        response = _send(desk, call, ticket_id, headers)
        assert response.status_code == 401, (who, response.text)
        assert response.headers["content-type"] == PROBLEM
        assert response.headers["www-authenticate"] == "Bearer"
        assert "ticket" not in response.text.lower().replace("/api/staff/tickets", "")
    assert _snapshot(desk, ticket_id) == before
    assert _audit_since(desk, started) == []


def test_the_staff_routes_include_the_queue_and_who_am_i() -> None:
    found = {str(call) for call in STAFF_CALLS}
    assert {"GET /api/staff/tickets", "GET /api/staff/me"} <= found
    assert len(found) >= MIN_TICKET_ROUTES + 2

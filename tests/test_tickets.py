"""Handoff tickets end to end: the real app over a real database (SQLite and PostgreSQL)."""

from __future__ import annotations

import io
import json
import re
import stat
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text, update
from sqlalchemy.orm import Session

from api import admin
from api.accounts import service as accounts
from api.accounts.models import Role, StaffAccount, StaffToken
from api.accounts.security import token_digest
from api.tickets.models import Status, Ticket, TicketMessage, TicketNote
from api.tickets.service import purge_resolved
from core.clock import utc_now
from core.config import get_settings
from core.database import make_engine, make_session_factory
from core.outbox import OutboxEntry
from core.privacy import MASK
from services_catalog.loader import Catalogue
from tests.national_ids import valid_id
from tests.staff import (
    AWAY,
    HOME,
    PASSWORD,
    PROBLEM,
    Desk,
    bearer,
    display_name,
    loaded_database,
    new_conversation_id,
    new_key,
    ticket_payload,
    username,
)

STAFF = username(Role.STAFF)
COLLEAGUE = username("colleague")
LEAD = username(Role.LEAD)
ADMIN = username(Role.ADMIN)
AWAY_STAFF = username(Role.STAFF, AWAY)


@pytest.fixture(autouse=True)
def _fresh_tickets(desk: Desk) -> None:
    desk.reset()


def _post_ticket(
    desk: Desk, payload: dict[str, Any], key: str | None, token: str | None = None
) -> Any:
    headers = bearer(token or desk.assistant_token)
    if key is not None:
        headers["Idempotency-Key"] = key
    return desk.client.post("/api/tickets", json=payload, headers=headers)


def _ticket_count(desk: Desk) -> int:
    with desk.sessions() as session:
        return session.scalar(select(func.count()).select_from(Ticket)) or 0


def _actions(desk: Desk) -> list[tuple[str, str, int | None]]:
    return [(entry.actor, entry.action, entry.ticket_id) for entry in desk.audit()]


# ---------------------------------------------------------------- logging in and out


def test_log_in_gives_a_short_lived_bearer_token(desk: Desk) -> None:
    response = desk.log_in(LEAD)
    assert response.status_code == 200
    token = response.json()
    assert token["token_type"] == "bearer"
    assert token["expires_in"] == desk.settings.staff_token_minutes * 60
    me = desk.client.get("/api/staff/me", headers=bearer(token["access_token"]))
    assert me.json() == {
        "username": LEAD,
        "display_name": display_name(Role.LEAD),
        "district": HOME,
        "role": "lead",
    }
    with desk.sessions() as session:
        stored = session.get(StaffToken, token_digest(token["access_token"]))
        assert stored is not None, "only the token's digest is stored"
        lifetime = stored.expires_at - utc_now()
    assert timedelta(minutes=29) < lifetime <= timedelta(minutes=30)
    assert _actions(desk) == [(f"staff:{LEAD}", "log_in", None)]


def test_a_wrong_password_and_an_unknown_user_get_the_same_401(desk: Desk) -> None:
    wrong = desk.log_in(STAFF, "not the password at all")
    unknown = desk.log_in("nobody-here", PASSWORD)
    empty = desk.log_in(STAFF, "")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.headers["content-type"] == PROBLEM
    assert wrong.headers["www-authenticate"] == unknown.headers["www-authenticate"] == "Bearer"
    assert wrong.json() == unknown.json()
    assert wrong.json()["detail"] == "Wrong username or password."
    assert empty.status_code in (401, 422)
    # Failures are audited: a known account by name, an unknown name not at all, no password.
    failed = [(f"staff:{STAFF}", "log_in_failed", None)] * (2 if empty.status_code == 401 else 1)
    nameless = ("login:unknown-username", "log_in_failed", None)
    audited = [action for action in _actions(desk) if action[1] == "log_in_failed"]
    assert sorted(audited, key=str) == sorted([*failed, nameless], key=str)


def test_an_expired_token_is_refused_and_swept_at_the_next_log_in(desk: Desk) -> None:
    token = desk.log_in(STAFF).json()["access_token"]
    assert desk.client.get("/api/staff/me", headers=bearer(token)).status_code == 200
    desk.expire(token)
    refused = desk.client.get("/api/staff/me", headers=bearer(token))
    assert refused.status_code == 401
    assert refused.headers["www-authenticate"] == "Bearer"
    assert desk.log_in(STAFF).status_code == 200
    with desk.sessions() as session:
        assert session.get(StaffToken, token_digest(token)) is None


def test_log_out_revokes_that_token_only(desk: Desk) -> None:
    first = desk.log_in(STAFF).json()["access_token"]
    second = desk.log_in(STAFF).json()["access_token"]
    out = desk.client.delete("/api/auth/token", headers=bearer(first))
    assert out.status_code == 204
    assert desk.client.get("/api/staff/me", headers=bearer(first)).status_code == 401
    assert desk.client.delete("/api/auth/token", headers=bearer(first)).status_code == 401
    assert desk.client.get("/api/staff/me", headers=bearer(second)).status_code == 200
    assert (f"staff:{STAFF}", "log_out", None) in _actions(desk)


def test_a_deactivated_account_can_neither_log_in_nor_use_its_token(desk: Desk) -> None:
    token = desk.log_in(COLLEAGUE).json()["access_token"]
    with desk.sessions() as session, session.begin():
        session.execute(
            update(StaffAccount).where(StaffAccount.username == COLLEAGUE).values(active=False)
        )
    try:
        assert desk.client.get("/api/staff/me", headers=bearer(token)).status_code == 401
        assert desk.log_in(COLLEAGUE).json() == desk.log_in("nobody-here").json()
    finally:
        with desk.sessions() as session, session.begin():
            session.execute(
                update(StaffAccount).where(StaffAccount.username == COLLEAGUE).values(active=True)
            )


# ---------------------------------------------------------------- opening tickets


def test_the_assistant_opens_a_ticket(desk: Desk) -> None:
    payload = ticket_payload(priority="high")
    response = _post_ticket(desk, payload, new_key())
    assert response.status_code == 201
    receipt = response.json()
    assert set(receipt) == {"reference", "district", "status", "expected_answer_on"}
    assert re.fullmatch(r"SV-[A-HJ-NP-Z2-9]{6}", receipt["reference"])
    assert receipt["district"] == HOME
    assert receipt["status"] == "new"
    assert date.fromisoformat(receipt["expected_answer_on"]) >= utc_now().date()
    with desk.sessions() as session:
        ticket = session.scalars(select(Ticket)).one()
        assert ticket.reference == receipt["reference"]
        assert ticket.priority == "high"
        assert ticket.contact_phone == payload["contact_phone"]
        assert ticket.conversation_id == payload["conversation_id"]
        assert ticket.consent_text == payload["consent"]["text"]
        assert [line["text"] for line in ticket.transcript] == [
            line["text"] for line in payload["transcript"]
        ]
    assert _actions(desk) == [("assistant", "ticket_opened", ticket.id)]


def test_a_retry_with_the_same_key_gets_the_same_ticket(desk: Desk) -> None:
    key = new_key()
    payload = ticket_payload()
    first = _post_ticket(desk, payload, key)
    again = _post_ticket(desk, payload, key)
    changed = _post_ticket(desk, {**payload, "description": "Noe annet"}, key)
    assert first.status_code == 201
    assert again.status_code == changed.status_code == 200
    assert again.json() == changed.json() == first.json()
    assert _ticket_count(desk) == 1
    other = _post_ticket(desk, payload, new_key())
    assert other.status_code == 201
    assert other.json()["reference"] != first.json()["reference"]
    assert _ticket_count(desk) == 2


@pytest.mark.parametrize(
    "key", [None, "", "short", "x" * 101, "has spaces in it", "key/with/slashes"]
)
def test_an_idempotency_key_is_required_and_checked(desk: Desk, key: str | None) -> None:
    response = _post_ticket(desk, ticket_payload(), key)
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    assert "idempotency-key" in response.json()["detail"].lower()
    assert _ticket_count(desk) == 0


def test_an_unknown_district_is_422(desk: Desk) -> None:
    response = _post_ticket(desk, ticket_payload("atlantis"), new_key())
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    assert "'atlantis'" in response.json()["detail"]
    assert _ticket_count(desk) == 0


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"contact_method": "phone", "contact_phone": None}, "contact_phone"),
        ({"for_whom": "relative", "senior_agrees": None}, "senior_agrees"),
        ({"channel": "telegram", "conversation_id": "web:abcdefghijklmnopqrstuv"}, "channel"),
        ({"contact_phone": "ring meg"}, "contact_phone"),
        ({"contact_phone": valid_id(date(1942, 7, 1))}, "national ID"),
        ({"description": "x" * 2001}, "description"),
    ],
)
def test_an_incomplete_ticket_is_422(desk: Desk, change: dict[str, Any], words: str) -> None:
    response = _post_ticket(desk, ticket_payload(**change), new_key())
    assert response.status_code == 422
    assert words in response.json()["detail"]
    assert _ticket_count(desk) == 0


def test_only_the_assistant_credential_opens_tickets(desk: Desk) -> None:
    payload = ticket_payload()
    as_telegram = _post_ticket(desk, payload, new_key(), desk.telegram_token)
    assert as_telegram.status_code == 403
    assert as_telegram.headers["content-type"] == PROBLEM
    as_staff = _post_ticket(desk, payload, new_key(), desk.token(ADMIN))
    assert as_staff.status_code == 401
    anonymous = desk.client.post(
        "/api/tickets", json=payload, headers={"Idempotency-Key": new_key()}
    )
    assert anonymous.status_code == 401
    assert _ticket_count(desk) == 0


def test_the_assistant_cannot_read_what_it_opened(desk: Desk) -> None:
    opened = desk.open_ticket()
    for path in ("/api/staff/tickets", f"/api/staff/tickets/{opened.id}"):
        assert desk.client.get(path, headers=bearer(desk.assistant_token)).status_code == 401


# ---------------------------------------------------------------- handling a ticket


def _chat(desk: Desk, conversation_id: str, words: str, token: str | None = None) -> Any:
    headers = bearer(token) if token else {}
    return desk.client.post(
        f"/api/chat/conversations/{conversation_id}/messages",
        json={"text": words},
        headers=headers,
    )


def test_the_life_of_a_ticket(desk: Desk) -> None:
    opened = desk.open_ticket()
    detail = desk.client.get(f"/api/staff/tickets/{opened.id}", headers=desk.auth(STAFF)).json()
    assert detail["status"] == "new"
    assert detail["assignee"] is None
    assert detail["description"] == opened.payload["description"]
    assert detail["contact_phone"] == opened.payload["contact_phone"]
    assert detail["senior_agrees"] == "yes"
    assert detail["messages"] == detail["notes"] == []

    # While the ticket is new, the assistant still has the conversation (and it is away: 503).
    assert _chat(desk, opened.conversation_id, "Hallo?").status_code == 503

    claimed = desk.act(STAFF, opened.id, "claim")
    assert claimed["status"] == "claimed"
    assert claimed["assignee"] == display_name(Role.STAFF)

    noted = desk.act(STAFF, opened.id, "notes", "Ringte, ingen svar.")
    assert [(n["author"], n["text"]) for n in noted["notes"]] == [
        (display_name(Role.STAFF), "Ringte, ingen svar.")
    ]
    notice = ("notice", "En ansatt i bydel Frogner har tatt saken. Svaret kommer her.")
    assert [(m["sender"], m["text"]) for m in noted["messages"]] == [notice], (
        "a note is never a message to the person; the claim notice is"
    )

    replied = desk.act(STAFF, opened.id, "replies", "Hei! Vi ringer deg i morgen.")
    assert [(m["sender"], m["text"]) for m in replied["messages"]] == [
        notice,
        ("staff", "Hei! Vi ringer deg i morgen."),
    ]
    seen = desk.client.get(f"/api/chat/conversations/{opened.conversation_id}/messages").json()
    assert [m["text"] for m in seen["messages"]] == [notice[1], "Hei! Vi ringer deg i morgen."]
    assert seen["messages"][1]["district"] == HOME

    assert desk.act(STAFF, opened.id, "waiting")["status"] == "waiting_for_person"

    # The person answers: it goes to the ticket, not to the assistant, and wakes the ticket up.
    answer = _chat(desk, opened.conversation_id, "Takk, jeg er hjemme etter klokka ti.")
    assert answer.status_code == 200
    assert answer.json() == {"messages": [], "forwarded_to_staff": True}
    woken = desk.client.get(f"/api/staff/tickets/{opened.id}", headers=desk.auth(STAFF)).json()
    assert woken["status"] == "claimed"
    assert [(m["sender"], m["author"]) for m in woken["messages"]] == [
        ("notice", None),
        ("staff", display_name(Role.STAFF)),
        ("person", None),
    ]

    resolved = desk.act(STAFF, opened.id, "resolve")
    assert resolved["status"] == "resolved"
    assert resolved["resolved_at"] is not None
    # Resolved: the conversation is the assistant's again.
    assert _chat(desk, opened.conversation_id, "Hei igjen").status_code == 503

    reopened = desk.act(LEAD, opened.id, "reopen")
    assert reopened["status"] == "new"
    assert reopened["assignee"] is None
    assert reopened["resolved_at"] is None
    assert len(reopened["messages"]) == 4  # with the claimed and resolved notices
    assert len(reopened["notes"]) == 1


def test_a_reply_to_a_new_ticket_claims_it(desk: Desk) -> None:
    opened = desk.open_ticket()
    replied = desk.act(COLLEAGUE, opened.id, "replies", "Hei, jeg ser på saken din nå.")
    assert replied["status"] == "claimed"
    assert replied["assignee"] == display_name("colleague")


@pytest.mark.parametrize(
    ("steps", "action", "body"),
    [
        ([], "waiting", None),
        ([], "reopen", None),
        (["claim"], "reopen", None),
        (["claim", "waiting"], "waiting", None),
        (["claim", "waiting"], "reopen", None),
        (["resolve"], "resolve", None),
        (["resolve"], "claim", None),
        (["resolve"], "waiting", None),
        (["resolve"], "replies", "Er du der?"),
    ],
)
def test_an_invalid_transition_is_409_and_changes_nothing(
    desk: Desk, steps: list[str], action: str, body: str | None
) -> None:
    opened = desk.open_ticket()
    for step in steps:
        desk.act(STAFF, opened.id, step)
    before = desk.client.get(f"/api/staff/tickets/{opened.id}", headers=desk.auth(STAFF)).json()
    response = desk.client.post(
        f"/api/staff/tickets/{opened.id}/{action}",
        headers=desk.auth(STAFF),
        json={"text": body} if body else None,
    )
    assert response.status_code == 409
    assert response.headers["content-type"] == PROBLEM
    assert before["status"] in response.json()["detail"]
    after = desk.client.get(f"/api/staff/tickets/{opened.id}", headers=desk.auth(STAFF)).json()
    assert after == before


@pytest.mark.parametrize("hold", [["claim"], ["claim", "waiting"]])
def test_a_colleague_cannot_take_a_held_ticket_but_a_lead_or_admin_can(
    desk: Desk, hold: list[str]
) -> None:
    opened = desk.open_ticket()
    for step in hold:
        desk.act(STAFF, opened.id, step)
    taken = desk.client.post(f"/api/staff/tickets/{opened.id}/claim", headers=desk.auth(COLLEAGUE))
    assert taken.status_code == 409
    assert "lead" in taken.json()["detail"]
    assert desk.act(STAFF, opened.id, "claim")["assignee"] == display_name(Role.STAFF)
    assert desk.act(LEAD, opened.id, "claim")["assignee"] == display_name(Role.LEAD)
    assert desk.act(ADMIN, opened.id, "claim")["assignee"] == display_name(Role.ADMIN)
    # A colleague may still read it and add notes: they work in the same district.
    assert desk.act(COLLEAGUE, opened.id, "notes", "Jeg kjenner familien.")["notes"]


def test_anyone_in_the_district_may_claim_a_reopened_ticket(desk: Desk) -> None:
    opened = desk.open_ticket()
    desk.act(STAFF, opened.id, "claim")
    desk.act(STAFF, opened.id, "resolve")
    desk.act(STAFF, opened.id, "reopen")
    assert desk.act(COLLEAGUE, opened.id, "claim")["assignee"] == display_name("colleague")


# ---------------------------------------------------------------- the queue


def _queue(desk: Desk, user: str = STAFF, **params: Any) -> Any:
    response = desk.client.get("/api/staff/tickets", headers=desk.auth(user), params=params)
    assert response.status_code == 200, response.text
    return response.json()


def test_the_queue_shows_my_district_only_filtered_by_status(desk: Desk) -> None:
    new, claimed, waiting, resolved = (desk.open_ticket() for _ in range(4))
    away = desk.open_ticket(AWAY)
    desk.act(STAFF, claimed.id, "claim")
    desk.act(STAFF, waiting.id, "claim")
    desk.act(STAFF, waiting.id, "waiting")
    desk.act(STAFF, resolved.id, "resolve")

    everything = _queue(desk)
    assert everything["total"] == 4
    assert {item["id"] for item in everything["items"]} == {
        new.id,
        claimed.id,
        waiting.id,
        resolved.id,
    }
    for status, ticket in [
        ("new", new),
        ("claimed", claimed),
        ("waiting_for_person", waiting),
        ("resolved", resolved),
    ]:
        page = _queue(desk, status=status)
        assert (page["total"], [item["id"] for item in page["items"]]) == (1, [ticket.id])
        assert page["items"][0]["status"] == status
    assert [item["id"] for item in _queue(desk, AWAY_STAFF)["items"]] == [away.id]
    bad = desk.client.get(
        "/api/staff/tickets", headers=desk.auth(STAFF), params={"status": "closed"}
    )
    assert bad.status_code == 422


def test_the_queue_pages_urgent_first_then_oldest(desk: Desk) -> None:
    normal = [desk.open_ticket() for _ in range(4)]
    urgent = desk.open_ticket(priority="high")
    expected = [urgent.id, *(ticket.id for ticket in normal)]
    seen: list[int] = []
    for offset in (0, 2, 4):
        page = _queue(desk, limit=2, offset=offset)
        assert (page["total"], page["limit"], page["offset"]) == (5, 2, offset)
        seen += [item["id"] for item in page["items"]]
    assert seen == expected
    first = _queue(desk, limit=1)["items"][0]
    assert first["priority"] == "high"
    assert first["reference"] == urgent.reference
    assert _queue(desk, offset=5)["items"] == []
    for params in ({"limit": 0}, {"limit": 101}, {"offset": -1}):
        response = desk.client.get("/api/staff/tickets", headers=desk.auth(STAFF), params=params)
        assert response.status_code == 422


def test_the_queue_item_shows_what_staff_need_to_choose(desk: Desk) -> None:
    opened = desk.open_ticket()
    desk.act(STAFF, opened.id, "claim")
    item = _queue(desk)["items"][0]
    assert item["reference"] == opened.reference
    assert item["assignee"] == display_name(Role.STAFF)
    assert item["service"] == "hjemmesykepleie"
    assert item["updated_at"] >= item["created_at"]
    assert "description" not in item, "the queue shows no personal details"
    assert "contact_phone" not in item


# ---------------------------------------------------------------- the audit log


def test_every_staff_read_and_change_is_audited(desk: Desk) -> None:
    opened = desk.open_ticket()
    _queue(desk, status="new")
    desk.client.get(f"/api/staff/tickets/{opened.id}", headers=desk.auth(STAFF))
    for action, body in [
        ("claim", None),
        ("notes", "Notat"),
        ("replies", "Svar"),
        ("waiting", None),
        ("resolve", None),
        ("reopen", None),
    ]:
        desk.act(STAFF, opened.id, action, body)
    actor = f"staff:{STAFF}"
    entries = desk.audit()
    assert [(e.actor, e.action, e.ticket_id) for e in entries] == [
        ("assistant", "ticket_opened", opened.id),
        (actor, "queue_read", None),
        (actor, "ticket_read", opened.id),
        (actor, "ticket_claimed", opened.id),
        (actor, "note_added", opened.id),
        (actor, "reply_sent", opened.id),
        (actor, "ticket_waiting", opened.id),
        (actor, "ticket_resolved", opened.id),
        (actor, "ticket_reopened", opened.id),
    ]
    assert {e.district_slug for e in entries} == {HOME}
    assert entries[1].detail == "status=new"
    stamps = [e.at for e in entries]
    assert stamps == sorted(stamps)
    assert all(e.detail is None for e in entries if e.action != "queue_read")


def test_opening_is_audited_and_the_pages_refreshes_are_not(desk: Desk) -> None:
    opened = desk.open_ticket()
    other = desk.open_ticket()
    for _ in range(3):  # the inbox refreshing the queue and the open ticket
        _queue(desk, status="new")
        desk.client.get(f"/api/staff/tickets/{opened.id}", headers=desk.auth(STAFF))
    _queue(desk)  # another view of the queue is another read
    desk.client.get(f"/api/staff/tickets/{other.id}", headers=desk.auth(STAFF))
    desk.client.get(f"/api/staff/tickets/{opened.id}", headers=desk.auth(COLLEAGUE))
    reads = [(e.actor, e.action, e.ticket_id, e.detail) for e in desk.audit()][2:]
    assert reads == [
        (f"staff:{STAFF}", "queue_read", None, "status=new"),
        (f"staff:{STAFF}", "ticket_read", opened.id, None),
        (f"staff:{STAFF}", "queue_read", None, "status=None"),
        (f"staff:{STAFF}", "ticket_read", other.id, None),
        (f"staff:{COLLEAGUE}", "ticket_read", opened.id, None),
    ]


def test_a_refused_change_writes_no_change_but_a_foreign_look_is_audited(desk: Desk) -> None:
    opened = desk.open_ticket()
    desk.client.post(f"/api/staff/tickets/{opened.id}/waiting", headers=desk.auth(STAFF))
    desk.client.get(f"/api/staff/tickets/{opened.id}", headers=desk.auth(AWAY_STAFF))
    assert _actions(desk) == [
        ("assistant", "ticket_opened", opened.id),
        ("staff:staff-alna", "ticket_not_found", opened.id),
    ]


# ---------------------------------------------------------------- national ID numbers


def _stored_text(session: Session) -> str:
    """Every row of every ticket table, as the database holds it."""
    dump = []
    for table in ("ticket", "ticket_message", "ticket_note", "audit_entry"):
        dump += [repr(tuple(row)) for row in session.execute(text(f"SELECT * FROM {table}"))]
    return "\n".join(dump)


def test_national_ids_are_masked_in_everything_stored(desk: Desk) -> None:
    ids = [
        valid_id(date(1944, 5, 17)),
        valid_id(date(1938, 12, 1), 456),
        valid_id(date(1950, 2, 28)),
    ]
    spaced = [f"{number[:6]} {number[6:]}" for number in ids]
    opened = desk.open_ticket(
        description=f"Far har fødselsnummer {ids[0]}.",
        transcript=[
            {"sender": "person", "text": f"Mitt nummer er {spaced[1]}"},
            {"sender": "assistant", "text": "Takk."},
        ],
    )
    desk.act(STAFF, opened.id, "notes", f"Sjekket {ids[2]} i fagsystemet")
    desk.act(STAFF, opened.id, "replies", f"Vi har notert {spaced[0]}.")
    answered = _chat(desk, opened.conversation_id, f"Det riktige er {ids[1][:6]}-{ids[1][6:]}")
    assert answered.json()["forwarded_to_staff"] is True

    with desk.sessions() as session:
        stored = _stored_text(session)
        ticket = session.get(Ticket, opened.id)
        assert ticket is not None
        assert ticket.description == f"Far har fødselsnummer {MASK}."
        assert ticket.transcript[0]["text"] == f"Mitt nummer er {MASK}"
        texts = session.scalars(select(TicketMessage.text).order_by(TicketMessage.id)).all()
        assert texts == [f"Vi har notert {MASK}.", f"Det riktige er {MASK}"]
        assert session.scalars(select(TicketNote.text)).all() == [f"Sjekket {MASK} i fagsystemet"]
    shown = desk.client.get(f"/api/staff/tickets/{opened.id}", headers=desk.auth(STAFF)).text
    for number in ids:
        for written in (number, f"{number[:6]} {number[6:]}", f"{number[:6]}-{number[6:]}"):
            assert written not in stored
            assert written not in shown


# ---------------------------------------------------------------- retention


def _resolve_days_ago(desk: Desk, ticket_id: int, days: int) -> None:
    desk.act(STAFF, ticket_id, "resolve")
    with desk.sessions() as session, session.begin():
        session.execute(
            update(Ticket)
            .where(Ticket.id == ticket_id)
            .values(resolved_at=utc_now() - timedelta(days=days))
        )


def _purge(desk: Desk, days: int) -> int:
    with desk.sessions() as session:
        return purge_resolved(session, days)


def test_retention_purges_old_resolved_tickets_only(desk: Desk) -> None:
    old = desk.open_ticket()
    desk.act(STAFF, old.id, "notes", "Notat om saken")
    desk.act(STAFF, old.id, "replies", "Svar til personen")
    _chat(desk, old.conversation_id, "Takk for svaret")
    _resolve_days_ago(desk, old.id, 31)
    recent = desk.open_ticket()
    _resolve_days_ago(desk, recent.id, 29)
    new = desk.open_ticket()
    held = desk.open_ticket()
    desk.act(STAFF, held.id, "claim")
    held_at = utc_now() - timedelta(days=400)
    with desk.sessions() as session, session.begin():
        session.execute(update(Ticket).where(Ticket.id == held.id).values(created_at=held_at))

    assert _purge(desk, 30) == 1
    purged = desk.ticket(old.id)
    assert purged is not None
    assert purged.purged_at is not None
    assert purged.status == Status.RESOLVED
    assert (purged.contact_phone, purged.description, purged.transcript) == (None, None, [])
    assert (purged.messages, purged.notes) == ([], [])
    assert purged.conversation_id.startswith("purged:")
    assert old.conversation_id not in purged.conversation_id
    with desk.sessions() as session:
        left = session.scalar(
            select(func.count()).select_from(TicketMessage).where(TicketMessage.ticket_id == old.id)
        )
        assert left == 0
    # What remains says what happened, not to whom.
    assert purged.reference == old.reference
    assert purged.district_slug == HOME
    for kept in (recent, new, held):
        ticket = desk.ticket(kept.id)
        assert ticket is not None
        assert ticket.purged_at is None
        assert ticket.description == kept.payload["description"]
        assert ticket.contact_phone == kept.payload["contact_phone"]
    assert ("system", "ticket_purged", old.id) in _actions(desk)
    assert _purge(desk, 30) == 0, "a purged ticket is not purged again"

    assert _purge(desk, 0) == 1
    assert desk.ticket(recent.id).purged_at is not None  # type: ignore[union-attr]
    assert desk.ticket(new.id).purged_at is None  # type: ignore[union-attr]


def test_a_purged_ticket_cannot_be_reopened_or_answered(desk: Desk) -> None:
    opened = desk.open_ticket()
    _resolve_days_ago(desk, opened.id, 1)
    assert _purge(desk, 0) == 1
    for action, body in [("reopen", None), ("replies", "Hei"), ("claim", None)]:
        response = desk.client.post(
            f"/api/staff/tickets/{opened.id}/{action}",
            headers=desk.auth(LEAD),
            json={"text": body} if body else None,
        )
        assert response.status_code == 409, action
    shown = desk.client.get(f"/api/staff/tickets/{opened.id}", headers=desk.auth(STAFF)).json()
    assert shown["status"] == "resolved"
    assert shown["purged_at"] is not None
    assert (shown["description"], shown["contact_phone"], shown["transcript"]) == (None, None, [])


def test_the_admin_purge_command_runs_the_retention_purge(
    desk: Desk, capsys: pytest.CaptureFixture[str]
) -> None:
    opened = desk.open_ticket()
    _resolve_days_ago(desk, opened.id, 10)
    assert admin.main(["--database-url", desk.database_url, "purge", "--days", "7"]) == 0
    assert "1 ticket(s)" in capsys.readouterr().out
    assert desk.ticket(opened.id).purged_at is not None  # type: ignore[union-attr]


# ---------------------------------------------------------------- erasure


def test_erasing_a_conversation_removes_its_tickets(desk: Desk) -> None:
    first = desk.open_ticket()
    second = desk.open_ticket(AWAY, conversation_id=first.conversation_id)
    other = desk.open_ticket(contact_phone="22 33 44 55")
    desk.act(STAFF, first.id, "notes", "Et notat")
    desk.act(STAFF, first.id, "replies", "Et svar")
    with desk.sessions() as session, session.begin():
        session.add(
            OutboxEntry(
                idempotency_key=new_key(),
                conversation_id=first.conversation_id,
                payload={"description": "venter på levering"},
            )
        )

    erased = desk.client.delete(f"/api/chat/conversations/{first.conversation_id}")
    assert erased.status_code == 204
    assert desk.ticket(first.id) is None
    assert desk.ticket(second.id) is None
    assert desk.ticket(other.id) is not None
    with desk.sessions() as session:
        for table in (TicketMessage, TicketNote):
            assert session.scalar(select(func.count()).select_from(table)) == 0
        assert session.scalar(select(func.count()).select_from(OutboxEntry)) == 0
        stored = _stored_text(session)
    missing = desk.client.get(f"/api/staff/tickets/{first.id}", headers=desk.auth(STAFF))
    assert missing.status_code == 404
    seen = desk.client.get(f"/api/chat/conversations/{first.conversation_id}/messages")
    assert seen.json() == {"messages": []}

    erasures = [e for e in desk.audit() if e.action == "ticket_erased"]
    assert {(e.actor, e.ticket_id, e.district_slug) for e in erasures} == {
        ("person", first.id, HOME),
        ("person", second.id, AWAY),
    }
    assert all(e.detail is None for e in erasures)
    for personal in (first.conversation_id, first.payload["contact_phone"], "Et svar", "notat"):
        assert personal not in stored
    assert desk.client.delete(f"/api/chat/conversations/{first.conversation_id}").status_code == 204


# ---------------------------------------------------------------- the Telegram outbox


def test_the_telegram_outbox_lists_and_marks_staff_messages(desk: Desk) -> None:
    chat = desk.open_ticket(channel="telegram", contact_method="chat", contact_phone=None)
    web = desk.open_ticket()
    desk.act(STAFF, chat.id, "replies", "Hei fra bydelen")
    desk.act(STAFF, chat.id, "notes", "Internt notat")
    desk.act(STAFF, web.id, "replies", "Hei på nettet")
    telegram = bearer(desk.telegram_token)

    outbox = desk.client.get("/api/channels/telegram/outbox", headers=telegram)
    assert outbox.status_code == 200
    messages = outbox.json()["messages"]
    assert [(m["conversation_id"], m["text"], m["district"], m["sender"]) for m in messages] == [
        (chat.conversation_id, "Hei fra bydelen", HOME, "staff")
    ]
    message_id = messages[0]["id"]

    # The person answers on Telegram (through the bridge): staff hold it, so staff get it.
    assert _chat(desk, chat.conversation_id, "Takk!").status_code == 401
    forwarded = _chat(desk, chat.conversation_id, "Takk!", desk.telegram_token)
    assert forwarded.json()["forwarded_to_staff"] is True
    listed = desk.client.get("/api/channels/telegram/outbox", headers=telegram).json()["messages"]
    assert [m["id"] for m in listed] == [message_id], "the person's own words are not sent back"

    path = f"/api/channels/telegram/outbox/{message_id}/delivered"
    assert desk.client.post(path, headers=telegram).status_code == 204
    assert desk.client.post(path, headers=telegram).status_code == 204
    after = desk.client.get("/api/channels/telegram/outbox", headers=telegram).json()
    assert after == {"messages": []}
    with desk.sessions() as session:
        web_message = session.scalars(
            select(TicketMessage.id).where(TicketMessage.ticket_id == web.id)
        ).one()
    for unknown in (web_message, 2**31 - 1):
        response = desk.client.post(
            f"/api/channels/telegram/outbox/{unknown}/delivered", headers=telegram
        )
        assert response.status_code == 404
        assert response.headers["content-type"] == PROBLEM


@pytest.mark.parametrize("who", ["nobody", "assistant", "staff"])
def test_the_telegram_outbox_needs_the_telegram_credential(desk: Desk, who: str) -> None:
    headers = {
        "nobody": {},
        "assistant": bearer(desk.assistant_token),
        "staff": desk.auth(ADMIN),
    }[who]
    expected = 403 if who == "assistant" else 401
    chat = desk.open_ticket(channel="telegram", contact_method="chat", contact_phone=None)
    desk.act(STAFF, chat.id, "replies", "Hei fra bydelen")
    listed = desk.client.get("/api/channels/telegram/outbox", headers=headers)
    assert listed.status_code == expected
    assert listed.headers["content-type"] == PROBLEM
    message = desk.ticket(chat.id).messages[0]  # type: ignore[union-attr]
    marked = desk.client.post(
        f"/api/channels/telegram/outbox/{message.id}/delivered", headers=headers
    )
    assert marked.status_code == expected
    assert desk.ticket(chat.id).messages[0].delivered_at is None  # type: ignore[union-attr]
    telegram_chat = desk.client.get(
        f"/api/chat/conversations/{chat.conversation_id}/messages", headers=headers
    )
    assert telegram_chat.status_code == 401


# ---------------------------------------------------------------- the admin command line


@pytest.fixture(scope="module")
def cli_database(
    database_kind: str, catalogue: Catalogue, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A database of its own: the command line replaces client tokens the desk relies on."""
    with loaded_database(database_kind, catalogue, tmp_path_factory.mktemp("cli")) as url:
        yield url


@pytest.fixture
def secrets_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "secrets"
    monkeypatch.setenv("SECRETS_DIR", str(folder))
    get_settings.cache_clear()
    yield folder
    get_settings.cache_clear()


def _create_staff(
    database_url: str, monkeypatch: pytest.MonkeyPatch, password: str, *args: str
) -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
    return admin.main(["--database-url", database_url, "create-staff", *args, "--password-stdin"])


def _account(database_url: str, name: str, password: str) -> StaffAccount | None:
    engine = make_engine(database_url)
    try:
        with make_session_factory(engine)() as session:
            return accounts.authenticate(session, name, password)
    finally:
        engine.dispose()


def test_admin_creates_a_staff_account(
    cli_database: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    password = "et langt og godt passord"
    done = _create_staff(
        cli_database, monkeypatch, password, "nina", "--district", "gamle-oslo", "--role", "lead"
    )
    assert done == 0
    assert capsys.readouterr().out.strip() == "Created lead nina in gamle-oslo."
    account = _account(cli_database, "nina", password)
    assert account is not None
    assert (account.role, account.district_slug) == ("lead", "gamle-oslo")
    assert account.display_name == "nina"
    assert account.password_hash.startswith("$argon2"), "only a hash is stored"

    again = _create_staff(cli_database, monkeypatch, password, "nina", "--district", "alna")
    assert again == 1
    assert "taken" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("password", "district", "complaint"),
    [
        ("kort", "frogner", "at least 12 characters"),
        ("elleve tegn", "frogner", "at least 12 characters"),
        ("et langt og godt passord", "bydel-frogner", "no district 'bydel-frogner'"),
    ],
)
def test_admin_refuses_a_bad_staff_account(
    cli_database: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    password: str,
    district: str,
    complaint: str,
) -> None:
    assert _create_staff(cli_database, monkeypatch, password, "per", "--district", district) == 1
    assert complaint in capsys.readouterr().err
    assert _account(cli_database, "per", password) is None


def test_admin_ensures_client_token_files(
    cli_database: str, secrets_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert admin.main(["--database-url", cli_database, "ensure-clients"]) == 0
    assert "made assistant, telegram" in capsys.readouterr().out
    tokens = {}
    for name in ("assistant", "telegram"):
        path = secrets_dir / f"{name}.token"
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        tokens[name] = path.read_text("utf-8").strip()
        assert len(tokens[name]) >= 40

    assert admin.main(["--database-url", cli_database, "ensure-clients"]) == 0
    assert "up to date" in capsys.readouterr().out
    assert {name: (secrets_dir / f"{name}.token").read_text().strip() for name in tokens} == tokens

    engine = make_engine(cli_database)
    try:
        with make_session_factory(engine)() as session:
            assistant = accounts.client_for_token(session, tokens["assistant"])
            telegram = accounts.client_for_token(session, tokens["telegram"])
            assert assistant is not None
            assert telegram is not None
            assert (assistant.name, assistant.scopes) == ("assistant", ["tickets:create"])
            assert (telegram.name, telegram.scopes) == ("telegram", ["channel:telegram"])
    finally:
        engine.dispose()

    # A lost file gets a new token; the old one stops working.
    (secrets_dir / "telegram.token").unlink()
    assert admin.main(["--database-url", cli_database, "ensure-clients"]) == 0
    assert "made telegram" in capsys.readouterr().out
    engine = make_engine(cli_database)
    try:
        with make_session_factory(engine)() as session:
            assert accounts.client_for_token(session, tokens["telegram"]) is None
            renewed = (secrets_dir / "telegram.token").read_text().strip()
            assert accounts.client_for_token(session, renewed) is not None
    finally:
        engine.dispose()


def test_admin_creates_a_client_and_shows_its_token_once(
    cli_database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["--database-url", cli_database, "create-client", "tester", "--scope", "tickets:create"]
    assert admin.main(args) == 0
    token = capsys.readouterr().out.strip().splitlines()[-1]
    engine = make_engine(cli_database)
    try:
        with make_session_factory(engine)() as session:
            client = accounts.client_for_token(session, token)
            assert client is not None
            assert client.scopes == ["tickets:create"]
            assert token not in json.dumps(
                [list(row) for row in session.execute(text("SELECT * FROM api_client"))],
                default=str,
            )
    finally:
        engine.dispose()


def test_any_activity_on_a_ticket_shows_in_the_queue(desk: Desk) -> None:
    """`updated_at` is the queue's "latest activity": notes, replies and answers move it."""
    opened = desk.open_ticket()
    desk.act(STAFF, opened.id, "claim")

    def activity() -> datetime:
        items = _queue(desk)["items"]
        return datetime.fromisoformat(next(i["updated_at"] for i in items if i["id"] == opened.id))

    seen = [activity()]
    desk.act(STAFF, opened.id, "notes", "Et notat")
    seen.append(activity())
    desk.act(STAFF, opened.id, "replies", "Et svar")
    seen.append(activity())
    _chat(desk, opened.conversation_id, "Personen svarer")
    seen.append(activity())
    assert seen == sorted(seen)
    assert len(set(seen)) == len(seen), seen


def test_a_nul_character_is_refused_not_a_server_error(desk: Desk) -> None:
    """PostgreSQL cannot store NUL in text: every way text comes in says 422 (or 401) instead."""
    opened = desk.open_ticket()
    desk.act(STAFF, opened.id, "claim")
    nul = "før\x00etter"
    for action in ("notes", "replies"):
        response = desk.client.post(
            f"/api/staff/tickets/{opened.id}/{action}", headers=desk.auth(STAFF), json={"text": nul}
        )
        assert response.status_code == 422, action
    held = _chat(desk, opened.conversation_id, nul)
    assert held.status_code == 422
    for change in (
        {"description": nul},
        {"consent": {"text": nul, "given_at": "2026-01-05T10:00:00Z"}},
        {"transcript": [{"sender": "person", "text": nul}]},
    ):
        assert _post_ticket(desk, ticket_payload(**change), new_key()).status_code == 422
    assert desk.log_in(f"staff{nul}").status_code == 401
    assert desk.log_in(STAFF, nul).status_code == 401
    ticket = desk.ticket(opened.id)
    assert ticket is not None
    assert [m.sender for m in ticket.messages] == ["notice"], "only the claim notice"
    assert ticket.notes == []


def test_polling_after_the_largest_message_id_is_422_not_a_server_error(desk: Desk) -> None:
    cid = new_conversation_id()
    path = f"/api/chat/conversations/{cid}/messages"
    assert desk.client.get(path, params={"after": 2**31 - 1}).json() == {"messages": []}
    assert desk.client.get(path, params={"after": 2**31}).status_code == 422


def test_a_national_id_sent_to_staff_is_masked_and_the_person_is_told(desk: Desk) -> None:
    opened = desk.open_ticket()
    desk.act(STAFF, opened.id, "claim")
    number = valid_id(date(1944, 10, 3))
    answer = _chat(desk, opened.conversation_id, f"Fødselsnummeret til mor er {number}")
    assert answer.json()["forwarded_to_staff"] is True
    [notice] = answer.json()["messages"]
    assert "fjernet et fødselsnummer" in notice["text"]
    shown = desk.client.get(f"/api/staff/tickets/{opened.id}", headers=desk.auth(STAFF)).json()
    assert shown["messages"][-1]["text"] == f"Fødselsnummeret til mor er {MASK}"

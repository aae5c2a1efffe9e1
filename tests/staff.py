"""A staff desk for tests: the real app over a fresh, loaded database with staff and clients.

Two districts, HOME and AWAY, each with a staff member, a second staff member, a lead and an
admin; the assistant's and the Telegram bridge's client tokens. The `desk` fixture
(tests/conftest.py) gives each test module one desk per database kind; modules call
`desk.reset()` before each test so tickets and the audit log start empty. A module that
needs another app or one database kind opens its own with `open_desk`.
"""

from __future__ import annotations

import functools
import secrets
import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session, sessionmaker

from api.accounts import service as accounts
from api.accounts.models import Role, Scope, StaffAccount, StaffToken
from api.accounts.security import hash_password, token_digest
from api.audit.models import AuditEntry
from api.main import create_app
from api.tickets.models import Ticket, TicketMessage, TicketNote
from core.clock import utc_now
from core.config import Settings
from core.database import make_engine, make_session_factory, transaction
from core.handoff import Consent, Handoff, TranscriptLineIn
from core.migrations import upgrade_database
from core.outbox import OutboxEntry
from services_catalog.loader import Catalogue
from services_catalog.repository import save_catalogue
from tests.databases import fresh_database

PASSWORD = "riktig hest batteri stift"
HOME = "frogner"
AWAY = "alna"
DISTRICTS = (HOME, AWAY)
ROLES = tuple(Role)
PROBLEM = "application/problem+json"
_CONSENT = Consent(
    text="Er det greit at vi sender dette til bydelen?",
    given_at=datetime(2026, 1, 5, 10, tzinfo=UTC),
)
CONSENT = _CONSENT.model_dump(mode="json")


def username(role: Role | str, district: str = HOME) -> str:
    """The desk's account with `role` in `district`; role "colleague" is a second staff member."""
    return f"{role}-{district}"


def display_name(role: Role | str, district: str = HOME) -> str:
    return f"{str(role).capitalize()} i {district.capitalize()}"


@functools.cache
def _password_hash() -> str:
    """Argon2 is slow on purpose: hash the desk's one password once per test run."""
    return hash_password(PASSWORD)


def closed_port() -> int:
    """A loopback port nobody listens on, so the assistant (Rasa) is reliably away."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def new_conversation_id(channel: str = "web") -> str:
    if channel == "telegram":
        return f"telegram:{secrets.randbelow(10**12) + 1}"
    return f"web:{secrets.token_urlsafe(16)}"


def ticket_payload(district: str = HOME, **fields: Any) -> dict[str, Any]:
    """A valid handoff's JSON, as the assistant sends it; `fields` override (valid or not)."""
    channel = fields.get("channel", "web")
    handoff = Handoff(
        district=district,
        for_whom="relative",
        senior_agrees="yes",
        service="hjemmesykepleie",
        description="Mor på 84 trenger hjelp med medisinene om morgenen.",
        contact_method="phone",
        contact_phone="+47 912 34 567",
        consent=_CONSENT,
        channel=channel,
        conversation_id=new_conversation_id(channel),
        transcript=[
            TranscriptLineIn(sender="person", text="Hei, jeg lurer på hjemmesykepleie for mor."),
            TranscriptLineIn(sender="assistant", text="Vil du at noen i bydelen tar kontakt?"),
        ],
    )
    payload = handoff.model_dump(mode="json", exclude_unset=True)
    payload.update(fields)
    return payload


def new_key() -> str:
    return f"key-{secrets.token_hex(8)}"


@dataclass(frozen=True)
class Opened:
    """A ticket the assistant opened: what it got back, and what the test needs to know."""

    id: int
    reference: str
    conversation_id: str
    key: str
    payload: dict[str, Any]


@dataclass
class Desk:
    app: FastAPI
    client: TestClient
    database_url: str
    sessions: sessionmaker[Session]
    settings: Settings
    assistant_token: str
    telegram_token: str
    _tokens: dict[str, str] = field(default_factory=dict)

    # ------------------------------------------------------------ staff

    def log_in(self, user: str, password: str = PASSWORD) -> httpx.Response:
        form = {"username": user, "password": password}
        response: httpx.Response = self.client.post("/api/auth/token", data=form)
        return response

    def token(self, user: str) -> str:
        """A bearer token for `user` (logged in once per desk, then reused)."""
        if user not in self._tokens:
            response = self.log_in(user)
            assert response.status_code == 200, response.text
            self._tokens[user] = response.json()["access_token"]
        return self._tokens[user]

    def auth(self, user: str) -> dict[str, str]:
        return bearer(self.token(user))

    def issue_token(self, user: str) -> str:
        """A new token for `user` straight from the database (no password check: fast)."""
        with self.sessions() as session, session.begin():
            account = session.scalars(
                select(StaffAccount).where(StaffAccount.username == user)
            ).one()
            return accounts.issue_token(session, account, self.settings.staff_token_minutes)

    def expire(self, token: str) -> None:
        """Make `token` expired a second ago, as if its time had run out."""
        with self.sessions() as session, session.begin():
            session.execute(
                update(StaffToken)
                .where(StaffToken.token_hash == token_digest(token))
                .values(expires_at=utc_now() - timedelta(seconds=1))
            )

    # ------------------------------------------------------------ tickets

    def open_ticket(self, district: str = HOME, key: str | None = None, **fields: Any) -> Opened:
        """Open a ticket through POST /api/tickets with the assistant's token."""
        key = key or new_key()
        payload = ticket_payload(district, **fields)
        response = self.client.post(
            "/api/tickets",
            json=payload,
            headers={**bearer(self.assistant_token), "Idempotency-Key": key},
        )
        assert response.status_code == 201, response.text
        reference = response.json()["reference"]
        with self.sessions() as session:
            ticket_id = session.scalar(select(Ticket.id).where(Ticket.reference == reference))
        assert ticket_id is not None
        return Opened(ticket_id, reference, payload["conversation_id"], key, payload)

    def act(self, user: str, ticket_id: int, action: str, text: str | None = None) -> Any:
        """POST /api/staff/tickets/{id}/{action} as `user`; the ticket it answers with."""
        body = {"text": text} if text is not None else None
        response = self.client.post(
            f"/api/staff/tickets/{ticket_id}/{action}", headers=self.auth(user), json=body
        )
        assert response.status_code == 200, response.text
        return response.json()

    def ticket(self, ticket_id: int) -> Ticket | None:
        """The ticket row as stored, with its messages and notes loaded."""
        with self.sessions() as session:
            ticket = session.get(Ticket, ticket_id)
            if ticket is not None:
                _ = ticket.messages, ticket.notes
            return ticket

    def audit(self) -> list[AuditEntry]:
        with self.sessions() as session:
            return list(session.scalars(select(AuditEntry).order_by(AuditEntry.id)))

    def reset(self) -> None:
        """Forget every ticket, outbox entry and audit entry; accounts and tokens stay."""
        with self.sessions() as session, session.begin():
            for table in (TicketMessage, TicketNote, Ticket, OutboxEntry, AuditEntry):
                session.execute(delete(table))


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _add_accounts(session: Session) -> None:
    password_hash = _password_hash()
    for district in DISTRICTS:
        for role in (*ROLES, "colleague"):
            session.add(
                StaffAccount(
                    username=username(role, district),
                    display_name=display_name(role, district),
                    password_hash=password_hash,
                    district_slug=district,
                    role=Role.STAFF if role == "colleague" else role,
                )
            )


def desk_settings(database_url: str, folder: Path) -> Settings:
    """Settings for a test app: its own secrets and tracker file, the assistant away."""
    return Settings(
        database_url=database_url,
        secrets_dir=folder / "secrets",
        tracker_sqlite_path=str(folder / "rasa-tracker.db"),
        rasa_port=closed_port(),
        rasa_timeout_seconds=2.0,
        retention_interval_seconds=3600.0,
        catalogue_refresh_seconds=60.0,
    )


@contextmanager
def loaded_database(kind: str, catalogue: Catalogue, folder: Path) -> Iterator[str]:
    """A fresh database of `kind`, migrated, with the catalogue loaded; dropped afterwards."""
    with fresh_database(kind, folder) as url:
        upgrade_database(url)
        with transaction(url) as session:
            save_catalogue(session, catalogue)
        yield url


@contextmanager
def open_desk(
    kind: str,
    catalogue: Catalogue,
    folder: Path,
    make_app: Callable[[Settings], FastAPI] = create_app,
) -> Iterator[Desk]:
    """The app (as `make_app` builds it from the desk's settings) over a fresh database."""
    with loaded_database(kind, catalogue, folder) as url:
        engine = make_engine(url)
        sessions = make_session_factory(engine)
        with sessions() as session, session.begin():
            _add_accounts(session)
            assistant = accounts.create_client(session, "assistant", [Scope.CREATE_TICKETS])
            telegram = accounts.create_client(
                session, "telegram", accounts.STANDARD_CLIENTS["telegram"]
            )
        settings = desk_settings(url, folder)
        app = make_app(settings)
        try:
            with TestClient(app) as client:
                yield Desk(app, client, url, sessions, settings, assistant, telegram)
        finally:
            engine.dispose()

"""Erasure that holds: after "Slett samtalen" or the retention purge, no file keeps a copy.

SQLite only: PostgreSQL's files are the server's (see README, "Erasure on PostgreSQL").
"""

from __future__ import annotations

import stat
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text, update
from sqlalchemy.engine import make_url

from api.tickets.models import Ticket
from api.tickets.retention import purge_once
from core.clock import utc_now
from core.database import make_engine
from services_catalog.loader import Catalogue
from tests.staff import Desk, new_conversation_id, open_desk

PHONE = "+47 913 57 246"
DESCRIPTION = "Tante Gudrun-Zebulon trenger hjelp med dusjen."
PERSON = "Meldingen-Pelikan-8812 fra personen"
NOTE = "Notatet-Marsvin-4471 om saken"
REPLY = "Svaret-Flamingo-3390 fra bydelen"
TRACKER = "Assistentminnet-Okapi-2256"
SECRETS = (PHONE, DESCRIPTION, PERSON, NOTE, REPLY, TRACKER)


@pytest.fixture
def desk(catalogue: Catalogue, tmp_path: Path) -> Iterator[Desk]:
    with open_desk("sqlite", catalogue, tmp_path) as opened:
        yield opened


def _database_folder(desk: Desk) -> Path:
    database = make_url(desk.database_url).database
    assert database is not None
    return Path(database).parent


def _found(folder: Path) -> set[str]:
    """Which of SECRETS some file in `folder` (database, -wal, -shm, tracker) still holds."""
    blobs = [path.read_bytes() for path in folder.rglob("*") if path.is_file()]
    return {secret for secret in SECRETS if any(secret.encode() in blob for blob in blobs)}


def _remember_in_tracker(desk: Desk, conversation: str) -> None:
    """What Rasa's tracker store would hold of the conversation (its `events` table)."""
    engine = create_engine(f"sqlite:///{desk.settings.tracker_sqlite_path}")
    with engine.begin() as connection:
        connection.execute(
            text(
                "CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY, sender_id TEXT,"
                " type_name TEXT, timestamp FLOAT, data TEXT)"
            )
        )
        for n in range(3):
            connection.execute(
                text(
                    "INSERT INTO events (sender_id, type_name, timestamp, data) VALUES"
                    " (:s, 'user', 0, :d)"
                ),
                {"s": conversation, "d": f'{{"text": "{TRACKER} {n}"}}'},
            )
    engine.dispose()


def _ticket_with_everything(desk: Desk) -> str:
    """A claimed ticket with a phone number, description, the person's message, a note and a
    reply; the conversation id."""
    opened = desk.open_ticket(
        contact_phone=PHONE, description=DESCRIPTION, conversation_id=new_conversation_id()
    )
    desk.act("staff-frogner", opened.id, "claim")
    desk.act("staff-frogner", opened.id, "notes", NOTE)
    desk.act("staff-frogner", opened.id, "replies", REPLY)
    path = f"/api/chat/conversations/{opened.conversation_id}/messages"
    assert desk.client.post(path, json={"text": PERSON}).json()["forwarded_to_staff"] is True
    _remember_in_tracker(desk, opened.conversation_id)
    return opened.conversation_id


def test_slett_samtalen_leaves_no_copy_in_any_file(desk: Desk) -> None:
    conversation = _ticket_with_everything(desk)
    folder = _database_folder(desk)
    assert _found(folder) == set(SECRETS), "everything is there before the erasure"
    response = desk.client.delete(f"/api/chat/conversations/{conversation}")
    assert response.status_code == 204
    assert _found(folder) == set(), "nothing is left in the database, its WAL or the tracker"


def test_the_retention_purge_leaves_no_copy_in_any_file(desk: Desk) -> None:
    _ticket_with_everything(desk)
    with desk.sessions() as session, session.begin():
        session.execute(
            update(Ticket).values(status="resolved", resolved_at=utc_now() - timedelta(days=91))
        )
    folder = _database_folder(desk)
    assert {PHONE, DESCRIPTION, PERSON, NOTE, REPLY} <= _found(folder)
    assert purge_once(desk.sessions, desk.settings) == 1
    assert _found(folder) <= {TRACKER}, "the tracker's recent events are not old enough to go"


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_database_files_are_private(tmp_path: Path) -> None:
    folder = tmp_path / "var"
    engine = make_engine(f"sqlite:///{folder / 'data.db'}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE t (x TEXT)"))
        connection.execute(text("INSERT INTO t VALUES ('x')"))
        modes = {path.name: _mode(path) for path in folder.iterdir()}  # -wal, -shm live now
    engine.dispose()
    assert modes == {"data.db": 0o600, "data.db-wal": 0o600, "data.db-shm": 0o600}
    assert _mode(folder) == 0o700


def test_a_database_left_readable_by_others_is_made_private(tmp_path: Path) -> None:
    database = tmp_path / "old.db"
    database.touch(mode=0o644)
    database.chmod(0o644)
    make_engine(f"sqlite:///{database}").dispose()
    assert _mode(database) == 0o600


def test_every_connection_overwrites_what_it_deletes(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA secure_delete").scalar() == 1
    engine.dispose()

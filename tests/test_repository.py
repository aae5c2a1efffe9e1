"""The catalogue survives the database (SQLite and PostgreSQL) unchanged, and reloads whole."""

from __future__ import annotations

import dataclasses

from sqlalchemy.orm import Session

from services_catalog.loader import Catalogue
from services_catalog.repository import (
    fingerprint,
    read_catalogue,
    save_catalogue,
    stored_version,
)


def test_nothing_is_loaded_in_a_new_database(session: Session) -> None:
    assert read_catalogue(session) is None
    assert stored_version(session) is None


def test_round_trip_keeps_every_fact(session: Session, catalogue: Catalogue) -> None:
    with session.begin():
        assert save_catalogue(session, catalogue) is True
    stored = read_catalogue(session)
    assert stored == catalogue
    assert stored_version(session) == fingerprint(session, catalogue)


def test_loading_the_same_content_again_changes_nothing(
    session: Session, catalogue: Catalogue
) -> None:
    with session.begin():
        save_catalogue(session, catalogue)
    with session.begin():
        assert save_catalogue(session, catalogue) is False


def test_a_new_version_replaces_the_old_one_whole(session: Session, catalogue: Catalogue) -> None:
    with session.begin():
        save_catalogue(session, catalogue)
    smaller = dataclasses.replace(catalogue, services=catalogue.services[:3])
    with session.begin():
        assert save_catalogue(session, smaller) is True
    stored = read_catalogue(session)
    assert stored is not None
    assert [s.slug for s in stored.services] == [s.slug for s in catalogue.services[:3]]
    assert stored_version(session) == fingerprint(session, smaller)

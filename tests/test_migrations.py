"""The migrations build exactly the schema the models describe, on both databases."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

import services_catalog.models  # noqa: F401  (registers the tables)
from core.database import Base, make_engine, make_session_factory
from core.migrations import alembic_config, upgrade_database
from services_catalog.loader import Catalogue
from services_catalog.repository import read_catalogue, save_catalogue


def test_migrations_match_the_models(empty_database_url: str) -> None:
    engine = make_engine(empty_database_url)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    assert differences == []


def test_upgrading_a_loaded_database_keeps_working(
    empty_database_url: str, catalogue: Catalogue
) -> None:
    """A catalogue loaded under the first schema survives the later migrations and reloads."""
    url = empty_database_url
    command.downgrade(alembic_config(url), "0001")
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO need (slug, name, position) VALUES ('x', 'X', 0)"))
        connection.execute(
            text(
                "INSERT INTO service (slug, name, position, aliases, summary_nb, contacts) "
                "VALUES ('s', 'S', 0, '[]', 'S er en tjeneste.', '[]')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO service_need (service_slug, need_slug, position) VALUES ('s', 'x', 0)"
            )
        )
    upgrade_database(url)
    with make_session_factory(engine)() as session, session.begin():
        assert save_catalogue(session, catalogue) is True
    with make_session_factory(engine)() as session:
        assert read_catalogue(session) == catalogue
    engine.dispose()

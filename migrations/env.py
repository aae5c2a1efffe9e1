"""Alembic environment: the URL comes from the caller or from the settings."""

from alembic import context

import api.accounts.models
import api.audit.models
import api.stats.models
import api.tickets.models  # noqa: F401
import core.outbox  # noqa: F401  (these imports register the tables)
import services_catalog.models  # noqa: F401
from core.config import get_settings
from core.database import Base, make_engine

config = context.config
url = config.attributes.get("database_url") or get_settings().database_url


def run_migrations() -> None:
    engine = make_engine(url)
    with engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            # SQLite rebuilds tables to alter them; keys are checked again after.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()
    engine.dispose()


run_migrations()

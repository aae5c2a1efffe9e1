"""A kept SQLite connection for Rasa's SQL stores (its tracker store and event broker).

SQLAlchemy 1.4, Rasa's, opens a new connection for every session on a SQLite file
(NullPool): the schema is read again each time, several times a turn. One kept connection,
with the write-ahead log synced at checkpoints, serves the same file. A commit survives a
crash of Rasa; the last ones may be lost if the machine itself fails.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy
from sqlalchemy.engine import Engine
from sqlalchemy.pool import QueuePool


def _quick_sqlite(connection: Any, _record: Any) -> None:
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")


def kept_connection(engine: Engine) -> Engine:
    """The same SQLite database on a kept connection; any other database as it was."""
    if engine.url.get_backend_name() != "sqlite":
        return engine
    engine.dispose()
    pooled = sqlalchemy.create_engine(
        engine.url,
        poolclass=QueuePool,
        pool_size=1,
        connect_args={"check_same_thread": False},
    )
    sqlalchemy.event.listen(pooled, "connect", _quick_sqlite)
    return pooled

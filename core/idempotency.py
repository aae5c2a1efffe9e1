"""Rows written once per idempotency key, however often (and however nearly at once) it comes."""

from typing import TypeVar

from sqlalchemy import Select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

Row = TypeVar("Row")


def add_once(session: Session, row: Row, same: Select[Row]) -> tuple[Row, bool]:
    """`row` added and flushed (True), or the row `same` finds when one came first (False).

    `same` selects the row with `row`'s idempotency key. A clash it does not explain (on
    another unique column) is raised. After a clash the session is rolled back: anything else
    it held unflushed is gone too.
    """
    session.add(row)
    try:
        session.flush()
    except IntegrityError:
        # The same key arrived twice at once: read what won.
        session.rollback()
        existing = session.scalar(same)
        if existing is None:
            raise
        return existing, False
    return row, True

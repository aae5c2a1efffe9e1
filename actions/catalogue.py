"""The action server's view of the catalogue: read from the database, refreshed on change."""

from __future__ import annotations

import time

from core.config import get_settings
from core.database import make_engine, make_session_factory
from services_catalog.holder import CatalogueHolder
from services_catalog.schemas import Contact
from services_catalog.snapshot import CatalogueSnapshot


class CatalogueUnavailableError(Exception):
    """No catalogue is loaded, or the database does not answer."""


class CatalogueAccess:
    """Opens the database on first use; checks for a new catalogue at most every few seconds."""

    def __init__(self, database_url: str | None = None) -> None:
        self._database_url = database_url
        self._holder: CatalogueHolder | None = None
        self._checked_at = 0.0

    def snapshot(self) -> CatalogueSnapshot:
        settings = get_settings()
        if self._holder is None:
            engine = make_engine(self._database_url or settings.database_url)
            self._holder = CatalogueHolder(make_session_factory(engine))
        now = time.monotonic()
        if (
            self._holder.snapshot is None
            or now - self._checked_at > settings.catalogue_refresh_seconds
        ):
            try:
                self._holder.refresh()
            except Exception as error:
                if self._holder.snapshot is None:
                    raise CatalogueUnavailableError(str(error)) from error
            self._checked_at = now
        if self._holder.snapshot is None:
            raise CatalogueUnavailableError("no catalogue is loaded")
        return self._holder.snapshot


CATALOGUE = CatalogueAccess()


def switchboard(catalogue: CatalogueSnapshot) -> Contact | None:
    """Oslo kommune's switchboard, the number every district can be reached through."""
    contacts = catalogue.catalogue.city_contacts
    return next((c for c in contacts if c.key == "switchboard" and c.phone), None)

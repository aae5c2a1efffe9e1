"""Keeps a process's snapshot of the stored catalogue fresh (the API and the action server)."""

from __future__ import annotations

import asyncio
import logging
import threading

from sqlalchemy.orm import Session, sessionmaker

from services_catalog.repository import read_catalogue, stored_version
from services_catalog.snapshot import CatalogueSnapshot

log = logging.getLogger(__name__)


class CatalogueHolder:
    """Holds the newest snapshot; `refresh` swaps in a new one when the stored version changes."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions
        self._lock = threading.Lock()
        self.snapshot: CatalogueSnapshot | None = None

    def refresh(self) -> bool:
        """Re-read the catalogue if `services_catalog load` stored a new one; True if it did."""
        with self._lock, self._sessions() as session:
            version = stored_version(session)
            if version is None or (self.snapshot and self.snapshot.version == version):
                return False
            catalogue = read_catalogue(session)
        if catalogue is None:
            return False
        self.snapshot = CatalogueSnapshot(catalogue, version)
        log.info("catalogue version %s is now served", version[:12])
        return True

    async def keep_fresh(self, every_seconds: float) -> None:
        """Poll the stored version for as long as the process runs."""
        while True:
            await asyncio.sleep(every_seconds)
            try:
                await asyncio.to_thread(self.refresh)
            except Exception:  # the database may be away for a while; keep serving
                log.exception("could not refresh the catalogue")

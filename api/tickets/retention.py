"""The retention job: resolved tickets lose their personal details after N days."""

import asyncio
import logging

from sqlalchemy.orm import Session, sessionmaker

from api.tickets.service import purge_resolved
from core.config import Settings
from core.database import fold_wal
from core.tracker_store import purge_quiet_conversations

log = logging.getLogger(__name__)


def purge_once(sessions: sessionmaker[Session], settings: Settings) -> int:
    """Purge resolved tickets and the assistant's old conversations; tickets purged."""
    days = settings.retention_days
    with sessions() as session:
        purged = purge_resolved(session, days)
        events = purge_quiet_conversations(settings, session, days)
        session.commit()
        fold_wal(session)
    if purged or events:
        log.info("purged %d resolved tickets and %d old conversation events", purged, events)
    return purged


async def purge_periodically(sessions: sessionmaker[Session], settings: Settings) -> None:
    """Run the purge at start-up and then at every interval, for as long as the API runs."""
    while True:
        try:
            await asyncio.to_thread(purge_once, sessions, settings)
        except Exception:  # the database may be away for a while; try again next time
            log.exception("the retention purge failed")
        await asyncio.sleep(settings.retention_interval_seconds)

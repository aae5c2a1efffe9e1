"""The retention job: resolved tickets lose their personal details after N days."""

import asyncio
import logging

from sqlalchemy.orm import Session, sessionmaker

from api.tickets.service import purge_resolved

log = logging.getLogger(__name__)


def purge_once(sessions: sessionmaker[Session], days: int) -> int:
    with sessions() as session:
        purged = purge_resolved(session, days)
    if purged:
        log.info("purged the personal details of %d resolved tickets", purged)
    return purged


async def purge_periodically(sessions: sessionmaker[Session], days: int, every: float) -> None:
    """Run the purge at start-up and then every `every` seconds, for as long as the API runs."""
    while True:
        try:
            await asyncio.to_thread(purge_once, sessions, days)
        except Exception:  # the database may be away for a while; try again next time
            log.exception("the retention purge failed")
        await asyncio.sleep(every)

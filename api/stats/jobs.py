"""Folding on a schedule (in the API) and once (the CLI), with Rasa's broker as configured."""

import asyncio
import logging

from sqlalchemy.orm import Session, sessionmaker

from api.stats.consumer import FoldResult, fold
from core.clock import utc_now
from core.config import Settings
from core.database import make_engine

log = logging.getLogger(__name__)


def fold_once(sessions: sessionmaker[Session], settings: Settings) -> FoldResult:
    """Fold what Rasa's broker and the API have recorded since the last fold."""
    broker = make_engine(settings.event_broker_url, pool_size=1, max_overflow=0)
    try:
        with sessions() as session:
            result = fold(session, broker, settings.office_hours, utc_now())
    finally:
        broker.dispose()
    if result.rasa_events or result.app_events:
        log.info("folded %d assistant and %d API events", result.rasa_events, result.app_events)
    return result


async def fold_periodically(sessions: sessionmaker[Session], settings: Settings) -> None:
    """Fold at start-up and then every `stats_interval_seconds`, while the API runs."""
    while True:
        try:
            await asyncio.to_thread(fold_once, sessions, settings)
        except Exception:  # the broker's database may be away for a while; try next time
            log.exception("folding events into the figures failed")
        await asyncio.sleep(settings.stats_interval_seconds)

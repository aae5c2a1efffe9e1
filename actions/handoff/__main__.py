"""`python -m actions.handoff`: the outbox worker; retries handoffs until the API has them."""

from __future__ import annotations

import logging
import time

import httpx

from actions.handoff.outbox import Delivery, deliver_due
from core.config import get_settings
from core.database import make_engine, make_session_factory
from core.logs import install_log_filters
from core.migrations import upgrade_database

log = logging.getLogger("actions.handoff")


def main() -> None:
    settings = get_settings()
    logging.basicConfig(level=settings.log_level.upper(), format="%(levelname)s %(message)s")
    install_log_filters()
    upgrade_database(settings.database_url)
    sessions = make_session_factory(make_engine(settings.database_url))
    print(f"Outbox worker: delivering handoffs to {settings.api_url}", flush=True)
    with httpx.Client() as client:
        while True:
            # Read the token each pass: `make run` may write it after we start.
            delivery = Delivery(settings.api_url, settings.client_token("assistant"))
            try:
                delivered = deliver_due(sessions, delivery, client)
                if delivered:
                    log.info("delivered %d handoff(s)", delivered)
            except Exception:  # the database may be away for a while; keep going
                log.exception("outbox pass failed")
            time.sleep(settings.outbox_interval_seconds)


if __name__ == "__main__":
    main()

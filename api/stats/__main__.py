"""`python -m api.stats fold`: fold new events into the figures now.

`python -m api.stats relay`: in the scaled set-up, move Rasa's events from RabbitMQ into the
table the figures are folded from, until stopped (SIGTERM or Ctrl-C).
"""

import argparse
import logging
import signal
import threading

from api.stats.jobs import fold_once
from api.stats.relay import relay
from core.config import get_settings
from core.database import make_engine, make_session_factory
from core.logs import install_log_filters


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m api.stats")
    parser.add_argument("command", choices=["fold", "relay"])
    command = parser.parse_args().command
    settings = get_settings()
    if command == "relay":
        logging.basicConfig(level=settings.log_level.upper(), format="%(levelname)s %(message)s")
        install_log_filters()
        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
        print(f"relayed {relay(settings, stop)} assistant events")
        return
    engine = make_engine(settings.database_url)
    result = fold_once(make_session_factory(engine), settings)
    engine.dispose()
    print(f"folded {result.rasa_events} assistant events and {result.app_events} API events")


if __name__ == "__main__":
    main()

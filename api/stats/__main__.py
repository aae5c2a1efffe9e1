"""`python -m api.stats fold`: fold new events into the figures now."""

import argparse

from api.stats.jobs import fold_once
from core.config import get_settings
from core.database import make_engine, make_session_factory


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m api.stats")
    parser.add_argument("command", choices=["fold"])
    parser.parse_args()
    settings = get_settings()
    engine = make_engine(settings.database_url)
    result = fold_once(make_session_factory(engine), settings)
    engine.dispose()
    print(f"folded {result.rasa_events} assistant events and {result.app_events} API events")


if __name__ == "__main__":
    main()

"""`python -m core.safety build`: train the emergency detector; `score TEXT`: try it."""

from __future__ import annotations

import argparse
import json

from core.safety.detector import load_detector
from core.safety.training import build


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m core.safety")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("build", help="train on core/safety/examples.yml")
    score = commands.add_parser("score", help="score messages")
    score.add_argument("texts", nargs="+")
    args = parser.parse_args()
    if args.command == "build":
        print(json.dumps(build(), indent=1))
        return
    detector = load_detector()
    for text in args.texts:
        print(json.dumps({"text": text, **detector.assess(text).as_dict()}, ensure_ascii=False))


if __name__ == "__main__":
    main()

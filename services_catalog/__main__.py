"""Command line: `python -m services_catalog validate|load|export`."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from core.config import get_settings
from core.database import make_engine, make_session_factory, transaction
from core.migrations import upgrade_database
from services_catalog.loader import CONTENT_DIR, Catalogue, CatalogueError, load_catalogue
from services_catalog.repository import read_catalogue, save_catalogue, stored_version


def _describe(catalogue: Catalogue) -> str:
    places = sum(len(district.neighbourhoods) for district in catalogue.districts)
    return (
        f"{len(catalogue.services)} services, {len(catalogue.districts)} districts, "
        f"{places} neighbourhoods, {len(catalogue.needs)} needs"
    )


def _validated(content: Path) -> Catalogue | None:
    try:
        return load_catalogue(content)
    except CatalogueError as error:
        print(f"The catalogue in {content} has {len(error.problems)} problem(s):", file=sys.stderr)
        for problem in error.problems:
            print(f"  {problem}", file=sys.stderr)
        return None


def validate(args: argparse.Namespace) -> int:
    catalogue = _validated(args.content)
    if catalogue is None:
        return 1
    print(f"OK: {_describe(catalogue)}")
    return 0


def load(args: argparse.Namespace) -> int:
    catalogue = _validated(args.content)
    if catalogue is None:
        print("Nothing was loaded; the database is unchanged.", file=sys.stderr)
        return 1
    upgrade_database(args.database_url)
    with transaction(args.database_url) as session:
        changed = save_catalogue(session, catalogue)
        version = stored_version(session) or ""
    state = "Loaded" if changed else "Already up to date:"
    print(f"{state} {_describe(catalogue)} (version {version[:12]})")
    return 0


def export(args: argparse.Namespace) -> int:
    engine = make_engine(args.database_url)
    try:
        with make_session_factory(engine)() as session:
            catalogue = read_catalogue(session)
    finally:
        engine.dispose()
    if catalogue is None:
        print("No catalogue is loaded; run `python -m services_catalog load`.", file=sys.stderr)
        return 1
    document = {
        "services": [s.model_dump(mode="json") for s in catalogue.services],
        "districts": [d.model_dump(mode="json") for d in catalogue.districts],
        "ambiguous_neighbourhoods": {
            k: list(v) for k, v in catalogue.ambiguous_neighbourhoods.items()
        },
        "needs": [n.model_dump(mode="json") for n in catalogue.needs],
        "city_contacts": [c.model_dump(mode="json") for c in catalogue.city_contacts],
    }
    text = json.dumps(document, ensure_ascii=False, indent=2)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    else:
        print(text)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m services_catalog", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    for name, handler, text in (
        ("validate", validate, "check the YAML content; load nothing"),
        ("load", load, "migrate the database and replace its catalogue in one transaction"),
        ("export", export, "print the stored catalogue as JSON"),
    ):
        command = commands.add_parser(name, help=text)
        command.set_defaults(handler=handler)
        if name != "export":
            command.add_argument("--content", type=Path, default=CONTENT_DIR)
        if name != "validate":
            command.add_argument("--database-url", default=get_settings().database_url)
        if name == "export":
            command.add_argument("--out", type=Path, help="write to this file instead")
    args = parser.parse_args(argv)
    return int(args.handler(args))


if __name__ == "__main__":
    sys.exit(main())

"""Admin command line: `python -m api.admin create-staff|disable-staff|revoke-tokens|...`."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session

from api.accounts import service as accounts
from api.accounts.models import SCOPES, Role, StaffAccount
from api.accounts.policy import AccountError
from api.audit.service import record
from api.tickets.retention import purge_once
from core.config import get_settings
from core.database import make_engine, make_session_factory, transaction
from core.migrations import upgrade_database
from services_catalog.models import DistrictRow


@contextmanager
def _session(database_url: str) -> Iterator[Session]:
    upgrade_database(database_url)
    with transaction(database_url) as session:
        yield session


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Password: ")
    if first != getpass.getpass("Again: "):
        raise AccountError("the two passwords differ")
    return first


def create_staff(args: argparse.Namespace) -> int:
    password = _read_password(args.password_stdin)
    with _session(args.database_url) as session:
        if session.get(DistrictRow, args.district) is None:
            raise AccountError(
                f"no district {args.district!r}; load the catalogue, then use a district slug"
            )
        account: StaffAccount = accounts.create_staff(
            session, args.username, password, args.district, Role(args.role), args.name
        )
        print(f"Created {account.role} {account.username} in {account.district_slug}.")
    return 0


def _end_sessions(
    args: argparse.Namespace,
    action: str,
    apply: Callable[[Session, StaffAccount], int],
    report: str,
) -> int:
    """Apply `action` to one staff account, audit it, and say how many sessions it ended."""
    with _session(args.database_url) as session:
        account = accounts.staff_named(session, args.username)
        ended = apply(session, account)
        record(session, "admin-cli", action, account.district_slug, detail=account.username)
    print(report.format(username=account.username, ended=ended))
    return 0


def disable_staff(args: argparse.Namespace) -> int:
    report = "Disabled {username}: no more logins; {ended} session(s) ended."
    return _end_sessions(args, "disable_staff", accounts.disable_staff, report)


def revoke_tokens(args: argparse.Namespace) -> int:
    report = "Ended {ended} session(s) of {username}."
    return _end_sessions(args, "revoke_tokens", accounts.revoke_tokens, report)


def create_client(args: argparse.Namespace) -> int:
    with _session(args.database_url) as session:
        token = accounts.create_client(session, args.name, list(args.scope))
    print(f"Token for {args.name} (shown once, store it safely):\n{token}")
    return 0


def ensure_clients(args: argparse.Namespace) -> int:
    settings = get_settings()
    with _session(args.database_url) as session:
        made = accounts.ensure_standard_clients(session, settings.secrets_dir)
    where = settings.secrets_dir
    print(f"Client tokens in {where}: " + (f"made {', '.join(made)}" if made else "up to date"))
    return 0


def purge(args: argparse.Namespace) -> int:
    upgrade_database(args.database_url)
    engine = make_engine(args.database_url)
    try:
        settings = get_settings().model_copy(
            update={"database_url": args.database_url, "retention_days": args.days}
        )
        purged = purge_once(make_session_factory(engine), settings)
    finally:
        engine.dispose()
    print(f"Purged the personal details of {purged} ticket(s) resolved over {args.days} days ago.")
    return 0


def parser() -> argparse.ArgumentParser:
    settings = get_settings()
    main = argparse.ArgumentParser(prog="python -m api.admin", description=__doc__)
    main.add_argument("--database-url", default=settings.database_url)
    commands = main.add_subparsers(required=True)

    staff = commands.add_parser("create-staff", help="a staff account in one district")
    staff.add_argument("username")
    staff.add_argument("--district", required=True, help="district slug, e.g. bydel-frogner")
    staff.add_argument("--role", choices=[r.value for r in Role], default=Role.STAFF.value)
    staff.add_argument("--name", help="the name colleagues see")
    staff.add_argument("--password-stdin", action="store_true", help="read the password (1 line)")
    staff.set_defaults(run=create_staff)

    disable = commands.add_parser("disable-staff", help="no more logins; ends its sessions")
    disable.add_argument("username")
    disable.set_defaults(run=disable_staff)

    revoke = commands.add_parser("revoke-tokens", help="end every session of a staff account")
    revoke.add_argument("username")
    revoke.set_defaults(run=revoke_tokens)

    client = commands.add_parser("create-client", help="a machine credential; prints its token")
    client.add_argument("name")
    client.add_argument("--scope", action="append", required=True, choices=SCOPES)
    client.set_defaults(run=create_client)

    ensure = commands.add_parser("ensure-clients", help="token files for the assistant and bridge")
    ensure.set_defaults(run=ensure_clients)

    retention = commands.add_parser("purge", help="run the retention purge once")
    retention.add_argument("--days", type=int, default=settings.retention_days)
    retention.set_defaults(run=purge)
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return int(args.run(args))
    except AccountError as error:
        print(f"Not done: {error}.", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())

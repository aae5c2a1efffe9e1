"""Logins: throttled per username and per address, failures audited, tokens never cached.

The admin CLI keeps weak passwords and look-alike usernames out, and can disable an account or
end its sessions.
"""

from __future__ import annotations

import io
import secrets
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from api import admin
from api.accounts.models import StaffAccount
from api.main import create_app
from api.ratelimit import RateLimiter
from core.database import make_engine
from services_catalog.loader import Catalogue
from tests.databases import ensure_redis
from tests.fake_clock import Clock, install_clock
from tests.servers import serve
from tests.staff import HOME, PASSWORD, PROBLEM, Desk, bearer, username

STAFF = username("staff")
LEAD = username("lead")
COLLEAGUE = username("colleague")
WRONG = "not the password at all"


@pytest.fixture(autouse=True)
def _fresh(desk: Desk) -> None:
    """Each test starts with no failures counted (a new limiter) and an empty audit log."""
    desk.reset()
    desk.app.state.rate_limiter = RateLimiter(desk.settings)


def _failures(desk: Desk) -> list[tuple[str, str | None]]:
    return [(e.actor, e.detail) for e in desk.audit() if e.action == "log_in_failed"]


def test_wrong_passwords_slow_down_then_lock_the_account(desk: Desk) -> None:
    first = [desk.log_in(STAFF, WRONG).status_code for _ in range(5)]
    assert first == [401] * 5
    refused = desk.log_in(STAFF, WRONG)
    assert refused.status_code == 429
    assert refused.headers["content-type"] == PROBLEM
    assert 1 <= int(refused.headers["retry-after"]) <= 61, "the first tier waits a minute"
    assert desk.log_in(STAFF).status_code == 429, "locked: even the right password waits"
    assert desk.log_in(STAFF.upper()).status_code == 429, "whatever the case of the name"
    assert desk.log_in(LEAD).status_code == 200, "another account is not locked"


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    return install_clock(monkeypatch)


def test_the_wait_grows_tier_by_tier_up_to_a_days_lockout(desk: Desk, clock: Clock) -> None:
    """Defaults: 5 per minute, 10 per 15 minutes, 20 per day; a client that waits as told."""
    waits: list[int] = []
    while not waits or waits[-1] < 3600:
        answer = desk.log_in(STAFF, WRONG)
        if answer.status_code == 429:
            waits.append(int(answer.headers["retry-after"]))
            clock.now += waits[-1] if waits[-1] < 3600 else 0
        else:
            assert answer.status_code == 401
    assert 10 < len(_failures(desk)) <= 20, "refused tries count towards the longer windows"
    assert waits[0] <= 61 < waits[1] <= 15 * 60 + 1 < waits[-1] <= 24 * 3600 + 1, waits
    assert desk.log_in(STAFF).status_code == 429, "locked, even for the right password"
    clock.now += waits[-1]
    assert desk.log_in(STAFF).status_code == 200, "the lockout ends by itself"


def test_many_usernames_from_one_address_are_refused_too(desk: Desk) -> None:
    answers = [desk.log_in(f"guess-{n}", WRONG).status_code for n in range(61)]
    assert answers == [401] * 60 + [429]
    assert desk.log_in(LEAD).status_code == 429, "the address waits, whoever it claims to be"


def test_a_failure_is_audited_without_the_password(desk: Desk) -> None:
    assert desk.log_in(STAFF, "hemmelig-passord-123").status_code == 401
    assert desk.log_in("nobody-at-all", "hemmelig-passord-123").status_code == 401
    assert _failures(desk) == [(f"staff:{STAFF}", None), ("login:unknown-username", None)]
    for entry in desk.audit():
        assert "hemmelig" not in f"{entry.actor} {entry.detail}"
        assert "nobody" not in entry.actor, "an unknown name may be a password typed wrongly"


def test_a_good_login_forgets_the_usernames_failures(desk: Desk) -> None:
    for _ in range(4):
        assert desk.log_in(STAFF, WRONG).status_code == 401
    assert desk.log_in(STAFF).status_code == 200
    assert [desk.log_in(STAFF, WRONG).status_code for _ in range(5)] == [401] * 5


def test_the_token_response_is_never_cached(desk: Desk) -> None:
    response = desk.log_in(STAFF)
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["pragma"] == "no-cache"


def test_usernames_ignore_case_and_surrounding_spaces(desk: Desk) -> None:
    assert desk.log_in(f"  {STAFF.upper()} ").status_code == 200


def test_counts_are_shared_through_redis(desk: Desk) -> None:
    """Two API processes with REDIS_URL count one username's failures together."""
    settings = desk.settings.model_copy(
        update={"redis_url": ensure_redis(), "login_limits_per_address": "1000 per minute"}
    )
    name = f"redis-{secrets.token_hex(4)}"
    first, second = create_app(settings), create_app(settings)
    with serve(first) as one, serve(second) as two:
        form = {"username": name, "password": WRONG}
        codes = [httpx.post(f"{url}/api/auth/token", data=form).status_code for url in (one, two)]
        codes += [httpx.post(f"{one}/api/auth/token", data=form).status_code for _ in range(3)]
        codes.append(httpx.post(f"{two}/api/auth/token", data=form).status_code)
    assert codes == [401] * 5 + [429]


# ------------------------------------------------------------ 50 wrong logins, real server


def test_fifty_wrong_logins_lock_out_while_other_peoples_chats_go_on(desk: Desk) -> None:
    with serve(create_app(desk.settings)) as url, httpx.Client(base_url=url) as chat:
        baseline = _chat_round(chat)
        form = {"username": STAFF, "password": WRONG}

        def attack(_: int) -> httpx.Response:
            return httpx.post(f"{url}/api/auth/token", data=form, timeout=60)

        with ThreadPoolExecutor(max_workers=10) as pool:
            flood = pool.map(attack, range(50))
            during = [_chat_round(chat) for _ in range(10)]
            answers = list(flood)
        locked = httpx.post(f"{url}/api/auth/token", data={"username": STAFF, "password": PASSWORD})
    codes = [a.status_code for a in answers]
    assert codes.count(401) == 5, "only five tries reached the password check"
    assert codes.count(429) == 45, codes
    assert all(int(a.headers["retry-after"]) >= 1 for a in answers if a.status_code == 429)
    assert locked.status_code == 429, "the account is locked, even for the right password"
    assert all(ok for ok, _ in during), "every chat request of others succeeded"
    slowest = max(seconds for _, seconds in during)
    assert slowest < max(2.0, 10 * baseline[1]), (baseline, during)


def _chat_round(chat: httpx.Client) -> tuple[bool, float]:
    """A person starts a chat and polls for staff messages: did it work, and how long it took."""
    started = time.monotonic()
    created = chat.post("/api/chat/conversations")
    cid = created.json()["conversation_id"]
    polled = chat.get(f"/api/chat/conversations/{cid}/messages")
    return (created.status_code == 201 and polled.status_code == 200), time.monotonic() - started


# ------------------------------------------------------------ the admin CLI


def _cli(desk: Desk, monkeypatch: pytest.MonkeyPatch, *args: str, password: str = "") -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
    return admin.main(["--database-url", desk.database_url, *args])


def _create(desk: Desk, monkeypatch: pytest.MonkeyPatch, name: str, password: str) -> int:
    args = ("create-staff", name, "--district", HOME, "--password-stdin")
    return _cli(desk, monkeypatch, *args, password=password)


@pytest.mark.parametrize(
    ("name", "password", "complaint"),
    [
        ("ola", " " * 12, "at least 12 characters"),
        ("ola", "   kort   passord   ".strip()[:8] + " " * 8, "at least 12 characters"),
        ("ola", "aaaaaaaaaaaaaaaa", "different characters"),
        ("kari-hansen", "KARI-HANSEN!", "must not contain the username"),
        ("kari-hansen", "kari-hansen-2026", "must not contain the username"),
        ("ola", "passord12345", "most common"),
        ("ola", "Password1234", "most common"),
        ("", "et langt og godt passord", "a username has 1 to 64 characters"),
        ("   ", "et langt og godt passord", "a username has 1 to 64 characters"),
        ("x" * 300, "et langt og godt passord", "a username has 1 to 64 characters"),
        ("kari nordmann", "et langt og godt passord", "a username has 1 to 64 characters"),
        (".kari", "et langt og godt passord", "a username has 1 to 64 characters"),
    ],
)
def test_the_cli_refuses_weak_passwords_and_odd_usernames(
    desk: Desk,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    name: str,
    password: str,
    complaint: str,
) -> None:
    assert _create(desk, monkeypatch, name, password) == 1
    assert complaint in capsys.readouterr().err


def test_usernames_differing_only_in_case_are_one(
    desk: Desk, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    name = f"Nina-{secrets.token_hex(3)}"
    assert _create(desk, monkeypatch, name, "et langt og godt passord") == 0
    assert f"Created staff {name.lower()} in {HOME}." in capsys.readouterr().out
    assert _create(desk, monkeypatch, name.upper(), "et langt og godt passord") == 1
    assert "taken" in capsys.readouterr().err
    assert desk.log_in(name.upper(), "et langt og godt passord").status_code == 200


def test_the_database_refuses_two_names_that_differ_only_in_case(desk: Desk) -> None:
    with desk.sessions() as session:
        account = session.scalars(select(StaffAccount).where(StaffAccount.username == LEAD)).one()
        twin = StaffAccount(
            username=LEAD.upper(),
            display_name="x",
            password_hash=account.password_hash,
            district_slug=HOME,
        )
        session.add(twin)
        with pytest.raises(IntegrityError):
            session.commit()


def test_disable_staff_stops_logins_and_tokens(
    desk: Desk, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    name = f"ola-{secrets.token_hex(3)}"
    assert _create(desk, monkeypatch, name, "et langt og godt passord") == 0
    token = desk.log_in(name, "et langt og godt passord").json()["access_token"]
    assert desk.client.get("/api/staff/me", headers=bearer(token)).status_code == 200
    assert _cli(desk, monkeypatch, "disable-staff", name.upper()) == 0
    assert "1 session(s) ended" in capsys.readouterr().out
    assert desk.client.get("/api/staff/me", headers=bearer(token)).status_code == 401
    assert desk.log_in(name, "et langt og godt passord").status_code == 401
    assert [e.action for e in desk.audit() if e.actor == "admin-cli"] == ["disable_staff"]


def test_revoke_tokens_ends_every_session_but_not_the_account(
    desk: Desk, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    tokens = [desk.issue_token(COLLEAGUE) for _ in range(2)]
    assert _cli(desk, monkeypatch, "revoke-tokens", COLLEAGUE) == 0
    assert "Ended 2 session(s)" in capsys.readouterr().out
    for token in tokens:
        assert desk.client.get("/api/staff/me", headers=bearer(token)).status_code == 401
    assert desk.log_in(COLLEAGUE).status_code == 200
    assert _cli(desk, monkeypatch, "revoke-tokens", "nobody-here") == 1
    assert "no staff account 'nobody-here'" in capsys.readouterr().err


def test_the_migration_lowercases_usernames_and_stops_at_clashes(
    database_kind: str, catalogue: Catalogue, tmp_path: Path
) -> None:
    from alembic import command

    from core.migrations import alembic_config
    from tests.staff import loaded_database

    with loaded_database(database_kind, catalogue, tmp_path) as url:
        command.downgrade(alembic_config(url), "0003")
        engine = make_engine(url)
        insert = text(
            "INSERT INTO staff_account (username, display_name, password_hash, district_slug,"
            " role, active, created_at) VALUES (:u, 'x', 'h', 'frogner', 'staff', :a, :c)"
        )
        values = {"a": True, "c": "2026-01-01 00:00:00"}
        with engine.begin() as connection:
            connection.execute(insert, {"u": "Kari", **values})
        command.upgrade(alembic_config(url), "head")
        with engine.begin() as connection:
            assert connection.execute(
                text("SELECT username FROM staff_account")
            ).scalars().all() == ["kari"]
        command.downgrade(alembic_config(url), "0003")
        with engine.begin() as connection:
            connection.execute(insert, {"u": "KARI", **values})
        with pytest.raises(RuntimeError, match="differ only in case: kari"):
            command.upgrade(alembic_config(url), "head")
        engine.dispose()

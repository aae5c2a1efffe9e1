"""Staff accounts, staff tokens and machine clients."""

from datetime import timedelta
from pathlib import Path

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from api.accounts.models import ApiClient, Role, Scope, StaffAccount, StaffToken
from api.accounts.policy import (
    USERNAME,
    AccountError,
    check_password,
    check_username,
    normalise_username,
)
from api.accounts.security import hash_password, new_token, token_digest, verify_password
from api.audit.service import record
from core.channels import CHANNELS
from core.clock import utc_now
from core.secrets import write_secret

# The clients `make run` sets up, and what each may do: the assistant, and each channel's bridge.
STANDARD_CLIENTS: dict[str, list[str]] = {
    "assistant": [Scope.CREATE_TICKETS],
    **{channel.name: [channel.scope] for channel in CHANNELS if channel.scope is not None},
}


def create_staff(
    session: Session,
    username: str,
    password: str,
    district_slug: str,
    role: Role = Role.STAFF,
    display_name: str | None = None,
) -> StaffAccount:
    username = normalise_username(username)
    check_username(username)
    check_password(password, username)
    if find_staff(session, username) is not None:
        raise AccountError(f"the username {username!r} is taken")
    account = StaffAccount(
        username=username,
        display_name=display_name or username,
        password_hash=hash_password(password),
        district_slug=district_slug,
        role=role,
    )
    session.add(account)
    session.flush()
    return account


def find_staff(session: Session, username: str) -> StaffAccount | None:
    """The account named `username`, whatever its case (none for what no username can be)."""
    username = normalise_username(username)
    if not USERNAME.fullmatch(username):
        return None
    return session.scalar(select(StaffAccount).where(func.lower(StaffAccount.username) == username))


def authenticate(session: Session, username: str, password: str) -> StaffAccount | None:
    """The active account if the password is right. The database is let go before argon2 runs."""
    account = find_staff(session, username)
    stored_hash = account.password_hash if account is not None and account.active else None
    session.commit()  # hand the connection back to the pool during the slow hash
    return account if verify_password(stored_hash, password) else None


def log_in(session: Session, username: str, password: str, minutes: int) -> str | None:
    """A new token when the password is right; else None, and the failure is audited."""
    account = authenticate(session, username, password)
    if account is None:
        named = find_staff(session, username)
        actor = f"staff:{named.username}" if named else "login:unknown-username"
        record(session, actor, "log_in_failed", named.district_slug if named else None)
        session.commit()
        return None
    token = issue_token(session, account, minutes)
    record(session, f"staff:{account.username}", "log_in", account.district_slug)
    session.commit()
    return token


def log_out(session: Session, staff: StaffAccount, token: str) -> None:
    """End this token's session, audited."""
    revoke_token(session, token)
    record(session, f"staff:{staff.username}", "log_out", staff.district_slug)
    session.commit()


def staff_named(session: Session, username: str) -> StaffAccount:
    account = find_staff(session, username)
    if account is None:
        raise AccountError(f"no staff account {normalise_username(username)!r}")
    return account


def revoke_tokens(session: Session, account: StaffAccount) -> int:
    """End every session of `account`; how many tokens went."""
    result = session.execute(delete(StaffToken).where(StaffToken.staff_id == account.id))
    return int(getattr(result, "rowcount", 0) or 0)


def disable_staff(session: Session, account: StaffAccount) -> int:
    """`account` can no longer log in, and its tokens stop working; how many tokens went."""
    account.active = False
    return revoke_tokens(session, account)


def issue_token(session: Session, account: StaffAccount, minutes: int) -> str:
    """A new bearer token for `account`; expired tokens are swept on the way."""
    now = utc_now()
    session.execute(delete(StaffToken).where(StaffToken.expires_at <= now))
    token = new_token()
    session.add(
        StaffToken(
            token_hash=token_digest(token),
            staff_id=account.id,
            expires_at=now + timedelta(minutes=minutes),
        )
    )
    return token


def staff_for_token(session: Session, token: str) -> StaffAccount | None:
    row = session.get(StaffToken, token_digest(token))
    if row is None or row.expires_at <= utc_now() or not row.staff.active:
        return None
    return row.staff


def revoke_token(session: Session, token: str) -> None:
    session.execute(delete(StaffToken).where(StaffToken.token_hash == token_digest(token)))


def create_client(session: Session, name: str, scopes: list[str]) -> str:
    """A new machine client (or a new token for an existing one); the token, shown once."""
    token = new_token()
    client = session.scalar(select(ApiClient).where(ApiClient.name == name))
    if client is None:
        client = ApiClient(name=name)
        session.add(client)
    client.token_hash = token_digest(token)
    client.scopes = [str(scope) for scope in scopes]
    return token


def client_for_token(session: Session, token: str) -> ApiClient | None:
    return session.scalar(select(ApiClient).where(ApiClient.token_hash == token_digest(token)))


def ensure_standard_clients(session: Session, secrets_dir: Path) -> list[str]:
    """Give every standard client a token file that matches the database; names (re)made."""
    secrets_dir.mkdir(parents=True, exist_ok=True)
    made = []
    for name, scopes in STANDARD_CLIENTS.items():
        path = secrets_dir / f"{name}.token"
        token = path.read_text("utf-8").strip() if path.exists() else ""
        client = client_for_token(session, token) if token else None
        if client is not None and client.name == name:
            continue
        token = create_client(session, name, scopes)
        write_secret(path, token)
        made.append(name)
    return made

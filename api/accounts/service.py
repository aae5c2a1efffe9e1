"""Staff accounts, staff tokens and machine clients."""

from datetime import timedelta
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from api.accounts.models import ApiClient, Role, Scope, StaffAccount, StaffToken
from api.accounts.security import hash_password, new_token, token_digest, verify_password
from core.clock import utc_now

# The clients `make run` sets up, and what each may do.
STANDARD_CLIENTS: dict[str, list[Scope]] = {
    "assistant": [Scope.CREATE_TICKETS],
    "telegram": [Scope.TELEGRAM_CHANNEL],
}
MIN_PASSWORD_LENGTH = 12


class AccountError(ValueError):
    """A request to create or change an account that cannot be done."""


def create_staff(
    session: Session,
    username: str,
    password: str,
    district_slug: str,
    role: Role = Role.STAFF,
    display_name: str | None = None,
) -> StaffAccount:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")
    if session.scalar(select(StaffAccount).where(StaffAccount.username == username)):
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


def authenticate(session: Session, username: str, password: str) -> StaffAccount | None:
    account = session.scalar(select(StaffAccount).where(StaffAccount.username == username))
    stored_hash = account.password_hash if account is not None and account.active else None
    return account if verify_password(stored_hash, password) else None


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


def create_client(session: Session, name: str, scopes: list[Scope]) -> str:
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
        path.touch(mode=0o600)
        path.write_text(token + "\n", "utf-8")
        made.append(name)
    return made

"""Staff accounts, their bearer tokens, and machine clients (the assistant, the bridges)."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.channels import CHANNEL_SCOPES
from core.clock import utc_now
from core.database import Base, UtcDateTime


class Role(StrEnum):
    """What a staff account may do with tickets, always within its own district.

    Figures (`/api/stats`): a lead sees their district's; the owner and admins the city's.
    """

    STAFF = "staff"
    LEAD = "lead"
    ADMIN = "admin"
    OWNER = "owner"  # the city's service owner


class Scope(StrEnum):
    """What a machine client may do, besides speaking for a channel (core.channels)."""

    CREATE_TICKETS = "tickets:create"


# Every scope a machine client may hold: a channel's scope lets its bridge speak for it.
SCOPES: tuple[str, ...] = (*Scope, *CHANNEL_SCOPES)


class StaffAccount(Base):
    __tablename__ = "staff_account"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(200))
    district_slug: Mapped[str] = mapped_column(String(64), index=True)
    role: Mapped[str] = mapped_column(String(16), default=Role.STAFF)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)

    tokens: Mapped[list["StaffToken"]] = relationship(
        cascade="all, delete-orphan", back_populates="staff"
    )


# Usernames are stored in lower case; this index keeps two that differ only in case out.
Index("uq_staff_account_username_lower", func.lower(StaffAccount.username), unique=True)


class StaffToken(Base):
    """A short-lived bearer token; only its SHA-256 is stored."""

    __tablename__ = "staff_token"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_account.id", ondelete="CASCADE"))
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)

    staff: Mapped[StaffAccount] = relationship(back_populates="tokens")


class ApiClient(Base):
    """A machine credential with fixed scopes; only its token's SHA-256 is stored."""

    __tablename__ = "api_client"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    scopes: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)

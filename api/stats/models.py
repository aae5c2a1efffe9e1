"""Analytics tables.

Aggregates (`stats_*_cell`) hold counts only: no message text and no user, chat or
conversation id, so they outlive the retention of personal data. The working tables
(`stats_event`, `stats_open_conversation`, `stats_channel_user`, the unanswered questions)
hold what the fold still needs, keyed by a keyed digest, and are emptied as it goes.
"""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, Boolean, Date, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.clock import utc_now
from core.database import Base, UtcDateTime

UNKNOWN = ""  # a dimension nobody told us (no district chosen, say)


class StatsCursor(Base):
    """How far the fold has read a source of events."""

    __tablename__ = "stats_cursor"

    source: Mapped[str] = mapped_column(String(32), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class StatsEvent(Base):
    """An event from the API itself (tickets, gateway, feedback), deleted once folded."""

    __tablename__ = "stats_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    conversation_key: Mapped[str | None] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(16), default=UNKNOWN)
    district: Mapped[str] = mapped_column(String(64), default=UNKNOWN)
    language: Mapped[str] = mapped_column(String(4), default=UNKNOWN)
    service: Mapped[str] = mapped_column(String(64), default=UNKNOWN)
    aspect: Mapped[str] = mapped_column(String(32), default=UNKNOWN)
    # A ticket's: when it came and the day an answer was promised (the cell is that day's).
    opened_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    due: Mapped[date | None] = mapped_column(Date)
    helpful: Mapped[bool | None] = mapped_column(Boolean)  # feedback


class OpenConversation(Base):
    """A conversation the fold has seen begin but not yet end."""

    __tablename__ = "stats_open_conversation"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime)
    last_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    channel: Mapped[str] = mapped_column(String(16))
    language: Mapped[str] = mapped_column(String(4), default=UNKNOWN)
    district: Mapped[str] = mapped_column(String(64), default=UNKNOWN)
    topics: Mapped[list[str]] = mapped_column(JSON, default=list)  # "service:<slug>", "need:<slug>"
    user_messages: Mapped[int] = mapped_column(Integer, default=0)
    fallbacks: Mapped[int] = mapped_column(Integer, default=0)
    engaged: Mapped[bool] = mapped_column(Boolean, default=False)
    last_unanswered: Mapped[bool] = mapped_column(Boolean, default=False)
    handoff_open: Mapped[bool] = mapped_column(Boolean, default=False)
    escalated: Mapped[bool] = mapped_column(Boolean, default=False)
    emergency: Mapped[bool] = mapped_column(Boolean, default=False)


class ChannelUser(Base):
    """A Telegram chat's contained conversation, waiting 7 days to be verified."""

    __tablename__ = "stats_channel_user"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    closed_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    day: Mapped[date] = mapped_column(Date)
    district: Mapped[str] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(16))
    language: Mapped[str] = mapped_column(String(4))


class DailyCell(Base):
    """Conversations of one day, district, channel and language."""

    __tablename__ = "stats_daily_cell"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    district: Mapped[str] = mapped_column(String(64), primary_key=True)
    channel: Mapped[str] = mapped_column(String(16), primary_key=True)
    language: Mapped[str] = mapped_column(String(4), primary_key=True)
    conversations: Mapped[int] = mapped_column(Integer, default=0)
    engaged: Mapped[int] = mapped_column(Integer, default=0)
    contained: Mapped[int] = mapped_column(Integer, default=0)
    escalated: Mapped[int] = mapped_column(Integer, default=0)
    abandoned: Mapped[int] = mapped_column(Integer, default=0)
    emergencies: Mapped[int] = mapped_column(Integer, default=0)
    user_messages: Mapped[int] = mapped_column(Integer, default=0)
    fallbacks: Mapped[int] = mapped_column(Integer, default=0)
    verify_eligible: Mapped[int] = mapped_column(Integer, default=0)
    verified: Mapped[int] = mapped_column(Integer, default=0)


class HourCell(Base):
    """Conversations begun in one hour of the day (Oslo time), per day and district."""

    __tablename__ = "stats_hour_cell"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    district: Mapped[str] = mapped_column(String(64), primary_key=True)
    hour: Mapped[int] = mapped_column(Integer, primary_key=True)
    conversations: Mapped[int] = mapped_column(Integer, default=0)


class TopicKind(StrEnum):
    """What a conversation can be about: a service named, or a need described."""

    SERVICE = "service"
    NEED = "need"


class TopicCell(Base):
    """Conversations that were about a service (or a need), per day and district."""

    __tablename__ = "stats_topic_cell"
    # The top services and needs are read from this index alone, without the table's rows.
    __table_args__ = (
        Index("ix_stats_topic_cell_by_kind", "kind", "topic", "day", "district", "conversations"),
    )

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    district: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    topic: Mapped[str] = mapped_column(String(64), primary_key=True)
    conversations: Mapped[int] = mapped_column(Integer, default=0)


class TicketCell(Base):
    """Handoffs of one day (the day the ticket came) and district, and how staff answered."""

    __tablename__ = "stats_ticket_cell"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    district: Mapped[str] = mapped_column(String(64), primary_key=True)
    tickets: Mapped[int] = mapped_column(Integer, default=0)
    claimed: Mapped[int] = mapped_column(Integer, default=0)
    claim_minutes: Mapped[float] = mapped_column(Float, default=0.0)
    replied: Mapped[int] = mapped_column(Integer, default=0)
    reply_minutes: Mapped[float] = mapped_column(Float, default=0.0)
    replied_on_time: Mapped[int] = mapped_column(Integer, default=0)
    resolved: Mapped[int] = mapped_column(Integer, default=0)


class FeedbackCell(Base):
    """Answers to "Var dette til hjelp?" per day, service, aspect and language."""

    __tablename__ = "stats_feedback_cell"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    service: Mapped[str] = mapped_column(String(64), primary_key=True)
    aspect: Mapped[str] = mapped_column(String(32), primary_key=True)
    language: Mapped[str] = mapped_column(String(4), primary_key=True)
    helpful: Mapped[int] = mapped_column(Integer, default=0)
    not_helpful: Mapped[int] = mapped_column(Integer, default=0)


class GroupStatus(StrEnum):
    OPEN = "open"
    ADDED = "added_to_catalogue"
    NOT_OURS = "not_ours"


class UnansweredGroup(Base):
    """Similar questions the assistant could not answer; gone when its last question is."""

    __tablename__ = "stats_unanswered_group"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    label: Mapped[str] = mapped_column(Text)  # masked, like its questions
    status: Mapped[str] = mapped_column(String(24), default=GroupStatus.OPEN)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class UnansweredQuestion(Base):
    """A masked message the assistant could not answer, kept at most 30 days."""

    __tablename__ = "stats_unanswered_question"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(
        ForeignKey("stats_unanswered_group.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(Text)
    words: Mapped[list[str]] = mapped_column(JSON)
    district: Mapped[str] = mapped_column(String(64), default=UNKNOWN)
    at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)

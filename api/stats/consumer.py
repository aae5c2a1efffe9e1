"""The consumer: fold new events into the aggregate tables, then forget them.

Run by the API every `STATS_INTERVAL_SECONDS`, or by hand: `python -m api.stats fold`.
Rasa's events come from its SQL event broker; the API's own (tickets, gateway, feedback)
from `stats_event`. Both are read past a cursor and deleted once folded, so message text
lives in them only until the next fold. See docs/metrics.md for the definitions.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, delete, inspect, select, update
from sqlalchemy.orm import Session

from api.stats import unanswered
from api.stats.events import conversation_key
from api.stats.models import (
    UNKNOWN,
    ChannelUser,
    DailyCell,
    FeedbackCell,
    HourCell,
    OpenConversation,
    StatsCursor,
    StatsEvent,
    TicketCell,
    TopicCell,
    TopicKind,
)
from api.stats.office_time import office_minutes, oslo_day_hour
from core.channels import CHANNELS, channel_name
from core.event_broker import broker_events
from core.office_hours import OfficeHours

SESSION_GAP = timedelta(minutes=60)  # Rasa's session_expiration_time (bot/domain.yml)
VERIFY_DAYS = timedelta(days=7)
# Where one person keeps one conversation id, so whether an answer held can be verified.
VERIFIABLE = frozenset(channel.name for channel in CHANNELS if channel.lasting_ids)
BATCH = 5000
# Intents that are not a question: a conversation with only these is not engaged.
SMALL_TALK = frozenset({"greet", "goodbye", "thank", "affirm", "deny", "bot_challenge"})
FALLBACK_ACTION = "action_clarify"
OUT_OF_SCOPE_ACTION = "action_out_of_scope"
EMERGENCY_ACTION = "action_emergency"
HANDOFF_ACTION = "action_submit_handoff"
HANDOFF_FORM = "handoff_form"
# The slots that say what a conversation was about (bot/domain.yml): a service, the needs.
TOPIC_SLOTS = {"service": TopicKind.SERVICE, "needs": TopicKind.NEED}
DAILY_COUNTERS = (
    "conversations", "engaged", "contained", "escalated", "abandoned", "emergencies",
    "user_messages", "fallbacks", "verify_eligible", "verified",
)  # fmt: skip
TICKET_COUNTERS = (
    "tickets", "claimed", "claim_minutes", "replied", "reply_minutes", "replied_on_time",
    "resolved",
)  # fmt: skip

Counts = defaultdict[tuple[Any, ...], defaultdict[str, float]]


def _counts() -> Counts:
    return defaultdict(lambda: defaultdict(float))


@dataclass
class Fold:
    """One fold's work: open conversations in memory, counts to add to the cells."""

    session: Session
    hours: OfficeHours
    now: datetime
    open: dict[str, OpenConversation] = field(default_factory=dict)
    daily: Counts = field(default_factory=_counts)
    hourly: Counts = field(default_factory=_counts)
    topics: Counts = field(default_factory=_counts)
    tickets: Counts = field(default_factory=_counts)
    feedback: Counts = field(default_factory=_counts)
    last_text: dict[str, str] = field(default_factory=dict)
    questions: list[tuple[str, str, datetime]] = field(default_factory=list)

    # ------------------------------------------------------------ conversations

    def conversation(self, key: str, channel: str, at: datetime) -> OpenConversation:
        if key not in self.open:
            found = self.session.get(OpenConversation, key)
            if found is None or at - found.last_at > SESSION_GAP:
                if found is not None:
                    self.close(found)
                found = self.start(key, channel, at)
            self.open[key] = found
        conversation = self.open[key]
        if at - conversation.last_at > SESSION_GAP:
            self.close(conversation)
            conversation = self.open[key] = self.start(key, channel, at)
        conversation.last_at = max(conversation.last_at, at)
        return conversation

    def start(self, key: str, channel: str, at: datetime) -> OpenConversation:
        """A new conversation; a chat that comes back (Telegram) ends the last one's wait."""
        waiting = self.session.get(ChannelUser, key)
        if waiting is not None:
            if at - waiting.closed_at > VERIFY_DAYS:
                self.daily[(waiting.day, waiting.district, waiting.channel, waiting.language)][
                    "verified"
                ] += 1
            self.session.delete(waiting)
            self.session.flush()
        conversation = OpenConversation(
            key=key,
            started_at=at,
            last_at=at,
            channel=channel,
            language=UNKNOWN,
            district=UNKNOWN,
            topics=[],
            user_messages=0,
            fallbacks=0,
            engaged=False,
            last_unanswered=False,
            handoff_open=False,
            escalated=False,
            emergency=False,
        )
        self.session.add(conversation)
        return conversation

    def close(self, conversation: OpenConversation) -> None:
        """Count a conversation that has ended into the cells, and forget it."""
        self.open.pop(conversation.key, None)
        state = inspect(conversation)
        if state.pending:
            self.session.expunge(conversation)
        elif state.persistent:
            self.session.delete(conversation)
            self.session.flush()  # before a new conversation takes the same key
        if conversation.user_messages == 0:
            return
        local, hour = oslo_day_hour(conversation.started_at)
        day = local.date()
        cell = self.daily[(day, conversation.district, conversation.channel, conversation.language)]
        engaged = conversation.engaged
        escalated = engaged and conversation.escalated
        contained = (
            engaged
            and not escalated
            and not conversation.last_unanswered
            and not conversation.handoff_open
        )
        cell["conversations"] += 1
        cell["engaged"] += engaged
        cell["escalated"] += escalated
        cell["contained"] += contained
        cell["abandoned"] += engaged and not escalated and not contained
        cell["emergencies"] += conversation.emergency
        cell["user_messages"] += conversation.user_messages
        cell["fallbacks"] += conversation.fallbacks
        self.hourly[(day, conversation.district, hour)]["conversations"] += 1
        for topic in set(conversation.topics):
            kind, _, slug = topic.partition(":")
            self.topics[(day, conversation.district, kind, slug)]["conversations"] += 1
        if conversation.channel in VERIFIABLE and engaged:
            cell["verify_eligible"] += 1
            if contained:
                self.session.merge(
                    ChannelUser(
                        key=conversation.key,
                        closed_at=conversation.last_at,
                        day=day,
                        district=conversation.district,
                        channel=conversation.channel,
                        language=conversation.language,
                    )
                )

    # ------------------------------------------------------------ Rasa's events

    def rasa_event(self, sender_id: str, event: dict[str, Any]) -> None:
        kind = event.get("event")
        at = datetime.fromtimestamp(float(event.get("timestamp") or 0), UTC)
        key = conversation_key(sender_id)
        if kind == "session_started":
            known = self.open.get(key) or self.session.get(OpenConversation, key)
            if known is not None:
                self.close(known)
            self.open[key] = self.start(key, channel_name(sender_id), at)
            return
        if kind not in ("user", "action", "slot", "active_loop"):
            return
        conversation = self.conversation(key, channel_name(sender_id), at)
        if kind == "user":
            self.user_message(conversation, event)
        elif kind == "action":
            self.action(conversation, str(event.get("name")), at)
        elif kind == "slot":
            self.slot(conversation, str(event.get("name")), event.get("value"))
        elif kind == "active_loop":
            conversation.handoff_open = event.get("name") == HANDOFF_FORM

    def user_message(self, conversation: OpenConversation, event: dict[str, Any]) -> None:
        conversation.user_messages += 1
        conversation.last_unanswered = False
        intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
        if intent not in SMALL_TALK:
            conversation.engaged = True
        self.last_text[conversation.key] = str(event.get("text") or "")

    def action(self, conversation: OpenConversation, name: str, at: datetime) -> None:
        if name in (FALLBACK_ACTION, OUT_OF_SCOPE_ACTION):
            text = self.last_text.pop(conversation.key, "")
            if text:
                self.questions.append((text, conversation.district, at))
            if name == FALLBACK_ACTION:
                conversation.fallbacks += 1
                conversation.last_unanswered = True
        elif name == EMERGENCY_ACTION:
            conversation.emergency = True
        elif name == HANDOFF_ACTION:
            conversation.escalated = True
            conversation.handoff_open = False

    def slot(self, conversation: OpenConversation, name: str, value: Any) -> None:
        if name in TOPIC_SLOTS:
            if conversation.user_messages:  # not one carried over into a new session
                about(conversation, TOPIC_SLOTS[name], value)
            return
        if not isinstance(value, str) or not value:
            return
        if name == "language":
            conversation.language = value[:4]
        elif name in ("district", "handoff_district"):
            conversation.district = value[:64]

    # ------------------------------------------------------------ the API's events

    def app_event(self, event: StatsEvent) -> None:
        if event.kind == "feedback":
            cell = self.feedback[(_day(event.at), event.service, event.aspect, event.language)]
            cell["helpful" if event.helpful else "not_helpful"] += 1
            return
        if event.kind == "emergency_triaged":
            key = event.conversation_key or ""
            conversation = self.open.get(key) or self.session.get(OpenConversation, key)
            if conversation is not None:
                conversation.emergency = True
            else:
                self.daily[(_day(event.at), UNKNOWN, event.channel, UNKNOWN)]["emergencies"] += 1
            return
        opened_at = event.opened_at or event.at
        cell = self.tickets[(_day(opened_at), event.district)]
        if event.kind == "ticket_opened":
            cell["tickets"] += 1
        elif event.kind == "ticket_claimed":
            cell["claimed"] += 1
            cell["claim_minutes"] += office_minutes(opened_at, event.at, self.hours)
        elif event.kind == "ticket_replied":
            cell["replied"] += 1
            cell["reply_minutes"] += office_minutes(opened_at, event.at, self.hours)
            cell["replied_on_time"] += event.due is not None and _day(event.at) <= event.due
        elif event.kind == "ticket_resolved":
            cell["resolved"] += 1

    # ------------------------------------------------------------ the end of a fold

    def finish(self) -> None:
        """Close what has gone quiet, settle 7-day waits, and add the counts to the cells."""
        for conversation in list(self.open.values()):
            if self.now - conversation.last_at > SESSION_GAP:
                self.close(conversation)
        self.session.flush()
        quiet = self.session.scalars(
            select(OpenConversation).where(OpenConversation.last_at < self.now - SESSION_GAP)
        )
        for conversation in quiet.all():
            self.close(conversation)
        waited = self.session.scalars(
            select(ChannelUser).where(ChannelUser.closed_at < self.now - VERIFY_DAYS)
        )
        for waiting in waited.all():
            self.daily[(waiting.day, waiting.district, waiting.channel, waiting.language)][
                "verified"
            ] += 1
            self.session.delete(waiting)
        _add(self.session, DailyCell, ("day", "district", "channel", "language"), self.daily)
        _add(self.session, HourCell, ("day", "district", "hour"), self.hourly)
        _add(self.session, TopicCell, ("day", "district", "kind", "topic"), self.topics)
        _add(self.session, TicketCell, ("day", "district"), self.tickets)
        _add(self.session, FeedbackCell, ("day", "service", "aspect", "language"), self.feedback)
        unanswered.keep(self.session, self.questions)
        unanswered.forget_old(self.session, self.now)


def about(conversation: OpenConversation, kind: TopicKind, value: Any) -> None:
    """Note the services or needs a conversation was about (a slot's text or list of slugs)."""
    slugs = value if isinstance(value, list) else [value]
    topics = [f"{kind}:{slug[:64]}" for slug in slugs if isinstance(slug, str) and slug]
    conversation.topics = list(dict.fromkeys([*conversation.topics, *topics]))


def _day(moment: datetime) -> date:
    return oslo_day_hour(moment)[0].date()


def _add(session: Session, model: type[Any], keys: tuple[str, ...], counts: Counts) -> None:
    """Add `counts` to the cells of `model`, creating the cells that are new."""
    for key, values in counts.items():
        cell = session.get(model, key)
        if cell is None:
            cell = model(**dict(zip(keys, key, strict=True)))
            session.add(cell)
        for name, value in values.items():
            setattr(cell, name, (getattr(cell, name) or 0) + value)


def _cursor(session: Session, source: str) -> StatsCursor:
    cursor = session.get(StatsCursor, source)
    if cursor is None:
        cursor = StatsCursor(source=source, position=0)
        session.add(cursor)
    return cursor


def _broker_batches(broker: Engine, after: int) -> Iterator[list[tuple[int, str, str]]]:
    while True:
        with broker.connect() as connection:
            rows = connection.execute(
                select(broker_events.c.id, broker_events.c.sender_id, broker_events.c.data)
                .where(broker_events.c.id > after)
                .order_by(broker_events.c.id)
                .limit(BATCH)
            ).all()
        if not rows:
            return
        yield [(row.id, row.sender_id or "", row.data or "{}") for row in rows]
        after = rows[-1].id


def _app_events(session: Session, after: int) -> Iterable[StatsEvent]:
    return session.scalars(
        select(StatsEvent).where(StatsEvent.id > after).order_by(StatsEvent.id)
    ).all()


@dataclass(frozen=True)
class FoldResult:
    rasa_events: int
    app_events: int


def fold(session: Session, broker: Engine | None, hours: OfficeHours, now: datetime) -> FoldResult:
    """Fold every event not yet folded; `now` decides which conversations have ended."""
    work = Fold(session, hours, now)
    rasa_cursor = _cursor(session, "rasa")
    app_cursor = _cursor(session, "api")
    rasa_count = app_count = 0
    if broker is not None and not inspect(broker).has_table(broker_events.name):
        broker = None  # Rasa has published nothing yet (it creates the table)
    if broker is not None:
        for batch in _broker_batches(broker, rasa_cursor.position):
            for _, sender_id, data in batch:
                work.rasa_event(sender_id, json.loads(data))
            rasa_cursor.position = batch[-1][0]
            rasa_count += len(batch)
    for event in _app_events(session, app_cursor.position):
        work.app_event(event)
        app_cursor.position = event.id
        app_count += 1
    work.finish()
    session.execute(delete(StatsEvent).where(StatsEvent.id <= app_cursor.position))
    session.commit()
    if broker is not None and rasa_count:
        # Folded: their text and sender ids are not needed any more. The last row stays,
        # emptied: Rasa's table has no AUTOINCREMENT, and a SQLite table emptied entirely
        # would hand out the folded ids again.
        last = rasa_cursor.position
        with broker.begin() as connection:
            connection.execute(delete(broker_events).where(broker_events.c.id < last))
            connection.execute(
                update(broker_events)
                .where(broker_events.c.id == last)
                .values(sender_id="", data="{}")
            )
    return FoldResult(rasa_count, app_count)

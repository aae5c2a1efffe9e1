"""The service owner's figures: Rasa-broker events and the API's own, folded and shown.

Conversations are written into Rasa's SQL event broker exactly as Rasa 3.6 writes them (the
`events` table, one JSON event a row), tickets go through the real ticket API, and the
figures are read through `/api/stats/*` as the owner, a lead or staff would read them.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import delete, insert, select, text

from api.stats import models
from api.stats.consumer import fold
from api.stats.views import SCOPED_TABLES
from core.database import Base, make_engine
from core.event_broker import SQL_BROKER, broker_events, ensure_broker_database
from core.office_hours import OSLO
from tests.national_ids import valid_id
from tests.staff import AWAY, HOME, Desk, bearer, new_conversation_id, username

CSV_TABLES = (*SCOPED_TABLES, "feedback")
PERSON_ID = valid_id(date(1944, 5, 17))
DAY = date(2026, 3, 2)  # a Monday
MORNING = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # 10:00 in Oslo
OWNER, ADMIN, LEAD, STAFF = (username(role) for role in ("owner", "admin", "lead", "staff"))
AGGREGATES = (
    models.DailyCell, models.HourCell, models.TopicCell, models.TicketCell, models.FeedbackCell,
)  # fmt: skip


@pytest.fixture(autouse=True)
def empty(desk: Desk) -> None:
    desk.reset()
    with desk.sessions() as session, session.begin():
        for table in reversed(Base.metadata.sorted_tables):
            if table.name.startswith("stats_"):
                session.execute(delete(table))


class Broker:
    """Rasa's SQL event broker table, written as Rasa writes it."""

    def __init__(self, desk: Desk) -> None:
        self.desk = desk
        ensure_broker_database(desk.settings)
        self.engine = make_engine(desk.settings.event_broker_url)
        broker_events.create(self.engine, checkfirst=True)

    def publish(self, sender_id: str, at: datetime, event: dict[str, Any]) -> None:
        row = {"sender_id": sender_id, "timestamp": at.timestamp(), **event}
        with self.engine.begin() as connection:
            connection.execute(
                insert(broker_events).values(sender_id=sender_id, data=json.dumps(row))
            )

    def conversation(
        self,
        turns: list[tuple[str, str, list[str]]],
        district: str | None = HOME,
        service: str | None = None,
        channel: str = "web",
        start: datetime = MORNING,
        sender_id: str | None = None,
        language: str = "nb",
        needs: list[str] | None = None,
        carried_over: dict[str, Any] | None = None,
    ) -> str:
        """A session: each turn is (text, intent, actions Rasa ran); slots set on the way.

        `carried_over`: slots Rasa sets again at the start of the session, as it does with
        `carry_over_slots_to_new_session`.
        """
        sender_id = sender_id or new_conversation_id(channel)
        at = start
        self.publish(sender_id, at, {"event": "action", "name": "action_session_start"})
        self.publish(sender_id, at, {"event": "session_started"})
        for name, value in (carried_over or {}).items():
            self.publish(sender_id, at, {"event": "slot", "name": name, "value": value})
        self.publish(sender_id, at, {"event": "slot", "name": "language", "value": language})
        for text_, intent, actions in turns:
            at += timedelta(seconds=30)
            user = {"event": "user", "text": text_, "parse_data": {"intent": {"name": intent}}}
            self.publish(sender_id, at, {**user, "input_channel": "rest"})
            if district:
                self.publish(
                    sender_id, at, {"event": "slot", "name": "district", "value": district}
                )
            if service:
                self.publish(sender_id, at, {"event": "slot", "name": "service", "value": service})
            if needs:
                self.publish(sender_id, at, {"event": "slot", "name": "needs", "value": needs})
            for action in actions:
                if action == "handoff_form":
                    self.publish(sender_id, at, {"event": "active_loop", "name": "handoff_form"})
                self.publish(sender_id, at, {"event": "action", "name": action})
                if action == "action_submit_handoff":
                    self.publish(sender_id, at, {"event": "active_loop", "name": None})
                self.publish(sender_id, at, {"event": "bot", "text": "Svar."})
            self.publish(sender_id, at, {"event": "action", "name": "action_listen"})
        return sender_id

    def fold(self, now: datetime) -> None:
        with self.desk.sessions() as session:
            fold(session, self.engine, self.desk.settings.office_hours, now)


ANSWERED = [("hva koster hjemmesykepleie?", "ask_service", ["action_answer_service"])]
NOT_UNDERSTOOD = ("kan dere fikse taket mitt?", "nlu_fallback", ["action_clarify"])
EMERGENCY = [("mor har falt og puster ikke", "emergency", ["action_emergency"])]
HANDOFF = [
    ("jeg vil snakke med en person", "request_human", ["handoff_form"]),
    ("ja", "affirm", ["action_submit_handoff"]),
]


@pytest.fixture
def broker(desk: Desk) -> Iterator[Broker]:
    opened = Broker(desk)
    with opened.engine.begin() as connection:
        connection.execute(delete(broker_events))
    yield opened
    opened.engine.dispose()


def overview(desk: Desk, user: str = OWNER, **params: str) -> dict[str, Any]:
    query = {"from": str(DAY), "to": str(DAY), **params}
    response = desk.client.get("/api/stats/overview", params=query, headers=desk.auth(user))
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def district(result: dict[str, Any], slug: str) -> dict[str, Any]:
    return next(row for row in result["by_district"] if row["district"] == slug)


def play_home_mix(broker: Broker) -> None:
    """Frogner: 3 answered, 1 answered after a fallback, 1 left at a fallback, 1 handoff,
    1 emergency, 1 only a greeting (8 conversations, 7 engaged)."""
    for _ in range(3):
        broker.conversation(ANSWERED, service="hjemmesykepleie")
    broker.conversation([NOT_UNDERSTOOD, *ANSWERED], service="trygghetsalarm")
    broker.conversation([("hjelp med skatten? " + PERSON_ID, "nlu_fallback", ["action_clarify"])])
    broker.conversation(HANDOFF)
    broker.conversation(EMERGENCY)
    broker.conversation([("hei", "greet", ["action_small_talk"])])


def test_known_mix_gives_hand_counted_figures(desk: Desk, broker: Broker) -> None:
    play_home_mix(broker)
    for _ in range(5):
        broker.conversation(ANSWERED, district=AWAY, service="hjemmesykepleie")
    broker.fold(MORNING + timedelta(hours=3))

    result = overview(desk)
    assert result["suppressed_below"] == 5
    assert result["conversations"] == 13
    assert result["engaged"] == 12
    assert result["contained_rate"] == round(10 / 12, 4)  # 3 + 1 + emergency + 5 away
    assert result["handoff_rate"] == round(1 / 12, 4)
    assert result["abandoned_rate"] == round(1 / 12, 4)
    assert result["fallback_rate"] == round(2 / 15, 4)  # 2 fallbacks in 15 user messages
    assert result["emergencies"] == 1
    home = district(result, HOME)
    assert home["conversations"] == 8
    assert home["engaged"] == 7
    assert home["contained_rate"] == round(5 / 7, 4)
    assert home["fallback_rate"] == round(2 / 10, 4)
    assert district(result, AWAY)["contained_rate"] == 1.0
    assert result["top_services"] == [{"service": "hjemmesykepleie", "conversations": 8}]


def test_figures_by_channel_language_hour_and_need(desk: Desk, broker: Broker) -> None:
    for _ in range(8):  # web, bokmål, 10:00 in Oslo
        broker.conversation(ANSWERED, needs=["ensomhet", "aktivitet"])
    afternoon = MORNING + timedelta(hours=4)  # 14:00 in Oslo
    for _ in range(5):
        broker.conversation(ANSWERED, channel="telegram", language="nn", start=afternoon)
    for _ in range(2):
        broker.conversation(ANSWERED, language="en", needs=["ensomhet"])
    for _ in range(5):  # the need was the last session's, carried over: not this one's topic
        broker.conversation(ANSWERED, carried_over={"needs": ["bolig"], "service": "bpa"})
    broker.fold(MORNING + timedelta(hours=7))

    result = overview(desk)
    assert result["conversations"] == 20
    channels = {row["channel"]: row["conversations"] for row in result["by_channel"]}
    assert channels == {"telegram": 5, "web": 15}
    languages = {row["language"]: row["conversations"] for row in result["by_language"]}
    # English's 2 are hidden, and with them the smallest other (nynorsk's 5): 20 - 13 = 7.
    assert languages == {"en": None, "nb": 13, "nn": None}
    assert result["top_needs"] == [
        {"need": "ensomhet", "conversations": 10},
        {"need": "aktivitet", "conversations": 8},
    ]
    assert result["top_services"] == []
    hours = desk.client.get(
        "/api/stats/hours", params={"from": str(DAY), "to": str(DAY)}, headers=desk.auth(OWNER)
    ).json()
    assert [row["hour"] for row in hours] == list(range(24))
    assert {row["hour"]: row["conversations"] for row in hours if row["conversations"]} == {
        10: 15,
        14: 5,
    }


def test_a_conversation_still_going_is_not_counted_until_it_has_gone_quiet(
    desk: Desk, broker: Broker
) -> None:
    for _ in range(5):
        broker.conversation(ANSWERED)
    broker.fold(MORNING + timedelta(minutes=10))
    assert overview(desk)["conversations"] == 0
    broker.fold(MORNING + timedelta(hours=2))
    assert overview(desk)["conversations"] == 5
    broker.fold(MORNING + timedelta(hours=3))  # folding again adds nothing
    assert overview(desk)["conversations"] == 5


def test_staff_times_are_counted_in_office_hours(desk: Desk, broker: Broker) -> None:
    opened = [desk.open_ticket() for _ in range(5)]
    for ticket in opened:
        desk.act(username("staff"), ticket.id, "claim")
        desk.act(username("staff"), ticket.id, "replies", "Vi ringer deg i dag.")
        desk.act(username("staff"), ticket.id, "resolve")
    broker.fold(datetime.now(UTC))
    today = datetime.now(OSLO).date()  # figures are kept per Oslo day
    result = overview(desk, **{"from": str(today - timedelta(days=1)), "to": str(today)})
    staff = next(row for row in result["staff"] if row["district"] == HOME)
    assert staff["tickets"] == 5
    assert staff["claimed"] == 5
    assert staff["replied_by_promised_day_rate"] == 1.0
    assert staff["mean_office_minutes_to_claim"] is not None
    assert staff["mean_office_minutes_to_claim"] < 5


def test_a_district_under_five_is_hidden_with_the_one_that_would_reveal_it(
    desk: Desk, broker: Broker
) -> None:
    for _ in range(7):
        broker.conversation(ANSWERED)
    for _ in range(2):
        broker.conversation(ANSWERED, district=AWAY)
    for _ in range(6):
        broker.conversation(ANSWERED, district="gamle-oslo")
    broker.fold(MORNING + timedelta(hours=3))
    result = overview(desk)
    assert result["conversations"] == 15
    assert district(result, AWAY)["suppressed"]
    assert district(result, AWAY)["conversations"] is None
    # Otherwise 15 - 7 - 6 would give Alna's 2: the smallest other district goes too.
    assert district(result, "gamle-oslo")["suppressed"]
    assert district(result, HOME) == {**district(result, HOME), "conversations": 7}


def test_two_small_districts_hide_each_other(desk: Desk, broker: Broker) -> None:
    for slug, count in ((HOME, 7), (AWAY, 2), ("gamle-oslo", 3)):
        for _ in range(count):
            broker.conversation(ANSWERED, district=slug)
    broker.fold(MORNING + timedelta(hours=3))
    result = overview(desk)
    assert [row["suppressed"] for row in result["by_district"]] == [True, False, True]
    assert district(result, HOME)["conversations"] == 7


def test_a_total_under_five_hides_everything(desk: Desk, broker: Broker) -> None:
    for _ in range(4):
        broker.conversation(ANSWERED, service="hjemmesykepleie")
    broker.fold(MORNING + timedelta(hours=3))
    result = overview(desk)
    assert result["suppressed"]
    assert result["conversations"] is None
    assert result["contained_rate"] is None
    assert all(row["suppressed"] for row in result["by_district"])
    assert result["top_services"] == []


def test_a_day_under_five_is_hidden_in_the_series_and_its_csv(desk: Desk, broker: Broker) -> None:
    for day, count in ((0, 6), (1, 2), (2, 8)):
        for _ in range(count):
            broker.conversation(ANSWERED, start=MORNING + timedelta(days=day))
    broker.fold(MORNING + timedelta(days=3))
    params = {"from": str(DAY), "to": str(DAY + timedelta(days=2))}
    series = desk.client.get("/api/stats/series", params=params, headers=desk.auth(OWNER)).json()
    shown = [row["conversations"] for row in series["rows"]]
    assert shown == [None, None, 8]  # day 2 under five, day 1 (smallest other) with it
    csv = desk.client.get("/api/stats/series.csv", params=params, headers=desk.auth(OWNER))
    assert csv.headers["content-type"].startswith("text/csv")
    lines = csv.text.splitlines()
    assert lines[0].startswith("conversations,")
    assert [line.split(",")[0] for line in lines[1:]] == ["", "", "8"]


def test_no_shown_or_exported_figure_comes_from_fewer_than_five(desk: Desk, broker: Broker) -> None:
    for index, slug in enumerate((HOME, AWAY, "gamle-oslo", "alna", "bjerke", "nordstrand")):
        for _ in range(index + 1):
            broker.conversation(ANSWERED, district=slug, service=f"tjeneste-{index}")
    broker.fold(MORNING + timedelta(hours=3))
    result = overview(desk)
    rows = [result, *result["by_district"]]
    assert all(row["conversations"] is None or row["conversations"] >= 5 for row in rows)
    assert all(row["conversations"] >= 5 for row in result["top_services"])
    hidden = [row for row in result["by_district"] if row["suppressed"]]
    assert len(hidden) != 1
    for table in CSV_TABLES:
        response = desk.client.get(
            f"/api/stats/{table}.csv",
            params={"from": str(DAY), "to": str(DAY)},
            headers=desk.auth(OWNER),
        )
        assert response.status_code == 200, (table, response.text)
        for row in csv.DictReader(io.StringIO(response.text)):
            size = row.get("conversations") or row.get("tickets") or row.get("answers") or ""
            assert size in ("", "0") or int(size) >= 5, (table, row)


def test_aggregates_keep_no_text_and_no_ids(desk: Desk, broker: Broker) -> None:
    senders = [broker.conversation(ANSWERED, service="hjemmesykepleie") for _ in range(6)]
    senders.append(broker.conversation([NOT_UNDERSTOOD]))
    ticket = desk.open_ticket()
    broker.fold(MORNING + timedelta(hours=3))
    with desk.sessions() as session:
        dump = ""
        for model in AGGREGATES:
            for row in session.scalars(select(model)):
                columns = model.__table__.columns
                dump += repr({column.key: getattr(row, column.key) for column in columns})
        working = session.scalar(select(models.StatsEvent.id))
    for sender in [*senders, ticket.conversation_id]:
        assert sender not in dump
        assert sender.split(":")[1] not in dump
    for phrase in ("hjemmesykepleie?", "taket", "koster"):
        assert phrase not in dump
    assert working is None  # the API's events are gone once folded
    with broker.engine.connect() as connection:  # and so are Rasa's, text and all
        kept = connection.execute(text("SELECT sender_id, data FROM events")).all()
    assert [tuple(row) for row in kept] == [("", "{}")]


def test_an_unanswered_question_is_kept_masked_and_grouped(desk: Desk, broker: Broker) -> None:
    asked = [
        f"Kan dere fikse taket mitt? Fødselsnummer {PERSON_ID}",
        "kan dere fikse taket på huset, ring 912 34 567",
        "hjelp med taket, kari@example.no",
        "hvem vant fotballkampen i går",
    ]
    for question in asked:
        broker.conversation([(question, "nlu_fallback", ["action_clarify"])])
    broker.fold(MORNING + timedelta(hours=3))
    response = desk.client.get("/api/stats/unanswered", headers=desk.auth(OWNER))
    assert response.status_code == 200, response.text
    groups = response.json()
    assert [group["count"] for group in groups] == [2, 1, 1] or groups[0]["count"] >= 2
    everything = json.dumps(groups, ensure_ascii=False)
    assert PERSON_ID not in everything
    assert "[fødselsnummer fjernet]" in everything
    assert "912 34 567" not in everything
    assert "kari@example.no" not in everything
    marked = desk.client.post(
        f"/api/stats/unanswered/{groups[0]['id']}",
        json={"status": "added_to_catalogue"},
        headers=desk.auth(OWNER),
    )
    assert marked.json()["status"] == "added_to_catalogue"
    lead_marks = desk.client.post(
        f"/api/stats/unanswered/{groups[0]['id']}", json={"status": "not_ours"},
        headers=desk.auth(LEAD),
    )  # fmt: skip
    assert lead_marks.status_code == 403
    broker.fold(MORNING + timedelta(days=31))  # kept 30 days at most
    assert desk.client.get("/api/stats/unanswered", headers=desk.auth(OWNER)).json() == []


def test_telegram_containment_is_verified_after_seven_quiet_days(
    desk: Desk, broker: Broker
) -> None:
    chats = [new_conversation_id("telegram") for _ in range(5)]
    for chat in chats:
        broker.conversation(ANSWERED, channel="telegram", sender_id=chat)
    broker.fold(MORNING + timedelta(hours=3))
    # One comes back after two days: that answer did not settle it.
    broker.conversation(
        ANSWERED, channel="telegram", sender_id=chats[0], start=MORNING + timedelta(days=2)
    )
    broker.fold(MORNING + timedelta(days=10))
    result = overview(desk)
    assert result["contained_rate"] == 1.0
    assert result["verified_containment_rate"] == round(4 / 5, 4)


def test_feedback_is_counted_per_service_aspect_and_language(desk: Desk, broker: Broker) -> None:
    conversation_id = new_conversation_id()
    for helpful in (True, True, True, True, False, True):
        response = desk.client.post(
            f"/api/chat/conversations/{conversation_id}/feedback",
            json={
                "helpful": helpful,
                "service": "trygghetsalarm",
                "aspect": "price",
                "language": "nb",
            },
        )
        assert response.status_code == 204, response.text
    broker.fold(datetime.now(UTC))
    today = str(datetime.now(OSLO).date())  # figures are kept per Oslo day
    rows = desk.client.get(
        "/api/stats/feedback", params={"from": today, "to": today}, headers=desk.auth(OWNER)
    ).json()
    assert rows == [
        {"service": "trygghetsalarm", "aspect": "price", "language": "nb", "answers": 6,
         "helpful_rate": round(5 / 6, 4), "suppressed": False}
    ]  # fmt: skip


def test_who_sees_which_figures(desk: Desk, broker: Broker) -> None:
    for slug in (HOME, AWAY):
        for _ in range(5):
            broker.conversation(ANSWERED, district=slug)
    broker.fold(MORNING + timedelta(hours=3))
    for city_user in (OWNER, ADMIN):
        result = overview(desk, city_user)
        assert result["scope"] == "city"
        assert result["conversations"] == 10
        assert overview(desk, city_user, district=AWAY)["conversations"] == 5
    lead = overview(desk, LEAD)
    assert lead["scope"] == HOME
    assert lead["conversations"] == 5
    assert [row["district"] for row in lead["by_district"]] == [HOME]
    params = {"from": str(DAY), "to": str(DAY)}
    for path in ("/api/stats/overview", "/api/stats/series", "/api/stats/districts.csv"):
        other = desk.client.get(path, params={**params, "district": AWAY}, headers=desk.auth(LEAD))
        assert other.status_code == 403, path
        for user in (STAFF, username("colleague")):
            assert desk.client.get(path, params=params, headers=desk.auth(user)).status_code == 403
        assert desk.client.get(path, params=params).status_code == 401
        machine = bearer(desk.assistant_token)
        assert desk.client.get(path, params=params, headers=machine).status_code == 401
    for path in ("/api/stats/feedback", "/api/stats/feedback.csv"):
        assert desk.client.get(path, headers=desk.auth(LEAD)).status_code == 403
        assert desk.client.get(path, headers=desk.auth(OWNER)).status_code == 200


def test_the_event_broker_is_in_rasas_endpoints(desk: Desk) -> None:
    from bot.launch import endpoints

    broker = endpoints(desk.settings)["event_broker"]
    assert broker["type"] == SQL_BROKER
    if broker["dialect"] == "sqlite":
        assert broker["db"].endswith("rasa-events.db")
    else:
        assert broker["db"].endswith("_events")

"""End to end: a person asks for a human through the chat gateway, district staff answer.

Runs the real API, outbox worker, action server and Rasa (SQLite), as `make run` does.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.orm import Session

from api.accounts.models import Role
from api.accounts.service import create_staff
from devtools.stack import Stack
from tests.databases import running_assistant
from tests.national_ids import valid_id

PASSWORD = "a long staff password"
NATIONAL_ID = valid_id(date(1941, 5, 9))


def add_staff(session: Session) -> None:
    create_staff(session, "kari", PASSWORD, "frogner", display_name="Kari Nordmann")
    create_staff(session, "ola", PASSWORD, "alna", Role.LEAD)


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with running_assistant(tmp_path_factory.mktemp("handoff"), add_staff) as running:
        yield running


@pytest.fixture(scope="module")
def api(stack: Stack) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=stack.api_url, timeout=60) as client:
        yield client


def staff_headers(api: httpx.Client, username: str) -> dict[str, str]:
    response = api.post("/api/auth/token", data={"username": username, "password": PASSWORD})
    response.raise_for_status()
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def send(api: httpx.Client, conversation: str, text: str) -> dict[str, Any]:
    response = api.post(f"/api/chat/conversations/{conversation}/messages", json={"text": text})
    response.raise_for_status()
    result: dict[str, Any] = response.json()
    return result


def texts(turn: dict[str, Any]) -> str:
    return "\n".join(message["text"] for message in turn["messages"])


def buttons(turn: dict[str, Any]) -> list[str]:
    return [button["title"] for message in turn["messages"] for button in message["buttons"]]


def start(api: httpx.Client) -> str:
    response = api.post("/api/chat/conversations")
    assert response.status_code == 201
    return str(response.json()["conversation_id"])


def ask_for_a_person(api: httpx.Client, conversation: str) -> dict[str, Any]:
    """The form from "I want to talk to someone" to consent; the last turn's answer."""
    intro = send(api, conversation, "Jeg vil gjerne snakke med et menneske")
    assert "Gjelder det deg selv" in texts(intro)
    assert buttons(intro) == ["Meg selv", "En pårørende"]
    assert "Vet den du skriver for" in texts(send(api, conversation, "Det gjelder mor"))
    assert "Hvor bor du" in texts(send(api, conversation, "Ja"))
    assert "Skal de ringe deg" in texts(send(api, conversation, "Hun bor på Majorstuen"))
    assert "Skriv kort" in texts(send(api, conversation, "Svar her i chatten"))
    description = f"Mor trenger trygghetsalarm. Fødselsnummeret hennes er {NATIONAL_ID}."
    consent = send(api, conversation, description)
    assert "Får jeg sende dette til bydel Frogner?" in texts(consent)
    return consent


def test_a_handoff_reaches_the_district_and_staff_answer_in_the_chat(
    api: httpx.Client,
) -> None:
    conversation = start(api)
    consent = ask_for_a_person(api, conversation)
    assert "fødselsnummer" in texts(consent)  # the masking notice
    sent = texts(send(api, conversation, "Ja, send"))
    assert "Saken er sendt til bydel Frogner" in sent
    assert "Du kan vente svar" in sent
    assert "116 117" in sent
    assert "113" in sent

    kari = staff_headers(api, "kari")
    queue = api.get("/api/staff/tickets", headers=kari).json()
    ticket = next(t for t in queue["items"] if t["channel"] == "web")
    assert ticket["reference"] in sent
    assert (ticket["district"], ticket["for_whom"], ticket["contact_method"]) == (
        "frogner",
        "relative",
        "chat",
    )
    detail = api.get(f"/api/staff/tickets/{ticket['id']}", headers=kari).json()
    assert detail["senior_agrees"] == "yes"
    assert "trygghetsalarm" in detail["description"]
    assert NATIONAL_ID not in str(detail)
    assert any("snakke med et menneske" in line["text"] for line in detail["transcript"])

    # Another district's lead does not see it, not even that it exists.
    ola = staff_headers(api, "ola")
    assert api.get(f"/api/staff/tickets/{ticket['id']}", headers=ola).status_code == 404

    # Claimed: the assistant is quiet, the person's words go to the ticket.
    api.post(f"/api/staff/tickets/{ticket['id']}/claim", headers=kari).raise_for_status()
    quiet = send(api, conversation, "Hallo, er det noen der?")
    assert quiet == {"messages": [], "forwarded_to_staff": True}
    reply = "Hei, dette er Kari i bydelen. Vi kan komme på besøk torsdag."
    api.post(
        f"/api/staff/tickets/{ticket['id']}/replies", headers=kari, json={"text": reply}
    ).raise_for_status()
    delivered = api.get(f"/api/chat/conversations/{conversation}/messages").json()["messages"]
    assert [(m["sender"], m["text"], m["district"]) for m in delivered] == [
        ("notice", "En ansatt i bydel Frogner har tatt saken. Svaret kommer her.", "frogner"),
        ("staff", reply, "frogner"),
    ]
    after = delivered[-1]["id"]
    assert api.get(f"/api/chat/conversations/{conversation}/messages?after={after}").json() == {
        "messages": []
    }
    detail = api.get(f"/api/staff/tickets/{ticket['id']}", headers=kari).json()
    assert [(m["sender"], m["text"]) for m in detail["messages"]] == [
        ("notice", "En ansatt i bydel Frogner har tatt saken. Svaret kommer her."),
        ("person", "Hallo, er det noen der?"),
        ("staff", reply),
    ]

    # Resolved: the assistant answers again.
    api.post(f"/api/staff/tickets/{ticket['id']}/resolve", headers=kari).raise_for_status()
    back = send(api, conversation, "Hva koster trygghetsalarm?")
    assert not back["forwarded_to_staff"]
    assert "Trygghetsalarm" in texts(back)


def test_cancelling_sends_nothing(api: httpx.Client) -> None:
    conversation = start(api)
    send(api, conversation, "Kan jeg snakke med noen i bydelen?")
    cancelled = texts(send(api, conversation, "avbryt"))
    assert "jeg sender ingenting" in cancelled
    assert "Trygghetsalarm" in texts(send(api, conversation, "Hva koster trygghetsalarm?"))


def test_emergency_inside_the_form_gets_113_first_then_the_form_goes_on(
    api: httpx.Client,
) -> None:
    conversation = start(api)
    send(api, conversation, "Jeg vil snakke med en person")
    emergency = send(api, conversation, "Mor har falt og puster ikke")
    assert "113" in emergency["messages"][0]["text"]
    assert "Gjelder det deg selv" in texts(emergency)


def test_a_phone_call_back_for_oneself(api: httpx.Client) -> None:
    conversation = start(api)
    send(api, conversation, "Jeg vil bli ringt opp av bydelen")
    assert "Hvor bor du" in texts(send(api, conversation, "Meg selv"))
    send(api, conversation, "Alna")
    assert "telefonnummer" in texts(send(api, conversation, "Ring meg"))
    assert "åtte sifre" in texts(send(api, conversation, "1234"))
    send(api, conversation, "+47 412 34 567")
    send(api, conversation, "Jeg trenger hjelp med å søke hjemmesykepleie")
    done = texts(send(api, conversation, "Ja"))
    assert "Saken er sendt til bydel Alna" in done
    assert "De ringer deg på 412 34 567" in done


def test_every_button_of_the_form_is_an_answer_never_an_alarm(api: httpx.Client) -> None:
    """Pressing "Meg sjølv" sends its title; it was once taken for an emergency."""
    conversation = start(api)
    asked = send(api, conversation, "Eg vil gjerne snakke med eit menneske")
    assert buttons(asked) == ["Meg sjølv", "Ein pårørande"]
    for title in buttons(asked):
        answered = send(api, conversation, title)
        assert "113" not in texts(answered)
        assert "Kvar bur" in texts(answered) or "Veit" in texts(answered)
        conversation = start(api)
        send(api, conversation, "Eg vil gjerne snakke med eit menneske")


def tracker_rows(stack: Stack, conversation: str) -> int:
    """Rows Rasa keeps for the conversation in its tracker store."""
    tracker = sqlite3.connect(stack.environment["TRACKER_SQLITE_PATH"])
    try:
        query = "SELECT count(*) FROM events WHERE sender_id = ?"
        return int(tracker.execute(query, (conversation,)).fetchone()[0])
    finally:
        tracker.close()


def rasa_user_texts(stack: Stack, conversation: str) -> list[str]:
    """What the person said, as Rasa's own tracker endpoint tells it."""
    response = httpx.get(
        f"{stack.rasa_url}/conversations/{conversation}/tracker",
        headers=stack.rasa_headers,
        timeout=30,
    )
    response.raise_for_status()
    return [event["text"] for event in response.json()["events"] if event["event"] == "user"]


def test_erasure_removes_the_conversation_everywhere(stack: Stack, api: httpx.Client) -> None:
    conversation = start(api)
    ask_for_a_person(api, conversation)
    sent = texts(send(api, conversation, "Ja, send"))
    kari = staff_headers(api, "kari")
    queue = api.get("/api/staff/tickets", headers=kari).json()["items"]
    ticket = next(t for t in queue if t["reference"] in sent)
    ticket_url = f"/api/staff/tickets/{ticket['id']}"
    # First prove there is something to erase: the ticket and Rasa's memory of the talk.
    assert api.get(ticket_url, headers=kari).status_code == 200
    assert "Ja, send" in rasa_user_texts(stack, conversation)
    assert tracker_rows(stack, conversation) > 0

    assert api.delete(f"/api/chat/conversations/{conversation}").status_code == 204
    assert api.get(ticket_url, headers=kari).status_code == 404
    queue = api.get("/api/staff/tickets", headers=kari).json()["items"]
    assert ticket["id"] not in [t["id"] for t in queue]
    assert tracker_rows(stack, conversation) == 0
    assert rasa_user_texts(stack, conversation) == []


def test_a_national_id_is_stored_nowhere(stack: Stack, api: httpx.Client) -> None:
    """After every test above: not in the database, Rasa's tracker store or any log."""
    conversation = start(api)
    send(api, conversation, f"Mitt fødselsnummer er {NATIONAL_ID}, hva koster hjemmesykepleie?")
    database = stack.environment["DATABASE_URL"].removeprefix("sqlite:///")
    places = [Path(database), Path(stack.environment["TRACKER_SQLITE_PATH"])]
    places += sorted(stack.logs.glob("*.log"))
    for place in places:
        for path in place.parent.glob(place.name + "*"):  # with -wal and -shm files
            assert NATIONAL_ID.encode() not in path.read_bytes(), path
            assert f"{NATIONAL_ID[:6]} {NATIONAL_ID[6:]}".encode() not in path.read_bytes()


def test_an_emergency_is_never_taken_as_an_answer_to_the_form(api: httpx.Client) -> None:
    conversation = start(api)
    send(api, conversation, "Jeg vil snakke med en person")
    send(api, conversation, "Det gjelder far")
    assert "Hvor bor du" in texts(send(api, conversation, "Ja"))
    emergency = send(api, conversation, "pappa har falt og svarer ikke")
    first = emergency["messages"][0]
    assert first["alert"] == "emergency"
    assert first["text"].startswith("Ring 113")
    assert "Hvor bor du" in texts(emergency)  # the district is still unknown: asked again
    assert "Skal de ringe deg" in texts(send(api, conversation, "Han bor på Majorstuen"))


def test_an_emergency_in_the_chat_is_marked_as_an_alert_and_comes_first(
    api: httpx.Client,
) -> None:
    turn = send(api, start(api), "Bestemor er iskald og blå på hendene etter å ha sittet ute")
    assert turn["messages"][0]["alert"] == "emergency"
    assert turn["messages"][0]["text"].startswith("Ring 113")
    assert all(message["alert"] is None for message in turn["messages"][1:])

"""The chat gateway: the only way channels reach the assistant (see docs/chat-api.md)."""

import secrets
from typing import Annotated

import httpx
from fastapi import APIRouter, Depends, Path, Query, Request, Response

from api.accounts.dependencies import OptionalClient, TelegramChannel
from api.accounts.models import Scope
from api.chat.assistant import ask_assistant, erase_assistant_history
from api.chat.schemas import ChatMessage, ConversationOut, MessageIn, MessagesOut, TurnOut
from api.dependencies import AppSettings, DbSession
from api.problems import ApiError, problem_responses
from api.tickets import service as tickets
from api.tickets.models import Ticket, TicketMessage
from core.conversations import CONVERSATION_ID
from core.privacy import mask_national_ids

router = APIRouter(prefix="/api", tags=["chat"])
ConversationPath = Annotated[str, Path(max_length=128, pattern=f"^{CONVERSATION_ID}$")]
MASKED_NOTICE = (
    "Jeg har fjernet et fødselsnummer fra meldingen din. "
    "Vi trenger det ikke, og det blir ikke lagret."
)
CHANNEL_SCOPES = {"telegram": Scope.TELEGRAM_CHANNEL}


def conversation(conversation_id: ConversationPath, client: OptionalClient) -> str:
    """A web conversation is open to whoever holds its id; others need their channel's token."""
    channel = conversation_id.split(":", 1)[0]
    scope = CHANNEL_SCOPES.get(channel)
    if scope is not None and (client is None or scope not in client.scopes):
        raise ApiError(401, "This conversation belongs to a channel that must authenticate.")
    return conversation_id


Conversation = Annotated[str, Depends(conversation)]


def assistant_client(request: Request) -> httpx.AsyncClient:
    client: httpx.AsyncClient = request.app.state.assistant
    return client


Assistant = Annotated[httpx.AsyncClient, Depends(assistant_client)]


def _staff_message(message: TicketMessage, ticket: Ticket) -> ChatMessage:
    return ChatMessage(
        id=message.id,
        conversation_id=ticket.conversation_id,
        sender="staff",
        text=message.text,
        district=ticket.district_slug,
        sent_at=message.created_at,
    )


@router.post("/chat/conversations", status_code=201, response_model=ConversationOut)
def start_conversation() -> ConversationOut:
    """A new web conversation. Its id is its key: keep it to yourself."""
    return ConversationOut(conversation_id=f"web:{secrets.token_urlsafe(16)}")


@router.post(
    "/chat/conversations/{conversation_id}/messages",
    response_model=TurnOut,
    responses=problem_responses(400, 401, 422, 503),
)
async def send_message(
    conversation_id: Conversation, message: MessageIn, session: DbSession, assistant: Assistant
) -> TurnOut:
    """The person's message: to district staff while they hold it, else to the assistant."""
    text = mask_national_ids(message.text)
    notices = []
    if text != message.text:
        notices.append(
            ChatMessage(conversation_id=conversation_id, sender="assistant", text=MASKED_NOTICE)
        )
    if tickets.pass_to_staff(session, conversation_id, text):
        return TurnOut(messages=notices, forwarded_to_staff=True)
    replies = await ask_assistant(assistant, conversation_id, text)
    return TurnOut(messages=notices + replies)


@router.get(
    "/chat/conversations/{conversation_id}/messages",
    response_model=MessagesOut,
    responses=problem_responses(401, 422),
)
def staff_messages(
    conversation_id: Conversation,
    session: DbSession,
    after: Annotated[int, Query(ge=0, le=2**31 - 1)] = 0,  # message ids are 32-bit integers
) -> MessagesOut:
    """Messages from district staff after message id `after`, oldest first."""
    rows = tickets.staff_messages(session, conversation_id, after)
    return MessagesOut(messages=[_staff_message(message, ticket) for message, ticket in rows])


@router.delete(
    "/chat/conversations/{conversation_id}",
    status_code=204,
    response_class=Response,
    responses=problem_responses(401, 422),
)
def erase_conversation(
    conversation_id: Conversation, session: DbSession, settings: AppSettings
) -> None:
    """Erase everything kept about this conversation: tickets, messages, the assistant's memory."""
    tickets.erase_conversation(session, conversation_id)
    erase_assistant_history(settings, session, conversation_id)
    session.commit()


@router.get(
    "/channels/telegram/outbox",
    response_model=MessagesOut,
    tags=["channels"],
    responses=problem_responses(401, 403),
)
def telegram_outbox(_channel: TelegramChannel, session: DbSession) -> MessagesOut:
    """Staff messages still to be sent to Telegram chats."""
    rows = tickets.undelivered_on_channel(session, "telegram")
    return MessagesOut(messages=[_staff_message(message, ticket) for message, ticket in rows])


@router.post(
    "/channels/telegram/outbox/{message_id}/delivered",
    status_code=204,
    response_class=Response,
    tags=["channels"],
    responses=problem_responses(401, 403, 404, 422),
)
def telegram_delivered(
    _channel: TelegramChannel,
    session: DbSession,
    message_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
) -> None:
    tickets.mark_delivered(session, "telegram", message_id)

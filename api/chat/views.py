"""The chat gateway: the only way channels reach the assistant (see docs/chat-api.md)."""

import secrets
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from sqlalchemy.orm import Session

from api.accounts import service as accounts
from api.accounts.dependencies import BearerToken, channel_client
from api.accounts.models import ApiClient
from api.chat import safety
from api.chat import service as chat
from api.chat.assistant import (
    AssistantBusyError,
    AssistantLink,
    ask_assistant,
    emergency_while_busy,
)
from api.chat.masking import mask_message
from api.chat.schemas import ChatMessage, ConversationOut, MessageIn, MessagesOut, TurnOut
from api.chat.transcript import conversation_transcript
from api.dependencies import AppSettings, DbSession, ShortSession
from api.problems import ApiError, problem_responses
from api.ratelimit import MessageLimit, limit_new_conversations
from api.stats.events import record_emergency
from api.texts import TEXTS
from api.tickets import service as tickets
from api.tickets.models import Ticket, TicketMessage
from core.channels import CONVERSATION_ID, PUSHED, WEB, Channel, channel_of
from core.privacy import MASK

router = APIRouter(prefix="/api", tags=["chat"])
ConversationPath = Annotated[str, Path(max_length=128, pattern=f"^{CONVERSATION_ID}$")]


async def conversation(
    conversation_id: ConversationPath, sessions: ShortSession, token: BearerToken
) -> str:
    """A web conversation is open to whoever holds its id; others need their channel's token."""
    channel = channel_of(conversation_id)
    scope = channel.scope if channel is not None else None
    if scope is None:
        return conversation_id
    # A session of its own, closed at once: send_message holds none while the assistant answers.
    scopes = await sessions.run(lambda session: _client_scopes(session, token))
    if scope not in scopes:
        raise ApiError(401, "This conversation belongs to a channel that must authenticate.")
    return conversation_id


def _client_scopes(session: Session, token: str | None) -> list[str]:
    client = accounts.client_for_token(session, token) if token else None
    return list(client.scopes) if client is not None else []


Conversation = Annotated[str, Depends(conversation)]


def assistant_link(request: Request) -> AssistantLink:
    link: AssistantLink = request.app.state.assistant
    return link


Assistant = Annotated[AssistantLink, Depends(assistant_link)]


def _staff_message(message: TicketMessage, ticket: Ticket) -> ChatMessage:
    return ChatMessage(
        id=message.id,
        conversation_id=ticket.conversation_id,
        sender="notice" if message.sender == "notice" else "staff",
        text=message.text,
        district=ticket.district_slug,
        sent_at=message.created_at,
    )


@router.post(
    "/chat/conversations",
    status_code=201,
    response_model=ConversationOut,
    responses=problem_responses(429),
    dependencies=[Depends(limit_new_conversations)],
)
def start_conversation() -> ConversationOut:
    """A new web conversation. Its id is its key: keep it to yourself."""
    return ConversationOut(conversation_id=f"{WEB.prefix}{secrets.token_urlsafe(16)}")


@router.post(
    "/chat/conversations/{conversation_id}/messages",
    response_model=TurnOut,
    responses=problem_responses(400, 401, 422, 429, 503),
)
async def send_message(
    conversation_id: Conversation,
    _counted: MessageLimit,  # after Conversation: a refused caller counts against no one
    message: MessageIn,
    sessions: ShortSession,
    assistant: Assistant,
) -> TurnOut:
    """The person's message: to district staff while they hold it, else to the assistant."""
    text = mask_message(conversation_id, message.text)
    notices = []
    if MASK in text:  # masked here, or already by the channel (Telegram)
        notice = TEXTS["masked_notice"]["nb"]
        notices.append(
            ChatMessage(conversation_id=conversation_id, sender="assistant", text=notice)
        )
    if await sessions.run(lambda s: tickets.holding_ticket(s, conversation_id) is not None):
        # Staff read the conversation, but not every minute: 113 cannot wait for them.
        urgent = (await safety.assess(text)).level != "calm"
        if await sessions.run(
            lambda s: tickets.pass_to_staff(s, conversation_id, text, urgent=urgent)
        ):
            if urgent:
                await sessions.run(lambda s: record_emergency(s, conversation_id))
                notices.append(
                    safety.emergency_reply(conversation_id, text, "emergency_staff_held")
                )
            return TurnOut(messages=safety.alerts_first(notices), forwarded_to_staff=True)
    try:
        replies = await ask_assistant(assistant, conversation_id, text)
    except AssistantBusyError:
        # Overload: the fast 503 (its text names 113), unless the gateway's own check finds an
        # emergency within a bounded moment; then 113 first, now.
        if not await emergency_while_busy(assistant, text):
            raise
        replies = _emergency_replies(conversation_id, text, TEXTS["assistant_busy"]["nb"])
    except ApiError:
        # The assistant is down: the gateway still answers an emergency on its own.
        if (await safety.assess(text)).level == "calm":
            raise
        await sessions.run(lambda s: record_emergency(s, conversation_id))
        replies = _emergency_replies(conversation_id, text, TEXTS["assistant_down"]["nb"])
    return TurnOut(messages=safety.alerts_first(notices + replies))


def _emergency_replies(conversation_id: str, text: str, why_unanswered: str) -> list[ChatMessage]:
    """113 first, then why the assistant itself did not answer."""
    return [
        safety.emergency_reply(conversation_id, text, "emergency"),
        safety.emergency_reply(conversation_id, text, "emergency_urgent"),
        ChatMessage(conversation_id=conversation_id, sender="assistant", text=why_unanswered),
    ]


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


@router.get(
    "/chat/conversations/{conversation_id}/transcript",
    response_model=MessagesOut,
    responses=problem_responses(401, 422),
)
def transcript(
    conversation_id: Conversation, session: DbSession, settings: AppSettings
) -> MessagesOut:
    """Both sides of the conversation, oldest first: the person, the assistant, staff, notices.

    Like the staff messages, it is open to whoever holds the id. The gateway's own notices
    (a masked number, the 113 replies while the assistant was down) are not kept, so not here.
    """
    return MessagesOut(messages=conversation_transcript(settings, session, conversation_id))


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
    chat.erase_conversation(session, settings, conversation_id)


def _add_outbox_routes(channel: Channel) -> None:
    """`/api/channels/<name>/outbox`: where the bridge of a pushed channel gets staff messages."""
    bridge = Depends(channel_client(channel))

    def outbox(_channel: Annotated[ApiClient, bridge], session: DbSession) -> MessagesOut:
        rows = tickets.undelivered_on_channel(session, channel.name)
        return MessagesOut(messages=[_staff_message(message, ticket) for message, ticket in rows])

    def delivered(
        _channel: Annotated[ApiClient, bridge],
        session: DbSession,
        message_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
    ) -> None:
        tickets.mark_delivered(session, channel.name, message_id)

    router.add_api_route(
        f"/channels/{channel.name}/outbox",
        outbox,
        name=f"{channel.name}_outbox",
        description=f"Staff messages still to be sent to {channel.title} chats.",
        response_model=MessagesOut,
        tags=["channels"],
        responses=problem_responses(401, 403),
    )
    router.add_api_route(
        f"/channels/{channel.name}/outbox/{{message_id}}/delivered",
        delivered,
        name=f"{channel.name}_delivered",
        methods=["POST"],
        status_code=204,
        response_class=Response,
        tags=["channels"],
        responses=problem_responses(401, 403, 404, 422),
    )


for _pushed in PUSHED:
    _add_outbox_routes(_pushed)

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, StringConstraints

MAX_MESSAGE_LENGTH = 2000


class ConversationOut(BaseModel):
    conversation_id: str


class MessageIn(BaseModel):
    text: Annotated[
        str,
        StringConstraints(
            strip_whitespace=True,
            min_length=1,
            max_length=MAX_MESSAGE_LENGTH,
            pattern=r"^[^\x00]*$",  # no NUL characters: PostgreSQL cannot store them
        ),
    ]


class ButtonOut(BaseModel):
    title: str
    payload: str


class ChatMessage(BaseModel):
    id: int | None = None
    conversation_id: str
    sender: Literal["assistant", "staff"]
    text: str
    buttons: list[ButtonOut] = []
    district: str | None = None
    sent_at: datetime | None = None


class TurnOut(BaseModel):
    messages: list[ChatMessage]
    forwarded_to_staff: bool = False


class MessagesOut(BaseModel):
    messages: list[ChatMessage]

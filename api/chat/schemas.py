from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, StringConstraints

from api.text import Storable

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
        ),
        Storable,
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
    # "emergency": the reply tells the person to call 113; channels show it as an alert.
    alert: Literal["emergency"] | None = None


class TurnOut(BaseModel):
    messages: list[ChatMessage]
    forwarded_to_staff: bool = False


class MessagesOut(BaseModel):
    messages: list[ChatMessage]

from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, StringConstraints
from pydantic_core import PydanticCustomError

from api.problems import PLAIN_ERROR
from api.texts import TEXTS
from core.language import Language
from core.slugs import Slug
from core.storable import Storable

MAX_MESSAGE_LENGTH = 2000


class ConversationOut(BaseModel):
    conversation_id: str


def _sized(text: str) -> str:
    """The person's text, or a plain-language refusal that the channels show as it is."""
    if not text:
        raise PydanticCustomError(PLAIN_ERROR, TEXTS["empty_message"]["nb"])
    if len(text) > MAX_MESSAGE_LENGTH:
        too_long = TEXTS["long_message"]["nb"].format(max_length=MAX_MESSAGE_LENGTH)
        raise PydanticCustomError(PLAIN_ERROR, too_long)
    return text


class MessageIn(BaseModel):
    text: Annotated[
        str,
        StringConstraints(strip_whitespace=True),
        AfterValidator(_sized),
        Storable,
    ]


class ButtonOut(BaseModel):
    title: str
    payload: str


Aspect = Annotated[str, StringConstraints(max_length=32, pattern=r"^[a-z0-9_-]+$")]


class FeedbackTopic(BaseModel):
    """What an answer is about: the channel asks "Var dette til hjelp?" and posts this back."""

    service: Slug
    aspect: Aspect
    language: Language


# "person" and "notice" (the case's status, told by the district) appear in transcripts and
# among the staff messages a channel fetches.
Sender = Literal["person", "assistant", "staff", "notice"]


class ChatMessage(BaseModel):
    id: int | None = None
    conversation_id: str
    sender: Sender
    text: str
    buttons: list[ButtonOut] = []
    district: str | None = None
    sent_at: datetime | None = None
    # "emergency": the reply tells the person to call 113; channels show it as an alert.
    alert: Literal["emergency"] | None = None
    # Set on the last message of an answer about a service: ask whether it helped.
    feedback: FeedbackTopic | None = None


class TurnOut(BaseModel):
    messages: list[ChatMessage]
    forwarded_to_staff: bool = False


class MessagesOut(BaseModel):
    messages: list[ChatMessage]

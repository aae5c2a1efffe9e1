"""The channels people reach the assistant through: one entry each, the rest derives from it.

A conversation id is `<channel>:<id>`: `web:<random>` or `telegram:<chat id>`. Adding a
channel is an entry in CHANNELS (docs/how-to-add-a-channel.md). Rasa's environment
(Python 3.10) imports this module too, through core.logs: standard library only.
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal


@dataclass(frozen=True)
class Channel:
    name: str  # the conversation ids' prefix, and `channel` on tickets and in the figures
    title: str  # its proper name, in the API's documentation
    id_pattern: str  # what follows `<name>:` in a conversation id (a regex)
    # The machine client's scope that may speak for its conversations (its bridge's token;
    # the client is named after the channel). None: whoever holds the id (the id is the secret).
    scope: str | None
    # How staff replies reach the person: "polled" by the page (reading them delivers them),
    # or "pushed" by the channel's bridge from `/api/channels/<name>/outbox`.
    delivery: Literal["polled", "pushed"]
    handoff_reply: str  # the core.assistant_texts key that says where staff will answer
    # One person keeps the same conversation id over time, so whether an answer held can be
    # verified (docs/metrics.md, verified containment).
    lasting_ids: bool

    def __post_init__(self) -> None:
        if self.delivery == "pushed" and self.scope is None:
            raise ValueError(f"{self.name}: a pushed channel's bridge needs a scope")

    @property
    def prefix(self) -> str:
        return f"{self.name}:"


WEB = Channel(
    name="web",
    title="web",
    id_pattern=r"[A-Za-z0-9_-]{22,64}",  # issued by the chat gateway: the id is the secret
    scope=None,
    delivery="polled",
    handoff_reply="handoff_by_chat",
    lasting_ids=False,
)
TELEGRAM = Channel(
    name="telegram",
    title="Telegram",
    id_pattern=r"-?[0-9]{1,20}",  # the Telegram chat id
    scope="channel:telegram",
    delivery="pushed",
    handoff_reply="handoff_by_telegram",
    lasting_ids=True,
)
CHANNELS = (WEB, TELEGRAM)
BY_NAME = {channel.name: channel for channel in CHANNELS}
CHANNEL_NAMES = tuple(BY_NAME)
PUSHED = tuple(channel for channel in CHANNELS if channel.delivery == "pushed")
CHANNEL_SCOPES = tuple(channel.scope for channel in CHANNELS if channel.scope is not None)

if TYPE_CHECKING:
    ChannelName = str
else:
    ChannelName = Literal[CHANNEL_NAMES]  # "web" | "telegram", as an enum in the OpenAPI

# A channel conversation id, exactly: what the chat gateway's routes accept.
CONVERSATION_ID = "(" + "|".join(f"{c.prefix}{c.id_pattern}" for c in CHANNELS) + ")"


def channel_name(conversation_id: str) -> str:
    """The part before the colon: the channel's name for a channel conversation id."""
    return conversation_id.split(":", 1)[0]


def channel_of(conversation_id: str) -> Channel | None:
    """The channel a conversation id is named for (`<name>:…`), if any."""
    name, colon, _ = conversation_id.partition(":")
    return BY_NAME.get(name) if colon else None

"""The channel registry (core/channels.py) reaches everything that depends on a channel."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.routing import APIRoute

from api.accounts.models import SCOPES
from api.accounts.service import STANDARD_CLIENTS
from api.chat.views import router
from core.channels import CHANNEL_NAMES, CHANNELS, CONVERSATION_ID, PUSHED, channel_of

TEXT_JS = Path(__file__).resolve().parent.parent / "api" / "inbox" / "static" / "text.js"


def test_each_channel_has_a_label_in_the_inbox() -> None:
    found = re.search(r"export const CHANNEL_TEXT = \{([^}]*)\}", TEXT_JS.read_text("utf-8"))
    assert found is not None
    assert set(re.findall(r"(\w+):", found.group(1))) == set(CHANNEL_NAMES)


def test_each_pushed_channel_has_its_outbox_and_its_bridge_a_client() -> None:
    paths = {route.path for route in router.routes if isinstance(route, APIRoute)}
    for channel in PUSHED:
        assert f"/api/channels/{channel.name}/outbox" in paths
        assert f"/api/channels/{channel.name}/outbox/{{message_id}}/delivered" in paths
        assert STANDARD_CLIENTS[channel.name] == [channel.scope]
        assert channel.scope in SCOPES


def test_conversation_ids_name_their_channel() -> None:
    examples = {"web": "web:" + "a" * 22, "telegram": "telegram:-100123"}
    assert set(examples) == set(CHANNEL_NAMES)
    for name, conversation_id in examples.items():
        assert re.fullmatch(CONVERSATION_ID, conversation_id)
        channel = channel_of(conversation_id)
        assert channel is not None
        assert channel.name == name
    assert channel_of("telegram") is None  # a bare REST sender, not a channel's conversation
    assert [channel.name for channel in CHANNELS] == list(CHANNEL_NAMES)

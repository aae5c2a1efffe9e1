"""The web chat: an accessible page for seniors that talks to the assistant via `api/chat/`."""

"""The Telegram bridge for relatives (app env): `python -m bot.telegram`.

It talks to the assistant only through the API's chat gateway (docs/chat-api.md).
"""

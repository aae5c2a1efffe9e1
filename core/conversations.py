"""What a channel conversation id looks like: `web:<random>` or `telegram:<chat id>`."""

# The web id is the secret that opens the conversation (issued by the chat gateway).
CONVERSATION_ID = r"(web:[A-Za-z0-9_-]{22,64}|telegram:-?[0-9]{1,20})"

"""Changes the chat gateway makes outside the assistant: erasing a person's conversation."""

from sqlalchemy.orm import Session

from api.tickets import service as tickets
from core import tracker_store
from core.config import Settings
from core.database import fold_wal


def erase_conversation(session: Session, settings: Settings, conversation_id: str) -> None:
    """Erase everything kept about the conversation: tickets, pending handoffs, Rasa's memory."""
    tickets.erase_conversation(session, conversation_id)
    tracker_store.erase_conversation(settings, session, conversation_id)
    session.commit()
    fold_wal(session)

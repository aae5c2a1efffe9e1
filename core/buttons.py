"""A button the assistant offers under a reply: the action server builds it, channels show it.

Standard library only, like `core/channels.py`.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Button:
    """Shown as `title`; pressing it sends `payload` as the person's next message."""

    title: str
    payload: str

"""Dependencies shared by several features."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Annotated, TypeVar

import anyio
from fastapi import Depends, Request
from sqlalchemy.orm import Session, sessionmaker

from core.config import Settings

T = TypeVar("T")


def get_session(request: Request) -> Iterator[Session]:
    with request.app.state.sessions() as session:
        yield session


def get_app_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


@dataclass(frozen=True)
class ShortSessions:
    """Database work for async routes: a short session each, in threads of their own.

    The event loop never waits for the database, no connection stays checked out while the
    route awaits something slow (the assistant), and a flood of such work can take at most
    `threads` threads: the threadpool stays free for the other routes (staff, catalogue).
    """

    sessions: sessionmaker[Session]
    threads: anyio.CapacityLimiter

    async def run(self, work: Callable[[Session], T]) -> T:
        def in_session() -> T:
            with self.sessions() as session:
                return work(session)

        return await anyio.to_thread.run_sync(in_session, limiter=self.threads)


def get_short_sessions(request: Request) -> ShortSessions:
    short_sessions: ShortSessions = request.app.state.short_sessions
    return short_sessions


DbSession = Annotated[Session, Depends(get_session)]
ShortSession = Annotated[ShortSessions, Depends(get_short_sessions)]
AppSettings = Annotated[Settings, Depends(get_app_settings)]

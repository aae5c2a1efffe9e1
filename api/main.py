"""The FastAPI application."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

import anyio
from fastapi import FastAPI
from starlette.middleware.gzip import GZipMiddleware

from api.accounts.views import router as accounts_router
from api.chat.assistant import AssistantLink
from api.chat.views import router as chat_router
from api.dependencies import ShortSessions
from api.districts.views import router as districts_router
from api.health.views import router as health_router
from api.inbox.views import router as inbox_router
from api.metrics.registry import GatewayMetrics, instrument
from api.metrics.views import router as metrics_router
from api.pages import router as pages_router
from api.problems import install_problem_handlers
from api.ratelimit import RateLimiter
from api.request_ids import RequestIds
from api.services.views import router as services_router
from api.stats.jobs import fold_periodically
from api.stats.views import router as stats_router
from api.tickets.retention import purge_periodically
from api.tickets.views import router as tickets_router
from api.webchat.views import router as webchat_router
from core.config import Settings, get_settings
from core.database import make_engine, make_session_factory
from core.safety.detector import load_detector
from services_catalog.holder import CatalogueHolder

log = logging.getLogger(__name__)


async def _stop(task: asyncio.Task[None]) -> None:
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = make_engine(
            settings.database_url,
            pool_size=settings.db_pool_size,
            max_overflow=settings.db_max_overflow,
            pool_timeout=settings.db_pool_timeout_seconds,
        )
        app.state.settings = settings
        app.state.sessions = make_session_factory(engine)
        app.state.short_sessions = ShortSessions(
            app.state.sessions, anyio.CapacityLimiter(settings.chat_db_threads)
        )
        app.state.catalogue = CatalogueHolder(app.state.sessions)
        app.state.rate_limiter = RateLimiter(settings)
        app.state.password_checks = anyio.CapacityLimiter(settings.login_concurrent_checks)
        app.state.assistant = AssistantLink(settings, metrics)
        # The gateway's own emergency check must work before the first message: fail loudly now
        # (the weights, and the embedding model, which loads on the first message it scores).
        await asyncio.to_thread(load_detector().assess, "hei")
        try:
            await asyncio.to_thread(app.state.catalogue.refresh)
        except Exception:
            log.exception("the catalogue could not be read at start-up; /readyz will say so")
        tasks = [
            asyncio.create_task(app.state.catalogue.keep_fresh(settings.catalogue_refresh_seconds)),
            asyncio.create_task(purge_periodically(app.state.sessions, settings)),
            asyncio.create_task(fold_periodically(app.state.sessions, settings)),
        ]
        yield
        for task in tasks:
            await _stop(task)
        await app.state.assistant.aclose()
        engine.dispose()

    app = FastAPI(
        title="Seniorveiviser API",
        summary="Oslo's district health and care services for seniors, with sourced facts.",
        version="0.2.0",
        lifespan=lifespan,
        docs_url="/docs" if settings.api_docs else None,
        redoc_url="/redoc" if settings.api_docs else None,
    )
    install_problem_handlers(app)
    # Pages, their files and JSON: text shrinks to a tenth (Punkt's CSS: 326 KB to 28 KB).
    app.add_middleware(GZipMiddleware, minimum_size=1000, compresslevel=6)
    metrics = GatewayMetrics.create()
    app.state.metrics = metrics
    instrument(app, metrics)
    app.add_middleware(RequestIds)  # outermost: every log line of a request carries its id
    for router in (
        health_router,
        districts_router,
        services_router,
        chat_router,
        tickets_router,
        accounts_router,
        webchat_router,
        pages_router,
        stats_router,
        inbox_router,
        metrics_router,
    ):
        app.include_router(router)
    return app


app = create_app()

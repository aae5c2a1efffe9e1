"""The FastAPI application."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from fastapi import FastAPI

from api.districts.views import router as districts_router
from api.health.views import router as health_router
from api.problems import install_problem_handlers
from api.services.views import router as services_router
from core.config import Settings, get_settings
from core.database import make_engine, make_session_factory
from services_catalog.holder import CatalogueHolder

log = logging.getLogger(__name__)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = make_engine(settings.database_url)
        app.state.sessions = make_session_factory(engine)
        app.state.catalogue = CatalogueHolder(app.state.sessions)
        try:
            await asyncio.to_thread(app.state.catalogue.refresh)
        except Exception:
            log.exception("the catalogue could not be read at start-up; /readyz will say so")
        refresher = asyncio.create_task(
            app.state.catalogue.keep_fresh(settings.catalogue_refresh_seconds)
        )
        yield
        refresher.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await refresher
        engine.dispose()

    app = FastAPI(
        title="Seniorveiviser API",
        summary="Oslo's district health and care services for seniors, with sourced facts.",
        version="0.1.0",
        lifespan=lifespan,
    )
    install_problem_handlers(app)
    app.include_router(health_router)
    app.include_router(districts_router)
    app.include_router(services_router)
    return app


app = create_app()

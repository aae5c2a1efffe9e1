"""Serve the web chat page at `/`, its own static files, and Punkt's CSS and fonts.

Punkt (Oslo kommune's design system) is installed by `npm ci` into `node_modules/`, never
copied into the repository. Without it the page still works on its own stylesheet and the
system's fonts; a warning in the log says what to run.
"""

from __future__ import annotations

import logging
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.pages import PAGE_HEADERS, SHARED_STATIC, RevalidatedFiles, with_versions
from core.config import ROOT, Settings, get_settings

log = logging.getLogger(__name__)

STATIC = Path(__file__).resolve().parent / "static"
NODE_MODULES = ROOT / "node_modules"
PUNKT_CSS = NODE_MODULES / "@oslokommune" / "punkt-css" / "dist" / "css"
PUNKT_ASSETS = NODE_MODULES / "@oslokommune" / "punkt-assets" / "dist"
# URL folder under /static/punkt/ -> where npm put it. The CSS asks for "../fonts/…".
PUNKT_FOLDERS = {
    "css": PUNKT_CSS,
    "fonts": PUNKT_ASSETS / "fonts",
    "logos": PUNKT_ASSETS / "logos",
}


class PunktFiles(RevalidatedFiles):
    """Punkt's files; a folder npm has not made answers 404 instead of failing the request."""

    async def check_config(self) -> None:
        """Missing Punkt folders are reported once at start-up (warn_if_punkt_missing)."""


def punkt_missing() -> list[Path]:
    """The Punkt folders that `npm ci` should have made and did not."""
    return [folder for folder in PUNKT_FOLDERS.values() if not folder.is_dir()]


def _shown(folder: Path) -> str:
    return str(folder.relative_to(ROOT)) if folder.is_relative_to(ROOT) else str(folder)


def warn_if_punkt_missing() -> None:
    missing = punkt_missing()
    if missing:
        log.warning(
            "Punkt is not installed (%s missing): run `npm ci` at the repository root. "
            "The web chat still works, with its own styles and the system's fonts.",
            ", ".join(_shown(folder) for folder in missing),
        )


router = APIRouter(tags=["web chat"])


def render_page(settings: Settings) -> str:
    """index.html with the facts it states that come from settings (how long cases are kept),
    and a content hash on each file it links to, so the browser may keep them."""
    page = (STATIC / "index.html").read_text("utf-8")
    folders = {f"/static/punkt/{name}/": folder for name, folder in PUNKT_FOLDERS.items()}
    page = with_versions(page, {**folders, "/static/": STATIC, "/shared/": SHARED_STATIC})
    return page.replace("{{retention_days}}", str(settings.retention_days))


@router.get("/", include_in_schema=False, response_class=HTMLResponse)
def chat_page(request: Request) -> HTMLResponse:
    """The chat page (bokmål)."""
    settings = getattr(request.app.state, "settings", None) or get_settings()
    return HTMLResponse(render_page(settings), headers=PAGE_HEADERS)


for _name, _folder in PUNKT_FOLDERS.items():
    router.mount(
        f"/static/punkt/{_name}",
        PunktFiles(directory=_folder, check_dir=False),
        name=f"punkt-{_name}",
    )
router.mount("/static", RevalidatedFiles(directory=STATIC), name="webchat-static")
warn_if_punkt_missing()

"""Serve the staff inbox page at `/staff` and its own files under `/staff/static/`.

The page is static: everything it shows comes from the staff API (`/api/auth/token`,
`/api/staff/...`) with the bearer token the staff member gets by logging in on the page.
Include it in the app with `app.include_router(inbox_router)`.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from api.pages import PAGE_HEADERS, SHARED_STATIC, RevalidatedFiles, staff_page, with_versions

STATIC = Path(__file__).resolve().parent / "static"

router = APIRouter(tags=["staff inbox"])


@router.get("/staff", include_in_schema=False, response_class=HTMLResponse)
def inbox_page() -> HTMLResponse:
    """The inbox (bokmål), linking its files by content hash."""
    page = with_versions(
        staff_page(STATIC / "inbox.html"), {"/staff/static/": STATIC, "/shared/": SHARED_STATIC}
    )
    return HTMLResponse(page, headers=PAGE_HEADERS)


router.mount("/staff/static", RevalidatedFiles(directory=STATIC), name="inbox-static")

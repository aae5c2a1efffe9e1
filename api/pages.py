"""What the API's own web pages share: strict security headers and revalidated static files."""

from __future__ import annotations

import os

from starlette.responses import Response
from starlette.staticfiles import PathLike, StaticFiles
from starlette.types import Scope

# The pages load nothing from elsewhere, and text from people or staff never runs as script.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
PAGE_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-cache",
}


class RevalidatedFiles(StaticFiles):
    """Static files that the browser re-checks (ETag) before use, so a deploy shows at once.

    Pages (.html) are served only by their routes, which send PAGE_HEADERS; never from here.
    """

    def lookup_path(self, path: str) -> tuple[str, os.stat_result | None]:
        if path.lower().endswith((".html", ".htm")):
            return "", None
        return super().lookup_path(path)

    def file_response(
        self,
        full_path: PathLike,
        stat_result: os.stat_result,
        scope: Scope,
        status_code: int = 200,
    ) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        response.headers["Cache-Control"] = "no-cache"
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response

"""What the API's own web pages share: strict security headers, revalidated static files, and
the script modules in `api/static/` that every page may import (served at `/shared/`)."""

from __future__ import annotations

import functools
import hashlib
import os
import re
from pathlib import Path
from urllib.parse import parse_qs

from fastapi import APIRouter
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

# Script modules every page may import (at /shared/), and what /staff and /staff/stats share.
SHARED_STATIC = Path(__file__).resolve().parent / "static"
STAFF_PAGE = SHARED_STATIC / "staff.html"

# A file asked for with its content hash (`?v=…`, see `with_versions`) never changes.
IMMUTABLE = "public, max-age=31536000, immutable"
_ASSET_URL = re.compile(r'(?P<attribute>(?:href|src)=")(?P<url>/[^"?#]+)"')


@functools.lru_cache(maxsize=256)
def _digest(path: str, _modified_ns: int, _size: int) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]


def content_hash(path: Path) -> str:
    """A short hash of the file's bytes, computed again only when the file changes."""
    stat = path.stat()
    return _digest(str(path), stat.st_mtime_ns, stat.st_size)


def with_versions(page: str, folders: dict[str, Path]) -> str:
    """The page with `?v=<content hash>` on every link to a file under one of `folders`.

    `folders` maps a URL prefix ("/static/") to the folder it serves; the longest prefix wins.
    A link to a missing file is left alone (the browser then gets its 404 as before).
    """
    prefixes = sorted(folders, key=len, reverse=True)

    def versioned(match: re.Match[str]) -> str:
        url = match["url"]
        prefix = next((p for p in prefixes if url.startswith(p)), None)
        if prefix is not None:
            file = folders[prefix] / url.removeprefix(prefix)
            if file.is_file():
                url = f"{url}?v={content_hash(file)}"
        return f'{match["attribute"]}{url}"'

    return _ASSET_URL.sub(versioned, page)


_PART = re.compile(r"^<!-- part: (\w+) -->\n", re.MULTILINE)
_SLOT = re.compile(r"\{\{(\w+)\}\}")


def staff_page(page: Path) -> str:
    """A staff page: `STAFF_PAGE` (head, header, login) with each `{{slot}}` filled in.

    `page` holds the parts, each after a line `<!-- part: slot -->`; a slot it leaves out stays
    empty.
    """
    pieces = _PART.split(page.read_text("utf-8"))[1:]
    parts = {name: text.strip("\n") for name, text in zip(pieces[::2], pieces[1::2], strict=True)}
    return _SLOT.sub(lambda match: parts.get(match[1], ""), STAFF_PAGE.read_text("utf-8"))


class RevalidatedFiles(StaticFiles):
    """Static files that the browser re-checks (ETag) before use, so a deploy shows at once.

    A file asked for with its current content hash (`?v=`, put there by `with_versions`) is
    cached for a year instead: a new deploy links a new hash. A page links only its entry
    module by hash; the modules that one imports are asked for without `?v=`, so the browser
    re-checks each of them and never runs a stale one beside a new one.
    Scripts go out as text/javascript, which module scripts need under `nosniff`.
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
        asked = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("v", [])
        current = asked == [content_hash(Path(full_path))]
        response.headers["Cache-Control"] = IMMUTABLE if current else "no-cache"
        response.headers["X-Content-Type-Options"] = "nosniff"
        if str(full_path).endswith(".js"):
            response.headers["Content-Type"] = "text/javascript; charset=utf-8"
        return response


router = APIRouter(tags=["web pages"])
router.mount("/shared", RevalidatedFiles(directory=SHARED_STATIC), name="shared-static")

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text

from api.dependencies import DbSession
from api.problems import problem_response

router = APIRouter(tags=["health"])


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    """The process is up."""
    return {"status": "ok"}


@router.get("/readyz", response_model=None)
def readyz(request: Request, session: DbSession) -> dict[str, str] | JSONResponse:
    """The database answers and a catalogue is loaded."""
    try:
        session.execute(text("SELECT 1"))
    except Exception:
        return problem_response(request, 503, "The database does not answer.")
    snapshot = request.app.state.catalogue.snapshot
    if snapshot is None:
        return problem_response(request, 503, "No catalogue is loaded yet.")
    return {"status": "ready", "catalogue_version": snapshot.version[:12]}

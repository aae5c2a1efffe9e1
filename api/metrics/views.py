"""`GET /metrics` for Prometheus, behind a bearer token (METRICS_TOKEN or secrets/metrics.token)."""

from typing import Annotated

from fastapi import APIRouter, Header, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from api.dependencies import AppSettings
from api.problems import ApiError
from core.config import Settings
from core.secrets import bearer_matches, read_or_create_secret

METRICS_SECRET = "metrics.token"
router = APIRouter(tags=["metrics"])


def metrics_token(settings: Settings) -> str:
    """The token Prometheus sends; made in the secrets folder when no setting gives one."""
    return settings.metrics_token or read_or_create_secret(settings.secrets_dir, METRICS_SECRET)


@router.get("/metrics", include_in_schema=False)
def metrics(
    request: Request,
    settings: AppSettings,
    authorization: Annotated[str | None, Header()] = None,
) -> Response:
    """Every metric of this process, in Prometheus' text format."""
    if not bearer_matches(authorization, metrics_token(settings)):
        raise ApiError(
            401, "Metrics need the metrics token.", headers={"WWW-Authenticate": "Bearer"}
        )
    registry = request.app.state.metrics.registry
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)

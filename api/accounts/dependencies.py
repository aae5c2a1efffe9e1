"""Who is calling: a staff member (bearer token) or a machine client (its token)."""

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends
from fastapi.security import OAuth2PasswordBearer

from api.accounts import service
from api.accounts.models import ApiClient, Scope, StaffAccount
from api.dependencies import DbSession
from api.problems import ApiError
from core.channels import Channel

bearer = OAuth2PasswordBearer(tokenUrl="/api/auth/token", auto_error=False)
BearerToken = Annotated[str | None, Depends(bearer)]


def unauthorised() -> ApiError:
    detail = "Log in first: this needs a valid bearer token."
    return ApiError(401, detail, headers={"WWW-Authenticate": "Bearer"})


def current_staff(session: DbSession, token: BearerToken) -> StaffAccount:
    account = service.staff_for_token(session, token) if token else None
    if account is None:
        raise unauthorised()
    return account


CurrentStaff = Annotated[StaffAccount, Depends(current_staff)]


def optional_client(session: DbSession, token: BearerToken) -> ApiClient | None:
    """The machine client behind the token, if any (public routes accept none)."""
    return service.client_for_token(session, token) if token else None


OptionalClient = Annotated[ApiClient | None, Depends(optional_client)]


def require_scope(client: ApiClient | None, scope: str) -> ApiClient:
    if client is None:
        raise unauthorised()
    if scope not in client.scopes:
        raise ApiError(403, "This credential may not do that.")
    return client


def ticket_creator(client: OptionalClient) -> ApiClient:
    return require_scope(client, Scope.CREATE_TICKETS)


TicketCreator = Annotated[ApiClient, Depends(ticket_creator)]


def channel_client(channel: Channel) -> Callable[[ApiClient | None], ApiClient]:
    """A dependency that lets only the client that speaks for `channel` (its bridge) through."""
    if channel.scope is None:
        raise ValueError(f"{channel.name}: no client speaks for this channel")
    scope = channel.scope

    def bridge(client: OptionalClient) -> ApiClient:
        return require_scope(client, scope)

    return bridge

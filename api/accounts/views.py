from typing import Annotated

import anyio
from fastapi import APIRouter, Depends, Request, Response
from fastapi.security import OAuth2PasswordRequestForm

from api.accounts import service, throttle
from api.accounts.dependencies import BearerToken, CurrentStaff
from api.accounts.policy import normalise_username
from api.accounts.schemas import StaffOut, TokenOut
from api.dependencies import AppSettings, DbSession
from api.problems import ApiError, problem_responses
from api.ratelimit import Limiter, client_address

router = APIRouter(prefix="/api", tags=["staff accounts"])
LoginForm = Annotated[OAuth2PasswordRequestForm, Depends()]
# A bearer token must not be kept by a browser or a proxy (RFC 6749, 5.1).
TOKEN_HEADERS = {"Cache-Control": "no-store", "Pragma": "no-cache"}


@router.post(
    "/auth/token", response_model=TokenOut, responses=problem_responses(400, 401, 422, 429)
)
async def log_in(
    form: LoginForm,
    request: Request,
    response: Response,
    session: DbSession,
    settings: AppSettings,
    limiter: Limiter,
) -> TokenOut:
    """OAuth2 password flow: a short-lived bearer token for a staff member.

    Failures are throttled per username and per address: 429 with `Retry-After`.
    """
    username = normalise_username(form.username)
    address = client_address(request)
    await throttle.count_attempt(limiter, username, address)
    token = await anyio.to_thread.run_sync(
        service.log_in,
        session,
        username,
        form.password,
        settings.staff_token_minutes,
        limiter=request.app.state.password_checks,  # argon2 at a few at a time, not 40
    )
    if token is None:
        raise ApiError(401, "Wrong username or password.", headers={"WWW-Authenticate": "Bearer"})
    await throttle.forget_failures(limiter, username)
    response.headers.update(TOKEN_HEADERS)
    return TokenOut(access_token=token, expires_in=settings.staff_token_minutes * 60)


@router.delete(
    "/auth/token", status_code=204, response_class=Response, responses=problem_responses(401)
)
def log_out(staff: CurrentStaff, token: BearerToken, session: DbSession) -> None:
    """End this token's session."""
    service.log_out(session, staff, token or "")


@router.get("/staff/me", response_model=StaffOut, responses=problem_responses(401))
def who_am_i(staff: CurrentStaff) -> StaffOut:
    return StaffOut(
        username=staff.username,
        display_name=staff.display_name,
        district=staff.district_slug,
        role=staff.role,
    )

from typing import Annotated

from fastapi import APIRouter, Depends, Response
from fastapi.security import OAuth2PasswordRequestForm

from api.accounts import service
from api.accounts.dependencies import BearerToken, CurrentStaff
from api.accounts.schemas import StaffOut, TokenOut
from api.audit.service import record
from api.dependencies import AppSettings, DbSession
from api.problems import ApiError, problem_responses

router = APIRouter(prefix="/api", tags=["staff accounts"])
LoginForm = Annotated[OAuth2PasswordRequestForm, Depends()]


@router.post("/auth/token", response_model=TokenOut, responses=problem_responses(400, 401, 422))
def log_in(form: LoginForm, session: DbSession, settings: AppSettings) -> TokenOut:
    """OAuth2 password flow: a short-lived bearer token for a staff member."""
    # A NUL cannot be in any username (and PostgreSQL cannot even be asked about one).
    known = "\x00" not in form.username
    account = service.authenticate(session, form.username, form.password) if known else None
    if account is None:
        raise ApiError(401, "Wrong username or password.", headers={"WWW-Authenticate": "Bearer"})
    token = service.issue_token(session, account, settings.staff_token_minutes)
    record(session, f"staff:{account.username}", "log_in", account.district_slug)
    session.commit()
    return TokenOut(access_token=token, expires_in=settings.staff_token_minutes * 60)


@router.delete(
    "/auth/token", status_code=204, response_class=Response, responses=problem_responses(401)
)
def log_out(staff: CurrentStaff, token: BearerToken, session: DbSession) -> None:
    """End this token's session."""
    service.revoke_token(session, token or "")
    record(session, f"staff:{staff.username}", "log_out", staff.district_slug)
    session.commit()


@router.get("/staff/me", response_model=StaffOut, responses=problem_responses(401))
def who_am_i(staff: CurrentStaff) -> StaffOut:
    return StaffOut(
        username=staff.username,
        display_name=staff.display_name,
        district=staff.district_slug,
        role=staff.role,
    )

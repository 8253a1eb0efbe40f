"""Tokens: log in (JSON or OAuth2 password form, then a second factor for staff), refresh,
log out."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Request, status
from pydantic import ValidationError

from app.accounts import codes as account_codes
from app.accounts import logins as auth
from app.accounts.mfa import MfaPending
from app.accounts.schemas import (
    ActivationIn,
    LoginRequest,
    MfaChallengeProblem,
    MfaChallengeRef,
    MfaEnrolment,
    MfaLogin,
    RefreshRequest,
    TokenPair,
)
from app.core.db.session import SessionDep
from app.core.security.passwords import HASHING_BUSY_RESPONSE, HashingAdmission
from app.core.security.throttle import ClientIP, LoginThrottleDep
from app.errors import InvalidInput, NotAuthenticated, ProblemError, field_errors

router = APIRouter(prefix="/auth", tags=["auth"])

# The route reads its body itself, so FastAPI does not list `LoginRequest` among the components:
# `app.main.install_openapi` adds it for this `$ref`.
_LOGIN_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {"$ref": f"#/components/schemas/{LoginRequest.__name__}"}
            },
            "application/x-www-form-urlencoded": {
                "schema": {
                    "type": "object",
                    "required": ["username", "password"],
                    "properties": {
                        "grant_type": {"type": "string", "enum": ["password"]},
                        "username": {"type": "string"},
                        "password": {"type": "string", "format": "password"},
                    },
                }
            },
        },
    }
}


async def _login_request(request: Request) -> LoginRequest:
    """Read the credentials from JSON, or from the OAuth2 password form (Swagger's Authorize)."""
    content_type = request.headers.get("content-type", "")
    try:
        if content_type.startswith("application/x-www-form-urlencoded") or content_type.startswith(
            "multipart/form-data"
        ):
            form = await request.form()
            grant_type = form.get("grant_type")
            if grant_type not in (None, "password"):
                raise ProblemError(400, "status.400", kind="unsupported-grant-type")
            return LoginRequest.model_validate(
                {"username": form.get("username"), "password": form.get("password")}
            )
        return LoginRequest.model_validate_json(await request.body())
    except ValidationError as exc:
        raise InvalidInput(field_errors(exc.errors(), ("body",))) from None


# A staff login that needs its second factor answers 401 problem+json (kind `mfa-required`, or
# `mfa-enrolment-required`) carrying a challenge, rather than 200 with another schema: the one
# 200 of this route stays `TokenPair`, so the apps' generated clients and OAuth2 password-grant
# tools (Swagger's Authorize) are unchanged, and a client that knows nothing of MFA sees a
# failed login, never a 200 without a token. RFC 9457 extension members carry the challenge.
_LOGIN_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {
        "description": "Wrong credentials; or, for staff, the second factor is due: the problem "
        "then has `mfa_required: true` and a `challenge` for `POST /auth/mfa`.",
        "content": {
            # Inline: a `model` would also claim an application/json body, which is never sent.
            "application/problem+json": {
                "schema": {
                    "anyOf": [
                        {"$ref": "#/components/schemas/Problem"},
                        MfaChallengeProblem.model_json_schema(),
                    ]
                }
            }
        },
    },
    429: {"description": "Too many failed logins for this account or client; see Retry-After."},
    **HASHING_BUSY_RESPONSE,
}
# The other steps of a login refuse a wrong code, challenge or token with a plain 401 problem.
_REFUSED: dict[int | str, dict[str, Any]] = {
    401: {"description": "A wrong code, or a challenge or token that is unknown, used or expired."}
}


def _second_factor_due(pending: MfaPending) -> ProblemError:
    enrol = pending.enrolment_required
    return ProblemError(
        401,
        "auth.mfa_enrolment_required" if enrol else "auth.mfa_required",
        kind="mfa-enrolment-required" if enrol else "mfa-required",
        headers={"WWW-Authenticate": "Bearer"},
        extensions={
            "mfa_required": True,
            "enrolment_required": pending.enrolment_required,
            "challenge": pending.challenge,
            "challenge_expires_in": pending.expires_in,
        },
    )


@router.post(
    "/token", operation_id="auth-token", openapi_extra=_LOGIN_BODY, responses=_LOGIN_RESPONSES
)
async def token(
    request: Request,
    _admitted: HashingAdmission,
    session: SessionDep,
    throttle: LoginThrottleDep,
    ip: ClientIP,
    user_agent: Annotated[str | None, Header()] = None,
) -> TokenPair:
    """Log in with a username and password; returns an access and a refresh token.

    Staff with MFA (or all staff, when the service requires it) get a 401 problem with
    `mfa_required: true` and a `challenge` instead: finish with `POST /auth/mfa`.
    Repeated failures lock the account or the client for a while (429 with `Retry-After`).
    """
    credentials = await _login_request(request)
    result = await auth.log_in(
        session,
        credentials.username,
        credentials.password,
        user_agent,
        throttle=throttle,
        client_ip=ip,
    )
    if isinstance(result, MfaPending):
        # The challenge must be stored before the error response goes out.
        await session.commit()
        raise _second_factor_due(result)
    return result


@router.post(
    "/mfa",
    operation_id="auth-mfa",
    responses={**_REFUSED, 429: _LOGIN_RESPONSES[429]},
)
async def mfa_login(
    body: MfaLogin, session: SessionDep, throttle: LoginThrottleDep, ip: ClientIP
) -> TokenPair:
    """Finish a staff login: the challenge from `/auth/token` and a TOTP or recovery code.

    A recovery code works once. A wrong code answers 401 and counts as a failed login; the
    challenge stays usable until it expires (5 minutes) or a login succeeds with it.
    """
    return await auth.complete_mfa_login(
        session, body.challenge, body.code, throttle=throttle, client_ip=ip
    )


@router.post(
    "/mfa/enrol",
    operation_id="auth-mfa-enrol",
    status_code=status.HTTP_201_CREATED,
    responses=_REFUSED,
)
async def mfa_enrol(body: MfaChallengeRef, session: SessionDep) -> MfaEnrolment:
    """Enrol during login, when MFA is required and the account has none yet.

    Then confirm and log in at once: `POST /auth/mfa` with the challenge and a code.
    """
    return await auth.enrol_at_login(session, body.challenge)


@router.post("/refresh", operation_id="auth-refresh", responses=_REFUSED)
async def refresh(body: RefreshRequest, session: SessionDep) -> TokenPair:
    """Rotate a refresh token. A token used twice ends its whole login (401)."""
    try:
        return await auth.refresh(session, body.refresh_token)
    except auth.LoginEnded:
        # The revocation must survive the error response.
        await session.commit()
        raise NotAuthenticated("auth.invalid_refresh_token") from None


@router.post("/logout", operation_id="auth-logout", status_code=status.HTTP_204_NO_CONTENT)
async def logout(body: RefreshRequest, session: SessionDep) -> None:
    """End the login that the refresh token belongs to, and its access tokens with it."""
    await auth.log_out(session, body.refresh_token)


@router.post(
    "/activate",
    operation_id="auth-activate",
    status_code=status.HTTP_204_NO_CONTENT,
    responses={**_REFUSED, 429: _LOGIN_RESPONSES[429], **HASHING_BUSY_RESPONSE},
)
async def activate(
    body: ActivationIn,
    _admitted: HashingAdmission,
    session: SessionDep,
    throttle: LoginThrottleDep,
    client_ip: ClientIP,
) -> None:
    """Set my password with the one-time code my school gave me (first login or reset); then
    log in as usual. A wrong username or code answers 401 and counts as a failed login."""
    await account_codes.activate(
        session, throttle, client_ip, body.username, body.code, body.new_password
    )

"""Tokens: log in (JSON or OAuth2 password form, then a second factor for staff), an API
client's token (OAuth2 client credentials), refresh, log out."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Request, status
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from starlette.datastructures import FormData

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
from app.integrations import grant
from app.integrations.schemas import ClientToken, OAuthError

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
                    "oneOf": [
                        {
                            "type": "object",
                            "title": "PasswordGrant",
                            "required": ["username", "password"],
                            "properties": {
                                "grant_type": {"type": "string", "enum": ["password"]},
                                "username": {"type": "string"},
                                "password": {"type": "string", "format": "password"},
                            },
                        },
                        {
                            "type": "object",
                            "title": "ClientCredentialsGrant",
                            "description": "An API client's token (RFC 6749 §4.4): the client"
                            " authenticates with HTTP Basic or with `client_id` and"
                            " `client_secret` here; `scope` is optional (all of the client's).",
                            "required": ["grant_type"],
                            "properties": {
                                "grant_type": {"type": "string", "enum": ["client_credentials"]},
                                "client_id": {"type": "string"},
                                "client_secret": {"type": "string", "format": "password"},
                                "scope": {"type": "string"},
                            },
                        },
                    ]
                }
            },
        },
    }
}


async def _form(request: Request) -> FormData | None:
    """The OAuth2 form, if the request sends one (else the body is the JSON login)."""
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        return await request.form()
    return None


async def _login_request(request: Request, form: FormData | None) -> LoginRequest:
    """Read the credentials from JSON, or from the OAuth2 password form (Swagger's Authorize)."""
    try:
        if form is not None:
            return LoginRequest.model_validate(
                {"username": form.get("username"), "password": form.get("password")}
            )
        return LoginRequest.model_validate_json(await request.body())
    except ValidationError as exc:
        raise InvalidInput(field_errors(exc.errors(), ("body",))) from None


# RFC 6749 §5.1: a token answer is never cached.
_NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


def _oauth_error(problem: grant.OAuthProblem) -> JSONResponse:
    """An OAuth2 token error as RFC 6749 §5.2 words it, which OAuth2 libraries read."""
    body = OAuthError.model_validate(
        {"error": problem.error, "error_description": problem.description}
    )
    return JSONResponse(
        body.model_dump(),
        status_code=problem.status,
        headers={**problem.headers, **_NO_STORE},
    )


async def _client_token(
    request: Request, form: FormData, session: SessionDep, throttle: Any, ip: str
) -> JSONResponse:
    fields = {key: value for key, value in form.items() if isinstance(value, str)}
    try:
        credentials = grant.credentials_of(fields, request.headers.get("authorization"))
        issued = await grant.grant_client_token(
            session, credentials, fields.get("scope"), throttle=throttle, client_ip=ip
        )
    except grant.OAuthProblem as problem:
        return _oauth_error(problem)
    return JSONResponse(issued.model_dump(), headers=_NO_STORE)


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
# The client-credentials grant answers its errors as OAuth2 does (RFC 6749 §5.2).
_OAUTH_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {
        "description": "Client credentials: `invalid_request`, `invalid_scope` or"
        " `unsupported_grant_type` (RFC 6749 §5.2).",
        "model": OAuthError,
    },
    401: {
        "description": _LOGIN_RESPONSES[401]["description"] + " Client credentials:"
        " `invalid_client`, with `WWW-Authenticate: Basic` when the client used HTTP Basic.",
        "content": {
            **_LOGIN_RESPONSES[401]["content"],
            "application/json": {"schema": {"$ref": "#/components/schemas/OAuthError"}},
        },
    },
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
    "/token",
    operation_id="auth-token",
    openapi_extra=_LOGIN_BODY,
    responses={**_LOGIN_RESPONSES, **_OAUTH_ERRORS},
)
async def token(
    request: Request,
    _admitted: HashingAdmission,
    session: SessionDep,
    throttle: LoginThrottleDep,
    ip: ClientIP,
    user_agent: Annotated[str | None, Header()] = None,
) -> TokenPair | ClientToken:
    """Log in with a username and password; returns an access and a refresh token.

    Staff with MFA (or all staff, when the service requires it) get a 401 problem with
    `mfa_required: true` and a `challenge` instead: finish with `POST /auth/mfa`.
    Repeated failures lock the account or the client for a while (429 with `Retry-After`).

    An API client sends the form with `grant_type=client_credentials` (RFC 6749 §4.4) and
    gets a short-lived access token of its scopes, without a refresh token.
    """
    form = await _form(request)
    grant_type = form.get("grant_type") if form is not None else None
    if grant_type == "client_credentials":
        assert form is not None
        return await _client_token(request, form, session, throttle, ip)  # type: ignore[return-value]
    if grant_type not in (None, "password"):
        return _oauth_error(  # type: ignore[return-value]
            grant.OAuthProblem("unsupported_grant_type", "password or client_credentials")
        )
    credentials = await _login_request(request, form)
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

"""Tokens: log in (JSON or OAuth2 password form), refresh, log out."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Request, status
from pydantic import ValidationError

from app.db.session import SessionDep
from app.errors import InvalidInput, NotAuthenticated, ProblemError, field_errors
from app.schemas.auth import LoginRequest, RefreshRequest, TokenPair
from app.services import auth

router = APIRouter(prefix="/auth", tags=["auth"])

_LOGIN_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/LoginRequest"}},
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


@router.post("/token", operation_id="auth-token", openapi_extra=_LOGIN_BODY)
async def token(
    request: Request,
    session: SessionDep,
    user_agent: Annotated[str | None, Header()] = None,
) -> TokenPair:
    """Log in with a username and password; returns an access and a refresh token."""
    credentials = await _login_request(request)
    return await auth.log_in(session, credentials.username, credentials.password, user_agent)


@router.post("/refresh", operation_id="auth-refresh")
async def refresh(body: RefreshRequest, session: SessionDep) -> TokenPair:
    """Rotate a refresh token. A token used twice ends its whole login (401)."""
    try:
        return await auth.refresh(session, body.refresh_token)
    except auth.RefreshTokenReused:
        # The revocation must survive the error response.
        await session.commit()
        raise NotAuthenticated("auth.invalid_refresh_token") from None


@router.post("/logout", operation_id="auth-logout", status_code=status.HTTP_204_NO_CONTENT)
async def logout(body: RefreshRequest, session: SessionDep) -> None:
    """End the login that the refresh token belongs to, and its access tokens with it."""
    await auth.log_out(session, body.refresh_token)

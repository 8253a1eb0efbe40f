"""Token requests and answers (OAuth2 password grant and JSON)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from app.schemas.common import Schema


class LoginRequest(Schema):
    username: str = Field(
        min_length=3, max_length=254, examples=["D130000001@taalim.ma", "director.demo@taalim.ma"]
    )
    password: str = Field(min_length=1, max_length=256)


class RefreshRequest(Schema):
    refresh_token: str = Field(min_length=16, max_length=128)


class TokenPair(Schema):
    access_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105  (OAuth2 token type, not a secret)
    expires_in: int = Field(description="Seconds the access token lives.")
    refresh_token: str = Field(description="Single use: each refresh returns a new one.")
    refresh_expires_in: int = Field(description="Seconds the refresh token lives.")


class PasswordChange(Schema):
    current_password: str = Field(min_length=1, max_length=256)
    new_password: str = Field(min_length=8, max_length=256)

"""Codes for a first login or a password reset, and parent accounts opened by the school."""

from __future__ import annotations

from datetime import datetime

from pydantic import EmailStr, Field

from app.models.enums import AccountCodePurpose, Kinship
from app.schemas.common import Schema


class AccountCodeOut(Schema):
    username: str
    purpose: AccountCodePurpose
    code: str = Field(description="Shown once: hand it to the person. It is stored hashed.")
    expires_at: datetime


class ParentAccountIn(Schema):
    email: EmailStr
    first_name: str = Field(min_length=1, max_length=100)
    last_name: str = Field(min_length=1, max_length=100)
    kinship: Kinship


class ActivationIn(Schema):
    username: str = Field(min_length=3, max_length=254)
    code: str = Field(min_length=6, max_length=20)
    new_password: str = Field(min_length=8, max_length=256)

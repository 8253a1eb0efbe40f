"""A school's teachers, as its staff manage them."""

from __future__ import annotations

import uuid

from pydantic import EmailStr, Field

from app.schemas.account_codes import AccountCodeOut
from app.schemas.common import Schema


class TeacherIn(Schema):
    email: EmailStr
    first_name: str = Field(min_length=1, max_length=100)
    last_name: str = Field(min_length=1, max_length=100)
    first_name_ar: str | None = Field(default=None, max_length=100)
    last_name_ar: str | None = Field(default=None, max_length=100)
    ppr: str = Field(pattern=r"^[0-9]{5,12}$", description="The civil-service staff number.")
    rank: str = Field(min_length=1, max_length=120)
    specialty_code: str | None = Field(default=None, max_length=12, examples=["MATH"])


class TeacherPatch(Schema):
    first_name: str | None = Field(default=None, min_length=1, max_length=100)
    last_name: str | None = Field(default=None, min_length=1, max_length=100)
    rank: str | None = Field(default=None, min_length=1, max_length=120)
    specialty_code: str | None = Field(default=None, max_length=12)
    is_active: bool | None = Field(default=None, description="False ends every login at once.")


class SchoolTeacherOut(Schema):
    id: uuid.UUID
    username: str
    first_name: str
    last_name: str
    ppr: str | None
    rank: str | None
    specialty_code: str | None
    is_active: bool


class NewTeacherOut(Schema):
    teacher: SchoolTeacherOut
    activation: AccountCodeOut

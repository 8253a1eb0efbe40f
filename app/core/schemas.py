"""Shapes shared by every face: pages of a list, references to organisation units."""

from __future__ import annotations

import uuid
from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field


class Schema(BaseModel):
    model_config = ConfigDict(from_attributes=True)


T = TypeVar("T")


class Page(Schema, Generic[T]):
    """One page of a list; pass `next_cursor` back as `cursor` for the next one."""

    items: list[T]
    next_cursor: str | None = Field(
        description="Opaque; null on the last page.", examples=["eyJjb2RlIjoiMDAxMjNBIn0"]
    )


class UnitRef(Schema):
    """An academy or a provincial directorate, as shown next to a school or an account."""

    id: uuid.UUID
    code: str
    name_fr: str
    name_ar: str


class SchoolRef(UnitRef):
    pass

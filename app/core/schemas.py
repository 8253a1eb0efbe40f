"""Shapes shared by every face: pages of a list, references to organisation units."""

from __future__ import annotations

import uuid
from typing import Any, ClassVar, Generic, Self, TypeVar

from asyncpg import Record
from pydantic import BaseModel, ConfigDict, Field, model_validator


class Schema(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    @classmethod
    def of(cls, source: object, /, **fields: Any) -> Self:
        """This shape of `source` (a row, an ORM object): each field read from the attribute
        of the same name, except those given in `fields` (named otherwise, or computed)."""
        names = cls.model_fields.keys() - fields.keys()
        read = {name: getattr(source, name) for name in names if hasattr(source, name)}
        return cls.model_validate({**read, **fields})

    @classmethod
    def of_record(cls, record: Record, /, **fields: Any) -> Self:
        """This shape of a database record (asyncpg's, see `core/db/prepared.py`): each field
        read from the column of the same name, except those given in `fields`."""
        columns = set(record.keys())
        names = cls.model_fields.keys() - fields.keys()
        return cls.model_validate({**{n: record[n] for n in names if n in columns}, **fields})


T = TypeVar("T")


class Page(Schema, Generic[T]):
    """One page of a list; pass `next_cursor` back as `cursor` for the next one."""

    items: list[T]
    next_cursor: str | None = Field(
        description="Opaque; null on the last page.", examples=["eyJjb2RlIjoiMDAxMjNBIn0"]
    )


class Patch(BaseModel):
    """A partial update: the fields the client sent change, the absent ones stay as they are.
    Fields named in `REQUIRED` may be left out but not set to null."""

    REQUIRED: ClassVar[frozenset[str]] = frozenset()

    @model_validator(mode="after")
    def _no_null_required(self) -> Self:
        nulled = sorted(
            name for name in self.model_fields_set & self.REQUIRED if getattr(self, name) is None
        )
        if nulled:
            raise ValueError(f"may not be null: {', '.join(nulled)}")
        return self

    def changes(self) -> dict[str, Any]:
        """The fields the client sent, with their values."""
        return self.model_dump(exclude_unset=True)

    def apply_to(self, row: object) -> dict[str, Any]:
        """Set the sent fields on `row` (an ORM object); return what changed."""
        changes = self.changes()
        for name, value in changes.items():
            setattr(row, name, value)
        return changes


class UnitRef(Schema):
    """An academy or a provincial directorate, as shown next to a school or an account."""

    id: uuid.UUID
    code: str
    name_fr: str
    name_ar: str


class SchoolRef(UnitRef):
    pass

"""Shapes shared by every face: pages of a list, references to organisation units."""

from __future__ import annotations

import enum
import types
import uuid
from collections.abc import Iterable
from datetime import date, time
from functools import cache
from typing import Annotated, Any, ClassVar, Generic, Self, TypeVar, Union, get_args, get_origin

import pydantic_core
from asyncpg import Record
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, WithJsonSchema, model_validator


def _without_offset(value: time) -> time:
    if value.tzinfo is not None:
        raise ValueError("a time of the school day is written HH:MM or HH:MM:SS, without offset")
    return value


# A time of the school day in Morocco, as the timetable and roll calls keep it: a wall-clock time
# without offset. JSON Schema's `format: time` is RFC 3339's full-time, which requires an offset,
# so it is declared by its pattern; a time with an offset (or a number, which Pydantic would read
# as seconds past midnight UTC) is refused rather than compared with naive ones.
ClockTime = Annotated[
    time,
    AfterValidator(_without_offset),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]+)?)?$",
            "examples": ["08:30:00"],
        }
    ),
]


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

    @classmethod
    def json_of_records(cls, records: Iterable[Record], /) -> bytes:
        """The JSON list of these records in this shape, byte for byte what Pydantic writes
        for the models, made without them: a model costs about ten µs to build and dump, a
        roster forty of them. Only for shapes of plain fields (`_plain_fields`), whose values
        the database has already checked."""
        names = _plain_fields(cls)
        return pydantic_core.to_json([{n: _plain(record[n]) for n in names} for record in records])


# What a plain field holds: values that Pydantic writes as the JSON encoder does.
_PLAIN_TYPES = (str, int, bool, uuid.UUID, date)


@cache
def _plain_fields(shape: type[BaseModel]) -> tuple[str, ...]:
    """The fields of `shape`, in order, when each is plain: text, a number, a flag, an id, a
    date or a text enumeration (or one of these or None), under its own name, with no
    serializer of its own. Anything else raises TypeError."""
    decorators = shape.__pydantic_decorators__
    if decorators.field_serializers or decorators.model_serializers or decorators.computed_fields:
        raise TypeError(f"{shape.__name__} has serializers of its own")
    for name, field in shape.model_fields.items():
        if field.alias not in (None, name) or field.serialization_alias not in (None, name):
            raise TypeError(f"{shape.__name__}.{name} is written under another name")
        if field.metadata or not all(map(_is_plain, _members(field.annotation))):
            raise TypeError(f"{shape.__name__}.{name} is not a plain field")
    return tuple(shape.model_fields)


def _members(annotation: Any) -> tuple[Any, ...]:
    if get_origin(annotation) in (Union, types.UnionType):
        return get_args(annotation)
    return (annotation,)


def _is_plain(annotation: Any) -> bool:
    if annotation is type(None):
        return True
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return issubclass(annotation, str)
    return annotation in _PLAIN_TYPES


def _plain(value: Any) -> Any:
    # asyncpg's own UUID type reaches the encoder's slow path: its text is the same.
    return str(value) if isinstance(value, uuid.UUID) else value


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

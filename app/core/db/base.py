"""The declarative base: a naming convention for constraints and the common columns."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any, ClassVar

from sqlalchemy import (
    DateTime,
    Enum,
    ForeignKeyConstraint,
    MetaData,
    PrimaryKeyConstraint,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Stable, predictable constraint names so that Alembic can drop and alter them.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UUIDPrimaryKey:
    # Generated in Python: PostgreSQL 15 has no uuidv7(), and the id is known before the flush.
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)


class Timestamps:
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )


def checked(enum: type[StrEnum], name: str) -> Enum:
    """A VARCHAR column limited to the enum's values by a named CHECK constraint."""
    return Enum(
        enum,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


def part_of(column: str, table: str, *, same_year: bool = False) -> ForeignKeyConstraint:
    """A row that is part of a row of `table`, in the same school, and deleted with it: the
    school id is in the key so that the two are always stored together. Into a table
    partitioned by school year, the year is in the key too (`same_year`), so that a year's
    partitions can be detached together."""
    keys = ["school_id", "school_year"] if same_year else ["school_id"]
    return ForeignKeyConstraint(
        [column, *keys], [f"{table}.id", *(f"{table}.{k}" for k in keys)], ondelete="CASCADE"
    )


# A year's work is partitioned by its school year (one partition a year: see
# `app/core/db/partitions.py`); every key of such a table includes `school_year`.
BY_SCHOOL_YEAR = {"postgresql_partition_by": "LIST (school_year)"}


class InYearPartition:
    """A row of a table partitioned by school year (its `__table_args__` end with
    `year_partitioned()`): its key is its id and its year, but the ORM knows it by its id alone
    (ids are unique), so `session.get(Model, id)` reads as before."""

    id: Mapped[uuid.UUID] = mapped_column(default=uuid.uuid4)
    __mapper_args__: ClassVar[dict[str, Any]] = {"primary_key": ["id"]}


def year_partitioned() -> tuple[PrimaryKeyConstraint, dict[str, str]]:
    """The key and the partitioning of a table partitioned by school year."""
    return PrimaryKeyConstraint("id", "school_year"), BY_SCHOOL_YEAR

"""Records owned by a unit of the tree (a school, a directorate, an academy or the ministry):
training programmes, partnership agreements, competitions. The owner's place is denormalised
the way accounts carry it, so every scope is an indexed equality and can never lie."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKeyConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.enums import Level, checked

# Which place columns each owner level fills (the ones above it too).
_PLACE_BY_LEVEL = """
(owner_level = 'school'
    AND school_id IS NOT NULL AND province_id IS NOT NULL AND academy_id IS NOT NULL)
OR (owner_level = 'province'
    AND school_id IS NULL AND province_id IS NOT NULL AND academy_id IS NOT NULL)
OR (owner_level = 'academy'
    AND school_id IS NULL AND province_id IS NULL AND academy_id IS NOT NULL)
OR (owner_level = 'central'
    AND school_id IS NULL AND province_id IS NULL AND academy_id IS NULL)
"""


class OwnedByUnit:
    """`owner_level` and the owner's place: school, directorate and academy ids (null above)."""

    owner_level: Mapped[Level] = mapped_column(checked(Level, "owner_level"))
    school_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    province_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    academy_id: Mapped[uuid.UUID | None] = mapped_column(index=True)


def place_foreign_keys() -> tuple[ForeignKeyConstraint, ForeignKeyConstraint]:
    """A denormalised place (`school_id`, `province_id`, `academy_id`) that always matches
    the tree: the school's directorate and academy, the directorate's academy. Accounts and
    unit-owned records both carry one."""
    return (
        ForeignKeyConstraint(
            ["school_id", "province_id", "academy_id"],
            ["schools.id", "schools.province_id", "schools.academy_id"],
            onupdate="CASCADE",
        ),
        ForeignKeyConstraint(
            ["province_id", "academy_id"],
            ["provinces.id", "provinces.academy_id"],
            onupdate="CASCADE",
        ),
    )


def owner_unit_constraints() -> tuple[Any, ...]:
    """The `__table_args__` entries of an `OwnedByUnit` table: the place is consistent with
    the tree and with the level."""
    return (
        *place_foreign_keys(),
        ForeignKeyConstraint(["academy_id"], ["academies.id"]),
        CheckConstraint(_PLACE_BY_LEVEL, name="place_matches_owner_level"),
    )

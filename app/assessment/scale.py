"""The scale of a test's marks: its class's level's `max_mark` (10 in primary, 20 in collège
and lycée), read with the test itself, and the per-row refusal of a mark above it. The
database refuses such a mark too (the trigger `marks_follow_their_test`); this check names
each faulty row first."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.academics.models import Level, SchoolClass
from app.assessment.models import ClassTest
from app.core.db.faults import refused_by
from app.errors import field_error, invalid


def test_scale() -> Any:
    """The `max_mark` of the level of ClassTest's class, as a column of a test's select."""
    return (
        select(Level.max_mark)
        .join(SchoolClass, SchoolClass.level_code == Level.code)
        .where(SchoolClass.id == ClassTest.class_id)
        .scalar_subquery()
        .label("max_mark")
    )


def above_scale(marks: Sequence[Decimal | None], max_mark: int, field: str) -> list[dict[str, Any]]:
    """One error per mark above the scale; `field` locates row `index` (`body.{index}.mark`)."""
    return [
        field_error(field.format(index=index), f"a mark is out of {max_mark}", "above_scale")
        for index, mark in enumerate(marks)
        if mark is not None and mark > max_mark
    ]


@contextmanager
def refused_above_scale(field: str) -> Iterator[None]:
    """A mark the database found above its level's scale: a 422, never a 500."""
    try:
        yield
    except IntegrityError as error:
        if refused_by(error) == "marks_within_their_scale":
            raise invalid(field, "a mark is above its level's scale", "above_scale") from None
        raise

"""What integrators are told of rosters: `enrolments.changed`, the pupils who joined a class or
left their class. Names and the Massar code are `roster.read` (the event's own scope); the
birth date rides along only for a client that also holds `roster.demographics`."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.models import Pupil, SchoolClass
from app.integrations.scopes import ApiScope
from app.organisation.models import School
from app.webhooks.events import Shown, emit
from app.webhooks.models import EventType


async def enrolments_changed(
    session: AsyncSession,
    school_id: uuid.UUID,
    school_year: int,
    on: date,
    changes: Sequence[tuple[uuid.UUID, uuid.UUID | None]],
) -> None:
    """Queue `enrolments.changed`: each `(pupil_id, class_id)` joined that class on `on`, or
    left their class when `class_id` is None."""
    if not changes:
        return

    async def build() -> dict[str, Any]:
        school_code = await session.scalar(select(School.code).where(School.id == school_id))
        pupils = {
            pupil.id: pupil
            for pupil in await session.scalars(
                select(Pupil).where(Pupil.id.in_({pupil_id for pupil_id, _ in changes}))
            )
        }
        names = await session.execute(
            select(SchoolClass.id, SchoolClass.name).where(
                SchoolClass.id.in_({c for _, c in changes if c is not None})
            )
        )
        classes = {row.id: row.name for row in names}
        return {
            "school": {"id": str(school_id), "code": school_code},
            "school_year": school_year,
            "changes": [
                {
                    "change": "left" if class_id is None else "enrolled",
                    "on": on.isoformat(),
                    "pupil": _pupil(pupils[pupil_id]),
                    "class": None
                    if class_id is None
                    else {"id": str(class_id), "name": classes[class_id]},
                }
                for pupil_id, class_id in changes
            ],
        }

    await emit(session, EventType.ENROLMENTS_CHANGED, school_id, build)


def _pupil(pupil: Pupil) -> dict[str, Any]:
    return {
        "id": str(pupil.id),
        "massar_code": pupil.massar_code,
        "first_name": pupil.first_name,
        "last_name": pupil.last_name,
        "first_name_ar": pupil.first_name_ar,
        "last_name_ar": pupil.last_name_ar,
        "birth_date": Shown(ApiScope.ROSTER_DEMOGRAPHICS, pupil.birth_date.isoformat()),
    }

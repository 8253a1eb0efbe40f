"""Absences across the school, for the discipline office."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from app.accounts.guards import SchoolStaffPrincipal
from app.attendance import absences as school_absences
from app.attendance.schemas import PupilAbsenceTotal, SchoolAbsence
from app.core.db.session import SessionDep
from app.core.params import PageParams
from app.core.schemas import Page
from app.settings import get_settings

router = APIRouter()


@router.get("/absences", operation_id="school-absences")
async def list_absences(
    principal: SchoolStaffPrincipal,
    session: SessionDep,
    page: PageParams,
    class_id: uuid.UUID | None = None,
    pupil_id: uuid.UUID | None = None,
    date: Annotated[date | None, Query(description="One day only.")] = None,
) -> Page[SchoolAbsence]:
    """This year's absences and lateness, by class, date or pupil, newest first."""
    return await school_absences.list_absences(
        session, principal, page, class_id=class_id, pupil_id=pupil_id, on=date
    )


@router.get("/absences/totals", operation_id="school-absence-totals")
async def absence_totals(
    principal: SchoolStaffPrincipal,
    session: SessionDep,
    class_id: uuid.UUID | None = None,
    threshold: Annotated[int | None, Query(ge=0, le=1000)] = None,
    only_above: bool = False,
) -> list[PupilAbsenceTotal]:
    """Per-pupil totals this year, flagged above the threshold (MASSAR_ABSENCE_ALERT_THRESHOLD
    by default)."""
    limit = threshold if threshold is not None else get_settings().absence_alert_threshold
    return await school_absences.pupil_totals(
        session, principal, threshold=limit, class_id=class_id, only_above=only_above
    )

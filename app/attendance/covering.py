"""The justification that speaks for an absence: of those covering the mark, the open one if
there is one (only one can be, and only after every rejection), else the latest rejected;
the open one first also orders justifications made within one transaction (same
`created_at`)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.sql.selectable import LateralFromClause

from app.attendance.models import (
    AttendanceMark,
    Justification,
    JustificationStatus,
    JustifiedAbsence,
)


def latest_justification(*columns: InstrumentedAttribute[Any]) -> LateralFromClause:
    """`columns` of the justification covering each `AttendanceMark` of the outer statement,
    as a lateral subquery (one, not a query per absence) to outer-join on `true()`."""
    return (
        select(*columns)
        .join(
            JustifiedAbsence,
            (JustifiedAbsence.justification_id == Justification.id)
            & (JustifiedAbsence.school_id == Justification.school_id),
        )
        .where(
            JustifiedAbsence.attendance_mark_id == AttendanceMark.id,
            JustifiedAbsence.school_id == AttendanceMark.school_id,
        )
        .order_by(
            (Justification.status != JustificationStatus.REJECTED).desc(),
            Justification.created_at.desc(),
        )
        .limit(1)
        .lateral("latest_justification")
    )

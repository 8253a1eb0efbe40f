"""The school's structure: classes, pupils and enrolment, assignments, timetable."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, status

from app.academics import structure
from app.academics.schemas import (
    AssignmentIn,
    AssignmentOut,
    ClassCopyIn,
    ClassCopyReport,
    ClassIn,
    ClassPatch,
    EnrolmentIn,
    PupilIn,
    PupilPatch,
    ReassignIn,
    SchoolClassOut,
    SchoolPupilOut,
    SchoolYearQuery,
    SlotIn,
    SlotOut,
)
from app.accounts.guards import SchoolStaffPrincipal, duty
from app.core.db.session import SessionDep
from app.core.roles import Duty

router = APIRouter()
CREATED = status.HTTP_201_CREATED
GONE = status.HTTP_204_NO_CONTENT


@router.get("/classes", operation_id="school-classes")
async def list_classes(
    principal: SchoolStaffPrincipal, session: SessionDep, school_year: SchoolYearQuery = None
) -> list[SchoolClassOut]:
    """A year's classes (this year's unless `school_year` is given) with their pupil counts."""
    return await structure.list_classes(session, principal, school_year)


@router.post(
    "/classes",
    operation_id="school-create-class",
    **duty(
        Duty.ORGANISATION,
        {409: {"description": "The name is taken, or the year is neither current nor planned."}},
    ),
    status_code=CREATED,
)
async def create_class(
    new: ClassIn, principal: SchoolStaffPrincipal, session: SessionDep
) -> SchoolClassOut:
    """Open a class for this year."""
    return await structure.create_class(session, principal, new)


@router.post(
    "/classes/copy",
    operation_id="school-copy-classes",
    **duty(
        Duty.ORGANISATION,
        {409: {"description": "The year to copy into is neither current nor planned."}},
    ),
)
async def copy_classes(
    copy: ClassCopyIn, principal: SchoolStaffPrincipal, session: SessionDep
) -> ClassCopyReport:
    """Open last year's classes (names, levels, streams) in the new year; a class already
    there is reported and left alone, so the copy may be run again."""
    return await structure.copy_classes(session, principal, copy)


@router.patch("/classes/{class_id}", operation_id="school-update-class", **duty(Duty.ORGANISATION))
async def update_class(
    class_id: uuid.UUID, patch: ClassPatch, principal: SchoolStaffPrincipal, session: SessionDep
) -> SchoolClassOut:
    """Rename, deactivate or reactivate a class."""
    return await structure.update_class(session, principal, class_id, patch)


@router.get("/pupils", operation_id="school-pupils")
async def list_pupils(
    principal: SchoolStaffPrincipal, session: SessionDep, class_id: uuid.UUID | None = None
) -> list[SchoolPupilOut]:
    """The school's pupils with their current class."""
    return await structure.list_pupils(session, principal, class_id)


@router.post(
    "/pupils", operation_id="school-create-pupil", **duty(Duty.RECORDS), status_code=CREATED
)
async def create_pupil(
    new: PupilIn, principal: SchoolStaffPrincipal, session: SessionDep
) -> SchoolPupilOut:
    """Register a pupil, enrolled in a class if one is given."""
    return await structure.create_pupil(session, principal, new)


@router.patch("/pupils/{pupil_id}", operation_id="school-update-pupil", **duty(Duty.RECORDS))
async def update_pupil(
    pupil_id: uuid.UUID, patch: PupilPatch, principal: SchoolStaffPrincipal, session: SessionDep
) -> SchoolPupilOut:
    """Correct a pupil's names or birth place."""
    return await structure.update_pupil(session, principal, pupil_id, patch)


@router.post(
    "/pupils/{pupil_id}/enrolment", operation_id="school-enrol-pupil", **duty(Duty.RECORDS)
)
async def enrol(
    pupil_id: uuid.UUID, body: EnrolmentIn, principal: SchoolStaffPrincipal, session: SessionDep
) -> SchoolPupilOut:
    """Put the pupil in a class for this year (moving them if they were in another)."""
    return await structure.enrol(session, principal, pupil_id, body.class_id)


@router.post(
    "/pupils/{pupil_id}/withdraw", operation_id="school-withdraw-pupil", **duty(Duty.RECORDS)
)
async def withdraw(
    pupil_id: uuid.UUID, principal: SchoolStaffPrincipal, session: SessionDep
) -> SchoolPupilOut:
    """Take the pupil out of their class: they leave the rosters; their history stays."""
    return await structure.withdraw(session, principal, pupil_id)


@router.get("/assignments", operation_id="school-assignments")
async def list_assignments(
    principal: SchoolStaffPrincipal, session: SessionDep
) -> list[AssignmentOut]:
    """Who teaches what to which class this year."""
    return await structure.list_assignments(session, principal)


@router.post(
    "/assignments", operation_id="school-assign", **duty(Duty.ORGANISATION), status_code=CREATED
)
async def assign(
    new: AssignmentIn, principal: SchoolStaffPrincipal, session: SessionDep
) -> AssignmentOut:
    """Give a class's subject to a teacher."""
    return await structure.assign(session, principal, new)


@router.patch(
    "/assignments/{assignment_id}", operation_id="school-reassign", **duty(Duty.ORGANISATION)
)
async def reassign(
    assignment_id: uuid.UUID, body: ReassignIn, principal: SchoolStaffPrincipal, session: SessionDep
) -> AssignmentOut:
    """Give the class's subject to another teacher."""
    return await structure.reassign(session, principal, assignment_id, body.teacher_id)


@router.delete(
    "/assignments/{assignment_id}",
    operation_id="school-unassign",
    **duty(Duty.ORGANISATION),
    status_code=GONE,
)
async def unassign(
    assignment_id: uuid.UUID, principal: SchoolStaffPrincipal, session: SessionDep
) -> None:
    """End an assignment."""
    await structure.unassign(session, principal, assignment_id)


@router.get("/timetable", operation_id="school-timetable")
async def list_slots(
    principal: SchoolStaffPrincipal, session: SessionDep, class_id: uuid.UUID | None = None
) -> list[SlotOut]:
    """This year's weekly timetable (of one class, if asked)."""
    return await structure.list_slots(session, principal, class_id)


@router.post(
    "/timetable", operation_id="school-add-slot", **duty(Duty.ORGANISATION), status_code=CREATED
)
async def add_slot(new: SlotIn, principal: SchoolStaffPrincipal, session: SessionDep) -> SlotOut:
    """Add a weekly lesson; a teacher, class or room booked twice at once is refused (409)."""
    return await structure.add_slot(session, principal, new)


@router.put("/timetable/{slot_id}", operation_id="school-move-slot", **duty(Duty.ORGANISATION))
async def move_slot(
    slot_id: uuid.UUID, new: SlotIn, principal: SchoolStaffPrincipal, session: SessionDep
) -> SlotOut:
    """Change a weekly lesson; double bookings are refused as when adding one (409)."""
    return await structure.move_slot(session, principal, slot_id, new)


@router.delete(
    "/timetable/{slot_id}",
    operation_id="school-remove-slot",
    **duty(Duty.ORGANISATION),
    status_code=GONE,
)
async def remove_slot(
    slot_id: uuid.UUID, principal: SchoolStaffPrincipal, session: SessionDep
) -> None:
    """Remove a weekly lesson."""
    await structure.remove_slot(session, principal, slot_id)

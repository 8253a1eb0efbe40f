"""The marks workflow at the school: validate, return, publish, correct."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, status

from app.accounts.guards import SchoolStaffPrincipal, duty
from app.assessment import validation as marks_workflow
from app.assessment.models import TestStatus
from app.assessment.schemas import CorrectionIn, CorrectionOut, MarksReturn, PublicationOut, TestOut
from app.core.db.session import SessionDep
from app.core.params import PageParams
from app.core.roles import Duty
from app.core.schemas import Page

router = APIRouter()


@router.get("/tests", operation_id="school-tests")
async def list_tests(
    principal: SchoolStaffPrincipal,
    session: SessionDep,
    page: PageParams,
    status: TestStatus | None = None,
    class_id: uuid.UUID | None = None,
) -> Page[TestOut]:
    """The school's tests, by status: draft, submitted, validated, published."""
    return await marks_workflow.list_tests(
        session, principal, page, status=status, class_id=class_id
    )


@router.post("/tests/{test_id}/validate", operation_id="school-validate-test", **duty(Duty.MARKS))
async def validate_test(
    test_id: uuid.UUID, principal: SchoolStaffPrincipal, session: SessionDep
) -> TestOut:
    """Validate a submitted test: its marks are locked."""
    return await marks_workflow.validate_test(session, principal, test_id)


@router.post("/tests/{test_id}/return", operation_id="school-return-test", **duty(Duty.MARKS))
async def return_test(
    test_id: uuid.UUID, body: MarksReturn, principal: SchoolStaffPrincipal, session: SessionDep
) -> TestOut:
    """Send a submitted test back to its teacher with a reason (the teacher is notified)."""
    return await marks_workflow.return_test(session, principal, test_id, body.reason)


@router.post(
    "/classes/{class_id}/publish",
    operation_id="school-publish-marks",
    **duty(Duty.MARKS),
    status_code=status.HTTP_200_OK,
)
async def publish_marks(
    class_id: uuid.UUID,
    semester: Annotated[int, Query(ge=1, le=2)],
    principal: SchoolStaffPrincipal,
    session: SessionDep,
) -> PublicationOut:
    """Publish the class's validated marks of a semester; pupils and parents are notified."""
    return await marks_workflow.publish_class(session, principal, class_id, semester)


@router.post(
    "/marks/{mark_id}/correction",
    operation_id="school-correct-mark",
    **duty(Duty.MARKS),
    status_code=status.HTTP_201_CREATED,
)
async def correct_mark(
    mark_id: uuid.UUID,
    correction: CorrectionIn,
    principal: SchoolStaffPrincipal,
    session: SessionDep,
) -> CorrectionOut:
    """Correct a validated mark: the only way to change it, kept with its reason and author."""
    return await marks_workflow.correct_mark(session, principal, mark_id, correction)

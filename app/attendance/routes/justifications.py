"""Absence justifications sent by parents, as the school's staff review and decide them."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from app.accounts.guards import SchoolStaffPrincipal, duty
from app.attendance import justifications
from app.attendance.models import JustificationStatus
from app.attendance.schemas import DecisionIn, SchoolJustificationOut, SchoolJustificationPage
from app.core.db.session import SessionDep
from app.core.documents import document_response, download_route
from app.core.params import PageParams
from app.core.roles import Duty
from app.core.storage import DocumentStoreDep

router = APIRouter()


@router.get("/justifications", operation_id="school-justifications")
async def list_justifications(
    page: PageParams,
    principal: SchoolStaffPrincipal,
    session: SessionDep,
    status: Annotated[JustificationStatus | None, Query(description="Only this status.")] = None,
) -> SchoolJustificationPage:
    """The school's justifications, newest first (`status=pending`: those awaiting a decision)."""
    return await justifications.school_justifications(session, principal, page, status)


@router.post(
    "/justifications/{justification_id}/decision",
    operation_id="school-decide-justification",
    **duty(Duty.ATTENDANCE),
)
async def decide(
    justification_id: uuid.UUID,
    decision: DecisionIn,
    principal: SchoolStaffPrincipal,
    session: SessionDep,
) -> SchoolJustificationOut:
    """Accept or reject a pending justification (a reason is required to reject); the parent
    who sent it is notified. A decided justification answers 409."""
    return await justifications.decide(session, principal, justification_id, decision)


@download_route(
    router, "/justifications/{justification_id}/document", "school-justification-document"
)
async def document(
    justification_id: uuid.UUID,
    principal: SchoolStaffPrincipal,
    session: SessionDep,
    store: DocumentStoreDep,
) -> Response:
    """The document sent with a justification (404 if there is none)."""
    found = await justifications.school_document(session, store, principal, justification_id)
    return document_response(found)

"""Absence justifications in the parent app (Massar Wali), under a verified child.

The submission is a multipart form: `absence_ids` once per absence (the ids of the child's
absences, as `GET …/absences` lists them), `reason`, and an optional `document` (a PDF, JPEG or
PNG, recognised by its content).
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, File, Form, Response, UploadFile, status

from app.accounts.guards import ParentPrincipal
from app.attendance import justifications
from app.attendance.models import REASON_MAX
from app.attendance.schemas import JustificationOut, JustificationPage
from app.core.db.session import SessionDep
from app.core.documents import commit_or_forget, document_response, download_route
from app.core.params import PageParams
from app.core.storage import DocumentStoreDep
from app.settings import get_settings

router = APIRouter()
MAX_ABSENCES = 100


@router.post(
    "/children/{child_id}/justifications",
    operation_id="parent-submit-justification",
    status_code=status.HTTP_201_CREATED,
)
async def submit(
    child_id: uuid.UUID,
    absence_ids: Annotated[
        list[uuid.UUID],
        Form(min_length=1, max_length=MAX_ABSENCES, description="One form field per absence."),
    ],
    reason: Annotated[str, Form(min_length=1, max_length=REASON_MAX)],
    principal: ParentPrincipal,
    session: SessionDep,
    store: DocumentStoreDep,
    document: Annotated[
        UploadFile | None,
        File(description="A PDF, JPEG or PNG of at most 5 MB, e.g. a medical certificate."),
    ] = None,
) -> JustificationOut:
    """Justify absences of my child within the window after the lesson: all or nothing.

    422 names each absence that cannot be justified (`body.absence_ids.N`); a document over the
    size limit is refused with 413, one that is not a PDF, JPEG or PNG with 415.
    """
    # One byte over the limit is enough to refuse it; the body limit stopped anything far bigger.
    content = await document.read(get_settings().justification_max_bytes + 1) if document else None
    submitted = await justifications.submit(
        session, store, principal, child_id, absence_ids, reason, content
    )
    if submitted.document is not None:
        await commit_or_forget(session, store, submitted.document.key)
    return submitted.justification


@router.get("/children/{child_id}/justifications", operation_id="parent-justifications")
async def list_justifications(
    child_id: uuid.UUID, page: PageParams, principal: ParentPrincipal, session: SessionDep
) -> JustificationPage:
    """My child's justifications, newest first, with their status and the absences covered."""
    return await justifications.child_justifications(session, principal, child_id, page)


@download_route(
    router,
    "/children/{child_id}/justifications/{justification_id}/document",
    "parent-justification-document",
)
async def document(
    child_id: uuid.UUID,
    justification_id: uuid.UUID,
    principal: ParentPrincipal,
    session: SessionDep,
    store: DocumentStoreDep,
) -> Response:
    """The document sent with my child's justification (404 if there is none)."""
    found = await justifications.child_document(
        session, store, principal, child_id, justification_id
    )
    return document_response(found)

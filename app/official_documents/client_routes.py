"""The document check of API clients (`documents.verify`): a scholarship portal or a
social-support programme verifies the code of a paper it was given. The public verification's
answer and rules (a revoked document says so; a document whose data changed is revoked then
and there), within the client's unit, with its failures counted against the client and each
check recorded (`client_document_checks`)."""

import logging
from typing import Annotated, Any

from fastapi import APIRouter, Path

from app.academics.reference import Reference
from app.core.db.session import SessionDep
from app.core.security.throttle import LoginThrottleDep
from app.errors import PROBLEM_MEDIA_TYPE
from app.integrations.callers import ApiCallerDep, scoped
from app.integrations.scopes import ApiScope
from app.official_documents import verification
from app.official_documents.schemas import ClientDocumentVerification
from app.organisation.models import School
from app.organisation.scopes import school_scope

log = logging.getLogger(__name__)

router = APIRouter()
_options = scoped(ApiScope.DOCUMENTS_VERIFY)
_RESPONSES: dict[int | str, dict[str, Any]] = {
    **_options["responses"],
    401: {"description": "No API client's token, or one no longer valid."},
    404: {
        "description": "`unknown-document`: no document was issued under this code by a"
        " school of the client's unit.",
        "content": {PROBLEM_MEDIA_TYPE: {}},
    },
    429: {
        "description": "`too-many-attempts`: too many unknown codes from this client for now;"
        " or too many calls of this client in the minute (`rate-limited`). See Retry-After.",
        "content": {PROBLEM_MEDIA_TYPE: {}},
    },
}


@router.get(
    "/documents/{code}",
    operation_id="integrations-document",
    responses=_RESPONSES,
    dependencies=_options["dependencies"],
)
async def verify_document(
    code: Annotated[str, Path(max_length=64)],
    caller: ApiCallerDep,
    session: SessionDep,
    reference: Reference,
    throttle: LoginThrottleDep,
) -> ClientDocumentVerification:
    """Whether a document issued by a school of my unit is genuine or revoked, its kind,
    period, school and issue date, the pupil's initials and Massar code, and the SHA-256 of
    its file. A code of another unit answers 404 like a code that names nothing."""
    # Unknown codes lock the client out for a while, as they lock out one address publicly.
    attempt = await throttle.begin(f"document:{code[:32]}", f"client:{caller.client_id}")
    scope = school_scope(
        caller.unit, School.id, province_id=School.province_id, academy_id=School.academy_id
    )
    try:
        answer = await verification.verify_for_client(
            session, code, reference, scope, caller.client_id
        )
    except verification.UnknownDocument:
        await throttle.failed(attempt)
        log.info("document check by api client client_id=%s: unknown", caller.client_id)
        raise
    await throttle.succeeded(attempt)
    log.info(
        "document check by api client client_id=%s school=%s status=%s",
        caller.client_id,
        answer.school.code,
        answer.status,
    )
    return answer

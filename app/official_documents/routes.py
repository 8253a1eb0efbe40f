"""The documents' routes, for the faces to mount: the pupil's and the parent's (one pupil, the
caller's own or a verified child), the school's (one pupil or a whole class, duty RECORDS),
and the public verification.

(No `from __future__ import annotations` here: the pupil routes are built inside a function
and FastAPI must resolve their annotations at that moment.)
"""

import uuid
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request, Response, status
from fastapi.responses import HTMLResponse
from sqlalchemy import select

from app.academics.calendar import current_year
from app.academics.models import Enrolment, Pupil, SchoolClass
from app.academics.reference import Reference
from app.accounts.guards import CurrentPrincipal, SchoolStaffPrincipal, duty
from app.core.caching import entity_tags
from app.core.db.session import SessionDep
from app.core.roles import Duty
from app.core.routing import IdResolver
from app.core.security.throttle import ClientIP, LoginThrottleDep
from app.errors import PROBLEM_MEDIA_TYPE, NotFound
from app.exams import candidate_access
from app.exams.independent_schemas import CandidateCredentials
from app.exams.models import ExamResult
from app.official_documents import data, issuing, verification
from app.official_documents.data import Draft
from app.official_documents.issuing import Issued
from app.official_documents.models import IssuedDocument
from app.official_documents.schemas import DocumentCheck, DocumentVerification, RevocationIn
from app.organisation.scopes import school_scope
from app.settings import get_settings

PDF = "application/pdf"
Year = Annotated[int | None, Query(ge=2000, le=2100)]
Semester = Annotated[int | None, Query(ge=1, le=2)]


def _problem(description: str) -> dict[str, Any]:
    return {"description": description, "content": {PROBLEM_MEDIA_TYPE: {}}}


_PDF_HEADERS = {
    "ETag": {"description": "The document's version: send it back in If-None-Match."},
    "Content-Disposition": {"description": "attachment, with the document's file name."},
}
_PDF = {"content": {PDF: {}}, "description": "The document (PDF).", "headers": _PDF_HEADERS}
_NOT_FOUND = _problem("`not-found`: no such pupil (or class) in the caller's reach.")
REPORT_CARD_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: _PDF,
    304: {"description": "Not modified: the document named by If-None-Match is current."},
    404: _NOT_FOUND,
    409: _problem(
        "`not-published`: the semester's marks are not published for every subject yet;"
        " `no-current-year`: no school year is open."
    ),
}
CERTIFICATE_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {**_PDF, "description": "The certificate already issued: the data is unchanged."},
    201: {**_PDF, "description": "A certificate issued now."},
    404: _NOT_FOUND,
    409: _problem(
        "`not-enrolled`: the pupil sits in no class this year; `no-current-year`: no school"
        " year is open."
    ),
}
_EXAM_NOT_FOUND = _problem("`not-found`: no such pupil, or not a candidate of this session.")
TRANSCRIPT_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: _PDF,
    304: REPORT_CARD_RESPONSES[304],
    404: _EXAM_NOT_FOUND,
    409: _problem("`not-published`: the session's results are not published yet."),
}
CONVOCATION_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: _PDF,
    304: REPORT_CARD_RESPONSES[304],
    404: _EXAM_NOT_FOUND,
    409: _problem("`not-convoked`: the candidate has no number, centre and room yet."),
}
ExamSessionId = Annotated[uuid.UUID, Query(description="The exam session.")]
PUBLIC_RESPONSES: dict[int | str, dict[str, Any]] = {
    404: _problem("`unknown-document`: no document was issued under this code."),
    429: _problem("`too-many-attempts`: too many unknown codes from this client for now."),
}


def _base_url(request: Request) -> str:
    return get_settings().public_url or str(request.base_url)


def pdf_response(request: Request, issued: Issued, status_code: int = 200) -> Response:
    """The document's file, or 304 when the client holds this very version."""
    headers = {
        "ETag": issued.etag,
        "Cache-Control": "private, no-cache",
        "X-Content-Type-Options": "nosniff",
    }
    if issued.etag in entity_tags(request):
        return Response(status_code=304, headers=headers)
    headers["Content-Disposition"] = f'attachment; filename="{issued.file_name}"'
    return Response(issued.document.pdf, status_code, media_type=PDF, headers=headers)


async def _issued(
    request: Request, session: SessionDep, draft: Draft, principal: CurrentPrincipal
) -> Issued:
    return await issuing.issue(session, draft, principal.user_id, _base_url(request))


async def _report_card(
    request: Request, session: SessionDep, principal: CurrentPrincipal, draft: Draft
) -> Response:
    return pdf_response(request, await _issued(request, session, draft, principal))


async def _certificate(
    request: Request, session: SessionDep, pupil_id: uuid.UUID, principal: CurrentPrincipal
) -> Response:
    draft = await data.school_certificate(session, pupil_id)
    issued = await _issued(request, session, draft, principal)
    return pdf_response(request, issued, status.HTTP_201_CREATED if issued.new else 200)


def document_views(operation_prefix: str, resolve_pupil: IdResolver) -> APIRouter:
    """A pupil's documents, for a face whose `resolve_pupil` picks the pupil (the pupil app:
    their own; the parent app: a verified child)."""
    router = APIRouter()
    PupilId = Annotated[uuid.UUID, Depends(resolve_pupil)]  # noqa: N806  (a type alias)

    @router.get(
        "/documents/report-card",
        operation_id=f"{operation_prefix}-report-card",
        response_class=Response,
        responses=REPORT_CARD_RESPONSES,
    )
    async def report_card(
        request: Request,
        pupil_id: PupilId,
        principal: CurrentPrincipal,
        session: SessionDep,
        reference: Reference,
        year: Year = None,
        semester: Semester = None,
    ) -> Response:
        """The semester's report card as PDF (this semester by default), once the school has
        published every subject's marks."""
        year, semester = reference.year_and_semester(year, semester)
        draft = await data.report_card(session, pupil_id, year, semester, reference)
        return await _report_card(request, session, principal, draft)

    @router.post(
        "/documents/school-certificate",
        operation_id=f"{operation_prefix}-school-certificate",
        response_class=Response,
        responses=CERTIFICATE_RESPONSES,
    )
    async def school_certificate(
        request: Request, pupil_id: PupilId, principal: CurrentPrincipal, session: SessionDep
    ) -> Response:
        """This year's certificate of enrolment as PDF, dated the day it is issued; the same
        one again while nothing it shows changed."""
        return await _certificate(request, session, pupil_id, principal)

    @router.get(
        "/documents/exam-transcript",
        operation_id=f"{operation_prefix}-exam-transcript",
        response_class=Response,
        responses=TRANSCRIPT_RESPONSES,
    )
    async def exam_transcript(
        request: Request,
        pupil_id: PupilId,
        principal: CurrentPrincipal,
        session: SessionDep,
        session_id: ExamSessionId,
    ) -> Response:
        """The transcript (relevé de notes) of an exam session the pupil sat, as PDF, once its
        results are published; a corrected mark issues a new version."""
        draft = await data.exam_transcript(session, data.Candidate(pupil_id), session_id)
        return pdf_response(request, await _issued(request, session, draft, principal))

    @router.get(
        "/documents/exam-convocation",
        operation_id=f"{operation_prefix}-exam-convocation",
        response_class=Response,
        responses=CONVOCATION_RESPONSES,
    )
    async def exam_convocation(
        request: Request,
        pupil_id: PupilId,
        principal: CurrentPrincipal,
        session: SessionDep,
        session_id: ExamSessionId,
    ) -> Response:
        """The convocation to an exam session as PDF: the centre, the room, the dates and the
        subjects with their durations."""
        draft = await data.exam_convocation(session, data.Candidate(pupil_id), session_id)
        return pdf_response(request, await _issued(request, session, draft, principal))

    return router


# ---- the school: one pupil, or a whole class ------------------------------------------------

school_router = APIRouter()


async def _pupil_of_school(
    session: SessionDep, principal: SchoolStaffPrincipal, pupil_id: uuid.UUID, year: int | None
) -> uuid.UUID:
    """The pupil, if enrolled in the caller's school that year (this year, still there, when
    `year` is None); 404 otherwise."""
    enrolled = select(Enrolment.pupil_id).where(
        Enrolment.pupil_id == pupil_id, school_scope(principal, Enrolment.school_id)
    )
    if year is None:
        enrolled = enrolled.where(
            Enrolment.school_year == current_year(), Enrolment.left_on.is_(None)
        )
    else:
        enrolled = enrolled.where(Enrolment.school_year == year)
    if await session.scalar(enrolled.limit(1)) is None:
        raise NotFound()
    return pupil_id


@school_router.get(
    "/pupils/{pupil_id}/documents/report-card",
    operation_id="school-pupil-report-card",
    response_class=Response,
    **duty(Duty.RECORDS, REPORT_CARD_RESPONSES),
)
async def pupil_report_card(
    request: Request,
    pupil_id: uuid.UUID,
    principal: SchoolStaffPrincipal,
    session: SessionDep,
    reference: Reference,
    year: Year = None,
    semester: Semester = None,
) -> Response:
    """A pupil's report card of a semester, as PDF: the same document the family downloads."""
    year, semester = reference.year_and_semester(year, semester)
    await _pupil_of_school(session, principal, pupil_id, year)
    draft = await data.report_card(session, pupil_id, year, semester, reference)
    if draft.school_id != principal.school_id:
        raise NotFound()  # the pupil moved: that semester's card is the other school's
    return await _report_card(request, session, principal, draft)


@school_router.post(
    "/pupils/{pupil_id}/documents/school-certificate",
    operation_id="school-pupil-school-certificate",
    response_class=Response,
    **duty(Duty.RECORDS, CERTIFICATE_RESPONSES),
)
async def pupil_school_certificate(
    request: Request, pupil_id: uuid.UUID, principal: SchoolStaffPrincipal, session: SessionDep
) -> Response:
    """A pupil's certificate of enrolment of this year, as PDF."""
    await _pupil_of_school(session, principal, pupil_id, None)
    return await _certificate(request, session, pupil_id, principal)


async def _candidate_of_school(
    session: SessionDep, principal: SchoolStaffPrincipal, pupil_id: uuid.UUID, session_id: uuid.UUID
) -> uuid.UUID:
    """The pupil, if a candidate of the session for the caller's school; 404 otherwise (before
    anything about the session is told, published or not)."""
    candidate = select(ExamResult.id).where(
        ExamResult.pupil_id == pupil_id,
        ExamResult.session_id == session_id,
        school_scope(principal, ExamResult.school_id),
    )
    if await session.scalar(candidate) is None:
        raise NotFound()
    return pupil_id


@school_router.post(
    "/documents/{code}/revoke",
    operation_id="school-revoke-document",
    response_model=DocumentVerification,
    **duty(
        Duty.RECORDS,
        {
            404: _problem("`not-found`: no document of the caller's school has this code."),
            409: _problem("`already-revoked`: the document is revoked already."),
        },
    ),
)
async def revoke_document(
    code: str, body: RevocationIn, principal: SchoolStaffPrincipal, session: SessionDep
) -> DocumentVerification:
    """Revoke a document the school issued by mistake, with the reason (audited): public
    verification then answers revoked, with the date, and the pupil's next download issues a
    new version."""
    scope = school_scope(principal, IssuedDocument.school_id)
    return await verification.revoke(session, code, scope, principal.user_id, body.reason)


@school_router.get(
    "/classes/{class_id}/documents/report-cards",
    operation_id="school-class-report-cards",
    response_class=Response,
    **duty(Duty.RECORDS, REPORT_CARD_RESPONSES),
)
async def class_report_cards(
    request: Request,
    class_id: uuid.UUID,
    principal: SchoolStaffPrincipal,
    session: SessionDep,
    reference: Reference,
    semester: Annotated[int, Query(ge=1, le=2)],
) -> Response:
    """The report cards of every pupil in the class, one page each, as one PDF to print.
    Each page is its pupil's own document, with its own verification code."""
    school_class = await _class_of_school(session, principal, class_id)
    pupils = await session.scalars(
        select(Enrolment.pupil_id)
        .join(Pupil, Pupil.id == Enrolment.pupil_id)
        .where(
            Enrolment.class_id == class_id,
            Enrolment.school_id == school_class.school_id,
            Enrolment.left_on.is_(None),
        )
        .order_by(Pupil.last_name, Pupil.first_name, Pupil.massar_code)
    )
    drafts = [
        await data.report_card(session, pupil_id, school_class.school_year, semester, reference)
        for pupil_id in pupils.all()
    ]
    if not drafts:
        raise data.not_published()
    year = school_class.school_year
    name = f"bulletins-{school_class.name}-{year}-{year + 1}-S{semester}.pdf"
    return await _bundle_response(request, session, principal, drafts, name)


async def _bundle_response(
    request: Request,
    session: SessionDep,
    principal: SchoolStaffPrincipal,
    drafts: list[Draft],
    file_name: str,
) -> Response:
    """The drafts issued (each its own document and code) and served as one PDF to print."""
    issued = await issuing.issue_many(session, drafts, principal.user_id, _base_url(request))
    codes = ",".join(i.document.code for i in issued)
    etag = f'"{issuing.digest(codes)}"'
    headers = {"ETag": etag, "Cache-Control": "private, no-cache"}
    if etag in entity_tags(request):
        return Response(status_code=304, headers=headers)
    headers["Content-Disposition"] = f'attachment; filename="{file_name}"'
    pdf = await issuing.bundle(issued, drafts, _base_url(request))
    return Response(pdf, media_type=PDF, headers=headers)


async def _class_of_school(
    session: SessionDep, principal: SchoolStaffPrincipal, class_id: uuid.UUID
) -> SchoolClass:
    school_class = await session.scalar(
        select(SchoolClass).where(
            SchoolClass.id == class_id, school_scope(principal, SchoolClass.school_id)
        )
    )
    if school_class is None:
        raise NotFound()
    return school_class


# An exam document's kind, and what draws each kind for one candidate of a session.
ExamDocument = Literal["transcript", "convocation"]
_EXAM_DRAFTS = {"transcript": data.exam_transcript, "convocation": data.exam_convocation}


async def _class_exam_documents(
    request: Request,
    session: SessionDep,
    principal: SchoolStaffPrincipal,
    class_id: uuid.UUID,
    session_id: uuid.UUID,
    what: ExamDocument,
) -> Response:
    """The class's candidates of the session (the caller's school's), one document each."""
    school_class = await _class_of_school(session, principal, class_id)
    candidates = await session.scalars(
        select(ExamResult.pupil_id)
        .join(Enrolment, Enrolment.pupil_id == ExamResult.pupil_id)
        .join(Pupil, Pupil.id == ExamResult.pupil_id)
        .where(
            ExamResult.session_id == session_id,
            ExamResult.school_id == school_class.school_id,
            Enrolment.class_id == class_id,
            Enrolment.left_on.is_(None),
        )
        .order_by(Pupil.last_name, Pupil.first_name, Pupil.massar_code)
    )
    build = _EXAM_DRAFTS[what]
    # The join on enrolments keeps pupils only: an independent candidate is in no class.
    pupils = [pupil_id for pupil_id in candidates.all() if pupil_id is not None]
    drafts = [await build(session, data.Candidate(pupil_id), session_id) for pupil_id in pupils]
    if not drafts:
        raise NotFound()  # no candidate of the session in this class
    year = school_class.school_year
    name = f"{what}s-{school_class.name}-{year}-{year + 1}.pdf"
    return await _bundle_response(request, session, principal, drafts, name)


_CLASS_EXAM_NOT_FOUND = _problem(
    "`not-found`: no such class in the caller's school, or none of its pupils is a candidate"
    " of the session."
)


def _school_exam_routes(what: ExamDocument, responses: dict[int | str, dict[str, Any]]) -> None:
    """The school's prints of an exam document (duty EXAMS): one candidate's, and a class's
    candidates' in one PDF (each page its candidate's own document and code). They are the
    documents the families download."""
    build = _EXAM_DRAFTS[what]

    async def for_pupil(
        request: Request,
        pupil_id: uuid.UUID,
        principal: SchoolStaffPrincipal,
        session: SessionDep,
        session_id: ExamSessionId,
    ) -> Response:
        await _candidate_of_school(session, principal, pupil_id, session_id)
        draft = await build(session, data.Candidate(pupil_id), session_id)
        return pdf_response(request, await _issued(request, session, draft, principal))

    async def for_class(
        request: Request,
        class_id: uuid.UUID,
        principal: SchoolStaffPrincipal,
        session: SessionDep,
        session_id: ExamSessionId,
    ) -> Response:
        return await _class_exam_documents(request, session, principal, class_id, session_id, what)

    for_pupil.__doc__ = f"A candidate's exam {what} of a session, as PDF."
    for_class.__doc__ = f"The exam {what}s of the class's candidates of a session, as one PDF."
    school_router.get(
        f"/pupils/{{pupil_id}}/documents/exam-{what}",
        operation_id=f"school-pupil-exam-{what}",
        response_class=Response,
        **duty(Duty.EXAMS, responses),
    )(for_pupil)
    school_router.get(
        f"/classes/{{class_id}}/documents/exam-{what}s",
        operation_id=f"school-class-exam-{what}s",
        response_class=Response,
        **duty(Duty.EXAMS, {**responses, 404: _CLASS_EXAM_NOT_FOUND}),
    )(for_class)


_school_exam_routes("transcript", TRANSCRIPT_RESPONSES)
_school_exam_routes("convocation", CONVOCATION_RESPONSES)


# ---- the public verification ----------------------------------------------------------------

public_router = APIRouter()


def _wants_html(request: Request) -> bool:
    return "text/html" in request.headers.get("accept", "")


@public_router.get(
    "/documents/{code}",
    operation_id="public-document",
    response_model=DocumentVerification,
    responses={
        **PUBLIC_RESPONSES,
        200: {"content": {"text/html": {}}, "description": "JSON, or a page for a browser."},
    },
)
async def verify_document(
    request: Request,
    code: str,
    session: SessionDep,
    reference: Reference,
    throttle: LoginThrottleDep,
    ip: ClientIP,
) -> Any:
    """Whether a document is genuine: the code printed on it (or in its QR code). A browser
    (`Accept: text/html`) gets a page in French and Arabic; others get JSON. A code that
    names no document answers 404 `unknown-document`; too many from one client, 429."""
    attempt = await throttle.begin(f"document:{code[:32]}", ip)
    try:
        answer = await verification.verify(session, code, reference)
    except verification.UnknownDocument:
        await throttle.failed(attempt)
        if _wants_html(request):
            return HTMLResponse(verification.page(None, code), status_code=404)
        raise
    await throttle.succeeded(attempt)
    if _wants_html(request):
        return HTMLResponse(verification.page(answer, code))
    return answer


@public_router.post(
    "/documents/{code}/check",
    operation_id="public-document-check",
    responses=PUBLIC_RESPONSES,
    openapi_extra={
        "requestBody": {
            "required": True,
            "description": "The PDF file to compare with the one issued.",
            "content": {PDF: {"schema": {"type": "string", "format": "binary"}}},
        }
    },
)
async def check_document(
    request: Request,
    code: str,
    session: SessionDep,
    reference: Reference,
    throttle: LoginThrottleDep,
    ip: ClientIP,
) -> DocumentCheck:
    """Whether a PDF file is exactly the one issued under the code (its SHA-256)."""
    attempt = await throttle.begin(f"document:{code[:32]}", ip)
    try:
        answer = await verification.check(session, code, await request.body(), reference)
    except verification.UnknownDocument:
        await throttle.failed(attempt)
        raise
    await throttle.succeeded(attempt)
    return answer


# ---- the independent candidates' own: with their number and birth date ---------------------

_CANDIDATE_NOT_FOUND = _problem(
    "`candidate-not-recognised`: no candidate with this number and birth date (the same answer"
    " whichever is wrong; the try counts); `not-found`: not a candidate of this session."
)


def _candidate_document(what: ExamDocument, responses: dict[int | str, dict[str, Any]]) -> None:
    """An independent candidate's convocation or transcript of one session as PDF: issued
    like a pupil's (a verification code, a new version when the data changes, revocable),
    recognised by their number and birth date under the login throttle."""
    build = _EXAM_DRAFTS[what]

    async def document(
        request: Request,
        who: CandidateCredentials,
        session: SessionDep,
        throttle: LoginThrottleDep,
        ip: ClientIP,
        session_id: ExamSessionId,
    ) -> Response:
        candidate = await candidate_access.recognised(session, throttle, ip, who)
        draft = await build(session, data.Candidate(independent_id=candidate.id), session_id)
        issued = await issuing.issue(session, draft, None, _base_url(request))
        return pdf_response(request, issued)

    document.__doc__ = (
        f"My exam {what} of a session as PDF, with my candidate number and birth date (a POST,"
        " so the birth date stays out of addresses); its code verifies at"
        " `/public/documents/{code}`."
    )
    public_router.post(
        f"/exam-candidates/documents/exam-{what}",
        operation_id=f"public-exam-candidate-{what}",
        response_class=Response,
        responses={**responses, 404: _CANDIDATE_NOT_FOUND},
    )(document)


_candidate_document("transcript", TRANSCRIPT_RESPONSES)
_candidate_document("convocation", CONVOCATION_RESPONSES)

"""The independent candidates' routes: the academy's (steering face) and the candidates' own,
public, with their candidate number and birth date (a POST, so the birth date stays out of
addresses and access logs); and tadkik's: the pupil's check of their candidate record
(student face) and the corrections their school settles (school face, the exams duty).

(No `from __future__ import annotations` here: the pupil's routes are built inside a function
and FastAPI must resolve their annotations at that moment.)"""

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response, status

from app.accounts.guards import AcademyPrincipal, SchoolStaffPrincipal, duty
from app.core.db.session import SessionDep
from app.core.roles import Duty
from app.core.routing import IdResolver
from app.core.security.throttle import ClientIP, LoginThrottleDep
from app.errors import PROBLEM_MEDIA_TYPE
from app.exams import candidate_access, independent, record_check
from app.exams.convocations import convocations
from app.exams.independent_schemas import (
    CandidateConvocationOut,
    CandidateCorrectionIn,
    CandidateCredentials,
    CandidateRecordOut,
    CandidateResultsOut,
    CorrectionDecisionIn,
    IndependentCandidateIn,
    IndependentCandidateOut,
    PupilCandidateRecordOut,
    RecordCorrectionIn,
    RecordCorrectionOut,
)
from app.exams.models import ExamResult


def _problem(description: str) -> dict[str, Any]:
    return {"description": description, "content": {PROBLEM_MEDIA_TYPE: {}}}


_REGISTER: dict[int | str, Any] = {
    200: {"description": "The same registration sent again: the candidate as registered."},
    409: _problem(
        "`exam-wrong-state`: a session's candidates are closed; `exam-candidate-registered`:"
        " this identity card is registered this year otherwise."
    ),
}
_RECOGNISED: dict[int | str, Any] = {
    404: _problem(
        "`candidate-not-recognised`: no candidate with this number and birth date (the same"
        " answer whichever is wrong); the try counts."
    ),
}

_ASKED: dict[int | str, Any] = {
    409: _problem("`record-correction-waiting`: a correction asked earlier waits for a decision.")
}
_SETTLED: dict[int | str, Any] = {
    409: _problem("`record-correction-settled`: the correction was decided already."),
}
CorrectionStatusQuery = Annotated[
    record_check.CorrectionStatus | None, Query(alias="status", description="Only these.")
]

academy_router = APIRouter(prefix="/independent-candidates")


@academy_router.get("/corrections", operation_id="steering-independent-candidate-corrections")
async def academy_corrections(
    principal: AcademyPrincipal, session: SessionDep, wanted: CorrectionStatusQuery = None
) -> list[RecordCorrectionOut]:
    """The corrections my academy's independent candidates asked of their record, oldest
    first."""
    return await record_check.to_settle(session, principal, wanted)


@academy_router.post(
    "/corrections/{correction_id}/decision",
    operation_id="steering-decide-independent-candidate-correction",
    responses=_SETTLED,
)
async def academy_decides(
    correction_id: uuid.UUID,
    decision: CorrectionDecisionIn,
    principal: AcademyPrincipal,
    session: SessionDep,
) -> RecordCorrectionOut:
    """Accept a correction (the candidate's record takes it) or refuse it with a reason."""
    return await record_check.settle(session, principal, correction_id, decision)


@academy_router.post(
    "",
    operation_id="steering-register-independent-candidate",
    status_code=status.HTTP_201_CREATED,
    responses=_REGISTER,
)
async def register(
    new: IndependentCandidateIn,
    principal: AcademyPrincipal,
    session: SessionDep,
    response: Response,
) -> IndependentCandidateOut:
    """Register a candidat libre on the bac sessions they sit (the national 2BAC session, my
    academy's 1BAC regional session), seated in an exam centre of my academy. They get their
    candidate number, with which and their birth date they read their record, convocations
    and results."""
    registration = await independent.register(session, principal, new)
    if not registration.new:
        response.status_code = status.HTTP_200_OK
    return registration.candidate


@academy_router.get("", operation_id="steering-independent-candidates")
async def candidate_list(
    principal: AcademyPrincipal,
    session: SessionDep,
    school_year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
) -> list[IndependentCandidateOut]:
    """My academy's independent candidates, by number."""
    return await independent.registered_candidates(session, principal, school_year)


@academy_router.get("/{candidate_id}", operation_id="steering-independent-candidate")
async def one_candidate(
    candidate_id: uuid.UUID, principal: AcademyPrincipal, session: SessionDep
) -> IndependentCandidateOut:
    """One of my academy's independent candidates."""
    return await independent.registered_candidate(session, principal, candidate_id)


# ---- tadkik: the pupils' check, and their school's decisions --------------------------------

school_router = APIRouter(prefix="/candidate-record-corrections")


@school_router.get("", operation_id="school-candidate-record-corrections", **duty(Duty.EXAMS))
async def school_corrections(
    principal: SchoolStaffPrincipal, session: SessionDep, wanted: CorrectionStatusQuery = None
) -> list[RecordCorrectionOut]:
    """The corrections my school's pupils asked of their candidate record, oldest first."""
    return await record_check.to_settle(session, principal, wanted)


@school_router.post(
    "/{correction_id}/decision",
    operation_id="school-decide-candidate-record-correction",
    **duty(Duty.EXAMS, _SETTLED),
)
async def school_decides(
    correction_id: uuid.UUID,
    decision: CorrectionDecisionIn,
    principal: SchoolStaffPrincipal,
    session: SessionDep,
) -> RecordCorrectionOut:
    """Accept a correction (the pupil's record takes it) or refuse it with a reason."""
    return await record_check.settle(session, principal, correction_id, decision)


def pupil_record_routes(resolve_pupil: IdResolver) -> APIRouter:
    """The pupil's own candidate record and their correction requests, for the pupil app."""
    router = APIRouter(prefix="/exams")
    PupilId = Annotated[uuid.UUID, Depends(resolve_pupil)]  # noqa: N806  (a type alias)

    @router.get("/convocations", operation_id="student-exam-convocations")
    async def sittings(pupil_id: PupilId, session: SessionDep) -> list[CandidateConvocationOut]:
        """My convocations: each session I am a candidate of, its centre and room, and the
        subjects of my stream with their day, start time and duration, as I sit them."""
        return await convocations(session, ExamResult.pupil_id == pupil_id)

    @router.get("/candidate-record", operation_id="student-candidate-record")
    async def read(pupil_id: PupilId, session: SessionDep) -> PupilCandidateRecordOut:
        """My candidate record (names, birth date and place, stream) and my corrections."""
        return await record_check.pupil_record(session, pupil_id)

    @router.post(
        "/candidate-record/corrections",
        operation_id="student-ask-candidate-record-correction",
        status_code=status.HTTP_201_CREATED,
        responses=_ASKED,
    )
    async def ask(
        wanted: RecordCorrectionIn,
        pupil_id: PupilId,
        session: SessionDep,
    ) -> RecordCorrectionOut:
        """Ask my school to correct my candidate record: the wrong fields, right."""
        return await record_check.pupil_asks(session, pupil_id, wanted)

    return router


public_router = APIRouter(prefix="/exam-candidates")


@public_router.post("/record", operation_id="public-exam-candidate-record", responses=_RECOGNISED)
async def candidate_record(
    who: CandidateCredentials, session: SessionDep, throttle: LoginThrottleDep, ip: ClientIP
) -> CandidateRecordOut:
    """An independent candidate's record (names, birth, stream, exam centre), to check it."""
    candidate = await candidate_access.recognised(session, throttle, ip, who)
    return await candidate_access.record(session, candidate)


@public_router.post(
    "/convocations", operation_id="public-exam-candidate-convocations", responses=_RECOGNISED
)
async def candidate_convocations(
    who: CandidateCredentials, session: SessionDep, throttle: LoginThrottleDep, ip: ClientIP
) -> list[CandidateConvocationOut]:
    """An independent candidate's convocations: each session's centre, room, dates, their
    stream, and its subjects with their day, start time and duration. The same as PDF, one
    session's: `POST /public/exam-candidates/documents/exam-convocation`."""
    candidate = await candidate_access.recognised(session, throttle, ip, who)
    return await candidate_access.convocations(session, candidate)


@public_router.post("/results", operation_id="public-exam-candidate-results", responses=_RECOGNISED)
async def candidate_results(
    who: CandidateCredentials, session: SessionDep, throttle: LoginThrottleDep, ip: ClientIP
) -> list[CandidateResultsOut]:
    """An independent candidate's published results, newest first (none before the
    announced hour). A session's transcript as PDF:
    `POST /public/exam-candidates/documents/exam-transcript`."""
    candidate = await candidate_access.recognised(session, throttle, ip, who)
    return await candidate_access.results(session, candidate)


@public_router.post(
    "/record/corrections",
    operation_id="public-ask-exam-candidate-correction",
    status_code=status.HTTP_201_CREATED,
    responses={**_RECOGNISED, **_ASKED},
)
async def candidate_asks(
    asked: CandidateCorrectionIn,
    session: SessionDep,
    throttle: LoginThrottleDep,
    ip: ClientIP,
) -> RecordCorrectionOut:
    """An independent candidate asks their academy to correct their record."""
    candidate = await candidate_access.recognised(session, throttle, ip, asked)
    return await record_check.ask(session, candidate, asked.correction)

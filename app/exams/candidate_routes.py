"""The independent candidates' routes: the academy's (steering face) and the candidates' own,
public, with their candidate number and birth date (a POST, so the birth date stays out of
addresses and access logs)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response, status

from app.accounts.guards import AcademyPrincipal
from app.core.db.session import SessionDep
from app.core.security.throttle import ClientIP, LoginThrottleDep
from app.errors import PROBLEM_MEDIA_TYPE
from app.exams import candidate_access, independent
from app.exams.independent_schemas import (
    CandidateConvocationOut,
    CandidateCredentials,
    CandidateRecordOut,
    CandidateResultsOut,
    IndependentCandidateIn,
    IndependentCandidateOut,
)


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

academy_router = APIRouter(prefix="/independent-candidates")


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
    """An independent candidate's convocations: each session's centre, room, dates and
    subjects with their durations."""
    candidate = await candidate_access.recognised(session, throttle, ip, who)
    return await candidate_access.convocations(session, candidate)


@public_router.post("/results", operation_id="public-exam-candidate-results", responses=_RECOGNISED)
async def candidate_results(
    who: CandidateCredentials, session: SessionDep, throttle: LoginThrottleDep, ip: ClientIP
) -> list[CandidateResultsOut]:
    """An independent candidate's published results, newest first (none before the
    announced hour)."""
    candidate = await candidate_access.recognised(session, throttle, ip, who)
    return await candidate_access.results(session, candidate)

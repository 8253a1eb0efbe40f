"""The organisers' exam routes, written once: the school's (local sessions, under the exams
duty) and the steering units' (provincial, regional, national). Each face names the session
its own way: `{exam_id}` at the school, `{session_id}` in steering."""

import uuid
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, UploadFile, status

from app.academics.routes.imports import read_limited
from app.accounts.guards import CurrentPrincipal, duty
from app.core.db.session import SessionDep
from app.core.params import PageParams, on_the_loop
from app.core.roles import Duty
from app.core.routing import IdResolver, path_id
from app.core.schemas import Page
from app.exams import appeals, candidates, deliberation, figures, marking, organising
from app.exams.results import session_results
from app.exams.schemas import (
    CandidateResultOut,
    ExamAppealDecisionIn,
    ExamAppealFigures,
    ExamAppealIn,
    ExamAppealOut,
    ExamCandidateOut,
    ExamCentreIn,
    ExamFigures,
    ExamMarkIn,
    ExamMarksReport,
    ExamPublishIn,
    ExamSessionIn,
    ExamSessionOut,
    SessionFilter,
)

ExamFace = Literal["school", "steering"]
_ID_NAME = {"school": "exam_id", "steering": "session_id"}
# Who may not, and what cannot be done now: the errors every write declares.
_WRITE: dict[int | str, Any] = {
    409: {"description": "`exam-wrong-state`: not in this state of the session."}
}

_DELIBERATED: dict[int | str, Any] = {
    409: {"description": "`exam-wrong-state`: the session is not deliberated yet."}
}
_DECIDED: dict[int | str, Any] = {
    409: {"description": "`exam-appeal-decided`: the appeal was decided already."}
}
_FILED: dict[int | str, Any] = {
    409: {
        "description": "`exam-appeal-closed`: the appeal window has closed;"
        " `exam-appeal-exists`: this subject was appealed already."
    }
}


def exam_routes(face: ExamFace) -> APIRouter:
    """The organiser's sessions, candidates, marks, deliberation and publication."""
    router = APIRouter(prefix="/exams")
    name = _ID_NAME[face]
    SessionId = Annotated[uuid.UUID, Depends(path_id(name))]  # noqa: N806  (a type alias)
    one = f"/{{{name}}}"
    # At the school, the exams duty's posts only; steering staff are their unit's organisers.
    guarded: dict[str, Any] = duty(Duty.EXAMS) if face == "school" else {}
    writes: dict[str, Any] = duty(Duty.EXAMS, _WRITE) if face == "school" else {"responses": _WRITE}

    @router.post(
        "", operation_id=f"{face}-create-exam", status_code=status.HTTP_201_CREATED, **guarded
    )
    async def create(
        new: ExamSessionIn, principal: CurrentPrincipal, session: SessionDep
    ) -> ExamSessionOut:
        """Create a session of my unit (a resit names its normal session)."""
        return await organising.create_session(session, principal, new)

    @router.get("", operation_id=f"{face}-exams", **guarded)
    async def sessions(
        principal: CurrentPrincipal,
        session: SessionDep,
        filters: Annotated[SessionFilter, Depends(on_the_loop(SessionFilter))],
        page: PageParams,
    ) -> Page[ExamSessionOut]:
        """The sessions my unit organises, and those of the units beneath it (read only),
        newest first, a page at a time."""
        return await organising.list_sessions(session, principal, filters, page)

    @router.get(one, operation_id=f"{face}-exam", **guarded)
    async def one_session(
        session_id: SessionId, principal: CurrentPrincipal, session: SessionDep
    ) -> ExamSessionOut:
        """One of my unit's sessions, or one of a unit beneath it."""
        exam = await organising.readable_session(session, principal, session_id)
        return await organising.session_out(session, exam)

    @router.post(f"{one}/candidates", operation_id=f"{face}-generate-exam-candidates", **writes)
    async def generate(
        session_id: SessionId, principal: CurrentPrincipal, session: SessionDep
    ) -> list[ExamCandidateOut]:
        """List the candidates from the current enrolments of the level in my unit (a resit's
        from its normal session); again later adds only the newcomers."""
        return await candidates.generate_candidates(session, principal, session_id)

    @router.get(f"{one}/candidates", operation_id=f"{face}-exam-candidates", **guarded)
    async def candidate_list(
        session_id: SessionId,
        principal: CurrentPrincipal,
        session: SessionDep,
        centre_id: uuid.UUID | None = None,
    ) -> list[ExamCandidateOut]:
        """The candidates by number, or those of one exam centre."""
        return await candidates.candidates_of(session, principal, session_id, centre_id)

    @router.put(f"{one}/candidates/centres", operation_id=f"{face}-seat-exam-candidates", **writes)
    async def seat(
        session_id: SessionId,
        rows: list[ExamCentreIn],
        principal: CurrentPrincipal,
        session: SessionDep,
    ) -> list[ExamCandidateOut]:
        """Assign exam centres and rooms: every row valid or nothing written."""
        return await candidates.seat_candidates(session, principal, session_id, rows)

    @router.post(f"{one}/marking", operation_id=f"{face}-open-exam-marking", **writes)
    async def open_marking(
        session_id: SessionId, principal: CurrentPrincipal, session: SessionDep
    ) -> ExamSessionOut:
        """Open the marks (again after a deliberation, before publication)."""
        return await organising.open_marking(session, principal, session_id)

    @router.put(
        f"{one}/subjects/{{subject_id}}/marks", operation_id=f"{face}-save-exam-marks", **writes
    )
    async def save_marks(
        session_id: SessionId,
        subject_id: uuid.UUID,
        rows: list[ExamMarkIn],
        principal: CurrentPrincipal,
        session: SessionDep,
    ) -> ExamMarksReport:
        """Enter a subject's marks: every row valid or nothing written (422 lists each faulty
        row); a row with no mark and no absence clears it; a replay changes nothing."""
        return await marking.save_marks(session, principal, session_id, subject_id, rows)

    @router.post(
        f"{one}/subjects/{{subject_id}}/marks/import",
        operation_id=f"{face}-import-exam-marks",
        **writes,
    )
    async def import_marks(
        session_id: SessionId,
        subject_id: uuid.UUID,
        file: UploadFile,
        principal: CurrentPrincipal,
        session: SessionDep,
    ) -> ExamMarksReport:
        """Import a subject's marks from an .xlsx or CSV with the columns Numéro candidat,
        Note, Absent: the rules of the PUT, rows reported by their line."""
        content = await read_limited(file)
        return await marking.import_marks(session, principal, session_id, subject_id, content)

    @router.post(f"{one}/deliberate", operation_id=f"{face}-deliberate-exam", **writes)
    async def deliberate(
        session_id: SessionId, principal: CurrentPrincipal, session: SessionDep
    ) -> ExamSessionOut:
        """Compute every candidate's averages, decision and mention (422 lists the candidates
        a mark or a component is missing for; nothing written then)."""
        return await deliberation.deliberate(session, principal, session_id)

    @router.get(f"{one}/results", operation_id=f"{face}-exam-results", **guarded)
    async def results(
        session_id: SessionId, principal: CurrentPrincipal, session: SessionDep
    ) -> list[CandidateResultOut]:
        """Every candidate's marks, averages, decision and mention."""
        return await session_results(session, principal, session_id)

    @router.post(f"{one}/publish", operation_id=f"{face}-publish-exam", **writes)
    async def publish(
        session_id: SessionId, when: ExamPublishIn, principal: CurrentPrincipal, session: SessionDep
    ) -> ExamSessionOut:
        """Publish the results at `publish_at`: hidden until then, pupils and parents told once."""
        return await organising.publish(session, principal, session_id, when.publish_at)

    @router.get(f"{one}/appeals", operation_id=f"{face}-exam-appeals", **guarded)
    async def appeal_list(
        session_id: SessionId, principal: CurrentPrincipal, session: SessionDep
    ) -> list[ExamAppealOut]:
        """The appeals filed on the session's published results, by candidate."""
        return await appeals.session_appeals(session, principal, session_id)

    @router.get(
        f"{one}/figures",
        operation_id=f"{face}-exam-figures",
        **(duty(Duty.EXAMS, _DELIBERATED) if face == "school" else {"responses": _DELIBERATED}),
    )
    async def session_figures(
        session_id: SessionId,
        principal: CurrentPrincipal,
        session: SessionDep,
        unit_id: Annotated[
            uuid.UUID | None,
            Query(description="A unit beneath mine (an academy, directorate or school)."),
        ] = None,
    ) -> ExamFigures:
        """The deliberated session's figures over my unit (or one beneath it): candidates,
        present, admitted, resit, refused and pass rate, by gender, stream and unit one level
        down, the mentions and the averages' distribution, as of `as_of`."""
        return await figures.session_figures(session, principal, session_id, unit_id)

    @router.get(f"{one}/appeals/figures", operation_id=f"{face}-exam-appeal-figures", **guarded)
    async def appeal_figures(
        session_id: SessionId, principal: CurrentPrincipal, session: SessionDep
    ) -> ExamAppealFigures:
        """The session's appeals: filed, pending, accepted, rejected, and marks raised."""
        return await appeals.figures(session, principal, session_id)

    @router.post(
        f"{one}/appeals/{{appeal_id}}/decision",
        operation_id=f"{face}-decide-exam-appeal",
        **(duty(Duty.EXAMS, _DECIDED) if face == "school" else {"responses": _DECIDED}),
    )
    async def decide_appeal(
        session_id: SessionId,
        appeal_id: uuid.UUID,
        decision: ExamAppealDecisionIn,
        principal: CurrentPrincipal,
        session: SessionDep,
    ) -> ExamAppealOut:
        """Accept with the new mark (the candidate is deliberated again and their published
        results rebuilt) or reject with a reason; the pupil and parents are notified."""
        return await appeals.decide(session, principal, session_id, appeal_id, decision)

    return router


def appeal_route(operation_prefix: str, resolve_pupil: IdResolver) -> APIRouter:
    """The pupil's or a parent's appeal on a published result, for a face whose
    `resolve_pupil` picks the pupil (the caller's own record, or a verified child)."""
    router = APIRouter()
    PupilId = Annotated[uuid.UUID, Depends(resolve_pupil)]  # noqa: N806  (a type alias)

    @router.post(
        "/exams/{session_id}/appeals",
        operation_id=f"{operation_prefix}-appeal-exam-mark",
        status_code=status.HTTP_201_CREATED,
        responses=_FILED,
    )
    async def file(
        session_id: uuid.UUID,
        appeal: ExamAppealIn,
        pupil_id: PupilId,
        principal: CurrentPrincipal,
        session: SessionDep,
    ) -> ExamAppealOut:
        """Ask for one subject mark of a published result to be marked again: once per
        subject, within the appeal window after publication."""
        return await appeals.file_appeal(
            session, principal, pupil_id, session_id, appeal.subject_id
        )

    return router

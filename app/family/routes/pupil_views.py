"""The read views of a pupil's records, shared by two faces: the pupil app (`/student`, the
caller's own record) and the parent app (`/parent/children/{child_id}`, a verified child).

A face passes the dependency that resolves which pupil is meant (`own_record` or
`verified_child`); each view then reads through the same services, so the two apps can never
show different things. The modules' pupil views (diagnostics, sports) take the same dependency.

(No `from __future__ import annotations` here: the routes are built inside a function and
FastAPI must resolve their annotations at that moment.)
"""

import uuid
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response

from app.academics.calendar import NEEDS_CURRENT_YEAR
from app.academics.reference import Reference, ReferenceData
from app.academics.schemas import Week
from app.accounts.guards import ParentPrincipal, StudentPrincipal
from app.assessment import report_card
from app.core.caching import Tagged, cached_read, conditional_json
from app.core.db.session import SessionDep
from app.core.hot_reads import HotCall, hot_read
from app.core.routing import IdResolver
from app.family import links, pupil_records
from app.family.published import PUBLISHED_EXAMS, PUBLISHED_MARKS, Reader
from app.family.schemas import (
    AbsencesReport,
    ExamResultOut,
    HistoryYear,
    HomeworkItem,
    MarksReport,
    PupilProfile,
    UpcomingTest,
)
from app.messaging import announcements
from app.messaging.schemas import AnnouncementOut

Semester = Annotated[int | None, Query(ge=1, le=2)]


async def own_record(principal: StudentPrincipal, session: SessionDep) -> uuid.UUID:
    """The caller's own pupil record."""
    return await links.own_pupil(session, principal)


async def verified_child(
    child_id: uuid.UUID, principal: ParentPrincipal, session: SessionDep
) -> uuid.UUID:
    """The child named in the path, if the caller's link to them is verified (404 otherwise)."""
    return await links.child_of(session, principal, child_id)


OwnRecord = Annotated[uuid.UUID, Depends(own_record)]


async def own_reader(principal: StudentPrincipal) -> Reader:
    """The calling pupil, to read their own snapshots (the statement checks who they are)."""
    return Reader(principal, None)


async def child_reader(child_id: uuid.UUID, principal: ParentPrincipal) -> Reader:
    """The calling parent and the child named in the path (the statement checks the link)."""
    return Reader(principal, child_id)


def pupil_views(operation_prefix: str, resolve_pupil: IdResolver, *, as_parent: bool) -> APIRouter:
    """The read-only routes of one pupil, for a face whose `resolve_pupil` picks the pupil
    (`as_parent`: the reader is a parent, who also gets announcements to parents)."""
    router = APIRouter()
    PupilId = Annotated[uuid.UUID, Depends(resolve_pupil)]  # noqa: N806  (a type alias)
    PupilReader = Annotated[  # noqa: N806  (a type alias)
        Reader, Depends(child_reader if as_parent else own_reader)
    ]

    def read(
        path: str, name: str, model: Any, summary: str, **options: Any
    ) -> Callable[[Any], Any]:
        return cached_read(
            router, path, f"{operation_prefix}-{name}", model, summary=summary, **options
        )

    # The lean paths of the views opened most (`core/hot_reads.py`): the same reads, with the
    # pupil resolved by the same statements.
    def lean_reader(call: HotCall) -> Reader:
        return Reader(call.principal, call.path_id("child_id") if as_parent else None)

    async def lean_timetable(call: HotCall) -> Week:
        pupil_id = await lean_reader(call).pupil(call.db)
        return await pupil_records.timetable(call.db, pupil_id, None)

    async def lean_marks(call: HotCall) -> Tagged | None:
        reference: ReferenceData | None = call.state.reference_cache.held()
        if reference is None:
            return None
        year, semester = reference.year_and_semester(None, None)
        reader = lean_reader(call)
        return await PUBLISHED_MARKS.read(call.db, reader, call.if_none_match, year, semester)

    async def lean_exams(call: HotCall) -> Tagged | None:
        return await PUBLISHED_EXAMS.read(call.db, lean_reader(call), call.if_none_match)

    async def lean_absences(call: HotCall) -> AbsencesReport:
        pupil_id = await lean_reader(call).pupil(call.db)
        return await pupil_records.absences(call.db, pupil_id, None)

    @read("/profile", "profile", PupilProfile, "Massar code, names, class, school")
    async def profile(request: Request, pupil_id: PupilId, session: SessionDep) -> Response:
        return conditional_json(request, await pupil_records.profile(session, pupil_id))

    @read("/timetable", "timetable", Week, "The class timetable of an ISO week")
    @hot_read(lean_timetable)
    async def timetable(
        request: Request,
        pupil_id: PupilId,
        session: SessionDep,
        week: Annotated[str | None, Query(pattern=r"^\d{4}-W\d{2}$")] = None,
    ) -> Response:
        week_out = await pupil_records.timetable(session, pupil_id, week)
        return conditional_json(request, week_out)

    @read(
        "/marks",
        "marks",
        MarksReport,
        "Published marks, averages and class averages",
        responses=NEEDS_CURRENT_YEAR,
    )
    @hot_read(lean_marks)
    async def marks(
        request: Request,
        reader: PupilReader,
        session: SessionDep,
        reference: Reference,
        year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
        semester: Semester = None,
    ) -> Response:
        year, semester = reference.year_and_semester(year, semester)
        snapshot = await PUBLISHED_MARKS.answer(request, session, reader, year, semester)
        if snapshot is not None:
            return snapshot
        pupil_id = await reader.pupil(session)
        report = await report_card.marks_report(session, pupil_id, year, semester, reference)
        return conditional_json(request, report)

    @read("/exams", "exams", list[ExamResultOut], "Published exam results")
    @hot_read(lean_exams)
    async def exams(request: Request, reader: PupilReader, session: SessionDep) -> Response:
        snapshot = await PUBLISHED_EXAMS.answer(request, session, reader)
        if snapshot is not None:
            return snapshot
        pupil_id = await reader.pupil(session)
        return conditional_json(request, await report_card.exam_results(session, pupil_id))

    @read("/history", "history", list[HistoryYear], "School, level and averages per year")
    async def history(
        request: Request, pupil_id: PupilId, session: SessionDep, reference: Reference
    ) -> Response:
        return conditional_json(request, await report_card.history(session, pupil_id, reference))

    @read("/absences", "absences", AbsencesReport, "Absences and lateness, with totals")
    @hot_read(lean_absences)
    async def absences(
        request: Request,
        pupil_id: PupilId,
        session: SessionDep,
        semester: Semester = None,
    ) -> Response:
        report = await pupil_records.absences(session, pupil_id, semester)
        return conditional_json(request, report)

    @read("/homework", "homework", list[HomeworkItem], "Homework due today or later")
    async def homework(request: Request, pupil_id: PupilId, session: SessionDep) -> Response:
        return conditional_json(request, await pupil_records.homework(session, pupil_id))

    @read("/tests", "tests", list[UpcomingTest], "Tests scheduled today or later")
    async def tests(request: Request, pupil_id: PupilId, session: SessionDep) -> Response:
        return conditional_json(request, await pupil_records.upcoming_tests(session, pupil_id))

    @read("/announcements", "announcements", list[AnnouncementOut], "The school's announcements")
    async def school_announcements(
        request: Request, pupil_id: PupilId, session: SessionDep
    ) -> Response:
        notices = await announcements.for_pupil(session, pupil_id, as_parent=as_parent)
        return conditional_json(request, notices)

    return router

"""Sessions as their organiser manages them: the school (local), the directorate (provincial),
the academy (regional) or the ministry (national), each on its own sessions only (404 for any
other), and the session's life from draft to published."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.models import Level, Stream, Subject
from app.academics.schemas import SubjectRef
from app.core.listing import found, keyset_page, where_given
from app.core.pagination import PageRequest
from app.core.roles import Role
from app.core.schemas import Page
from app.core.security.principal import Principal
from app.errors import ProblemError, invalid
from app.exams import snapshots
from app.exams.models import (
    ExamKind,
    ExamRound,
    ExamSession,
    ExamSessionStream,
    ExamSessionSubject,
    ExamState,
)
from app.exams.scale import Scale, scale_of
from app.exams.schemas import (
    ExamSessionIn,
    ExamSessionOut,
    ExamSubjectIn,
    ExamSubjectLine,
    SessionFilter,
)
from app.organisation.models import Province, School

# The levels each organiser examines (DOMAIN.md, "Exams"); the school's own exams are any level.
KIND_LEVELS: dict[ExamKind, frozenset[str] | None] = {
    ExamKind.LOCAL: None,
    ExamKind.PROVINCIAL: frozenset({"6AP"}),
    ExamKind.REGIONAL: frozenset({"3AC", "1BAC"}),
    ExamKind.NATIONAL: frozenset({"2BAC"}),
}
# The bac's sessions, each of one or more streams: the 1BAC regional and the 2BAC national.
BAC_SESSIONS = frozenset({(ExamKind.REGIONAL, "1BAC"), (ExamKind.NATIONAL, "2BAC")})
ROLE_KIND = {
    Role.SCHOOL_STAFF: ExamKind.LOCAL,
    Role.PROVINCE_STAFF: ExamKind.PROVINCIAL,
    Role.ACADEMY_STAFF: ExamKind.REGIONAL,
    Role.CENTRAL_STAFF: ExamKind.NATIONAL,
}
# The ministry's usual mentions, as tenths of the scale from the pass line (10, 12, 14, 16
# out of 20): Passable, Assez bien, Bien, Très bien.
MENTION_NAMES = (
    ("Passable", "مقبول"),
    ("Assez bien", "مستحسن"),
    ("Bien", "حسن"),
    ("Très bien", "حسن جدا"),
)


def organised_by(principal: Principal) -> ColumnElement[bool]:
    """The sessions the caller organises: their school's, directorate's, academy's, or the
    ministry's."""
    kind = ROLE_KIND.get(principal.role)
    match kind:
        case ExamKind.LOCAL:
            return and_(ExamSession.kind == kind, ExamSession.school_id == principal.school_id)
        case ExamKind.PROVINCIAL:
            return and_(ExamSession.kind == kind, ExamSession.province_id == principal.province_id)
        case ExamKind.REGIONAL:
            return and_(ExamSession.kind == kind, ExamSession.academy_id == principal.academy_id)
        case ExamKind.NATIONAL:
            return ExamSession.kind == kind
        case _:
            return ExamSession.id.is_(None)


def readable_by(principal: Principal) -> ColumnElement[bool]:
    """The sessions the caller may read: those they organise, and those of the units beneath
    them (a directorate reads its schools' local exams; an academy those and its directorates'
    6AP exams; the ministry every session). Writes stay with the organiser (`organised_by`)."""
    own = organised_by(principal)
    in_schools = ExamSession.school_id.in_
    match ROLE_KIND.get(principal.role):
        case ExamKind.PROVINCIAL:
            schools = select(School.id).where(School.province_id == principal.province_id)
            return or_(own, in_schools(schools))
        case ExamKind.REGIONAL:
            schools = select(School.id).where(School.academy_id == principal.academy_id)
            provinces = select(Province.id).where(Province.academy_id == principal.academy_id)
            return or_(own, in_schools(schools), ExamSession.province_id.in_(provinces))
        case ExamKind.NATIONAL:
            return true()
        case _:
            return own


def candidates_unit(exam: ExamSession) -> ColumnElement[bool]:
    """The session's unit as a condition on `schools`: where its candidates are enrolled."""
    match exam.kind:
        case ExamKind.LOCAL:
            return School.id == exam.school_id
        case ExamKind.PROVINCIAL:
            return School.province_id == exam.province_id
        case ExamKind.REGIONAL:
            return School.academy_id == exam.academy_id
        case _:
            return School.id.is_not(None)


async def organised_session(
    session: AsyncSession, principal: Principal, session_id: uuid.UUID, *, lock: bool = False
) -> ExamSession:
    """One of the caller's sessions (404 for anyone else's)."""
    return await _session(session, organised_by(principal), session_id, lock=lock)


async def readable_session(
    session: AsyncSession, principal: Principal, session_id: uuid.UUID
) -> ExamSession:
    """A session the caller organises or oversees (404 for any other)."""
    return await _session(session, readable_by(principal), session_id)


async def _session(
    session: AsyncSession, scope: ColumnElement[bool], session_id: uuid.UUID, *, lock: bool = False
) -> ExamSession:
    statement = select(ExamSession).where(ExamSession.id == session_id, scope)
    if lock:
        statement = statement.with_for_update()
    return found(await session.scalar(statement))


def default_mentions(scale: Scale) -> list[dict[str, str]]:
    step = scale.max_mark / 10
    return [
        {"threshold": str(scale.pass_mark + n * step), "fr": fr, "ar": ar}
        for n, (fr, ar) in enumerate(MENTION_NAMES)
    ]


async def create_session(
    session: AsyncSession, principal: Principal, new: ExamSessionIn
) -> ExamSessionOut:
    """Create a session of the caller's unit, in draft."""
    kind = ROLE_KIND[principal.role]
    normal = None
    if new.normal_session_id is not None:
        normal = await organised_session(session, principal, new.normal_session_id)
        if normal.round is not ExamRound.NORMAL or normal.level_code != new.level_code:
            raise invalid("body.normal_session_id", "not a normal session of this level")
    levels = KIND_LEVELS[kind]
    if (levels is not None and new.level_code not in levels) or await session.get(
        Level, new.level_code
    ) is None:
        raise invalid("body.level_code", f"not a level this organiser examines: {new.level_code}")
    scale = await scale_of(session, new.level_code)
    if new.resit_threshold is not None and new.resit_threshold > scale.max_mark:
        raise invalid("body.resit_threshold", f"above the level's scale ({scale.max_mark})")
    mentions = (
        [m.model_dump(mode="json") for m in new.mentions]
        if new.mentions is not None
        else default_mentions(scale)
    )
    exam = ExamSession(
        kind=kind,
        school_year=new.school_year,
        level_code=new.level_code,
        name_fr=new.name_fr,
        name_ar=new.name_ar,
        school_id=principal.school_id if kind is ExamKind.LOCAL else None,
        province_id=principal.province_id if kind is ExamKind.PROVINCIAL else None,
        academy_id=principal.academy_id if kind is ExamKind.REGIONAL else None,
        round=new.round,
        normal_session_id=new.normal_session_id,
        state=ExamState.DRAFT,
        starts_on=new.starts_on,
        ends_on=new.ends_on,
        resit_threshold=None if normal else new.resit_threshold,
        mentions=normal.mentions if normal else mentions,
    )
    if normal is None:
        streams = await _checked_streams(session, kind, new)
        _check_subjects(new, streams)
        lines = [ExamSessionSubject(**s.model_dump()) for s in new.subjects]
    else:
        streams = await session_streams(session, normal.id)
        lines = _resit_lines(new, await _lines(session, normal.id))
    await _check_known_subjects(session, [line.subject_id for line in lines])
    session.add(exam)
    await session.flush()
    session.add_all(ExamSessionStream(session_id=exam.id, stream_id=s) for s in streams)
    for line in lines:
        line.session_id = exam.id
    session.add_all(lines)
    await session.flush()
    return await session_out(session, exam)


async def _checked_streams(
    session: AsyncSession, kind: ExamKind, new: ExamSessionIn
) -> list[uuid.UUID]:
    """The session's streams, each of its level; a bac session names at least one."""
    if (kind, new.level_code) in BAC_SESSIONS and not new.stream_ids:
        raise invalid("body.stream_ids", "a bac session names the streams it examines")
    if len(set(new.stream_ids)) != len(new.stream_ids):
        raise invalid("body.stream_ids", "a stream appears twice")
    of_level = set(
        (
            await session.scalars(
                select(Stream.id).where(
                    Stream.id.in_(new.stream_ids), Stream.level_code == new.level_code
                )
            )
        ).all()
    )
    for index, stream_id in enumerate(new.stream_ids):
        if stream_id not in of_level:
            raise invalid(f"body.stream_ids.{index}", f"not a stream of {new.level_code}")
    return list(new.stream_ids)


def _check_subjects(new: ExamSessionIn, streams: list[uuid.UUID]) -> None:
    """Each subject once per stream, for streams of the session, either for all or per
    stream; each sitting within the session's dates."""
    seen: dict[uuid.UUID, set[uuid.UUID | None]] = {}
    for index, line in enumerate(new.subjects):
        where = f"body.subjects.{index}"
        if line.stream_id is not None and line.stream_id not in streams:
            raise invalid(f"{where}.stream_id", "not one of the session's streams")
        taken = seen.setdefault(line.subject_id, set())
        if line.stream_id in taken:
            raise invalid(where, "a subject appears twice for a stream")
        if taken and (line.stream_id is None or None in taken):
            raise invalid(where, "a subject is for every stream or per stream, not both")
        taken.add(line.stream_id)
        _check_sitting(new, line, where)


def _resit_lines(new: ExamSessionIn, normal: list[ExamSessionSubject]) -> list[ExamSessionSubject]:
    """A resit examines its normal session's streams and subjects with their coefficients
    (the better-of rule compares them); `subjects`, if sent, give its own sittings, each of
    a subject (and stream) of the normal session with its coefficient."""
    sent = {(s.subject_id, s.stream_id): (index, s) for index, s in enumerate(new.subjects)}
    lines = []
    for line in normal:
        index, own = sent.pop((line.subject_id, line.stream_id), (None, None))
        if own is not None and own.coefficient != line.coefficient:
            raise invalid(f"body.subjects.{index}.coefficient", "not the normal session's")
        if own is not None:
            _check_sitting(new, own, f"body.subjects.{index}")
        lines.append(
            ExamSessionSubject(
                subject_id=line.subject_id,
                stream_id=line.stream_id,
                coefficient=line.coefficient,
                duration_minutes=own.duration_minutes if own else line.duration_minutes,
                sits_on=own.sits_on if own else None,
                starts_at=own.starts_at if own else None,
            )
        )
    for index, _ in sent.values():
        raise invalid(f"body.subjects.{index}", "not a subject of the normal session")
    return lines


def _check_sitting(new: ExamSessionIn, line: ExamSubjectIn, where: str) -> None:
    if line.sits_on is None:
        return
    if new.starts_on is None or new.ends_on is None:
        raise invalid(f"{where}.sits_on", "the session has no dates to sit it within")
    if not new.starts_on <= line.sits_on <= new.ends_on:
        raise invalid(
            f"{where}.sits_on", f"outside the session's dates ({new.starts_on} to {new.ends_on})"
        )


async def _check_known_subjects(session: AsyncSession, ids: list[uuid.UUID]) -> None:
    known = set((await session.scalars(select(Subject.id).where(Subject.id.in_(ids)))).all())
    for index, subject_id in enumerate(ids):
        if subject_id not in known:
            raise invalid(f"body.subjects.{index}.subject_id", "no such subject")


async def _lines(session: AsyncSession, session_id: uuid.UUID) -> list[ExamSessionSubject]:
    lines = await session.scalars(
        select(ExamSessionSubject).where(ExamSessionSubject.session_id == session_id)
    )
    return list(lines.all())


async def session_streams(session: AsyncSession, session_id: uuid.UUID) -> list[uuid.UUID]:
    """The streams a session examines (none: the level's every pupil)."""
    streams = await session.scalars(
        select(ExamSessionStream.stream_id).where(ExamSessionStream.session_id == session_id)
    )
    return list(streams.all())


def for_stream(stream_id: uuid.UUID | None) -> ColumnElement[bool]:
    """The session subjects a candidate of this stream sits: their stream's and everyone's."""
    everyone = ExamSessionSubject.stream_id.is_(None)
    return everyone if stream_id is None else everyone | (ExamSessionSubject.stream_id == stream_id)


def sitting_order() -> tuple[Any, ...]:
    """Subjects in the order they are sat (undated last), then by code."""
    return (
        ExamSessionSubject.sits_on.nulls_last(),
        ExamSessionSubject.starts_at.nulls_last(),
        Subject.code,
    )


async def session_out(session: AsyncSession, exam: ExamSession) -> ExamSessionOut:
    return (await sessions_out(session, [exam]))[0]


async def sessions_out(session: AsyncSession, exams: list[ExamSession]) -> list[ExamSessionOut]:
    """The sessions with their subjects and streams, read in two statements."""
    ids = [exam.id for exam in exams]
    rows = await session.execute(
        select(ExamSessionSubject, Subject)
        .join(Subject, Subject.id == ExamSessionSubject.subject_id)
        .where(ExamSessionSubject.session_id.in_(ids))
        .order_by(*sitting_order(), ExamSessionSubject.stream_id)
    )
    subjects: dict[uuid.UUID, list[ExamSubjectLine]] = defaultdict(list)
    for line, subject in rows:
        subjects[line.session_id].append(
            ExamSubjectLine.of(line, subject=SubjectRef.model_validate(subject))
        )
    streams: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
    examined = await session.execute(
        select(ExamSessionStream.session_id, ExamSessionStream.stream_id)
        .where(ExamSessionStream.session_id.in_(ids))
        .order_by(ExamSessionStream.stream_id)
    )
    for session_id, stream_id in examined:
        streams[session_id].append(stream_id)
    return [
        ExamSessionOut.of(exam, subjects=subjects[exam.id], stream_ids=streams[exam.id])
        for exam in exams
    ]


async def list_sessions(
    session: AsyncSession, principal: Principal, filters: SessionFilter, page: PageRequest
) -> Page[ExamSessionOut]:
    """The sessions the caller organises or oversees, newest first, a page at a time (the
    ministry oversees every school's local exams: thousands a year)."""
    statement = where_given(
        select(ExamSession).where(readable_by(principal)),
        {
            ExamSession.school_year: filters.school_year,
            ExamSession.kind: filters.kind,
            ExamSession.level_code: filters.level_code,
        },
    )
    keys = (ExamSession.school_year, ExamSession.created_at, ExamSession.id)
    rows, cursor = await keyset_page(session, statement, keys, page, descending=True)
    items = await sessions_out(session, [exam for (exam,) in rows])
    return Page(items=items, next_cursor=cursor)


def require_state(exam: ExamSession, *states: ExamState) -> None:
    """409 unless the session is in one of these states."""
    if exam.state not in states:
        raise ProblemError(
            409,
            "exams.wrong_state",
            kind="exam-wrong-state",
            extensions={"state": exam.state.value, "expected": [s.value for s in states]},
        )


async def open_marking(
    session: AsyncSession, principal: Principal, session_id: uuid.UUID
) -> ExamSessionOut:
    """Open the marks (after the candidates, or again after a deliberation to correct one)."""
    exam = await organised_session(session, principal, session_id, lock=True)
    require_state(exam, ExamState.CANDIDATES, ExamState.MARKING, ExamState.DELIBERATED)
    exam.state = ExamState.MARKING
    await session.flush()
    return await session_out(session, exam)


async def publish(
    session: AsyncSession, principal: Principal, session_id: uuid.UUID, publish_at: datetime
) -> ExamSessionOut:
    """Announce the results for `publish_at`: hidden until then, announced once by the worker."""
    exam = await organised_session(session, principal, session_id, lock=True)
    require_state(exam, ExamState.DELIBERATED, ExamState.PUBLISHED)
    if exam.state is ExamState.PUBLISHED and exam.publish_at == publish_at:
        return await session_out(session, exam)
    if exam.announced_at is not None:
        raise ProblemError(409, "exams.already_out", kind="exam-already-published")
    exam.state = ExamState.PUBLISHED
    exam.publish_at = publish_at
    await session.flush()
    # The figures stay as the deliberation wrote them: publishing changes no result.
    # The pupils' documents now end at this publication (`valid_until`).
    await snapshots.rebuild_session(session, exam)
    return await session_out(session, exam)

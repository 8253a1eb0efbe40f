"""Orientation: pupils of 3AC, TC and 1BAC rank the streams of the next level within the year's
window, the orientation council decides each pupil's stream (which the class council's
promotion then follows), and in September a pupil may ask to change stream, which the school
decides."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import ColumnElement, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.calendar import current_school_year, school_today
from app.academics.models import Enrolment, Pupil, SchoolClass, SchoolYear, Stream
from app.academics.schemas import ClassRef, StreamRef
from app.academics.structure import move_pupils
from app.core.bulk import upsert
from app.core.security.principal import Principal
from app.councils.models import (
    Orientation,
    OrientationWindow,
    OrientationWish,
    Reorientation,
    RequestStatus,
)
from app.councils.schemas import (
    OrientationDecisionIn,
    OrientationPupil,
    PupilOrientation,
    ReorientationIn,
    ReorientationOut,
    WindowIn,
    WindowOut,
)
from app.councils.streams import ORIENTED_LEVELS, next_level, streams_by_id, streams_of_level
from app.errors import Conflict, InvalidInput, NotFound, ProblemError, field_error, invalid
from app.family.pupil_records import Placement, placement

# ---- the window -------------------------------------------------------------------------------


async def set_window(session: AsyncSession, year: int, window: WindowIn) -> WindowOut:
    """Set (or move) a year's wishes and re-orientation windows."""
    if await session.get(SchoolYear, year) is None:
        raise invalid("body.school_year", "no such school year", "unknown_year")
    await session.execute(
        upsert(
            OrientationWindow,
            [{"school_year": year, **window.model_dump()}],
            key=["school_year"],
            update=list(window.model_dump()),
        )
    )
    return WindowOut(school_year=year, **window.model_dump())


async def _window(session: AsyncSession, year: int) -> WindowOut | None:
    row = await session.get(OrientationWindow, year, populate_existing=True)
    return WindowOut.model_validate(row) if row else None


def _wishes_open(window: WindowOut | None) -> bool:
    return window is not None and window.wishes_from <= school_today() <= window.wishes_until


def _reorientation_open(window: WindowOut | None) -> bool:
    today = school_today()
    return window is not None and window.reorientation_from <= today <= window.reorientation_until


# ---- the pupil's side -------------------------------------------------------------------------


async def pupil_orientation(session: AsyncSession, pupil_id: uuid.UUID) -> PupilOrientation:
    """The pupil's orientation this year, as they and their parents see it."""
    year = await current_school_year(session)
    place = await placement(session, pupil_id, year)
    window = await _window(session, year)
    choices = await _choices(session, place)
    wishes = await _wishes(session, [pupil_id], year)
    decided = await _decided(session, [pupil_id], year)
    request = await session.scalar(
        select(Reorientation.id)
        .where(Reorientation.pupil_id == pupil_id, Reorientation.school_year == year)
        .order_by(Reorientation.created_at.desc())
        .limit(1)
    )
    return PupilOrientation(
        school_year=year,
        level_code=place.level_code if place else None,
        window=window,
        wishes_open=bool(choices) and _wishes_open(window),
        reorientation_open=place is not None and _reorientation_open(window),
        choices=choices,
        wishes=wishes.get(pupil_id, []),
        decided=decided.get(pupil_id),
        reorientation=(await _reorientations(session, Reorientation.id == request))[0]
        if request
        else None,
    )


async def save_wishes(
    session: AsyncSession, pupil_id: uuid.UUID, streams: Sequence[uuid.UUID]
) -> PupilOrientation:
    """Replace the pupil's ranked wishes, while the window is open and the council has not
    decided. Sending the same wishes again changes nothing."""
    year = await current_school_year(session)
    place = await placement(session, pupil_id, year)
    choices = {s.id for s in await _choices(session, place)}
    if place is None or not choices:
        raise ProblemError(409, "orientation.not_oriented", kind="not-oriented-level")
    if not _wishes_open(await _window(session, year)):
        raise ProblemError(409, "orientation.window_closed", kind="window-closed")
    if (await _decided(session, [pupil_id], year)).get(pupil_id):
        raise ProblemError(409, "orientation.decided", kind="orientation-decided")
    errors = [
        field_error(f"body.streams.{i}", "not a stream of the next level", "unknown_stream")
        if stream not in choices
        else field_error(f"body.streams.{i}", "this stream appears twice", "duplicate")
        for i, stream in enumerate(streams)
        if stream not in choices or stream in streams[:i]
    ]
    if errors:
        raise InvalidInput(errors)
    current = [s.id for s in (await _wishes(session, [pupil_id], year)).get(pupil_id, [])]
    if current != list(streams):
        await session.execute(
            delete(OrientationWish).where(
                OrientationWish.school_id == place.school_id,
                OrientationWish.school_year == year,
                OrientationWish.pupil_id == pupil_id,
            )
        )
        session.add_all(
            OrientationWish(
                school_id=place.school_id,
                school_year=year,
                pupil_id=pupil_id,
                rank=rank,
                stream_id=stream,
            )
            for rank, stream in enumerate(streams, start=1)
        )
        await session.flush()
    return await pupil_orientation(session, pupil_id)


async def request_reorientation(
    session: AsyncSession, pupil_id: uuid.UUID, body: ReorientationIn
) -> ReorientationOut:
    """Ask, in the September window, to move to another stream of one's level."""
    year = await current_school_year(session)
    place = await placement(session, pupil_id, year)
    if place is None or place.stream_id is None:
        raise ProblemError(409, "orientation.not_oriented", kind="not-oriented-level")
    if not _reorientation_open(await _window(session, year)):
        raise ProblemError(409, "orientation.window_closed", kind="window-closed")
    others = {s.id for s in await streams_of_level(session, place.level_code)} - {place.stream_id}
    if body.stream_id not in others:
        raise invalid("body.stream_id", "not another stream of your level", "unknown_stream")
    pending = await session.scalar(
        select(Reorientation.id).where(
            Reorientation.pupil_id == pupil_id, Reorientation.status == RequestStatus.PENDING
        )
    )
    if pending is not None:
        raise Conflict("orientation.already_pending")
    request = Reorientation(
        school_id=place.school_id,
        school_year=year,
        pupil_id=pupil_id,
        stream_id=body.stream_id,
        reason=body.reason,
    )
    session.add(request)
    await session.flush()
    return (await _reorientations(session, Reorientation.id == request.id))[0]


async def _choices(session: AsyncSession, place: Placement | None) -> list[StreamRef]:
    """The streams a pupil may wish for: the next level's, for the levels oriented."""
    if place is None or place.level_code not in ORIENTED_LEVELS:
        return []
    upper = await next_level(session, place.level_code)
    return await streams_of_level(session, upper.code) if upper else []


async def _wishes(
    session: AsyncSession, pupil_ids: Sequence[uuid.UUID], year: int
) -> dict[uuid.UUID, list[StreamRef]]:
    rows = (
        await session.execute(
            select(OrientationWish.pupil_id, Stream)
            .join(Stream, Stream.id == OrientationWish.stream_id)
            .where(OrientationWish.pupil_id.in_(pupil_ids), OrientationWish.school_year == year)
            .order_by(OrientationWish.pupil_id, OrientationWish.rank)
        )
    ).all()
    wishes: dict[uuid.UUID, list[StreamRef]] = defaultdict(list)
    for pupil_id, stream in rows:
        wishes[pupil_id].append(StreamRef.model_validate(stream))
    return wishes


async def _decided(
    session: AsyncSession, pupil_ids: Sequence[uuid.UUID], year: int
) -> dict[uuid.UUID, StreamRef]:
    rows = (
        await session.execute(
            select(Orientation.pupil_id, Stream)
            .join(Stream, Stream.id == Orientation.stream_id)
            .where(Orientation.pupil_id.in_(pupil_ids), Orientation.school_year == year)
        )
    ).all()
    return {pupil_id: StreamRef.model_validate(stream) for pupil_id, stream in rows}


# ---- the orientation council -------------------------------------------------------------------


async def council_list(
    session: AsyncSession, principal: Principal, level_code: str | None
) -> list[OrientationPupil]:
    """This year's pupils of the school's oriented levels, with their wishes and decisions."""
    year = await current_school_year(session)
    statement = (
        select(Pupil, SchoolClass)
        .join(Enrolment, Enrolment.pupil_id == Pupil.id)
        .join(SchoolClass, SchoolClass.id == Enrolment.class_id)
        .where(
            Enrolment.school_id == principal.school_id,
            Enrolment.school_year == year,
            Enrolment.left_on.is_(None),
            SchoolClass.level_code.in_(ORIENTED_LEVELS),
        )
        .order_by(SchoolClass.name, Pupil.last_name, Pupil.first_name)
    )
    if level_code is not None:
        statement = statement.where(SchoolClass.level_code == level_code)
    rows = (await session.execute(statement)).all()
    ids = [pupil.id for pupil, _ in rows]
    wishes = await _wishes(session, ids, year)
    decided = await _decided(session, ids, year)
    streams = await streams_by_id(session, [c.stream_id for _, c in rows])
    return [
        OrientationPupil(
            pupil_id=pupil.id,
            massar_code=pupil.massar_code,
            first_name=pupil.first_name,
            last_name=pupil.last_name,
            school_class=ClassRef(
                id=school_class.id,
                name=school_class.name,
                level_code=school_class.level_code,
                stream_code=streams[school_class.stream_id].code
                if school_class.stream_id in streams
                else None,
            ),
            wishes=wishes.get(pupil.id, []),
            decided=decided.get(pupil.id),
        )
        for pupil, school_class in rows
    ]


async def decide(
    session: AsyncSession, principal: Principal, rows: Sequence[OrientationDecisionIn]
) -> list[OrientationPupil]:
    """The orientation council's decisions, in one statement: every row valid, or nothing
    written. A replay changes nothing."""
    year = await current_school_year(session)
    levels = dict(
        (
            await session.execute(
                select(Enrolment.pupil_id, SchoolClass.level_code)
                .join(SchoolClass, SchoolClass.id == Enrolment.class_id)
                .where(
                    Enrolment.school_id == principal.school_id,
                    Enrolment.school_year == year,
                    Enrolment.left_on.is_(None),
                    Enrolment.pupil_id.in_([r.pupil_id for r in rows]),
                    SchoolClass.level_code.in_(ORIENTED_LEVELS),
                )
            )
        ).all()
    )
    choices = {
        level: {s.id for s in await _choices_of_level(session, level)}
        for level in set(levels.values())
    }
    errors = []
    for index, row in enumerate(rows):
        if row.pupil_id not in levels:
            errors.append(
                field_error(
                    f"body.decisions.{index}.pupil_id",
                    "not a pupil of your school's oriented levels",
                    "not_oriented",
                )
            )
        elif row.stream_id not in choices[levels[row.pupil_id]]:
            errors.append(
                field_error(
                    f"body.decisions.{index}.stream_id",
                    "not a stream of the pupil's next level",
                    "unknown_stream",
                )
            )
        elif any(r.pupil_id == row.pupil_id for r in rows[:index]):
            errors.append(
                field_error(
                    f"body.decisions.{index}.pupil_id", "this pupil appears twice", "duplicate"
                )
            )
    if errors:
        raise InvalidInput(errors)
    await session.execute(
        upsert(
            Orientation,
            [
                {
                    "id": uuid.uuid4(),
                    "school_id": principal.school_id,
                    "school_year": year,
                    "pupil_id": row.pupil_id,
                    "stream_id": row.stream_id,
                    "decided_by": principal.user_id,
                }
                for row in rows
            ],
            key=["school_id", "school_year", "pupil_id"],
            update=["stream_id"],
        )
    )
    decided = {row.pupil_id for row in rows}
    return [p for p in await council_list(session, principal, None) if p.pupil_id in decided]


async def _choices_of_level(session: AsyncSession, level_code: str) -> list[StreamRef]:
    upper = await next_level(session, level_code)
    return await streams_of_level(session, upper.code) if upper else []


# ---- re-orientation, decided by the school -----------------------------------------------------


async def list_reorientations(
    session: AsyncSession, principal: Principal, status: RequestStatus | None
) -> list[ReorientationOut]:
    """The school's re-orientation requests, newest first."""
    where = Reorientation.school_id == principal.school_id
    if status is not None:
        where = where & (Reorientation.status == status)
    return await _reorientations(session, where)


async def accept_reorientation(
    session: AsyncSession, principal: Principal, request_id: uuid.UUID, class_id: uuid.UUID
) -> ReorientationOut:
    """Move the pupil into a class of the stream asked for, this year."""
    request = await _pending(session, principal, request_id)
    place = await placement(session, request.pupil_id, request.school_year)
    school_class = await session.scalar(
        select(SchoolClass).where(
            SchoolClass.id == class_id,
            SchoolClass.school_id == request.school_id,
            SchoolClass.school_year == request.school_year,
            SchoolClass.stream_id == request.stream_id,
            SchoolClass.level_code == (place.level_code if place else None),
        )
    )
    if school_class is None:
        raise invalid("body.class_id", "not a class of the stream asked for", "wrong_class")
    await move_pupils(
        session, request.school_id, request.school_year, [(request.pupil_id, class_id)]
    )
    return await _decide(session, principal, request, RequestStatus.ACCEPTED, None)


async def refuse_reorientation(
    session: AsyncSession, principal: Principal, request_id: uuid.UUID, reason: str
) -> ReorientationOut:
    """Refuse a re-orientation, with a reason the pupil reads."""
    request = await _pending(session, principal, request_id)
    return await _decide(session, principal, request, RequestStatus.REFUSED, reason)


async def _pending(
    session: AsyncSession, principal: Principal, request_id: uuid.UUID
) -> Reorientation:
    request = await session.scalar(
        select(Reorientation)
        .where(Reorientation.id == request_id, Reorientation.school_id == principal.school_id)
        .with_for_update()
    )
    if request is None:
        raise NotFound()
    if request.status is not RequestStatus.PENDING:
        raise ProblemError(409, "orientation.not_pending", kind="not-pending")
    return request


async def _decide(
    session: AsyncSession,
    principal: Principal,
    request: Reorientation,
    status: RequestStatus,
    reason: str | None,
) -> ReorientationOut:
    request.status = status
    request.decided_by = principal.user_id
    request.decided_at = datetime.now(UTC)
    request.refusal_reason = reason
    await session.flush()
    return (await _reorientations(session, Reorientation.id == request.id))[0]


async def _reorientations(
    session: AsyncSession, where: ColumnElement[bool]
) -> list[ReorientationOut]:
    rows = (
        await session.execute(
            select(Reorientation, Pupil.massar_code, Stream)
            .join(Pupil, Pupil.id == Reorientation.pupil_id)
            .join(Stream, Stream.id == Reorientation.stream_id)
            .where(where)
            .order_by(Reorientation.created_at.desc())
            .limit(200)
        )
    ).all()
    return [
        ReorientationOut.of(request, massar_code=code, stream=StreamRef.model_validate(stream))
        for request, code, stream in rows
    ]

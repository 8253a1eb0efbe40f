"""Remedial support (soutien / remédiation) after a diagnostic test: groups proposed from the
results, confirmed by the teacher (pupils and parents are told), their sessions and attendance;
and what a pupil or a parent reads about it all (one service for both apps)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import Select, and_, func, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.calendar import school_today
from app.academics.models import Pupil
from app.academics.teaching import assignments_of, check_pupils_of_class, current_pupils
from app.core.bulk import upsert
from app.core.listing import found, keyset_page, where_given
from app.core.pagination import PageRequest
from app.core.schemas import Page
from app.core.security.principal import Principal
from app.core.workflow import Workflow, move
from app.errors import Conflict, ProblemError, invalid
from app.family.models import GuardianLink
from app.messaging.models import NotificationCategory
from app.messaging.notifications import NotificationTexts, notify
from app.modules.diagnostics.evaluation import test_for_class
from app.modules.diagnostics.models import (
    DiagnosticCompetency,
    DiagnosticKind,
    DiagnosticResult,
    DiagnosticTest,
    RemedialAttendance,
    RemedialGroup,
    RemedialGroupMember,
    RemedialGroupStatus,
    RemedialSession,
)
from app.modules.diagnostics.schemas import (
    Proposal,
    ProposedGroup,
    PupilBrief,
    PupilCompetencyOutcome,
    PupilDiagnostics,
    PupilGroup,
    PupilTestOutcome,
    RemedialAttendanceIn,
    RemedialAttendanceRowOut,
    RemedialGroupIn,
    RemedialGroupOut,
    RemedialSessionIn,
    RemedialSessionOut,
    SessionAttendanceOut,
    UpcomingSession,
)

GROUP_FLOW: Workflow[RemedialGroupStatus] = Workflow(
    {
        # After the post-test, the group has done its work.
        "close": move(RemedialGroupStatus.CONFIRMED, RemedialGroupStatus.CLOSED),
        "reopen": move(RemedialGroupStatus.CLOSED, RemedialGroupStatus.CONFIRMED),
    }
)


def _require_diagnostic(test: DiagnosticTest) -> None:
    if test.kind is not DiagnosticKind.DIAGNOSTIC:
        raise ProblemError(409, "diagnostics.not_a_diagnostic", kind="not-a-diagnostic")


# ---- proposal -------------------------------------------------------------------------------


async def propose(
    session: AsyncSession, principal: Principal, test_id: uuid.UUID, class_id: uuid.UUID
) -> Proposal:
    """One group per competency: the class's pupils who scored below the threshold on it,
    lowest first. Nothing is stored: the teacher confirms the groups they keep."""
    test, taught = await test_for_class(session, principal, test_id, class_id)
    _require_diagnostic(test)
    rows = await session.execute(
        select(DiagnosticCompetency, Pupil, DiagnosticResult.score)
        .join(DiagnosticResult, DiagnosticResult.competency_id == DiagnosticCompetency.id)
        .join(Pupil, Pupil.id == DiagnosticResult.pupil_id)
        .where(
            DiagnosticResult.school_id == taught.school_id,
            DiagnosticResult.test_id == test.id,
            DiagnosticResult.pupil_id.in_(current_pupils(taught.id)),
            DiagnosticResult.score < test.mastery_threshold,
        )
        .order_by(DiagnosticCompetency.rank, DiagnosticResult.score, Pupil.last_name, Pupil.id)
    )
    groups: dict[uuid.UUID, ProposedGroup] = {}
    for competency, pupil, score in rows:
        group = groups.setdefault(
            competency.id,
            ProposedGroup(
                competency_id=competency.id,
                code=competency.code,
                label_fr=competency.label_fr,
                name=f"Soutien {competency.label_fr} – {taught.name}"[:120],
                pupils=[],
            ),
        )
        group.pupils.append(_brief(pupil, score))
    return Proposal(
        test_id=test.id,
        class_id=taught.id,
        mastery_threshold=test.mastery_threshold,
        groups=list(groups.values()),
    )


def _brief(pupil: Pupil, score: int | None) -> PupilBrief:
    return PupilBrief.of(pupil, pupil_id=pupil.id, score=score)


# ---- groups ---------------------------------------------------------------------------------


async def confirm_group(
    session: AsyncSession, principal: Principal, new: RemedialGroupIn
) -> RemedialGroupOut:
    """Create a remedial group of a class I teach; its pupils and their parents are told."""
    test, taught = await test_for_class(session, principal, new.test_id, new.class_id)
    _require_diagnostic(test)
    competency = await session.scalar(
        select(DiagnosticCompetency).where(
            DiagnosticCompetency.id == new.competency_id,
            DiagnosticCompetency.test_id == test.id,
        )
    )
    if competency is None:
        raise invalid("body.competency_id", "not a competency of this test", "unknown")
    enrolled = set((await session.scalars(current_pupils(taught.id))).all())
    check_pupils_of_class(new.pupil_ids, enrolled, "body.pupil_ids.{index}")
    taken = await session.scalar(
        select(RemedialGroup.id).where(
            RemedialGroup.school_id == taught.school_id,
            RemedialGroup.class_id == taught.id,
            RemedialGroup.name == new.name,
        )
    )
    if taken is not None:
        raise Conflict("diagnostics.group_name_taken")
    group = RemedialGroup(
        school_id=taught.school_id,
        teacher_id=principal.user_id,
        **new.model_dump(exclude={"pupil_ids"}),
    )
    session.add(group)
    await session.flush()
    session.add_all(
        RemedialGroupMember(school_id=group.school_id, group_id=group.id, pupil_id=pupil_id)
        for pupil_id in new.pupil_ids
    )
    await session.flush()
    await _tell_members(session, group, competency, new.pupil_ids)
    return (await _groups_out(session, [group]))[0]


async def _tell_members(
    session: AsyncSession,
    group: RemedialGroup,
    competency: DiagnosticCompetency,
    pupil_ids: Sequence[uuid.UUID],
) -> None:
    """Notify the pupils' own accounts and their verified parents (two statements each)."""
    pupils = set(
        (
            await session.scalars(
                select(Pupil.user_id).where(Pupil.id.in_(pupil_ids), Pupil.user_id.is_not(None))
            )
        ).all()
    )
    parents = set(
        (
            await session.scalars(
                select(GuardianLink.parent_id).where(
                    GuardianLink.pupil_id.in_(pupil_ids), GuardianLink.verified_at.is_not(None)
                )
            )
        ).all()
    )
    texts = NotificationTexts(
        title_ar="مجموعة الدعم",
        title_fr="Groupe de soutien",
        body_ar=f"تسجيل في مجموعة الدعم «{group.name}»: {competency.label_ar}.",
        body_fr=f"Inscription au groupe de soutien « {group.name} » : {competency.label_fr}.",
    )
    data = {"group_id": group.id, "competency_id": competency.id}
    recipients = {uid for uid in pupils | parents if uid is not None}
    await notify(session, recipients, NotificationCategory.DIAGNOSTICS, texts, data)


def _my_groups(principal: Principal) -> Select[RemedialGroup]:
    """Groups of the classes and subjects the teacher teaches this year."""
    return (
        select(RemedialGroup)
        .join(DiagnosticTest, DiagnosticTest.id == RemedialGroup.test_id)
        .where(
            RemedialGroup.school_id == principal.school_id,
            tuple_(RemedialGroup.class_id, DiagnosticTest.subject_id).in_(
                assignments_of(principal)
            ),
        )
    )


async def _my_group(
    session: AsyncSession, principal: Principal, group_id: uuid.UUID, *, lock: bool = False
) -> RemedialGroup:
    statement = _my_groups(principal).where(RemedialGroup.id == group_id)
    if lock:
        statement = statement.with_for_update(of=RemedialGroup)
    return found(await session.scalar(statement))


async def list_groups(
    session: AsyncSession,
    principal: Principal,
    page: PageRequest,
    *,
    class_id: uuid.UUID | None,
    status: RemedialGroupStatus | None,
) -> Page[RemedialGroupOut]:
    """My classes' remedial groups, newest first."""
    statement = where_given(
        _my_groups(principal), {RemedialGroup.class_id: class_id, RemedialGroup.status: status}
    )
    keys = (RemedialGroup.created_at, RemedialGroup.id)
    rows, cursor = await keyset_page(session, statement, keys, page, descending=True)
    return Page(items=await _groups_out(session, [r[0] for r in rows]), next_cursor=cursor)


async def get_group(
    session: AsyncSession, principal: Principal, group_id: uuid.UUID
) -> RemedialGroupOut:
    """One group of my classes, with its pupils and sessions."""
    return (await _groups_out(session, [await _my_group(session, principal, group_id)]))[0]


async def move_group(
    session: AsyncSession, principal: Principal, group_id: uuid.UUID, action: str
) -> RemedialGroupOut:
    """Close a group (after the post-test) or reopen it."""
    group = await _my_group(session, principal, group_id, lock=True)
    group.status = GROUP_FLOW.next(group.status, action)
    await session.flush()
    await session.refresh(group)
    return (await _groups_out(session, [group]))[0]


async def _groups_out(
    session: AsyncSession, groups: Sequence[RemedialGroup]
) -> list[RemedialGroupOut]:
    """Groups with their members (and diagnostic scores) and sessions, in three statements."""
    ids = [g.id for g in groups]
    members: dict[uuid.UUID, list[PupilBrief]] = defaultdict(list)
    for group_id, pupil, score in await session.execute(
        select(RemedialGroupMember.group_id, Pupil, DiagnosticResult.score)
        .join(Pupil, Pupil.id == RemedialGroupMember.pupil_id)
        .join(RemedialGroup, RemedialGroup.id == RemedialGroupMember.group_id)
        .outerjoin(
            DiagnosticResult,
            and_(
                DiagnosticResult.school_id == RemedialGroupMember.school_id,
                DiagnosticResult.test_id == RemedialGroup.test_id,
                DiagnosticResult.competency_id == RemedialGroup.competency_id,
                DiagnosticResult.pupil_id == RemedialGroupMember.pupil_id,
            ),
        )
        .where(RemedialGroupMember.group_id.in_(ids))
        .order_by(Pupil.last_name, Pupil.first_name, Pupil.id)
    ):
        members[group_id].append(_brief(pupil, score))
    sessions = await _sessions_of(session, ids)
    labels = {
        r.id: (r.label_fr, r.label_ar)
        for r in await session.execute(
            select(
                DiagnosticCompetency.id,
                DiagnosticCompetency.label_fr,
                DiagnosticCompetency.label_ar,
            ).where(DiagnosticCompetency.id.in_({g.competency_id for g in groups}))
        )
    }
    return [
        RemedialGroupOut.of(
            g,
            competency_label_fr=labels[g.competency_id][0],
            competency_label_ar=labels[g.competency_id][1],
            actions=GROUP_FLOW.actions(g.status),
            pupils=members[g.id],
            sessions=sessions[g.id],
        )
        for g in groups
    ]


async def _sessions_of(
    session: AsyncSession, group_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[RemedialSessionOut]]:
    """Each group's sessions by date, with attendance counts, in one statement."""
    present = func.count(RemedialAttendance.id).filter(RemedialAttendance.present)
    absent = func.count(RemedialAttendance.id).filter(RemedialAttendance.present.is_(False))
    rows = await session.execute(
        select(RemedialSession, present.label("present"), absent.label("absent"))
        .outerjoin(
            RemedialAttendance,
            and_(
                RemedialAttendance.session_id == RemedialSession.id,
                RemedialAttendance.school_id == RemedialSession.school_id,
            ),
        )
        .where(RemedialSession.group_id.in_(group_ids))
        .group_by(RemedialSession.id)
        .order_by(RemedialSession.session_date, RemedialSession.starts_at, RemedialSession.id)
    )
    result: dict[uuid.UUID, list[RemedialSessionOut]] = defaultdict(list)
    for remedial, n_present, n_absent in rows:
        result[remedial.group_id].append(_session_out(remedial, n_present, n_absent))
    return result


def _session_out(remedial: RemedialSession, present: int, absent: int) -> RemedialSessionOut:
    return RemedialSessionOut.of(
        remedial, date=remedial.session_date, present=present, absent=absent
    )


# ---- sessions and attendance ----------------------------------------------------------------


async def add_session(
    session: AsyncSession, principal: Principal, group_id: uuid.UUID, new: RemedialSessionIn
) -> RemedialSessionOut:
    """Schedule a session of a confirmed group (a closed group takes no more)."""
    group = await _my_group(session, principal, group_id)
    if group.status is not RemedialGroupStatus.CONFIRMED:
        raise ProblemError(409, "diagnostics.group_closed", kind="group-closed")
    remedial = RemedialSession(
        school_id=group.school_id,
        group_id=group.id,
        session_date=new.date,
        **new.model_dump(exclude={"date"}),
    )
    session.add(remedial)
    await session.flush()
    return _session_out(remedial, 0, 0)


async def _my_session(
    session: AsyncSession, principal: Principal, session_id: uuid.UUID
) -> RemedialSession:
    groups = _my_groups(principal).with_only_columns(RemedialGroup.id)
    return found(
        await session.scalar(
            select(RemedialSession).where(
                RemedialSession.id == session_id,
                RemedialSession.school_id == principal.school_id,
                RemedialSession.group_id.in_(groups),
            )
        )
    )


async def get_attendance(
    session: AsyncSession, principal: Principal, session_id: uuid.UUID
) -> SessionAttendanceOut:
    """Who attended a session of one of my groups (null: not recorded yet)."""
    return await _attendance(session, await _my_session(session, principal, session_id))


async def save_attendance(
    session: AsyncSession, principal: Principal, session_id: uuid.UUID, roll: RemedialAttendanceIn
) -> SessionAttendanceOut:
    """Record attendance of the group's pupils, all rows or none; a replay changes nothing."""
    remedial = await _my_session(session, principal, session_id)
    members = set(
        (
            await session.scalars(
                select(RemedialGroupMember.pupil_id).where(
                    RemedialGroupMember.group_id == remedial.group_id
                )
            )
        ).all()
    )
    pupil_ids = [r.pupil_id for r in roll.rows]
    check_pupils_of_class(pupil_ids, members, "body.rows.{index}.pupil_id")
    rows = [
        {
            "id": uuid.uuid4(),
            "school_id": remedial.school_id,
            "session_id": remedial.id,
            "pupil_id": r.pupil_id,
            "present": r.present,
        }
        for r in roll.rows
    ]
    await session.execute(
        upsert(
            RemedialAttendance,
            rows,
            key=["school_id", "session_id", "pupil_id"],
            update=["present"],
        )
    )
    return await _attendance(session, remedial)


async def _attendance(session: AsyncSession, remedial: RemedialSession) -> SessionAttendanceOut:
    rows = (
        await session.execute(
            select(RemedialGroupMember.pupil_id, RemedialAttendance.present)
            .join(Pupil, Pupil.id == RemedialGroupMember.pupil_id)
            .outerjoin(
                RemedialAttendance,
                and_(
                    RemedialAttendance.session_id == remedial.id,
                    RemedialAttendance.school_id == remedial.school_id,
                    RemedialAttendance.pupil_id == RemedialGroupMember.pupil_id,
                ),
            )
            .where(RemedialGroupMember.group_id == remedial.group_id)
            .order_by(Pupil.last_name, Pupil.first_name, Pupil.id)
        )
    ).all()
    present = sum(1 for r in rows if r.present is True)
    absent = sum(1 for r in rows if r.present is False)
    return SessionAttendanceOut(
        session=_session_out(remedial, present, absent),
        rows=[RemedialAttendanceRowOut(pupil_id=r.pupil_id, present=r.present) for r in rows],
    )


# ---- pupils and parents ---------------------------------------------------------------------


async def pupil_diagnostics(session: AsyncSession, pupil_id: uuid.UUID) -> PupilDiagnostics:
    """A pupil's outcome per competency of each test, their groups and upcoming sessions.

    The caller has resolved the pupil (their own record, or a parent's verified child)."""
    return PupilDiagnostics(
        tests=await _pupil_tests(session, pupil_id),
        groups=await _pupil_groups(session, pupil_id),
    )


async def _pupil_tests(session: AsyncSession, pupil_id: uuid.UUID) -> list[PupilTestOutcome]:
    rows = await session.execute(
        select(
            DiagnosticTest, DiagnosticCompetency, DiagnosticResult.score, DiagnosticResult.absent
        )
        .join(DiagnosticResult, DiagnosticResult.test_id == DiagnosticTest.id)
        .join(DiagnosticCompetency, DiagnosticCompetency.id == DiagnosticResult.competency_id)
        .where(DiagnosticResult.pupil_id == pupil_id)
        .order_by(DiagnosticTest.created_at, DiagnosticTest.id, DiagnosticCompetency.rank)
    )
    tests: dict[uuid.UUID, PupilTestOutcome] = {}
    for test, competency, score, absent in rows:
        outcome = tests.setdefault(
            test.id,
            PupilTestOutcome.of(test, test_id=test.id, competencies=[]),
        )
        outcome.competencies.append(
            PupilCompetencyOutcome.of(
                competency,
                competency_id=competency.id,
                score=score,
                absent=absent,
                mastered=score is not None and score >= test.mastery_threshold,
            )
        )
    return list(tests.values())


async def _pupil_groups(session: AsyncSession, pupil_id: uuid.UUID) -> list[PupilGroup]:
    rows = await session.execute(
        select(RemedialGroup, DiagnosticCompetency.label_fr, DiagnosticCompetency.label_ar)
        .join(RemedialGroupMember, RemedialGroupMember.group_id == RemedialGroup.id)
        .join(DiagnosticCompetency, DiagnosticCompetency.id == RemedialGroup.competency_id)
        .where(RemedialGroupMember.pupil_id == pupil_id)
        .order_by(RemedialGroup.created_at, RemedialGroup.id)
    )
    groups = {
        group.id: PupilGroup(
            group_id=group.id,
            name=group.name,
            status=group.status,
            competency_label_fr=label_fr,
            competency_label_ar=label_ar,
            upcoming_sessions=[],
        )
        for group, label_fr, label_ar in rows
    }
    upcoming = await session.scalars(
        select(RemedialSession)
        .where(
            RemedialSession.group_id.in_(list(groups)),
            RemedialSession.session_date >= school_today(),
        )
        .order_by(RemedialSession.session_date, RemedialSession.starts_at)
    )
    for remedial in upcoming:
        groups[remedial.group_id].upcoming_sessions.append(
            UpcomingSession.of(remedial, date=remedial.session_date)
        )
    return list(groups.values())

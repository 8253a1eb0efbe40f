"""Absence justifications: a parent explains absences of a verified child (a reason and, for
illness, a certificate); the school that recorded them accepts or rejects, and the parent is
told. Every function applies the caller's scope itself."""

from __future__ import annotations

import logging
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TypeVarTuple

from sqlalchemy import ColumnElement, Row, Select, exists, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from app.academics.calendar import school_today
from app.academics.models import Pupil, Subject
from app.academics.schemas import SubjectRef
from app.accounts.models import User
from app.accounts.schemas import PersonRef, PupilRef
from app.attendance.models import (
    AttendanceMark,
    AttendanceSheet,
    AttendanceStatus,
    Justification,
    JustificationStatus,
    JustifiedAbsence,
)
from app.attendance.schemas import (
    CoveredAbsence,
    DecisionIn,
    DocumentInfo,
    JustificationOut,
    JustificationPage,
    SchoolJustificationOut,
    SchoolJustificationPage,
)
from app.core.documents import SIGNATURES
from app.core.listing import found_row, timestamp_page, where_given
from app.core.pagination import PageRequest
from app.core.security.principal import Principal
from app.core.storage import DocumentMissing, DocumentStore, new_key
from app.errors import Conflict, InvalidInput, NotFound, ProblemError, field_error, invalid
from app.family.links import child_of
from app.family.pupil_records import current_classes
from app.messaging.models import NotificationCategory
from app.messaging.notifications import NotificationTexts, notify
from app.organisation.scopes import school_scope
from app.settings import get_settings

log = logging.getLogger(__name__)

EXTENSIONS = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}

_submitter = aliased(User, name="submitter")
_Ts = TypeVarTuple("_Ts")


@dataclass(frozen=True, slots=True)
class Document:
    """A document's bytes, its type as read from them, and its key in the document store."""

    key: str
    content: bytes
    content_type: str

    @property
    def filename(self) -> str:
        """A download name made here (the uploader's file name is never kept)."""
        return f"justification{EXTENSIONS.get(self.content_type, '')}"


@dataclass(frozen=True, slots=True)
class Submitted:
    """A new justification, and its document if one was stored (to take back on failure)."""

    justification: JustificationOut
    document: Document | None


@dataclass(frozen=True, slots=True)
class _Absence:
    """An attendance mark named by the parent, with what the rules need to know about it."""

    id: uuid.UUID
    school_id: uuid.UUID
    school_year: int
    status: AttendanceStatus
    lesson_date: date
    start_time: time
    subject: SubjectRef
    taken: bool  # already in a pending or accepted justification


# ---- the parent's side ----------------------------------------------------------------------


def check_document(content: bytes) -> Document:
    """The uploaded bytes as a document: 413 over the size limit, 415 unless a PDF, a JPEG or
    a PNG."""
    if len(content) > get_settings().justification_max_bytes:
        raise ProblemError(413, "justifications.document_too_large", kind="document-too-large")
    content_type = next((kind for magic, kind in SIGNATURES if content.startswith(magic)), None)
    if content_type is None:
        raise ProblemError(415, "justifications.unsupported_document", kind="unsupported-document")
    return Document(key=new_key("justifications"), content=content, content_type=content_type)


async def submit(
    session: AsyncSession,
    store: DocumentStore,
    principal: Principal,
    child_id: uuid.UUID,
    absence_ids: Sequence[uuid.UUID],
    reason: str,
    content: bytes | None,
) -> Submitted:
    """Justify absences of a verified child, all or nothing.

    The rows are flushed first and the document stored last; the caller commits and, should the
    commit fail, deletes the stored document (`Submitted.document`).
    """
    await child_of(session, principal, child_id)
    document = check_document(content) if content is not None else None
    reason = reason.strip()
    if not reason:
        raise invalid("body.reason", "a reason is required", "required")
    absences = await _justifiable(session, child_id, absence_ids)
    justification = await _write(session, principal, child_id, reason, absences, document)
    if document is not None:
        await store.put(document.key, document.content, document.content_type)
    covered = [_covered_absence(a) for a in absences]
    return Submitted(_out(justification, covered), document)


async def _write(
    session: AsyncSession,
    principal: Principal,
    child_id: uuid.UUID,
    reason: str,
    absences: list[_Absence],
    document: Document | None,
) -> Justification:
    """The justification and the absences it covers, flushed (a race on an absence fails here,
    on the partial unique index, before any file is stored)."""
    justification = Justification(
        id=uuid.uuid4(),
        school_id=absences[0].school_id,
        pupil_id=child_id,
        submitted_by=principal.user_id,
        reason=reason,
        status=JustificationStatus.PENDING,
        document_key=document.key if document else None,
        document_type=document.content_type if document else None,
        document_size=len(document.content) if document else None,
    )
    session.add(justification)
    await session.flush()
    session.add_all(
        JustifiedAbsence(
            justification_id=justification.id,
            attendance_mark_id=absence.id,
            school_id=justification.school_id,
            school_year=absence.school_year,
            status=JustificationStatus.PENDING,
        )
        for absence in absences
    )
    await session.flush()
    return justification


async def _justifiable(
    session: AsyncSession, child_id: uuid.UUID, absence_ids: Sequence[uuid.UUID]
) -> list[_Absence]:
    """The named absences if every one may be justified; otherwise a 422 naming each fault."""
    taken = exists().where(
        JustifiedAbsence.attendance_mark_id == AttendanceMark.id,
        JustifiedAbsence.school_id == AttendanceMark.school_id,
        JustifiedAbsence.status != JustificationStatus.REJECTED,
    )
    rows = await session.execute(
        select(
            AttendanceMark.id,
            AttendanceMark.school_id,
            AttendanceMark.school_year,
            AttendanceMark.status,
            AttendanceSheet.lesson_date,
            AttendanceSheet.starts_at,
            Subject,
            taken.label("taken"),
        )
        .join(
            AttendanceSheet,
            (AttendanceSheet.id == AttendanceMark.sheet_id)
            & (AttendanceSheet.school_id == AttendanceMark.school_id),
        )
        .join(Subject, Subject.id == AttendanceSheet.subject_id)
        .where(AttendanceMark.id.in_(absence_ids), AttendanceMark.pupil_id == child_id)
    )
    found = {
        row.id: _Absence(
            id=row.id,
            school_id=row.school_id,
            school_year=row.school_year,
            status=row.status,
            lesson_date=row.lesson_date,
            start_time=row.starts_at,
            subject=SubjectRef.model_validate(row.Subject),
            taken=row.taken,
        )
        for row in rows
    }
    return _check_absences(absence_ids, found)


def _check_absences(
    absence_ids: Sequence[uuid.UUID], found: dict[uuid.UUID, _Absence]
) -> list[_Absence]:
    """Every id an absence of the child, once, recent, not yet justified, all of one school."""
    window = get_settings().justification_window_days
    oldest = school_today() - timedelta(days=window)
    errors = []
    seen: set[uuid.UUID] = set()
    first = found.get(absence_ids[0]) if absence_ids else None
    for index, absence_id in enumerate(absence_ids):
        fault = _fault(found.get(absence_id), absence_id in seen, oldest, first, window)
        if fault is not None:
            errors.append(field_error(f"body.absence_ids.{index}", fault[1], fault[0]))
        seen.add(absence_id)
    if errors or first is None:
        raise InvalidInput(errors or [field_error("body.absence_ids", "no absence", "required")])
    return [found[absence_id] for absence_id in dict.fromkeys(absence_ids)]


def _fault(
    absence: _Absence | None, duplicate: bool, oldest: date, first: _Absence | None, window: int
) -> tuple[str, str] | None:
    """(code, message) of what is wrong with one named absence, or None."""
    if absence is None or absence.status is not AttendanceStatus.ABSENT:
        # The same answer for another pupil's mark and a mark that does not exist.
        return "not_an_absence", "not an absence of this child"
    if duplicate:
        return "duplicate", "this absence appears twice"
    if absence.lesson_date < oldest:
        return "too_old", f"older than {window} days: contact the school"
    if absence.taken:
        return "already_justified", "already in a pending or accepted justification"
    if first is not None and absence.school_id != first.school_id:
        return "other_school", "recorded by another school: justify it separately"
    return None


async def child_justifications(
    session: AsyncSession,
    principal: Principal,
    child_id: uuid.UUID,
    page: PageRequest,
) -> JustificationPage:
    """A page of a verified child's justifications, newest first, with the absences covered."""
    await child_of(session, principal, child_id)
    statement = select(Justification).where(Justification.pupil_id == child_id)
    rows, next_cursor = await _newest_first(session, statement, page)
    covered = await _covered(session, [row.Justification.id for row in rows])
    items = [_out(row.Justification, covered[row.Justification.id]) for row in rows]
    return JustificationPage(items=items, next_cursor=next_cursor)


async def child_document(
    session: AsyncSession,
    store: DocumentStore,
    principal: Principal,
    child_id: uuid.UUID,
    justification_id: uuid.UUID,
) -> Document:
    """The document of a verified child's justification (404 if it has none)."""
    await child_of(session, principal, child_id)
    mine = (Justification.id == justification_id) & (Justification.pupil_id == child_id)
    return await _document(session, store, mine)


# ---- the school's side ----------------------------------------------------------------------


def _school_statement(principal: Principal) -> Select[Justification, Pupil, User]:
    return (
        select(Justification, Pupil, _submitter)
        .join(Pupil, Pupil.id == Justification.pupil_id)
        .join(_submitter, _submitter.id == Justification.submitted_by)
        .where(school_scope(principal, Justification.school_id))
    )


async def school_justifications(
    session: AsyncSession,
    principal: Principal,
    page: PageRequest,
    status: JustificationStatus | None,
) -> SchoolJustificationPage:
    """A page of the justifications of the caller's school (of one status if asked)."""
    statement = where_given(_school_statement(principal), {Justification.status: status})
    rows, next_cursor = await _newest_first(session, statement, page)
    return SchoolJustificationPage(
        items=await _school_items(session, rows), next_cursor=next_cursor
    )


async def decide(
    session: AsyncSession, principal: Principal, justification_id: uuid.UUID, decision: DecisionIn
) -> SchoolJustificationOut:
    """Accept or reject a pending justification (409 once decided) and tell the parent."""
    if not decision.accepted and not decision.reason:
        raise invalid("body.reason", "a reason is required to reject", "required")
    row = await found_row(
        session,
        _school_statement(principal)
        .where(Justification.id == justification_id)
        .with_for_update(of=Justification),
    )
    justification, pupil = row.Justification, row.Pupil
    if justification.status is not JustificationStatus.PENDING:
        raise Conflict("justifications.already_decided")
    # The covered absences' copy of the status follows (ON UPDATE CASCADE).
    justification.status = (
        JustificationStatus.ACCEPTED if decision.accepted else JustificationStatus.REJECTED
    )
    justification.decision_reason = decision.reason
    justification.decided_by = principal.user_id
    justification.decided_at = datetime.now(UTC)
    await session.flush()
    await notify(
        session,
        [justification.submitted_by],
        NotificationCategory.ABSENCES,
        _decision_texts(justification, pupil),
        {
            "pupil_id": pupil.id,
            "justification_id": justification.id,
            "status": justification.status.value,
        },
    )
    return (await _school_items(session, [row]))[0]


async def school_document(
    session: AsyncSession, store: DocumentStore, principal: Principal, justification_id: uuid.UUID
) -> Document:
    """The document of a justification of the caller's school (404 if it has none)."""
    ours = (Justification.id == justification_id) & school_scope(principal, Justification.school_id)
    return await _document(session, store, ours)


def _decision_texts(justification: Justification, pupil: Pupil) -> NotificationTexts:
    if justification.status is JustificationStatus.ACCEPTED:
        return NotificationTexts(
            title_ar="تم قبول التبرير",
            title_fr="Justification acceptée",
            body_ar=f"تم قبول تبرير غياب {pupil.first_name_ar}.",
            body_fr=f"La justification de l'absence de {pupil.first_name} a été acceptée.",
        )
    reason = justification.decision_reason or ""
    return NotificationTexts(
        title_ar="تم رفض التبرير",
        title_fr="Justification refusée",
        body_ar=f"تم رفض تبرير غياب {pupil.first_name_ar}: {reason}",
        body_fr=f"La justification de l'absence de {pupil.first_name} a été refusée : {reason}",
    )


async def _school_items(
    session: AsyncSession, rows: Sequence[Row[Justification, Pupil, User]]
) -> list[SchoolJustificationOut]:
    """The page's rows with their absences and the pupils' classes: two statements."""
    covered = await _covered(session, [row.Justification.id for row in rows])
    classes = await current_classes(session, [row.Pupil.id for row in rows])
    return [
        SchoolJustificationOut(
            **_out(row.Justification, covered[row.Justification.id]).model_dump(),
            pupil=PupilRef.model_validate(row.Pupil),
            school_class=classes.get(row.Pupil.id),
            submitted_by=PersonRef.model_validate(row.submitter),
        )
        for row in rows
    ]


# ---- shared ---------------------------------------------------------------------------------


async def _newest_first(
    session: AsyncSession, statement: Select[Justification, *_Ts], page: PageRequest
) -> tuple[list[Row[Justification, *_Ts]], str | None]:
    """The page the request asks for, newest first by (created_at, id)."""
    return await timestamp_page(
        session, statement, Justification.created_at, Justification.id, page
    )


async def _covered(
    session: AsyncSession, justification_ids: list[uuid.UUID]
) -> dict[uuid.UUID, list[CoveredAbsence]]:
    """The absences each justification covers, in lesson order, in one statement."""
    covered: dict[uuid.UUID, list[CoveredAbsence]] = defaultdict(list)
    if not justification_ids:
        return covered
    rows = await session.execute(
        select(
            JustifiedAbsence.justification_id,
            AttendanceMark.id,
            AttendanceSheet.lesson_date,
            AttendanceSheet.starts_at,
            Subject,
        )
        .join(
            AttendanceMark,
            (AttendanceMark.id == JustifiedAbsence.attendance_mark_id)
            & (AttendanceMark.school_id == JustifiedAbsence.school_id),
        )
        .join(
            AttendanceSheet,
            (AttendanceSheet.id == AttendanceMark.sheet_id)
            & (AttendanceSheet.school_id == AttendanceMark.school_id),
        )
        .join(Subject, Subject.id == AttendanceSheet.subject_id)
        .where(JustifiedAbsence.justification_id.in_(justification_ids))
        .order_by(AttendanceSheet.lesson_date, AttendanceSheet.starts_at)
    )
    for row in rows:
        covered[row.justification_id].append(
            CoveredAbsence(
                id=row.id,
                date=row.lesson_date,
                start_time=row.starts_at,
                subject=SubjectRef.model_validate(row.Subject),
            )
        )
    return covered


async def _document(
    session: AsyncSession, store: DocumentStore, where: ColumnElement[bool]
) -> Document:
    row = (
        await session.execute(
            select(Justification.document_key, Justification.document_type).where(
                where, Justification.document_key.is_not(None)
            )
        )
    ).one_or_none()
    if row is None or row.document_key is None or row.document_type is None:
        raise NotFound()
    try:
        content = await store.get(row.document_key)
    except DocumentMissing:
        # The row says there is a file and the store has none: worth a look, not a 500.
        log.warning("a justification's document is missing from the document store")
        raise NotFound() from None
    return Document(key=row.document_key, content=content, content_type=row.document_type)


def _covered_absence(absence: _Absence) -> CoveredAbsence:
    return CoveredAbsence.of(absence, date=absence.lesson_date)


def _out(justification: Justification, covered: list[CoveredAbsence]) -> JustificationOut:
    document = (
        DocumentInfo(content_type=justification.document_type, size=justification.document_size)
        if justification.document_type is not None and justification.document_size is not None
        else None
    )
    return JustificationOut.of(justification, document=document, absences=covered)

"""Messages between parents and the school, shared by the parent, teacher and school faces.

A parent starts a thread about a verified child with a member of the child's current school
(school staff) or a teacher of the child's current class; both sides then reply. A parent sees
their threads while their link to the child stays verified; a teacher or staff member sees the
threads they are the staff member of, in their own school. Anyone else's thread is a 404.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Row, Select, exists, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute, aliased

from app.academics.calendar import current_year
from app.academics.models import Pupil, Subject, TeachingAssignment
from app.academics.schemas import SubjectRef
from app.accounts.models import User
from app.accounts.schemas import PersonRef, PupilRef
from app.core.listing import timestamp_page
from app.core.pagination import PageRequest
from app.core.roles import Role
from app.core.security.principal import Principal
from app.errors import Forbidden, NotFound, invalid
from app.family.links import child_of
from app.family.models import GuardianLink
from app.family.pupil_records import current_classes
from app.messaging.models import Message, MessageThread, NotificationCategory
from app.messaging.notifications import NotificationTexts, notify
from app.messaging.schemas import (
    MessageOut,
    NewThreadIn,
    RecipientOut,
    ReplyIn,
    ThreadDetail,
    ThreadOut,
    ThreadPage,
)

_parent = aliased(User, name="parent")
_staff = aliased(User, name="staff")
_author = aliased(User, name="author")


@dataclass(frozen=True, slots=True)
class _Side:
    """Which end of a thread the caller holds: what they may see, and their read mark."""

    scope: ColumnElement[bool]
    read_at: InstrumentedAttribute[datetime | None]
    other: InstrumentedAttribute[uuid.UUID]


def _side(principal: Principal) -> _Side:
    if principal.role is Role.PARENT:
        verified = exists().where(
            GuardianLink.parent_id == principal.user_id,
            GuardianLink.pupil_id == MessageThread.pupil_id,
            GuardianLink.verified_at.is_not(None),
        )
        return _Side(
            scope=(MessageThread.parent_id == principal.user_id) & verified,
            read_at=MessageThread.parent_read_at,
            other=MessageThread.staff_id,
        )
    if principal.role in (Role.TEACHER, Role.SCHOOL_STAFF):
        return _Side(
            scope=(MessageThread.staff_id == principal.user_id)
            & (MessageThread.school_id == principal.school_id),
            read_at=MessageThread.staff_read_at,
            other=MessageThread.parent_id,
        )
    raise Forbidden()


# ---- who a parent may write to --------------------------------------------------------------


async def recipients(
    session: AsyncSession, principal: Principal, child_id: uuid.UUID
) -> list[RecipientOut]:
    """The staff of a verified child's school, then the teachers of the child's class."""
    await child_of(session, principal, child_id)
    return await _recipients(session, child_id)


async def _recipients(session: AsyncSession, pupil_id: uuid.UUID) -> list[RecipientOut]:
    school_id = select(Pupil.school_id).where(Pupil.id == pupil_id).scalar_subquery()
    staff = await session.scalars(
        select(User)
        .where(
            User.role == Role.SCHOOL_STAFF, User.school_id == school_id, User.is_active.is_(True)
        )
        .order_by(User.title, User.last_name, User.first_name)
    )
    found = [RecipientOut(**PersonRef.model_validate(u).model_dump(), subjects=[]) for u in staff]
    school_class = (await current_classes(session, [pupil_id])).get(pupil_id)
    if school_class is None:
        return found
    rows = await session.execute(
        select(User, Subject)
        .join(TeachingAssignment, TeachingAssignment.teacher_id == User.id)
        .join(Subject, Subject.id == TeachingAssignment.subject_id)
        .where(
            TeachingAssignment.class_id == school_class.id,
            TeachingAssignment.school_id == school_id,
            TeachingAssignment.school_year == current_year(),
            User.role == Role.TEACHER,
            User.is_active.is_(True),
        )
        .order_by(User.last_name, User.first_name, User.id, Subject.code)
    )
    teachers: dict[uuid.UUID, RecipientOut] = {}
    for user, subject in rows:
        teacher = teachers.setdefault(
            user.id, RecipientOut(**PersonRef.model_validate(user).model_dump(), subjects=[])
        )
        teacher.subjects.append(SubjectRef.model_validate(subject))
    return found + list(teachers.values())


# ---- threads --------------------------------------------------------------------------------


async def start_thread(
    session: AsyncSession, principal: Principal, new: NewThreadIn
) -> ThreadDetail:
    """A parent's new thread about a verified child, with its first message; the recipient
    is told."""
    await child_of(session, principal, new.child_id)
    allowed = {r.id for r in await _recipients(session, new.child_id)}
    if new.recipient_id not in allowed:
        raise invalid(
            "body.recipient_id", "not someone you may write to about this child", "not_allowed"
        )
    school_id = await session.scalar(select(Pupil.school_id).where(Pupil.id == new.child_id))
    assert school_id is not None  # child_of found the pupil
    thread_id = uuid.uuid4()
    await session.execute(
        insert(MessageThread).values(
            id=thread_id,
            school_id=school_id,
            pupil_id=new.child_id,
            parent_id=principal.user_id,
            staff_id=new.recipient_id,
            subject=new.subject,
        )
    )
    head = _Head(thread_id, school_id, new.child_id, new.subject, new.recipient_id)
    await _post(session, principal, _side(principal), head, new.body)
    return await read_thread(session, principal, thread_id)


async def list_threads(
    session: AsyncSession,
    principal: Principal,
    page: PageRequest,
) -> ThreadPage:
    """A page of my threads, newest activity first, and how many of them have unread news."""
    side = _side(principal)
    rows, next_cursor = await timestamp_page(
        session, _threads(principal, side), MessageThread.last_message_at, MessageThread.id, page
    )
    items = [_thread_out(row) for row in rows]
    unread = await session.scalar(
        select(func.count()).select_from(MessageThread).where(side.scope, _unread(side))
    )
    return ThreadPage(items=items, next_cursor=next_cursor, unread_threads=unread or 0)


async def read_thread(
    session: AsyncSession, principal: Principal, thread_id: uuid.UUID
) -> ThreadDetail:
    """One of my threads with its messages, oldest first; it is read now."""
    side = _side(principal)
    # The update comes first: it waits for a message being written to the thread, so what
    # is marked read is exactly what is returned.
    marked = await session.scalar(
        update(MessageThread)
        .where(MessageThread.id == thread_id, side.scope)
        .values({side.read_at: MessageThread.last_message_at})
        .returning(MessageThread.id)
        .execution_options(synchronize_session=False)
    )
    if marked is None:
        raise NotFound()
    row = (
        await session.execute(_threads(principal, side).where(MessageThread.id == thread_id))
    ).one()
    messages = await session.execute(
        select(Message.id, Message.body, Message.created_at, _author)
        .join(_author, _author.id == Message.author_id)
        .where(Message.thread_id == thread_id, Message.school_id == row.MessageThread.school_id)
        .order_by(Message.created_at, Message.id)
    )
    return ThreadDetail(
        **_thread_out(row).model_dump(),
        messages=[MessageOut.of(m, author=PersonRef.model_validate(m.author)) for m in messages],
    )


async def reply(
    session: AsyncSession, principal: Principal, thread_id: uuid.UUID, message: ReplyIn
) -> MessageOut:
    """Add my message to one of my threads; the other side is told."""
    side = _side(principal)
    return await _post(
        session, principal, side, await _head(session, side, thread_id), message.body
    )


# ---- shared ---------------------------------------------------------------------------------


def _unread(side: _Side) -> ColumnElement[bool]:
    # Writing marks the thread read for its author, so a later message is the other side's.
    return or_(side.read_at.is_(None), MessageThread.last_message_at > side.read_at)


def _threads(principal: Principal, side: _Side) -> Select[Any]:
    """My threads with the pupil, both people and my unread count, in one statement."""
    unread_count = (
        select(func.count())
        .where(
            Message.thread_id == MessageThread.id,
            Message.school_id == MessageThread.school_id,
            Message.author_id != principal.user_id,
            or_(side.read_at.is_(None), Message.created_at > side.read_at),
        )
        .correlate(MessageThread)
        .scalar_subquery()
    )
    return (
        select(MessageThread, Pupil, _parent, _staff, unread_count.label("unread_count"))
        .join(Pupil, Pupil.id == MessageThread.pupil_id)
        .join(_parent, _parent.id == MessageThread.parent_id)
        .join(_staff, _staff.id == MessageThread.staff_id)
        .where(side.scope)
    )


def _thread_out(row: Row[Any]) -> ThreadOut:
    thread: MessageThread = row.MessageThread
    return ThreadOut.of(
        thread,
        pupil=PupilRef.model_validate(row.Pupil),
        parent=PersonRef.model_validate(row.parent),
        staff=PersonRef.model_validate(row.staff),
        unread=row.unread_count > 0,
        unread_count=row.unread_count,
    )


@dataclass(frozen=True, slots=True)
class _Head:
    """What posting to a thread needs: where it is, who is at the other end, and the names
    the notification shows."""

    id: uuid.UUID
    school_id: uuid.UUID
    pupil_id: uuid.UUID
    subject: str
    other_id: uuid.UUID


async def _head(session: AsyncSession, side: _Side, thread_id: uuid.UUID) -> _Head:
    row = (
        await session.execute(
            select(
                MessageThread.id,
                MessageThread.school_id,
                MessageThread.pupil_id,
                MessageThread.subject,
                side.other,
            ).where(MessageThread.id == thread_id, side.scope)
        )
    ).one_or_none()
    if row is None:
        raise NotFound()
    return _Head(*row)


async def _post(
    session: AsyncSession, principal: Principal, side: _Side, head: _Head, body: str
) -> MessageOut:
    """Write a message, move the thread's activity (read for its author) and tell the other."""
    message_id, created_at = (
        await session.execute(
            insert(Message)
            .values(
                id=uuid.uuid4(),
                thread_id=head.id,
                school_id=head.school_id,
                author_id=principal.user_id,
                body=body,
            )
            .returning(Message.id, Message.created_at)
        )
    ).one()
    await session.execute(
        update(MessageThread)
        .where(MessageThread.id == head.id)
        .values({MessageThread.last_message_at: created_at, side.read_at: created_at})
        .execution_options(synchronize_session=False)
    )
    author = await session.get_one(User, principal.user_id)
    await notify(
        session,
        [head.other_id],
        NotificationCategory.MESSAGES,
        _message_texts(author, head.subject),
        {"thread_id": head.id, "pupil_id": head.pupil_id, "message_id": message_id},
    )
    return MessageOut(
        id=message_id, author=PersonRef.model_validate(author), body=body, created_at=created_at
    )


def _message_texts(author: User, subject: str) -> NotificationTexts:
    name_fr = f"{author.first_name} {author.last_name}"
    name_ar = (
        f"{author.first_name_ar} {author.last_name_ar}"
        if author.first_name_ar and author.last_name_ar
        else name_fr
    )
    return NotificationTexts(
        title_ar="رسالة جديدة",
        title_fr="Nouveau message",
        body_ar=f"{name_ar}: {subject}",
        body_fr=f"{name_fr} : {subject}",
    )

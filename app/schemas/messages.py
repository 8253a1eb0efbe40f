"""Messages between parents and their children's teachers and school staff."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import Field, StringConstraints

from app.models.messages import BODY_MAX, SUBJECT_MAX
from app.schemas.common import Page, Schema
from app.schemas.people import PersonRef, PupilRef
from app.schemas.teacher import SubjectRef

Subject = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=SUBJECT_MAX)
]
Body = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=BODY_MAX)]


class RecipientOut(PersonRef):
    """Someone a parent may write to about a child: school staff, or a teacher of the class."""

    subjects: list[SubjectRef] = Field(description="What a teacher teaches the child's class.")


class ThreadOut(Schema):
    id: uuid.UUID
    subject: str
    pupil: PupilRef
    parent: PersonRef
    staff: PersonRef
    created_at: datetime
    last_message_at: datetime
    unread: bool = Field(description="The other side wrote since I last opened the thread.")
    unread_count: int


class ThreadPage(Page[ThreadOut]):
    """Newest activity first; `unread_threads` counts all my threads, not only this page."""

    unread_threads: int


class MessageOut(Schema):
    id: uuid.UUID
    author: PersonRef
    body: str
    created_at: datetime


class ThreadDetail(ThreadOut):
    messages: list[MessageOut] = Field(description="Oldest first.")


class NewThreadIn(Schema):
    child_id: uuid.UUID
    recipient_id: uuid.UUID = Field(description="One of GET /parent/children/{id}/recipients.")
    subject: Subject
    body: Body


class ReplyIn(Schema):
    body: Body

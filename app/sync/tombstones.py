"""What was deleted since an app's last sync: the tombstones the synced tables leave.

A trigger on each synced table (tests, marks, lessons, attendance, roster entries) writes a
tombstone when a row is deleted, whatever deleted it. The delta reads (`…/changes?since=`)
answer the ids of the tombstones of their kind in the caller's scope beside the rows changed;
OneRoster answers them as `status: tobedeleted`. Tombstones are purged after the sync window
(`MASSAR_RETENTION_SYNC_DAYS`, `app/retention.py`); a `since` older than the window cannot be
answered truthfully (deletions may be purged), so it is refused with 410 and the app syncs in
full.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.errors import ProblemError
from app.settings import get_settings
from app.sync.models import Tombstone


class Kind(StrEnum):
    """What a tombstone stands for, and the column it is read under (`container_id`)."""

    TEST = "test"  # a class test; container: its class
    MARK = "mark"  # a pupil's mark; container: its test
    LESSON = "lesson"  # a lesson log entry; container: its class
    ATTENDANCE = "attendance"  # a pupil's status in a roll call; container: its sheet
    ROSTER = "roster"  # a pupil's enrolment (entity: the pupil); container: its class


WINDOW_PASSED: dict[int | str, dict[str, Any]] = {
    410: {
        "description": "`since` is older than the sync window: deletions from then may be "
        "forgotten; sync afresh, without `since`."
    }
}


def tombstones_since(
    kind: Kind,
    since: datetime,
    schools: uuid.UUID | Select[uuid.UUID],
    *within: ColumnElement[bool],
) -> Select[Tombstone]:
    """The tombstones of `kind` written at or after `since` in `schools` (one school's id, or
    a select of school ids: the caller's scope), narrowed by `within` (conditions on
    `Tombstone.container_id` and `Tombstone.subject_id`), oldest first. The statement is
    returned for the caller to run, page or combine; it reads the index on (school, kind,
    deleted_at)."""
    in_schools = (
        Tombstone.school_id == schools
        if isinstance(schools, uuid.UUID)
        else Tombstone.school_id.in_(schools.scalar_subquery())
    )
    return (
        select(Tombstone)
        .where(in_schools, Tombstone.kind == kind.value, Tombstone.deleted_at >= since, *within)
        .order_by(Tombstone.deleted_at, Tombstone.id)
    )


async def deleted_ids(
    session: AsyncSession,
    kind: Kind,
    since: datetime,
    school_id: uuid.UUID | None,
    *within: ColumnElement[bool],
) -> list[uuid.UUID]:
    """The ids deleted since then in one school, each once; 410 when `since` is older than
    the sync window."""
    require_within_window(since)
    if school_id is None:
        return []
    statement = tombstones_since(kind, since, school_id, *within)
    ids = await session.scalars(statement.with_only_columns(Tombstone.entity_id))
    return list(dict.fromkeys(ids))


def window_passed(since: datetime, now: datetime | None = None) -> bool:
    """Whether the retention may already have purged deletions made after `since`: a delta
    from then cannot be answered truthfully, whatever the face."""
    window = timedelta(days=get_settings().retention_sync_days)
    if since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    return since < (now or datetime.now(UTC)) - window


def require_within_window(since: datetime, now: datetime | None = None) -> None:
    """Refuse a `since` whose deletions the retention may already have purged."""
    if window_passed(since, now):
        raise ProblemError(410, "sync.window_passed")


def merged(*groups: Sequence[uuid.UUID]) -> list[uuid.UUID]:
    """Ids from several sources, each once, in order."""
    return list(dict.fromkeys(uid for group in groups for uid in group))

"""Emitting an event: in the transaction of the change, one delivery per live endpoint that
subscribed to it and whose client's part of the tree holds the school, each with the payload
that client's scopes allow. Nothing is sent before the commit; nothing is read when nobody
listens.

A payload is built once per event, with the values only some scopes may see wrapped in
`Shown(scope, value)`; `reveal` gives each client its own copy, the wrapped values it may not
see left out (the key and all)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, or_, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.roles import Level
from app.integrations.models import ApiClient
from app.integrations.scopes import ApiScope
from app.organisation.models import School
from app.webhooks.models import EventType, WebhookDelivery, WebhookEndpoint

# The scope a client needs to subscribe to an event, and to be sent it.
EVENT_SCOPES: dict[EventType, ApiScope] = {
    EventType.MARKS_PUBLISHED: ApiScope.RESULTS_READ,
    EventType.EXAM_RESULTS_PUBLISHED: ApiScope.RESULTS_READ,
    EventType.ENROLMENTS_CHANGED: ApiScope.ROSTER_READ,
    EventType.MARKS_CORRECTED: ApiScope.RESULTS_READ,
    EventType.DOCUMENTS_REVOKED: ApiScope.DOCUMENTS_VERIFY,
}


@dataclass(frozen=True, slots=True)
class Shown:
    """A value only a client holding `scope` is sent."""

    scope: ApiScope
    value: Any


def reveal(data: Any, scopes: frozenset[ApiScope]) -> Any:
    """`data` as a client of `scopes` may see it: `Shown` values it lacks the scope of are left
    out, the others unwrapped."""
    if isinstance(data, Shown):
        return reveal(data.value, scopes)
    if isinstance(data, dict):
        return {
            key: reveal(value, scopes)
            for key, value in data.items()
            if not isinstance(value, Shown) or value.scope in scopes
        }
    if isinstance(data, list):
        return [reveal(item, scopes) for item in data]
    return data


def _covers_school(school: Any) -> ColumnElement[bool]:
    """A client's unit holds the school: the ministry, its academy or its directorate."""
    return or_(
        ApiClient.owner_level == Level.CENTRAL,
        and_(ApiClient.owner_level == Level.ACADEMY, ApiClient.academy_id == school.academy_id),
        and_(ApiClient.owner_level == Level.PROVINCE, ApiClient.province_id == school.province_id),
    )


async def listened_to(session: AsyncSession, event_type: EventType) -> bool:
    """Whether any live endpoint subscribed to `event_type`, wherever its client is: an event
    about thousands of schools is not looked up school by school for nobody."""
    endpoint = (
        select(WebhookEndpoint.id)
        .join(ApiClient, ApiClient.id == WebhookEndpoint.client_id)
        .where(*_listening(event_type))
    )
    return bool(await session.scalar(select(endpoint.exists())))


def _listening(event_type: EventType) -> tuple[ColumnElement[bool], ...]:
    """A live endpoint subscribed to `event_type`, of a live client."""
    return (
        WebhookEndpoint.events.contains([event_type.value]),
        WebhookEndpoint.disabled_at.is_(None),
        ApiClient.revoked_at.is_(None),
    )


# A listening endpoint, and the scopes of its client (what its payload may carry).
Listener = tuple[uuid.UUID, list[str]]


async def listeners_by_school(
    session: AsyncSession,
    event_type: EventType,
    schools: Sequence[uuid.UUID] | Select[uuid.UUID],
) -> dict[uuid.UUID, list[Listener]]:
    """The live endpoints listening to `event_type` of clients that hold its scope and whose
    unit holds each of `schools` (ids, or a statement of them), in one statement; schools
    nobody listens to are left out."""
    rows = await session.execute(
        select(School.id, WebhookEndpoint.id, ApiClient.scopes)
        .select_from(WebhookEndpoint)
        .join(ApiClient, ApiClient.id == WebhookEndpoint.client_id)
        .join(School, _covers_school(School))
        .where(
            School.id.in_(schools),
            *_listening(event_type),
            ApiClient.scopes.contains([EVENT_SCOPES[event_type].value]),
        )
    )
    found: dict[uuid.UUID, list[Listener]] = defaultdict(list)
    for school_id, endpoint_id, scopes in rows.all():
        found[school_id].append((endpoint_id, scopes))
    return dict(found)


async def emit(
    session: AsyncSession,
    event_type: EventType,
    school_id: uuid.UUID,
    build: Callable[[], Awaitable[dict[str, Any]]],
) -> uuid.UUID | None:
    """Queue `event_type` about `school_id` for every endpoint that listens; `build` makes the
    data (with `Shown` values) and runs only if one does. The event's id, or None."""
    found = await listeners_by_school(session, event_type, [school_id])
    return await _queue(session, event_type, found.get(school_id, []), build)


async def emit_per_school(
    session: AsyncSession,
    event_type: EventType,
    schools: Select[uuid.UUID],
    build: Callable[[uuid.UUID], Awaitable[dict[str, Any]]],
) -> int:
    """Queue one `event_type` per school of `schools` that someone listens to, the listeners
    of all of them read in one statement; `build(school_id)` runs only for those. How many
    events were queued."""
    found = await listeners_by_school(session, event_type, schools)
    for school_id in sorted(found):
        await _queue(session, event_type, found[school_id], partial(build, school_id))
    return len(found)


async def _queue(
    session: AsyncSession,
    event_type: EventType,
    listeners: Sequence[Listener],
    build: Callable[[], Awaitable[dict[str, Any]]],
) -> uuid.UUID | None:
    if not listeners:
        return None
    event_id = uuid.uuid4()
    envelope = {
        "id": str(event_id),
        "type": event_type.value,
        "occurred_at": datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "data": await build(),
    }
    rows = [
        {
            "endpoint_id": endpoint_id,
            "event_id": event_id,
            "event_type": event_type,
            "payload": reveal(envelope, frozenset(ApiScope(s) for s in scopes)),
        }
        for endpoint_id, scopes in listeners
    ]
    await session.execute(insert(WebhookDelivery).values(rows).on_conflict_do_nothing())
    return event_id

"""Equipment requests: a school asks its directorate for articles; the directorate allocates
(perhaps less than asked) or refuses; on delivery the allocated quantities enter the school's
inventory as `received` movements, in bulk.

Who acts: the school's staff submit, cancel (while submitted) and confirm delivery; the staff
of the school's own directorate allocate, refuse and deliver; academies and the ministry read."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.calendar import school_today
from app.accounts.models import User
from app.core.listing import found, keyset_page, where_given
from app.core.pagination import PageRequest
from app.core.roles import Role
from app.core.schemas import Page, SchoolRef
from app.core.security.principal import Principal
from app.core.workflow import Workflow, move
from app.errors import InvalidInput, field_error, invalid
from app.messaging.models import NotificationCategory
from app.messaging.notifications import NotificationTexts, notify
from app.modules.equipment.catalogue import catalogue_items, item_ref
from app.modules.equipment.inventory import Receipt, add_to_lines
from app.modules.equipment.models import (
    EquipmentCondition,
    EquipmentItem,
    EquipmentMovement,
    EquipmentRequest,
    EquipmentRequestLine,
    EquipmentRequestStatus,
    MovementKind,
)
from app.modules.equipment.schemas import (
    AllocateIn,
    DeliverIn,
    RequestIn,
    RequestLineOut,
    RequestOut,
)
from app.organisation.models import School
from app.organisation.scopes import school_scope

Status = EquipmentRequestStatus
FLOW = Workflow(
    {
        "allocate": move(Status.SUBMITTED, Status.ALLOCATED),
        "refuse": move(Status.SUBMITTED, Status.REFUSED),
        "deliver": move(Status.ALLOCATED, Status.DELIVERED),
        "cancel": move(Status.SUBMITTED, Status.CANCELLED),
    }
)
_ACTIONS_BY_ROLE = {
    Role.SCHOOL_STAFF: {"cancel", "deliver"},
    Role.PROVINCE_STAFF: {"allocate", "refuse", "deliver"},
}


def _actions(principal: Principal, status: Status) -> list[str]:
    mine = _ACTIONS_BY_ROLE.get(principal.role, set())
    return [action for action in FLOW.actions(status) if action in mine]


# ---- reading --------------------------------------------------------------------------------


def _requests(scope: ColumnElement[bool]) -> Select[EquipmentRequest, School]:
    return (
        select(EquipmentRequest, School)
        .join(School, School.id == EquipmentRequest.school_id)
        .where(scope)
    )


def _school_side(principal: Principal) -> ColumnElement[bool]:
    return EquipmentRequest.school_id == principal.school_id


def _in_my_part(principal: Principal) -> ColumnElement[bool]:
    """Requests of the schools in my part of the tree: my own school's, for its staff."""
    return school_scope(
        principal, School.id, province_id=School.province_id, academy_id=School.academy_id
    )


async def _outs(
    session: AsyncSession, principal: Principal, rows: Sequence[Any]
) -> list[RequestOut]:
    """The requests with their lines, loaded for all of them in one statement."""
    lines: dict[uuid.UUID, list[RequestLineOut]] = defaultdict(list)
    if rows:
        statement = (
            select(EquipmentRequestLine, EquipmentItem)
            .join(EquipmentItem, EquipmentItem.id == EquipmentRequestLine.item_id)
            .where(EquipmentRequestLine.request_id.in_([r[0].id for r in rows]))
            .order_by(EquipmentItem.code)
            .execution_options(populate_existing=True)
        )
        for line, item in await session.execute(statement):
            lines[line.request_id].append(RequestLineOut.of(line, item=item_ref(item)))
    return [_out(principal, request, school, lines[request.id]) for request, school in rows]


def _out(
    principal: Principal,
    request: EquipmentRequest,
    school: School,
    lines: list[RequestLineOut],
) -> RequestOut:
    return RequestOut.of(
        request,
        school=SchoolRef.model_validate(school),
        lines=lines,
        actions=_actions(principal, request.status),
    )


async def list_requests(
    session: AsyncSession,
    principal: Principal,
    page: PageRequest,
    *,
    status: Status | None,
    school_id: uuid.UUID | None = None,
) -> Page[RequestOut]:
    """Requests of the schools in my part of the tree (my school's, for its staff), newest
    first."""
    statement = where_given(
        _requests(_in_my_part(principal)),
        {EquipmentRequest.status: status, EquipmentRequest.school_id: school_id},
    )
    keys = (EquipmentRequest.submitted_at, EquipmentRequest.id)
    rows, cursor = await keyset_page(session, statement, keys, page, descending=True)
    return Page(items=await _outs(session, principal, rows), next_cursor=cursor)


async def get_request(
    session: AsyncSession, principal: Principal, request_id: uuid.UUID
) -> RequestOut:
    """A request of a school in my part of the tree (404 for any other)."""
    statement = _requests(_in_my_part(principal)).where(EquipmentRequest.id == request_id)
    row = found(
        (await session.execute(statement.execution_options(populate_existing=True))).first()
    )
    return (await _outs(session, principal, [row]))[0]


# ---- the school's side ----------------------------------------------------------------------


async def submit_request(session: AsyncSession, principal: Principal, new: RequestIn) -> RequestOut:
    """Ask my directorate for articles of the catalogue (one line per article)."""
    assert principal.school_id is not None
    known = await catalogue_items(session, [line.item_id for line in new.lines])
    errors, seen = [], set()
    for index, line in enumerate(new.lines):
        if line.item_id not in known:
            errors.append(field_error(f"body.lines.{index}.item_id", "not in the catalogue"))
        elif line.item_id in seen:
            errors.append(
                field_error(f"body.lines.{index}.item_id", "already asked for", "duplicate")
            )
        seen.add(line.item_id)
    if errors:
        raise InvalidInput(errors)
    request = EquipmentRequest(
        id=uuid.uuid4(),
        school_id=principal.school_id,
        note=new.note,
        submitted_by=principal.user_id,
        submitted_at=datetime.now(UTC),
    )
    session.add(request)
    await session.flush()
    session.add_all(
        EquipmentRequestLine(
            school_id=principal.school_id, request_id=request.id, **line.model_dump()
        )
        for line in new.lines
    )
    await session.flush()
    out = await get_request(session, principal, request.id)
    await _tell_directorate(session, out)
    return out


async def _locked(
    session: AsyncSession, scope: ColumnElement[bool], request_id: uuid.UUID
) -> EquipmentRequest:
    return found(
        await session.scalar(
            select(EquipmentRequest)
            .join(School, School.id == EquipmentRequest.school_id)
            .where(EquipmentRequest.id == request_id, scope)
            .with_for_update(of=EquipmentRequest)
            .execution_options(populate_existing=True)
        )
    )


async def cancel(session: AsyncSession, principal: Principal, request_id: uuid.UUID) -> RequestOut:
    """Withdraw my school's request while the directorate has not answered."""
    request = await _locked(session, _school_side(principal), request_id)
    request.status = FLOW.next(request.status, "cancel")
    await session.flush()
    return await get_request(session, principal, request_id)


async def confirm_delivery(
    session: AsyncSession, principal: Principal, request_id: uuid.UUID, body: DeliverIn
) -> RequestOut:
    """My school received what was allocated: it enters the inventory."""
    return await _deliver(session, principal, _school_side(principal), request_id, body)


# ---- the directorate's side -----------------------------------------------------------------


def _directorate_side(principal: Principal) -> ColumnElement[bool]:
    """Only the staff of the school's own directorate act on its requests (the routes let
    only directorates' staff through; for anyone else this matches nothing)."""
    return School.province_id == principal.province_id


async def allocate(
    session: AsyncSession, principal: Principal, request_id: uuid.UUID, body: AllocateIn
) -> RequestOut:
    """Set what the directorate gives for each line (at most what was asked)."""
    request = await _locked(session, _directorate_side(principal), request_id)
    status = FLOW.next(request.status, "allocate")
    lines = {
        line.id: line
        for line in await session.scalars(
            select(EquipmentRequestLine).where(
                EquipmentRequestLine.request_id == request.id,
                EquipmentRequestLine.school_id == request.school_id,
            )
        )
    }
    _check_allocation(body, lines)
    for given in body.lines:
        lines[given.line_id].allocated_quantity = given.allocated_quantity
    _decide(request, principal, status, body.comment)
    await session.flush()
    out = await get_request(session, principal, request_id)
    await _tell_school(session, out, "allocated")
    return out


def _check_allocation(body: AllocateIn, lines: dict[uuid.UUID, EquipmentRequestLine]) -> None:
    errors = []
    given = [g.line_id for g in body.lines]
    for index, line in enumerate(body.lines):
        field = f"body.lines.{index}"
        if line.line_id not in lines or given.count(line.line_id) > 1:
            errors.append(field_error(f"{field}.line_id", "not a line of this request, or twice"))
        elif line.allocated_quantity > lines[line.line_id].quantity:
            errors.append(
                field_error(
                    f"{field}.allocated_quantity",
                    f"more than the {lines[line.line_id].quantity} asked for",
                    "over_requested",
                )
            )
    if not errors and set(given) != set(lines):
        errors.append(field_error("body.lines", "every line of the request is needed", "missing"))
    if not errors and not any(g.allocated_quantity for g in body.lines):
        errors.append(field_error("body.lines", "nothing allocated: refuse instead", "empty"))
    if errors:
        raise InvalidInput(errors)


def _decide(
    request: EquipmentRequest, principal: Principal, status: Status, comment: str | None
) -> None:
    request.status = status
    request.decided_by, request.decided_at = principal.user_id, datetime.now(UTC)
    request.decision_comment = comment


async def refuse(
    session: AsyncSession, principal: Principal, request_id: uuid.UUID, comment: str
) -> RequestOut:
    """Refuse a request, saying why."""
    request = await _locked(session, _directorate_side(principal), request_id)
    _decide(request, principal, FLOW.next(request.status, "refuse"), comment)
    await session.flush()
    out = await get_request(session, principal, request_id)
    await _tell_school(session, out, "refused")
    return out


async def deliver(
    session: AsyncSession, principal: Principal, request_id: uuid.UUID, body: DeliverIn
) -> RequestOut:
    """The directorate delivered the allocated articles to the school."""
    return await _deliver(session, principal, _directorate_side(principal), request_id, body)


async def _deliver(
    session: AsyncSession,
    principal: Principal,
    side: ColumnElement[bool],
    request_id: uuid.UUID,
    body: DeliverIn,
) -> RequestOut:
    """Mark delivered and bring the allocated quantities into the school's inventory: one
    upsert for the lines and one insert for the `received` movements; the school is told."""
    request = await _locked(session, side, request_id)
    status = FLOW.next(request.status, "deliver")
    delivered_on = body.delivered_on or school_today()
    if delivered_on > school_today():
        raise invalid("body.delivered_on", "must not be in the future", "future")
    allocated = list(
        await session.execute(
            select(EquipmentRequestLine.item_id, EquipmentRequestLine.allocated_quantity).where(
                EquipmentRequestLine.request_id == request.id,
                EquipmentRequestLine.school_id == request.school_id,
                EquipmentRequestLine.allocated_quantity > 0,
            )
        )
    )
    receipts = [
        Receipt(
            r.item_id, r.allocated_quantity, EquipmentCondition.NEW, body.location, delivered_on
        )
        for r in allocated
    ]
    if not receipts:  # an allocation gives something: only a hand-made row could get here
        raise invalid("body", "nothing was allocated", "empty")
    lines = await add_to_lines(session, request.school_id, receipts)
    await session.execute(
        insert(EquipmentMovement).values(
            [
                {
                    "id": uuid.uuid4(),
                    "school_id": request.school_id,
                    "item_id": r.item_id,
                    "kind": MovementKind.RECEIVED,
                    "quantity": r.quantity,
                    "to_line_id": lines[r.item_id, r.condition, r.location],
                    "request_id": request.id,
                    "occurred_on": delivered_on,
                    "recorded_by": principal.user_id,
                }
                for r in receipts
            ]
        )
    )
    request.status = status
    request.delivered_by, request.delivered_at = principal.user_id, datetime.now(UTC)
    await session.flush()
    out = await get_request(session, principal, request_id)
    await _tell_school(session, out, "delivered")
    return out


# ---- notifications --------------------------------------------------------------------------


async def _staff(session: AsyncSession, role: Role, place: ColumnElement[bool]) -> list[uuid.UUID]:
    return list(
        await session.scalars(select(User.id).where(User.role == role, User.is_active, place))
    )


async def _tell_directorate(session: AsyncSession, request: RequestOut) -> None:
    """A new request: the staff of the school's directorate are told."""
    province = select(School.province_id).where(School.id == request.school.id).scalar_subquery()
    staff = await _staff(session, Role.PROVINCE_STAFF, User.province_id == province)
    name = request.school.name_fr
    texts = NotificationTexts(
        title_ar="طلب جديد للعتاد الديداكتيكي",
        title_fr="Nouvelle demande de matériel didactique",
        body_ar=f"{request.school.name_ar} ({request.school.code}) أرسلت طلبا للعتاد.",
        body_fr=f"{name} ({request.school.code}) demande du matériel didactique.",
    )
    await notify(session, staff, NotificationCategory.EQUIPMENT, texts, {"request_id": request.id})


_SCHOOL_NEWS = {
    "allocated": ("Demande de matériel : dotation accordée", "طلب العتاد: تمت الموافقة على الحصة"),
    "refused": ("Demande de matériel refusée", "تم رفض طلب العتاد"),
    "delivered": ("Matériel livré et entré en inventaire", "تم تسليم العتاد وإدخاله في الجرد"),
}


async def _tell_school(session: AsyncSession, request: RequestOut, news: str) -> None:
    """The school's staff hear of the directorate's answer and of the delivery."""
    staff = await _staff(session, Role.SCHOOL_STAFF, User.school_id == request.school.id)
    title_fr, title_ar = _SCHOOL_NEWS[news]
    lines = sum(1 for line in request.lines if line.allocated_quantity)
    texts = NotificationTexts(
        title_ar=title_ar,
        title_fr=title_fr,
        body_ar=f"طلب العتاد المؤرخ في {request.submitted_at:%d/%m/%Y}: {lines} سطر(ة) مخصصة.",
        body_fr=(
            f"Demande du {request.submitted_at:%d/%m/%Y} : {lines} ligne(s) dotée(s)."
            if news != "refused"
            else f"Demande du {request.submitted_at:%d/%m/%Y} : {request.decision_comment}"[:500]
        ),
    )
    data = {"request_id": request.id, "status": request.status.value}
    await notify(session, staff, NotificationCategory.EQUIPMENT, texts, data)

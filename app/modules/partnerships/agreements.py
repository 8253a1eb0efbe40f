"""Partnership agreements (conventions de partenariat): their terms, contributions and
concerned schools, their workflow, the lists of those ending soon, and the steering figure.

A unit (school, directorate, academy, ministry) manages what it owns (`owned_by`). Steering
units read everything owned within their part of the tree; a school also reads the agreements
of the units above it that concern it, once they are no longer drafts. Every function puts the
caller's scope in the SQL itself. Partners live in `partnership_partners`.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    delete,
    exists,
    false,
    func,
    insert,
    literal,
    or_,
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.calendar import school_today
from app.accounts.models import User
from app.core.listing import found, keyset_page, where_given
from app.core.ownership import (
    managed,
    owned_above,
    owned_by,
    owned_within,
    owner_place,
    unit_within,
)
from app.core.pagination import PageRequest
from app.core.roles import Level, Role
from app.core.schemas import Page
from app.core.security.principal import Principal
from app.core.workflow import Workflow, move
from app.errors import Conflict, InvalidInput, field_error, invalid
from app.messaging.models import NotificationCategory
from app.messaging.notifications import NotificationTexts, notify
from app.modules.partnerships.models import (
    Agreement,
    AgreementContribution,
    AgreementDomain,
    AgreementSchool,
    AgreementStatus,
    ContributionKind,
    Partner,
    PartnerKind,
)
from app.modules.partnerships.partners import owner_name, owner_out, visible_partner, with_owner
from app.modules.partnerships.schemas import (
    AgreementAction,
    AgreementIn,
    AgreementOut,
    ConcernedSchool,
    ContributionOut,
    PartnerRef,
    PartnershipFigures,
)
from app.organisation.models import School
from app.organisation.schemas import UnitOut
from app.organisation.scopes import school_scope

S = AgreementStatus
FLOW = Workflow(
    {
        "activate": move(S.DRAFT, S.ACTIVE),
        "suspend": move(S.ACTIVE, S.SUSPENDED),
        "resume": move(S.SUSPENDED, S.ACTIVE),
        "end": move({S.ACTIVE, S.SUSPENDED}, S.ENDED),
    }
)
EXPIRING_DAYS = 60
_STAFF_ROLE = {
    Level.SCHOOL: Role.SCHOOL_STAFF,
    Level.PROVINCE: Role.PROVINCE_STAFF,
    Level.ACADEMY: Role.ACADEMY_STAFF,
    Level.CENTRAL: Role.CENTRAL_STAFF,
}


@dataclass(frozen=True, slots=True)
class AgreementFilters:
    status: AgreementStatus | None = None
    domain: AgreementDomain | None = None
    partner_kind: PartnerKind | None = None
    owner_level: Level | None = None
    expired: bool | None = None


# ---- agreements: scope ----------------------------------------------------------------------


def readable(principal: Principal) -> ColumnElement[bool]:
    """The agreements the caller may read: a school's own, and the signed ones of the units
    above it that concern it; a steering unit's, everything owned within its part."""
    if principal.level is Level.SCHOOL:
        concerns_me = exists().where(
            AgreementSchool.agreement_id == Agreement.id,
            AgreementSchool.school_id == principal.school_id,
        )
        return or_(
            owned_by(principal, Agreement),
            and_(Agreement.status != S.DRAFT, owned_above(principal, Agreement), concerns_me),
        )
    if principal.level in (Level.PROVINCE, Level.ACADEMY, Level.CENTRAL):
        return owned_within(principal, Agreement)
    return false()


def _is_expired(today: date) -> ColumnElement[bool]:
    return and_(Agreement.status == S.ACTIVE, Agreement.end_date < today)


def _agreements(principal: Principal) -> Select[Any]:
    statement = (
        select(
            Agreement,
            Partner.kind.label("partner_kind"),
            Partner.name.label("partner_name"),
            owner_name(),
            owned_by(principal, Agreement).label("manageable"),
        )
        .join(Partner, Partner.id == Agreement.partner_id)
        .where(readable(principal))
    )
    return with_owner(statement, Agreement)


async def _agreement_items(
    session: AsyncSession, rows: Sequence[Any], today: date
) -> list[AgreementOut]:
    """The agreements with their contributions and schools: two statements for the page."""
    ids = [row.Agreement.id for row in rows]
    lines: dict[uuid.UUID, list[ContributionOut]] = defaultdict(list)
    contributions = (
        select(AgreementContribution)
        .where(AgreementContribution.agreement_id.in_(ids))
        .order_by(AgreementContribution.agreement_id, AgreementContribution.position)
    )
    for line in await session.scalars(contributions):
        lines[line.agreement_id].append(ContributionOut.model_validate(line))
    schools: dict[uuid.UUID, list[ConcernedSchool]] = defaultdict(list)
    concerned = (
        select(AgreementSchool.agreement_id, School.id, School.code, School.name_fr)
        .join(School, School.id == AgreementSchool.school_id)
        .where(AgreementSchool.agreement_id.in_(ids))
        .order_by(School.code)
    )
    for r in await session.execute(concerned):
        schools[r.agreement_id].append(ConcernedSchool.of(r))
    return [
        _agreement_out(row, lines[row.Agreement.id], schools[row.Agreement.id], today)
        for row in rows
    ]


def _agreement_out(
    row: Any, lines: list[ContributionOut], schools: list[ConcernedSchool], today: date
) -> AgreementOut:
    agreement: Agreement = row.Agreement
    money = sum(
        (line.amount or Decimal(0) for line in lines if line.kind is ContributionKind.MONEY),
        Decimal(0),
    )
    return AgreementOut.of(
        agreement,
        expired=agreement.status is S.ACTIVE and agreement.end_date < today,
        partner=PartnerRef(id=agreement.partner_id, kind=row.partner_kind, name=row.partner_name),
        owner=owner_out(agreement, row.owner_name),
        contributions=lines,
        money_total=money,
        schools=schools,
        manageable=row.manageable,
        actions=FLOW.actions(agreement.status) if row.manageable else [],
    )


async def get_agreement(
    session: AsyncSession, principal: Principal, agreement_id: uuid.UUID
) -> AgreementOut:
    """One agreement I may read (404 otherwise)."""
    row = found(
        (await session.execute(_agreements(principal).where(Agreement.id == agreement_id))).first()
    )
    return (await _agreement_items(session, [row], school_today()))[0]


async def list_agreements(
    session: AsyncSession,
    principal: Principal,
    filters: AgreementFilters,
    page: PageRequest,
) -> Page[AgreementOut]:
    """A page of the agreements I may read, newest first."""
    today = school_today()
    statement = where_given(
        _agreements(principal),
        {
            Agreement.status: filters.status,
            Agreement.domain: filters.domain,
            Partner.kind: filters.partner_kind,
            Agreement.owner_level: filters.owner_level,
        },
    )
    if filters.expired is not None:
        expired = _is_expired(today)
        statement = statement.where(expired if filters.expired else ~expired)
    keys = (Agreement.created_at, Agreement.id)
    rows, cursor = await keyset_page(session, statement, keys, page, descending=True)
    return Page(items=await _agreement_items(session, rows, today), next_cursor=cursor)


async def list_expiring(
    session: AsyncSession,
    principal: Principal,
    within_days: int,
    page: PageRequest,
) -> Page[AgreementOut]:
    """Active agreements I may read whose end date falls within `within_days` days from
    today, soonest first."""
    today = school_today()
    statement = _agreements(principal).where(
        Agreement.status == S.ACTIVE,
        Agreement.end_date.between(today, today + timedelta(days=within_days)),
    )
    rows, cursor = await keyset_page(session, statement, (Agreement.end_date, Agreement.id), page)
    return Page(items=await _agreement_items(session, rows, today), next_cursor=cursor)


# ---- agreements: writes ---------------------------------------------------------------------


async def _concerned_schools(
    session: AsyncSession, principal: Principal, school_ids: list[uuid.UUID]
) -> list[uuid.UUID]:
    """The schools an agreement of my unit may concern: mine only for a school, else schools
    within my part of the tree (422 naming each other one)."""
    if principal.level is Level.SCHOOL:
        assert principal.school_id is not None
        errors = [
            field_error(f"body.school_ids.{n}", "a school's agreement concerns it only", "scope")
            for n, school_id in enumerate(school_ids)
            if school_id != principal.school_id
        ]
        if errors:
            raise InvalidInput(errors)
        return [principal.school_id]
    within = set(
        await session.scalars(
            select(School.id).where(
                School.id.in_(school_ids),
                school_scope(
                    principal,
                    School.id,
                    province_id=School.province_id,
                    academy_id=School.academy_id,
                ),
            )
        )
    )
    errors = [
        field_error(f"body.school_ids.{n}", "not a school within your part of the tree", "scope")
        for n, school_id in enumerate(school_ids)
        if school_id not in within
    ]
    if errors:
        raise InvalidInput(errors)
    return school_ids


async def _write_children(
    session: AsyncSession, agreement_id: uuid.UUID, terms: AgreementIn, schools: list[uuid.UUID]
) -> None:
    """Replace the agreement's contribution lines and concerned schools: one statement each."""
    await session.execute(
        delete(AgreementContribution).where(AgreementContribution.agreement_id == agreement_id)
    )
    await session.execute(
        delete(AgreementSchool).where(AgreementSchool.agreement_id == agreement_id)
    )
    if terms.contributions:
        await session.execute(
            insert(AgreementContribution),
            [
                {
                    "id": uuid.uuid4(),
                    "agreement_id": agreement_id,
                    "position": n,
                    **line.model_dump(),
                }
                for n, line in enumerate(terms.contributions)
            ],
        )
    if schools:
        await session.execute(
            insert(AgreementSchool),
            [{"agreement_id": agreement_id, "school_id": school_id} for school_id in schools],
        )


async def create_agreement(
    session: AsyncSession, principal: Principal, terms: AgreementIn
) -> AgreementOut:
    """A draft agreement of my unit with a partner I can see."""
    await visible_partner(session, principal, terms.partner_id)
    schools = await _concerned_schools(session, principal, terms.school_ids)
    agreement = Agreement(
        id=uuid.uuid4(),
        **terms.model_dump(exclude={"contributions", "school_ids"}),
        created_by=principal.user_id,
        **owner_place(principal),
    )
    session.add(agreement)
    await session.flush()
    await _write_children(session, agreement.id, terms, schools)
    return await get_agreement(session, principal, agreement.id)


async def _managed(
    session: AsyncSession, principal: Principal, agreement_id: uuid.UUID
) -> Agreement:
    """An agreement of my unit, locked for the change (404 for any other)."""
    return await managed(session, principal, Agreement, Agreement.id == agreement_id)


async def update_agreement(
    session: AsyncSession, principal: Principal, agreement_id: uuid.UUID, terms: AgreementIn
) -> AgreementOut:
    """Rewrite a draft's terms, contributions and schools (409 once signed: the signed text
    is what the parties agreed to)."""
    agreement = await _managed(session, principal, agreement_id)
    if agreement.status is not S.DRAFT:
        raise Conflict("partnerships.not_a_draft")
    await visible_partner(session, principal, terms.partner_id)
    schools = await _concerned_schools(session, principal, terms.school_ids)
    for field, value in terms.model_dump(exclude={"contributions", "school_ids"}).items():
        setattr(agreement, field, value)
    await session.flush()
    await _write_children(session, agreement.id, terms, schools)
    return await get_agreement(session, principal, agreement.id)


async def move_agreement(
    session: AsyncSession, principal: Principal, agreement_id: uuid.UUID, step: AgreementAction
) -> AgreementOut:
    """Take a workflow action on an agreement of my unit (409 when the state forbids it);
    the unit's staff are told when it starts or ends."""
    agreement = await _managed(session, principal, agreement_id)
    target = FLOW.next(agreement.status, step.action)
    if step.action == "activate":
        agreement.signed_on = _signature_date(step.signed_on)
    agreement.status = target
    await session.flush()
    if target in (S.ACTIVE, S.ENDED) and step.action != "resume":
        await _tell_owner_staff(session, principal, agreement)
    return await get_agreement(session, principal, agreement.id)


def _signature_date(signed_on: date | None) -> date:
    if signed_on is None:
        raise invalid("body.signed_on", "the date of signature is required", "required")
    if signed_on > school_today():
        raise invalid("body.signed_on", "the date of signature is in the future", "future")
    return signed_on


async def _tell_owner_staff(
    session: AsyncSession, principal: Principal, agreement: Agreement
) -> None:
    """Notify the owner unit's other active staff that the agreement started or ended."""
    level = agreement.owner_level
    place = {
        Level.SCHOOL: User.school_id == agreement.school_id,
        Level.PROVINCE: User.province_id == agreement.province_id,
        Level.ACADEMY: User.academy_id == agreement.academy_id,
    }
    staff = select(User.id).where(
        User.role == _STAFF_ROLE[level],
        User.is_active,
        User.id != principal.user_id,
        place.get(level, literal(True)),
    )
    await notify(
        session,
        list(await session.scalars(staff)),
        NotificationCategory.PARTNERSHIPS,
        _texts(agreement),
        {"agreement_id": agreement.id, "status": agreement.status.value},
    )


def _texts(agreement: Agreement) -> NotificationTexts:
    title = agreement.title[:150]
    if agreement.status is S.ACTIVE:
        return NotificationTexts(
            title_ar="دخول اتفاقية شراكة حيز التنفيذ",
            title_fr="Convention de partenariat en vigueur",
            body_ar=f"دخلت الاتفاقية «{title}» حيز التنفيذ.",
            body_fr=f"La convention « {title} » est signée et en vigueur.",
        )
    return NotificationTexts(
        title_ar="انتهاء اتفاقية شراكة",
        title_fr="Fin d'une convention de partenariat",
        body_ar=f"انتهت الاتفاقية «{title}».",
        body_fr=f"La convention « {title} » a pris fin.",
    )


# ---- steering figure ------------------------------------------------------------------------


async def steering_figure(session: AsyncSession, unit: UnitOut) -> PartnershipFigures:
    """Active agreements owned within the unit, by domain, their money contributions and how
    many end within 60 days: two statements."""
    today = school_today()
    running = and_(
        unit_within(Agreement, Level(unit.level.value), unit.id),
        Agreement.status == S.ACTIVE,
        Agreement.end_date >= today,
    )
    soon = Agreement.end_date <= today + timedelta(days=EXPIRING_DAYS)
    by_domain = {
        r.domain: (r.n, r.soon)
        for r in await session.execute(
            select(
                Agreement.domain,
                func.count().label("n"),
                func.count().filter(soon).label("soon"),
            )
            .where(running)
            .group_by(Agreement.domain)
        )
    }
    money = await session.scalar(
        select(func.coalesce(func.sum(AgreementContribution.amount), 0))
        .join(Agreement, Agreement.id == AgreementContribution.agreement_id)
        .where(running, AgreementContribution.kind == ContributionKind.MONEY)
    )
    return PartnershipFigures(
        active=sum(n for n, _ in by_domain.values()),
        by_domain={d: by_domain.get(d, (0, 0))[0] for d in AgreementDomain},
        money_total=Decimal(money or 0),
        expiring_within_60_days=sum(s for _, s in by_domain.values()),
    )

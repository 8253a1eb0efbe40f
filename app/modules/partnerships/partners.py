"""Partners of the school system (associations, companies, communes, universities, foreign
cooperation), each registered by one unit and seen by its part of the tree and the units above
(`owned_visible`), so a school can sign with the commune its directorate registered. Also the
owner helpers that partners and agreements share."""

from __future__ import annotations

import re
import unicodedata
import uuid
from typing import Any

from sqlalchemy import Select, and_, func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.listing import found, page_of, where_given
from app.core.ownership import managed, owned_by, owned_visible, owner_place
from app.core.pagination import PageRequest
from app.core.roles import Level
from app.core.schemas import Page
from app.core.security.principal import Principal
from app.errors import Conflict, invalid
from app.modules.partnerships.models import Agreement, Partner, PartnerKind
from app.modules.partnerships.schemas import OwnerOut, PartnerIn, PartnerOut
from app.organisation.models import Academy, Province, School

# ---- owners ---------------------------------------------------------------------------------


def owner_name() -> Any:
    """The owner's French name from the outer-joined units (the ministry has no row)."""
    return func.coalesce(
        School.name_fr, Province.name_fr, Academy.name_fr, literal("Ministère")
    ).label("owner_name")


def with_owner(statement: Select[Any], table: type[Partner] | type[Agreement]) -> Select[Any]:
    """Outer-join the unit that owns each row, for its name."""
    return (
        statement.outerjoin(
            School, and_(table.owner_level == Level.SCHOOL, School.id == table.school_id)
        )
        .outerjoin(
            Province, and_(table.owner_level == Level.PROVINCE, Province.id == table.province_id)
        )
        .outerjoin(
            Academy, and_(table.owner_level == Level.ACADEMY, Academy.id == table.academy_id)
        )
    )


def owner_out(row: Partner | Agreement, name: str) -> OwnerOut:
    return OwnerOut.of(row, level=row.owner_level, name_fr=name)


# ---- partners -------------------------------------------------------------------------------


def name_key(name: str) -> str:
    """A partner's name folded for duplicate detection: no accents, case or punctuation."""
    folded = unicodedata.normalize("NFKD", name.casefold())
    plain = "".join(c for c in folded if not unicodedata.combining(c))
    return " ".join(re.findall(r"\w+", plain))


def _partner_out(row: Any) -> PartnerOut:
    partner: Partner = row.Partner
    return PartnerOut.of(
        partner, owner=owner_out(partner, row.owner_name), manageable=row.manageable
    )


def _partners(principal: Principal) -> Select[Any]:
    statement = select(
        Partner, owner_name(), owned_by(principal, Partner).label("manageable")
    ).where(owned_visible(principal, Partner))
    return with_owner(statement, Partner)


async def list_partners(
    session: AsyncSession,
    principal: Principal,
    page: PageRequest,
    *,
    kind: PartnerKind | None,
    owner_level: Level | None,
    q: str | None,
) -> Page[PartnerOut]:
    """The partners registered by my unit, the units beneath it and those above, by name."""
    statement = where_given(
        _partners(principal), {Partner.kind: kind, Partner.owner_level: owner_level}
    )
    if q and name_key(q):
        statement = statement.where(Partner.name_key.contains(name_key(q), autoescape=True))
    return await page_of(session, statement, (Partner.name_key, Partner.id), page, _partner_out)


async def get_partner(
    session: AsyncSession, principal: Principal, partner_id: uuid.UUID
) -> PartnerOut:
    """One partner I can see (404 otherwise)."""
    row = found(
        (await session.execute(_partners(principal).where(Partner.id == partner_id))).first()
    )
    return _partner_out(row)


async def _check_unique_name(
    session: AsyncSession, principal: Principal, key: str, partner_id: uuid.UUID | None
) -> None:
    """409 when my unit already registered a partner of that name (accents and case aside)."""
    twin = select(Partner.id).where(owned_by(principal, Partner), Partner.name_key == key)
    if partner_id is not None:
        twin = twin.where(Partner.id != partner_id)
    if await session.scalar(twin) is not None:
        raise Conflict("partnerships.duplicate_partner")


async def create_partner(session: AsyncSession, principal: Principal, new: PartnerIn) -> PartnerOut:
    """Register a partner for my unit (409 if my unit already has one of that name)."""
    key = name_key(new.name)
    await _check_unique_name(session, principal, key, None)
    partner = Partner(
        **new.model_dump(), name_key=key, created_by=principal.user_id, **owner_place(principal)
    )
    session.add(partner)
    await session.flush()
    return await get_partner(session, principal, partner.id)


async def update_partner(
    session: AsyncSession, principal: Principal, partner_id: uuid.UUID, changes: PartnerIn
) -> PartnerOut:
    """Correct a partner my unit registered (a partner of another unit answers 404)."""
    partner = await managed(session, principal, Partner, Partner.id == partner_id)
    key = name_key(changes.name)
    await _check_unique_name(session, principal, key, partner.id)
    for field, value in changes.model_dump().items():
        setattr(partner, field, value)
    partner.name_key = key
    await session.flush()
    return await get_partner(session, principal, partner.id)


async def visible_partner(
    session: AsyncSession, principal: Principal, partner_id: uuid.UUID
) -> None:
    """422 unless the partner is one the caller can see (theirs, below or above)."""
    found = await session.scalar(
        select(Partner.id).where(Partner.id == partner_id, owned_visible(principal, Partner))
    )
    if found is None:
        raise invalid("body.partner_id", "not a partner you can see", "unknown_partner")

"""The national catalogue of didactic equipment: categories and articles, the same for every
member of staff; the ministry adds articles (the reference list ships with the migration)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.listing import page_of, where_given
from app.core.pagination import PageRequest
from app.core.schemas import Page
from app.core.security.principal import Principal
from app.errors import Conflict, invalid
from app.modules.equipment.models import EquipmentCategory, EquipmentItem
from app.modules.equipment.schemas import CatalogueItemIn, CatalogueItemOut, CategoryOut, ItemRef


def item_ref(item: EquipmentItem) -> ItemRef:
    return ItemRef.of(item)


# ---- catalogue ------------------------------------------------------------------------------


async def list_categories(session: AsyncSession, page: PageRequest) -> Page[CategoryOut]:
    """The catalogue's categories, by code (the same for every member of staff)."""
    keys = (EquipmentCategory.code, EquipmentCategory.id)
    return await page_of(
        session, select(EquipmentCategory), keys, page, lambda r: CategoryOut.model_validate(r[0])
    )


async def list_catalogue(
    session: AsyncSession,
    page: PageRequest,
    *,
    category_id: uuid.UUID | None,
    search: str | None,
) -> Page[CatalogueItemOut]:
    """Articles of the national catalogue by code, optionally one category or a name search."""
    statement = where_given(
        select(EquipmentItem, EquipmentCategory).join(
            EquipmentCategory, EquipmentCategory.id == EquipmentItem.category_id
        ),
        {EquipmentItem.category_id: category_id},
    )
    if search:
        statement = statement.where(
            or_(
                EquipmentItem.name_fr.icontains(search, autoescape=True),
                EquipmentItem.name_ar.icontains(search, autoescape=True),
                EquipmentItem.code.icontains(search, autoescape=True),
            )
        )
    keys = (EquipmentItem.code, EquipmentItem.id)
    return await page_of(session, statement, keys, page, lambda r: _catalogue_out(*r))


def _catalogue_out(item: EquipmentItem, category: EquipmentCategory) -> CatalogueItemOut:
    return CatalogueItemOut.of(item, category=CategoryOut.model_validate(category))


async def add_catalogue_item(
    session: AsyncSession, principal: Principal, new: CatalogueItemIn
) -> CatalogueItemOut:
    """Add an article to the national catalogue (the route lets only the ministry's staff
    through)."""
    category = await session.get(EquipmentCategory, new.category_id)
    if category is None:
        raise invalid("body.category_id", "not a category of the catalogue", "unknown_category")
    if await session.scalar(select(EquipmentItem.id).where(EquipmentItem.code == new.code)):
        raise Conflict("equipment.code_taken")
    item = EquipmentItem(**new.model_dump(), created_by=principal.user_id)
    session.add(item)
    await session.flush()
    return _catalogue_out(item, category)


async def catalogue_items(
    session: AsyncSession, item_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, EquipmentItem]:
    """The catalogue's articles among these ids, in one statement."""
    if not item_ids:
        return {}
    rows = await session.scalars(select(EquipmentItem).where(EquipmentItem.id.in_(item_ids)))
    return {item.id: item for item in rows}

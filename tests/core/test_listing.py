"""The shared keyset page: every row once, in order, across pages; bad cursors answer 400."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.listing import keyset_page, where_given
from app.core.pagination import PageRequest, encode_cursor
from app.errors import ProblemError
from app.organisation.models import School
from tests.factories import World


@pytest.mark.parametrize("descending", [False, True])
async def test_pages_walk_every_row_once_in_order(
    session: AsyncSession, world: World, descending: bool
) -> None:
    statement = select(School.id, School.created_at, School.code)
    keys = (School.created_at, School.id)
    expected = [
        r.id
        for r in await session.execute(
            statement.order_by(*(k.desc() if descending else k for k in keys))
        )
    ]
    seen, cursor = [], None
    while True:
        page = PageRequest(limit=2, cursor=cursor)
        rows, cursor = await keyset_page(session, statement, keys, page, descending=descending)
        seen += [r.id for r in rows]
        if cursor is None:
            break
    assert seen == expected
    assert len(seen) >= len(world.schools)


async def test_an_entity_statement_pages_by_its_attributes(
    session: AsyncSession, world: World
) -> None:
    keys = (School.code, School.id)
    rows, cursor = await keyset_page(session, select(School), keys, PageRequest(limit=1))
    assert cursor is not None
    following, _ = await keyset_page(
        session, select(School), keys, PageRequest(limit=1, cursor=cursor)
    )
    assert following[0][0].code > rows[0][0].code


@pytest.mark.parametrize("position", [{"k": ["x"]}, {"k": "nope"}, {"k": ["not-a-date", "x"]}])
async def test_a_foreign_cursor_answers_400(
    session: AsyncSession, world: World, position: dict[str, object]
) -> None:
    with pytest.raises(ProblemError) as caught:
        await keyset_page(
            session,
            select(School.id, School.created_at),
            (School.created_at, School.id),
            PageRequest(limit=2, cursor=encode_cursor(position)),
        )
    assert caught.value.status == 400


async def test_filters_apply_only_when_given(session: AsyncSession, world: World) -> None:
    a1 = world.schools["a1"]
    statement = where_given(
        select(School.id), {School.province_id: a1.province_id, School.code: None}
    )
    ids = set((await session.scalars(statement)).all())
    assert a1.id in ids
    assert world.schools["c"].id not in ids

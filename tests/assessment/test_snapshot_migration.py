"""The migration that brings the snapshots renders what was published before it, so an
upgraded database answers as before."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from decimal import Decimal as D  # noqa: N817

import pytest
from alembic import command
from sqlalchemy import pool, select
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from app.academics.reference import load_reference
from app.assessment.models import PublishedMarks
from app.assessment.report_card import marks_report
from app.cli import alembic_config
from app.core.caching import json_bytes
from app.core.db.runtime import asyncpg_url, temporary_database
from tests.factories import (
    build_family_world,
    build_teaching_world,
    build_world,
    create_test_with_marks,
)

BEFORE = "4d1e2f3a5b06"
SNAPSHOTS = "4d1e2f3a5b07"


@pytest.fixture
def database(server_url: str) -> Iterator[str]:
    with temporary_database(server_url, "massar_snapshots") as url:
        yield url


async def _publish_before_the_upgrade(url: str) -> tuple[uuid.UUID, int]:
    """A family whose class has a published MATH test, written on the former schema."""
    engine = create_async_engine(asyncpg_url(url), poolclass=pool.NullPool)
    try:
        async with AsyncSession(engine, expire_on_commit=False) as session:
            teaching = await build_teaching_world(session, await build_world(session))
            family = await build_family_world(session, teaching)
            marks = {pupil: D(10 + n) for n, pupil in enumerate(teaching.pupils["c1"])}
            await create_test_with_marks(
                session,
                teaching.classes["c1"],
                teaching.subjects["MATH"],
                teaching.world.users["teacher"],
                marks,
            )
            await session.commit()
            return family.child.id, teaching.year
    finally:
        await engine.dispose()


async def _document_and_live(url: str, pupil_id: uuid.UUID, year: int) -> tuple[str, str]:
    engine = create_async_engine(asyncpg_url(url), poolclass=pool.NullPool)
    try:
        async with AsyncSession(engine) as session:
            document = await session.scalar(
                select(PublishedMarks.document).where(
                    PublishedMarks.pupil_id == pupil_id,
                    PublishedMarks.school_year == year,
                    PublishedMarks.semester == 1,
                )
            )
            reference = await load_reference(session)
            live = json_bytes(await marks_report(session, pupil_id, year, 1, reference)).decode()
            return str(document), live
    finally:
        await engine.dispose()


def test_the_upgrade_renders_what_was_already_published(database: str) -> None:
    config = alembic_config(database)
    command.upgrade(config, BEFORE)
    pupil_id, year = asyncio.run(_publish_before_the_upgrade(database))
    command.upgrade(config, SNAPSHOTS)
    document, live = asyncio.run(_document_and_live(database, pupil_id, year))
    assert document == live
    assert '"status":"published"' in document

"""Real concurrency: a throwaway database whose data is committed, and an app with its own
engine, so that concurrent requests run on independent connections and their locks contend
(the rest of the suite shares one rolled-back connection, where no race can show)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from app.cli import upgrade_database
from app.core.db.runtime import temporary_database
from app.core.db.session import create_engine
from app.main import create_app
from app.settings import get_settings
from tests.factories import (
    FamilyWorld,
    build_family_world,
    build_teaching_world,
    build_world,
)


@pytest.fixture(scope="package")
def live_database(server_url: str) -> Iterator[str]:
    """A migrated database of this package's own, where what a test writes is committed."""
    with temporary_database(server_url, "massar_live") as url:
        upgrade_database(url)
        yield url


@pytest.fixture(scope="package")
async def live_family(live_database: str) -> FamilyWorld:
    """The shared world of the suite (schools, accounts of every role, a family), committed."""
    engine = create_engine(get_settings(), live_database)
    try:
        async with AsyncSession(engine, expire_on_commit=False) as session:
            world = await build_world(session)
            teaching = await build_teaching_world(session, world)
            family = await build_family_world(session, teaching)
            await session.commit()
    finally:
        await engine.dispose()
    return family


@pytest.fixture
async def live_client(live_database: str) -> AsyncIterator[httpx.AsyncClient]:
    """A client of an app with its own engine and pool on the live database."""
    app = create_app(get_settings(), live_database)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield client

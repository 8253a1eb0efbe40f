from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import World
from tests.steering.world import Steering, build_steering


@pytest.fixture
async def steering(session: AsyncSession, world: World) -> Steering:
    """The hand-counted world of `test_steering`, its summaries built."""
    return await build_steering(session, world)

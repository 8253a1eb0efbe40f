"""Wrong sign-up codes sent at once get no more tries between them than sent one by one: the
sixth try, even with the right code, is refused."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.db.session import create_engine
from app.core.security.passwords import HashingGate, install_hashing_gate
from app.main import create_app
from app.messaging.models import TextMessage
from app.preregistration.models import Signup
from app.preregistration.signups import MAX_CODE_TRIES
from app.settings import get_settings

BURST = 12
PUBLIC = "/api/v1/public/preregistration"


@pytest.fixture
async def loose_client(live_database: str) -> AsyncIterator[httpx.AsyncClient]:
    """An app on the live database whose login throttle and hashing gate would let every try
    of the burst through: the code's own count is under test."""
    settings = get_settings().model_copy(
        update={"login_max_failures_per_account": 100, "db_pool_size": BURST + 4}
    )
    app = create_app(settings, live_database)
    previous = install_hashing_gate(HashingGate(1, BURST, 30))
    try:
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
                yield client
    finally:
        install_hashing_gate(previous)


async def test_tries_at_once_are_counted_one_after_the_other(
    loose_client: httpx.AsyncClient, live_database: str
) -> None:
    started = await loose_client.post(
        f"{PUBLIC}/sign-up",
        json={"contact": "0698765432", "cin": "JB4321", "first_name": "A", "last_name": "B"},
    )
    assert started.status_code == 202, started.text
    signup_id = started.json()["signup_id"]
    engine = create_engine(get_settings(), live_database)
    try:
        async with AsyncSession(engine) as session:
            text = await session.scalar(
                select(TextMessage.body).where(TextMessage.address == "+212698765432")
            )
            assert text is not None
            code = re.search(r"[2-9A-Z]{4}-[2-9A-Z]{4}", text)
            assert code
            body = {"signup_id": signup_id, "password": "Wahda-2027-famille"}
            answers = await asyncio.gather(
                *(
                    loose_client.post(f"{PUBLIC}/verify", json=body | {"code": "2222-2222"})
                    for _ in range(BURST)
                )
            )
            assert {answer.status_code for answer in answers} == {401}
            attempts = await session.scalar(select(Signup.attempts).where(Signup.id == signup_id))
            assert attempts == MAX_CODE_TRIES
            late = await loose_client.post(f"{PUBLIC}/verify", json=body | {"code": code.group()})
            assert late.status_code == 401
    finally:
        await engine.dispose()

"""Reference data is cached in each process and dropped in every one of them when it changes:
two apps on one committed database, each with its own listener, as two workers would be."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from datetime import date, timedelta

import httpx
from fastapi import FastAPI
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from app.academics.calendar import school_today
from app.academics.reference import ReferenceCache
from app.core.db.runtime import asyncpg_url
from app.demo.calendar import demo_calendar
from app.main import create_app
from app.settings import get_settings
from tests.factories import FamilyWorld

MARKS = "/api/v1/student/marks"
YEARS = "/api/v1/steering/school-years"


@asynccontextmanager
async def _serving(url: str) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
    app = create_app(get_settings(), url)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield app, client


async def _until(condition: Callable[[], bool]) -> None:
    """Wait for the listener (a notification crosses processes: bounded, never a guess)."""
    for _ in range(1000):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the listener never caught up")


async def _second_semester_from(url: str, year: int, day: date, *, notify: bool) -> None:
    """Move the start of the second semester; without NOTIFY (triggers off) when asked."""
    engine = create_async_engine(asyncpg_url(url))
    try:
        async with engine.begin() as connection:
            if not notify:
                await connection.execute(text("SET LOCAL session_replication_role = replica"))
            await connection.execute(
                text("UPDATE semesters SET starts_on = :day WHERE school_year = :y AND number = 2"),
                {"day": day, "y": year},
            )
    finally:
        await engine.dispose()


async def test_a_change_reaches_every_process_through_the_notification(
    live_database: str, live_family: FamilyWorld
) -> None:
    year = live_family.teaching.year
    student = live_family.auth("student")
    today = school_today()
    async with AsyncExitStack() as stack:
        _, writer = await stack.enter_async_context(_serving(live_database))
        reader_app, reader = await stack.enter_async_context(_serving(live_database))
        cache: ReferenceCache = reader_app.state.reference_cache
        await _until(lambda: cache._listening)
        await _second_semester_from(live_database, year, today + timedelta(days=30), notify=True)

        async def semester() -> int:
            return (await reader.get(MARKS, headers=student)).json()["semester"]

        assert await semester() == 1
        # Unannounced (triggers off), a change stays unseen: the answer comes from the cache.
        await _second_semester_from(live_database, year, today - timedelta(days=1), notify=False)
        assert await semester() == 1
        # Announced, it reaches the other process as soon as the notification does.
        seen = cache._generation
        await _second_semester_from(live_database, year, today - timedelta(days=2), notify=True)
        await _until(lambda: cache._generation != seen)
        assert await semester() == 2
        assert (await writer.get(MARKS, headers=student)).json()["semester"] == 2


async def test_a_lost_listener_drops_everything_and_reconnects(
    live_database: str, live_family: FamilyWorld
) -> None:
    year = live_family.teaching.year
    student = live_family.auth("student")
    today = school_today()
    async with _serving(live_database) as (app, client):
        cache: ReferenceCache = app.state.reference_cache
        await _until(lambda: cache._listening)
        await _second_semester_from(live_database, year, today + timedelta(days=30), notify=True)
        assert (await client.get(MARKS, headers=student)).json()["semester"] == 1
        engine = create_async_engine(asyncpg_url(live_database))
        try:
            async with engine.begin() as connection:
                await connection.execute(
                    text(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                        " WHERE query LIKE 'LISTEN%massar_reference%'"
                    )
                )
        finally:
            await engine.dispose()
        await _until(lambda: not cache._listening)
        # While nobody listens, nothing is kept: a change then is never missed.
        await _second_semester_from(live_database, year, today - timedelta(days=1), notify=False)
        assert (await client.get(MARKS, headers=student)).json()["semester"] == 2
        await _until(lambda: cache._listening)
        assert (await client.get(MARKS, headers=student)).json()["semester"] == 2


async def test_a_year_started_over_http_is_the_current_year_in_every_process(
    live_database: str, live_family: FamilyWorld
) -> None:
    year = live_family.teaching.year
    student, central = live_family.auth("student"), live_family.auth("central_staff")
    following = demo_calendar(year + 1).model_dump(mode="json")
    async with AsyncExitStack() as stack:
        _, writer = await stack.enter_async_context(_serving(live_database))
        reader_app, reader = await stack.enter_async_context(_serving(live_database))
        cache: ReferenceCache = reader_app.state.reference_cache
        await _until(lambda: cache._listening)
        assert (await reader.get(MARKS, headers=student)).json()["school_year"] == year
        try:
            seen = cache._generation
            planned = await writer.post(YEARS, json=following, headers=central)
            assert planned.status_code == 201, planned.text
            started = await writer.post(f"{YEARS}/{year + 1}/start", headers=central)
            assert started.status_code == 200, started.text
            await _until(lambda: cache._generation != seen)
            assert (await reader.get(MARKS, headers=student)).json()["school_year"] == year + 1
        finally:
            # The package's other tests keep their year: the committed change is undone.
            engine = create_async_engine(asyncpg_url(live_database))
            try:
                async with engine.begin() as connection:
                    await connection.execute(
                        text("UPDATE school_years SET is_current = false WHERE year = :y"),
                        {"y": year + 1},
                    )
                    await connection.execute(
                        text("UPDATE school_years SET is_current = true WHERE year = :y"),
                        {"y": year},
                    )
                    await connection.execute(
                        text("DELETE FROM school_years WHERE year = :y"), {"y": year + 1}
                    )
            finally:
                await engine.dispose()

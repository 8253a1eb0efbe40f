"""One session per request, committed before the response is sent."""

from __future__ import annotations

import httpx
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session

from app.core.db.session import SessionDep
from app.organisation.models import Academy


def add_rename_route(app: FastAPI, new_name: str, *, then_fail: bool = False) -> None:
    """A throwaway endpoint that renames the Oriental academy, and may fail afterwards."""

    @app.post("/rename-academy")
    async def rename(session: SessionDep) -> dict[str, str]:
        academy = await session.scalar(select(Academy).where(Academy.code == "OR"))
        assert academy is not None
        academy.name_fr = new_name
        await session.flush()
        if then_fail:
            raise RuntimeError("fails after writing")
        return {"status": "renamed"}


class CommitFails(Session):
    def commit(self) -> None:
        raise RuntimeError("the database refused the commit")


async def test_a_failed_commit_never_follows_a_200(
    own_app: FastAPI, own_client: httpx.AsyncClient, connection: AsyncConnection
) -> None:
    add_rename_route(own_app, "Renamed")
    own_app.state.session_factory = async_sessionmaker(
        bind=connection,
        expire_on_commit=False,
        join_transaction_mode="create_savepoint",
        sync_session_class=CommitFails,
    )
    response = await own_client.post("/rename-academy")
    assert response.status_code == 500
    assert "renamed" not in response.text


async def test_writes_are_committed_when_the_endpoint_succeeds(
    own_app: FastAPI, own_client: httpx.AsyncClient, session: AsyncSession
) -> None:
    add_rename_route(own_app, "Oriental (renamed)")
    assert (await own_client.post("/rename-academy")).status_code == 200
    name = await session.scalar(select(Academy.name_fr).where(Academy.code == "OR"))
    assert name == "Oriental (renamed)"


async def test_an_error_rolls_the_request_back(
    own_app: FastAPI, own_client: httpx.AsyncClient, session: AsyncSession
) -> None:
    add_rename_route(own_app, "Half written", then_fail=True)
    assert (await own_client.post("/rename-academy")).status_code == 500
    name = await session.scalar(select(Academy.name_fr).where(Academy.code == "OR"))
    assert name == "Oriental"

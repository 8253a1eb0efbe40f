"""Shared fixtures and calls of the partnership tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.calendar import school_today
from app.core.roles import Role
from app.core.storage import LocalDirectoryStore
from app.organisation.models import Province
from tests.factories import World, access_token, create_user

SCHOOL = "/api/v1/school/partnerships"
STEERING = "/api/v1/steering/partnerships"
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


@dataclass
class Callers:
    """The world's callers, plus a second director of school a1 and the Anfa directorate."""

    world: World
    headers: dict[str, dict[str, str]]

    def __call__(self, who: str) -> dict[str, str]:
        return self.headers[who]


async def make_callers(session: AsyncSession, world: World) -> Callers:
    """The world's callers with a second director of a1 and a directorate staff of Anfa."""
    anfa = (await session.execute(select(Province).where(Province.code == "CS-ANFA"))).scalar_one()
    extra = {
        "deputy": await create_user(session, Role.SCHOOL_STAFF, school=world.schools["a1"]),
        "anfa_staff": await create_user(session, Role.PROVINCE_STAFF, province=anfa),
    }
    headers = {who: world.auth(who) for who in world.tokens}
    for who, user in extra.items():
        headers[who] = {"Authorization": f"Bearer {await access_token(session, user)}"}
    await session.commit()
    return Callers(world=world, headers=headers)


def stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def use_document_dir(app: FastAPI, tmp_path: Path) -> Path:
    """Point the app's document store at a directory of this test's own."""
    root = tmp_path / "documents"
    app.state.document_store = LocalDirectoryStore(root)
    return root


def days(n: int) -> str:
    return (school_today() + timedelta(days=n)).isoformat()


async def new_partner(
    client: httpx.AsyncClient, base: str, headers: dict[str, str], **fields: Any
) -> dict[str, Any]:
    body = {"kind": "ngo", "name": "Fondation Zakoura", **fields}
    response = await client.post(f"{base}/partners", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return dict(response.json())


async def new_agreement(
    client: httpx.AsyncClient,
    base: str,
    headers: dict[str, str],
    partner_id: str,
    **fields: Any,
) -> httpx.Response:
    body = {
        "partner_id": partner_id,
        "title": "Soutien scolaire et lutte contre le décrochage",
        "domain": "pedagogical_support",
        "start_date": date(2025, 9, 1).isoformat(),
        "end_date": days(300),
        "contributions": [
            {"party": "partner", "kind": "money", "amount": "120000.00"},
            {
                "party": "partner",
                "kind": "in_kind",
                "description": "Manuels et fournitures",
                "amount": "15000",
            },
            {"party": "ministry", "kind": "in_kind", "description": "Salles et encadrement"},
        ],
        **fields,
    }
    return await client.post(f"{base}/agreements", json=body, headers=headers)


async def act(
    client: httpx.AsyncClient,
    base: str,
    headers: dict[str, str],
    agreement_id: str,
    action: str,
    signed_on: str | None = None,
) -> httpx.Response:
    body: dict[str, Any] = {"action": action}
    if signed_on is not None:
        body["signed_on"] = signed_on
    return await client.post(
        f"{base}/agreements/{agreement_id}/actions", json=body, headers=headers
    )


async def active_agreement(
    client: httpx.AsyncClient, base: str, headers: dict[str, str], partner_id: str, **fields: Any
) -> dict[str, Any]:
    created = await new_agreement(client, base, headers, partner_id, **fields)
    assert created.status_code == 201, created.text
    activated = await act(client, base, headers, created.json()["id"], "activate", days(-10))
    assert activated.status_code == 200, activated.text
    return dict(activated.json())

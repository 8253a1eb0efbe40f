"""The demo's API client: a scholarship portal of the Rabat directorate, registered by the
academy, with every scope; its secret is the demo password (demo data is refused in prod)."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.models import User
from app.core.roles import Level
from app.integrations.clients import secret_digest
from app.integrations.models import ApiClient
from app.integrations.scopes import ApiScope

DEMO_CLIENT_ID = uuid.UUID("5c0f0a11-d3e0-4c1e-9a5e-000000000001")
REGISTERED_BY = "academy.demo@men.gov.ma"
DIRECTORATE_STAFF = "province.demo@men.gov.ma"


async def seed_integrations(session: AsyncSession, users: dict[str, User], password: str) -> None:
    """The demo directorate's client, whose client_id the README gives."""
    directorate = users[DIRECTORATE_STAFF]
    session.add(
        ApiClient(
            id=DEMO_CLIENT_ID,
            name="Portail des bourses (démo)",
            scopes=sorted(ApiScope),
            secret_digest=secret_digest(password),
            created_by=users[REGISTERED_BY].id,
            owner_level=Level.PROVINCE,
            province_id=directorate.province_id,
            academy_id=directorate.academy_id,
        )
    )
    await session.flush()

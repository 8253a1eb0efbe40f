"""What integrators are told of documents: `documents.revoked`, a document that no longer
stands (revoked by its school, replaced by a new version, or found at a check to show data
that changed), so a portal that accepted it on the strength of a check can look again. The
event's scope is `documents.verify`; the pupil's Massar code rides along only for a client
that also holds `roster.read`."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.models import Pupil
from app.integrations.scopes import ApiScope
from app.official_documents.models import WHOLE_YEAR, IssuedDocument
from app.organisation.models import School
from app.webhooks.events import Shown, emit
from app.webhooks.models import EventType


async def document_revoked(session: AsyncSession, document: IssuedDocument) -> None:
    """Queue `documents.revoked` for the integrators that listen to the document's school."""

    async def build() -> dict[str, Any]:
        school_code = await session.scalar(
            select(School.code).where(School.id == document.school_id)
        )
        massar_code = await session.scalar(
            select(Pupil.massar_code).where(Pupil.id == document.pupil_id)
        )
        assert document.revoked_at is not None
        return {
            "school": {"id": str(document.school_id), "code": school_code},
            "document": {
                "code": document.code,
                "kind": document.kind.value,
                "school_year": document.school_year,
                "semester": None if document.period == WHOLE_YEAR else document.period,
                "version": document.version,
                "issued_at": document.issued_at.isoformat(),
                "revoked_at": document.revoked_at.isoformat(),
            },
            "massar_code": Shown(ApiScope.ROSTER_READ, massar_code),
        }

    await emit(session, EventType.DOCUMENTS_REVOKED, document.school_id, build)

"""Issuing: a document is issued once per pupil, kind, period and data version.

Asking again while the data is unchanged gives the very same document (same code, same
bytes); once the data changed, a new version is issued and the one before is revoked, in
the same transaction. The verification looks again too (`verification.py`), so a document
whose data changed since is revoked even if nobody asked for the new one.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import logging
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.errors import ProblemError
from app.official_documents import events, pool
from app.official_documents.data import Draft
from app.official_documents.models import DocumentKind, IssuedDocument

log = logging.getLogger(__name__)

# The title a PDF carries, per kind.
TITLES = {
    DocumentKind.REPORT_CARD: "Bulletin de notes — بيان النقط",
    DocumentKind.SCHOOL_CERTIFICATE: "Certificat de scolarité — شهادة مدرسية",
    DocumentKind.EXAM_TRANSCRIPT: "Relevé de notes — كشف النقط",
    DocumentKind.EXAM_CONVOCATION: "Convocation — استدعاء",
}
CODE_LENGTH = 12
CODE_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


def new_code() -> str:
    """12 characters of base32 from the system's randomness: 60 bits, not to be guessed
    (and the public face throttles those who try)."""
    return base64.b32encode(secrets.token_bytes(10)).decode()[:CODE_LENGTH]


def normalised_code(text: str) -> str | None:
    """A code as a person may type it (lower case, spaces, dashes), or None if it cannot be
    one: such a code is unknown without asking the database."""
    code = text.replace("-", "").replace(" ", "").upper()
    if len(code) != CODE_LENGTH or any(c not in CODE_ALPHABET for c in code):
        return None
    return code


def digest(text: str) -> str:
    """A short fingerprint of `text` (an ETag)."""
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def verification_url(base_url: str, code: str) -> str:
    return f"{base_url.rstrip('/')}/api/v1/public/documents/{code}"


@dataclass(frozen=True, slots=True)
class Issued:
    """An issued document and the name its file is served under."""

    document: IssuedDocument
    file_name: str
    # Issued by this request (a new version), not found already issued.
    new: bool

    @property
    def etag(self) -> str:
        # The code changes with every version of the data, and only then.
        return f'"{self.document.code}"'


def _key(draft: Draft) -> Any:
    # An equality on the holder's own column, so that its index serves.
    holder = (
        IssuedDocument.pupil_id == draft.pupil_id
        if draft.pupil_id is not None
        else IssuedDocument.independent_candidate_id == draft.independent_candidate_id
    )
    return (
        holder
        & (IssuedDocument.kind == draft.kind)
        & (IssuedDocument.school_year == draft.school_year)
        & (IssuedDocument.period == draft.period)
        & IssuedDocument.exam_session_id.is_not_distinct_from(draft.exam_session_id)
    )


async def live_document(session: AsyncSession, draft: Draft) -> IssuedDocument | None:
    return await session.scalar(
        select(IssuedDocument).where(_key(draft), IssuedDocument.revoked_at.is_(None))
    )


def page(draft: Draft, code: str, base_url: str, issued_at: datetime, version: int) -> Any:
    """What the renderer draws for one document."""
    return {
        "kind": draft.kind.value,
        "title": TITLES[draft.kind],
        "data": draft.data,
        "code": code,
        "url": verification_url(base_url, code),
        "issued_at": issued_at.isoformat(),
        "issued_on": issued_at.strftime("%d/%m/%Y"),
        "version": version,
    }


@dataclass(slots=True)
class _Pending:
    """A new version about to be issued: its number, code and date, then its file."""

    draft: Draft
    live: IssuedDocument | None
    version: int
    code: str
    issued_at: datetime
    pdf: bytes = b""


async def _pending(session: AsyncSession, draft: Draft) -> Issued | _Pending:
    """The document already issued for this data, or what a new version will be."""
    live = await live_document(session, draft)
    if live is not None and live.data_sha256 == draft.sha256:
        return Issued(live, draft.file_name, new=False)
    latest = select(func.coalesce(func.max(IssuedDocument.version), 0)).where(_key(draft))
    version = 1 + (await session.scalar(latest) or 0)
    return _Pending(draft, live, version, new_code(), datetime.now(UTC))


async def _record(session: AsyncSession, pending: _Pending, issuer: uuid.UUID | None) -> Issued:
    """Keep the rendered version and revoke the one before; if another request issued the
    same data at the same moment, theirs is the document."""
    draft = pending.draft
    try:
        async with session.begin_nested():
            if pending.live is not None:
                pending.live.revoked_at = pending.issued_at
                await session.flush()
                await events.document_revoked(session, pending.live)
            document = IssuedDocument(
                code=pending.code,
                kind=draft.kind,
                pupil_id=draft.pupil_id,
                independent_candidate_id=draft.independent_candidate_id,
                school_id=draft.school_id,
                school_year=draft.school_year,
                period=draft.period,
                exam_session_id=draft.exam_session_id,
                version=pending.version,
                data_sha256=draft.sha256,
                pdf_sha256=hashlib.sha256(pending.pdf).hexdigest(),
                pdf=pending.pdf,
                initials=draft.initials,
                issued_at=pending.issued_at,
                issued_by=issuer,
            )
            session.add(document)
            await session.flush()
    except IntegrityError:
        if pending.live is not None:
            await session.refresh(pending.live)
        current = await live_document(session, draft)
        if current is None or current.data_sha256 != draft.sha256:
            raise ProblemError(409, "documents.busy", kind="document-busy") from None
        return Issued(current, draft.file_name, new=False)
    whose = draft.pupil_id or draft.independent_candidate_id
    log.info("issued %s v%d of candidate or pupil %s", draft.kind, pending.version, whose)
    return Issued(document, draft.file_name, new=True)


async def issue_many(
    session: AsyncSession, drafts: list[Draft], issuer: uuid.UUID | None, base_url: str
) -> list[Issued]:
    """Each draft's live document, in order: those already issued as they are, the others
    issued now, their files drawn side by side in the rendering processes."""
    steps = [await _pending(session, draft) for draft in drafts]
    todo = [step for step in steps if isinstance(step, _Pending)]
    files = await asyncio.gather(
        *(pool.render([page(p.draft, p.code, base_url, p.issued_at, p.version)]) for p in todo)
    )
    for pending, pdf in zip(todo, files, strict=True):
        pending.pdf = pdf
    return [
        step if isinstance(step, Issued) else await _record(session, step, issuer) for step in steps
    ]


async def issue(
    session: AsyncSession, draft: Draft, issuer: uuid.UUID | None, base_url: str
) -> Issued:
    """The live document for this data: the one already issued, or a new version (the one
    before revoked)."""
    return (await issue_many(session, [draft], issuer, base_url))[0]


async def bundle(issued: list[Issued], drafts: list[Draft], base_url: str) -> bytes:
    """One PDF of many documents, each page as its own document was issued (same code, date
    and version): what a school prints for a whole class."""
    pages = [
        page(draft, i.document.code, base_url, i.document.issued_at, i.document.version)
        for i, draft in zip(issued, drafts, strict=True)
    ]
    return await pool.render(pages)

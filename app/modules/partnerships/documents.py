"""Signed agreements as PDF documents: uploaded by the owner unit, read by whoever may read the
agreement. The bytes live in the document store; the rows say what and whose they are."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.listing import found, page_of
from app.core.ownership import managed
from app.core.pagination import PageRequest
from app.core.schemas import Page
from app.core.security.principal import Principal
from app.core.storage import DocumentMissing, DocumentStore, new_key
from app.errors import NotFound, ProblemError
from app.modules.partnerships.agreements import readable
from app.modules.partnerships.models import Agreement, AgreementDocument
from app.modules.partnerships.schemas import DocumentOut

log = logging.getLogger(__name__)

# A scanned, signed convention of a few pages; the request body limit (8 MB) caps the form.
DOCUMENT_MAX_BYTES = 5 * 1024 * 1024
PDF = "application/pdf"


@dataclass(frozen=True, slots=True)
class StoredDocument:
    """A document's bytes, to be sent as `convention.pdf`, and its key in the store."""

    key: str
    content: bytes
    content_type: str = PDF
    filename: str = "convention.pdf"


def check_pdf(content: bytes) -> StoredDocument:
    """The upload as a PDF: 413 over the size limit, 415 unless its bytes start as a PDF's
    (the declared type and file name are the client's word only)."""
    if len(content) > DOCUMENT_MAX_BYTES:
        raise ProblemError(413, "partnerships.document_too_large", kind="document-too-large")
    if not content.startswith(b"%PDF-"):
        raise ProblemError(415, "partnerships.not_a_pdf", kind="unsupported-document")
    return StoredDocument(key=new_key("partnerships"), content=content)


async def upload(
    session: AsyncSession,
    store: DocumentStore,
    principal: Principal,
    agreement_id: uuid.UUID,
    title: str,
    content: bytes,
) -> tuple[DocumentOut, StoredDocument]:
    """Attach a signed PDF to an agreement of my unit. The row is flushed first and the file
    stored last; the caller commits and deletes the stored file should the commit fail."""
    await managed(session, principal, Agreement, Agreement.id == agreement_id)
    document = check_pdf(content)
    row = AgreementDocument(
        agreement_id=agreement_id,
        title=title.strip(),
        document_key=document.key,
        content_type=document.content_type,
        size=len(content),
        uploaded_by=principal.user_id,
    )
    session.add(row)
    await session.flush()
    await session.refresh(row, ["uploaded_at"])
    await store.put(document.key, document.content, document.content_type)
    return DocumentOut.model_validate(row), document


async def list_documents(
    session: AsyncSession,
    principal: Principal,
    agreement_id: uuid.UUID,
    page: PageRequest,
) -> Page[DocumentOut]:
    """The documents of an agreement I may read, oldest first (404 for any other)."""
    found(
        await session.scalar(
            select(Agreement.id).where(Agreement.id == agreement_id, readable(principal))
        )
    )
    statement = select(AgreementDocument).where(AgreementDocument.agreement_id == agreement_id)
    keys = (AgreementDocument.uploaded_at, AgreementDocument.id)
    return await page_of(session, statement, keys, page, lambda r: DocumentOut.model_validate(r[0]))


async def download(
    session: AsyncSession,
    store: DocumentStore,
    principal: Principal,
    agreement_id: uuid.UUID,
    document_id: uuid.UUID,
) -> StoredDocument:
    """A document of an agreement I may read (404 otherwise, or if the file has gone)."""
    row = found(
        (
            await session.execute(
                select(AgreementDocument.document_key, AgreementDocument.content_type)
                .join(Agreement, Agreement.id == AgreementDocument.agreement_id)
                .where(
                    AgreementDocument.id == document_id,
                    AgreementDocument.agreement_id == agreement_id,
                    readable(principal),
                )
            )
        ).first()
    )
    try:
        content = await store.get(row.document_key)
    except DocumentMissing:
        log.warning("an agreement's document is missing from the document store")
        raise NotFound() from None
    return StoredDocument(key=row.document_key, content=content, content_type=row.content_type)

"""Stored documents (justifications' certificates, signed agreements): the commit that keeps
a stored file and its rows together, and the download."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

import anyio
from fastapi import APIRouter, Response
from fastapi.types import DecoratedCallable
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.storage import DocumentStore

# What a document is, read from its first bytes: the declared type and the name are the
# client's word, and a renamed file must not pass for a certificate.
SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)

DOCUMENT_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {content_type: {} for _, content_type in SIGNATURES},
        "description": "The document: a PDF, a JPEG or a PNG.",
    }
}


class Downloadable(Protocol):
    @property
    def content(self) -> bytes: ...
    @property
    def content_type(self) -> str: ...
    @property
    def filename(self) -> str: ...


def download_route(
    router: APIRouter, path: str, operation_id: str
) -> Callable[[DecoratedCallable], DecoratedCallable]:
    """A GET route on `router` that answers a document, described as such in the OpenAPI."""
    return router.get(
        path, operation_id=operation_id, response_class=Response, responses=DOCUMENT_RESPONSES
    )


def document_response(document: Downloadable) -> Response:
    """The document as a download that no shared cache keeps and no browser sniffs."""
    return Response(
        document.content,
        media_type=document.content_type,
        headers={
            "Content-Disposition": f'attachment; filename="{document.filename}"',
            "Cache-Control": "private, no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )


async def commit_or_forget(session: AsyncSession, store: DocumentStore, key: str) -> None:
    """Commit now, while the stored document can still be taken back if the commit fails: the
    rows and the file stand or fall together."""
    try:
        await session.commit()
    except BaseException:
        with anyio.CancelScope(shield=True):
            await store.delete(key)
        raise

"""Stored documents (justifications' certificates) as downloads."""

from __future__ import annotations

from typing import Any

from fastapi import Response

from app.services.justifications import SIGNATURES, Document

DOCUMENT_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {content_type: {} for _, content_type in SIGNATURES},
        "description": "The document: a PDF, a JPEG or a PNG.",
    }
}


def document_response(document: Document) -> Response:
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

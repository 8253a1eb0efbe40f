"""What the public verification answers: whether a document is genuine, and never more of the
pupil than their initials."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from app.core.schemas import Schema
from app.official_documents.models import DocumentKind


class IssuingSchool(Schema):
    code: str
    name_fr: str
    name_ar: str


class DocumentVerification(Schema):
    code: str
    status: Literal["genuine", "revoked"] = Field(
        description="`revoked`: its data was corrected since, and a new version replaces it."
    )
    kind: DocumentKind
    school_year: int
    semester: int | None = Field(description="The semester a report card covers; else null.")
    version: int
    issued_at: datetime
    revoked_at: datetime | None
    school: IssuingSchool
    pupil_initials: str
    pdf_sha256: str = Field(description="SHA-256 of the PDF file as issued, in hexadecimal.")


class ClientDocumentVerification(DocumentVerification):
    """What an API client with `documents.verify` reads of a document of its unit: the public
    answer and the pupil's Massar code, so a portal can tell the paper is its applicant's.
    Nothing else of the pupil."""

    massar_code: str | None = Field(
        description="The pupil's Massar code; null on an independent candidate's exam document "
        "(they have none)."
    )


class DocumentCheck(Schema):
    code: str
    status: Literal["genuine", "revoked"]
    matches: bool = Field(description="The file sent is exactly the file issued, byte for byte.")
    pdf_sha256: str
    received_sha256: str


class RevocationIn(Schema):
    """Why the school revokes a document it issued: kept in the audit trail as a digest."""

    reason: str = Field(min_length=3, max_length=500)

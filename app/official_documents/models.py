"""Every document issued: what it is, whose, which version of its data, and the PDF itself."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    LargeBinary,
    SmallInteger,
    String,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db.base import Base, UUIDPrimaryKey, checked


class DocumentKind(StrEnum):
    """What a document attests, each kind with its data builder and template."""

    REPORT_CARD = "report_card"  # بيان النقط / bulletin de notes, of one semester
    SCHOOL_CERTIFICATE = "school_certificate"  # شهادة مدرسية / certificate of enrolment
    EXAM_TRANSCRIPT = "exam_transcript"  # كشف النقط / relevé de notes, of one exam session
    EXAM_CONVOCATION = "exam_convocation"  # استدعاء / convocation, to one exam session


# The kinds issued for one exam session (`exam_session_id`).
EXAM_KINDS = frozenset({DocumentKind.EXAM_TRANSCRIPT, DocumentKind.EXAM_CONVOCATION})


# `period` of a document that covers the whole school year (a certificate).
WHOLE_YEAR = 0


class IssuedDocument(UUIDPrimaryKey, Base):
    """One issued version of a pupil's document, or of an independent candidate's (their
    convocation and transcript: they have no pupil). A new version (its data changed) revokes the
    one before it; at most one version per pupil, kind, year and period is live.

    The PDF's bytes are kept: the file a family holds can then be checked byte for byte, and
    served again as it was issued, whatever the fonts or the rendering library became since."""

    __tablename__ = "issued_documents"
    # A pupil may sit two sessions of a year (3AC: the local and the regional exam), so the
    # exam session is part of a document's identity; NULL (the school's documents) is one value.
    __table_args__ = (
        UniqueConstraint(
            "pupil_id",
            "independent_candidate_id",
            "kind",
            "school_year",
            "period",
            "exam_session_id",
            "version",
            name="uq_issued_documents_version",
            postgresql_nulls_not_distinct=True,
        ),
        Index(
            "ux_issued_documents_live",
            "pupil_id",
            "independent_candidate_id",
            "kind",
            "school_year",
            "period",
            "exam_session_id",
            unique=True,
            postgresql_where=text("revoked_at IS NULL"),
            postgresql_nulls_not_distinct=True,
        ),
        CheckConstraint(
            "(pupil_id IS NULL) <> (independent_candidate_id IS NULL)", name="one_holder"
        ),
        ForeignKeyConstraint(
            ["independent_candidate_id", "school_id"],
            ["independent_candidates.id", "independent_candidates.school_id"],
            ondelete="CASCADE",
        ),
    )

    # The verification code printed on the paper and in its QR code.
    code: Mapped[str] = mapped_column(String(16), unique=True)
    kind: Mapped[DocumentKind] = mapped_column(checked(DocumentKind, "document_kind"))
    pupil_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("pupils.id", ondelete="CASCADE"), index=True
    )
    # Keyed with `school_id`, the candidate's exam centre, like every exam row of theirs.
    independent_candidate_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    # The school that issued it (where the pupil sat that year; an independent candidate's
    # exam centre).
    school_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("schools.id"), index=True)
    school_year: Mapped[int] = mapped_column(SmallInteger)
    # The semester (1, 2) or WHOLE_YEAR (a certificate, an exam's documents).
    period: Mapped[int] = mapped_column(SmallInteger)
    # The exam session of a transcript or a convocation.
    exam_session_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("exam_sessions.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int] = mapped_column(SmallInteger)
    # SHA-256 of the data the document shows: the same data is the same document.
    data_sha256: Mapped[str] = mapped_column(String(64))
    pdf_sha256: Mapped[str] = mapped_column(String(64))
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    # What the public verification may show of the pupil.
    initials: Mapped[str] = mapped_column(String(8))
    issued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    issued_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # A revocation by the school (a document issued by mistake): who, and why. A new version
    # revokes the one before it, and a verification finding the data changed revokes the
    # document, with neither.
    revoked_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    revocation_reason: Mapped[str | None] = mapped_column(String(500))


class ClientDocumentCheck(UUIDPrimaryKey, Base):
    """An API client's check of a document (`documents.verify`): which client read which
    pupil's document, and what it was told. Kept like the audit trail, never changed; no key
    on the document or the client, so the record outlives them."""

    __tablename__ = "client_document_checks"
    __table_args__ = (
        # A client's checks, newest first; a school's, for its staff and the audit.
        Index("ix_client_document_checks_client_id_checked_at", "client_id", "checked_at"),
        Index("ix_client_document_checks_school_id_checked_at", "school_id", "checked_at"),
        CheckConstraint("status IN ('genuine', 'revoked')", name="status"),
    )

    client_id: Mapped[uuid.UUID]
    document_id: Mapped[uuid.UUID] = mapped_column(index=True)
    school_id: Mapped[uuid.UUID]
    status: Mapped[str] = mapped_column(String(10))
    checked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

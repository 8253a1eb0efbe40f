"""exam documents

The exam transcript and the convocation are issued per exam session: `issued_documents`
gains the session, part of a document's identity (NULL for the school's documents).

Revision ID: 4d1e2f3a5b20
Revises: 4d1e2f3a5b19
Create Date: 2026-12-06 15:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "4d1e2f3a5b20"
down_revision: str | None = "4d1e2f3a5b19"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KINDS = ("report_card", "school_certificate")
EXAM_KINDS = (*KINDS, "exam_transcript", "exam_convocation")


def _kinds(kinds: tuple[str, ...]) -> None:
    op.drop_constraint(op.f("ck_issued_documents_document_kind"), "issued_documents", "check")
    listed = ", ".join(f"'{k}'" for k in kinds)
    op.create_check_constraint("document_kind", "issued_documents", f"kind IN ({listed})")


def upgrade() -> None:
    op.add_column("issued_documents", sa.Column("exam_session_id", sa.Uuid(), nullable=True))
    op.create_foreign_key(
        op.f("fk_issued_documents_exam_session_id_exam_sessions"),
        "issued_documents",
        "exam_sessions",
        ["exam_session_id"],
        ["id"],
        ondelete="CASCADE",
    )
    op.create_index(
        op.f("ix_issued_documents_exam_session_id"), "issued_documents", ["exam_session_id"]
    )
    op.drop_constraint(
        op.f("uq_issued_documents_pupil_id_kind_school_year_period_version"), "issued_documents"
    )
    op.create_unique_constraint(
        op.f("uq_issued_documents_version"),
        "issued_documents",
        ["pupil_id", "kind", "school_year", "period", "exam_session_id", "version"],
        postgresql_nulls_not_distinct=True,
    )
    op.drop_index(op.f("ux_issued_documents_live"), "issued_documents")
    op.create_index(
        op.f("ux_issued_documents_live"),
        "issued_documents",
        ["pupil_id", "kind", "school_year", "period", "exam_session_id"],
        unique=True,
        postgresql_where=sa.text("revoked_at IS NULL"),
        postgresql_nulls_not_distinct=True,
    )
    _kinds(EXAM_KINDS)


def downgrade() -> None:
    op.execute("DELETE FROM issued_documents WHERE exam_session_id IS NOT NULL")
    _kinds(KINDS)
    op.drop_index(op.f("ux_issued_documents_live"), "issued_documents")
    op.create_index(
        op.f("ux_issued_documents_live"),
        "issued_documents",
        ["pupil_id", "kind", "school_year", "period"],
        unique=True,
        postgresql_where=sa.text("revoked_at IS NULL"),
    )
    op.drop_constraint(op.f("uq_issued_documents_version"), "issued_documents")
    op.create_unique_constraint(
        op.f("uq_issued_documents_pupil_id_kind_school_year_period_version"),
        "issued_documents",
        ["pupil_id", "kind", "school_year", "period", "version"],
    )
    op.drop_index(op.f("ix_issued_documents_exam_session_id"), "issued_documents")
    op.drop_constraint(
        op.f("fk_issued_documents_exam_session_id_exam_sessions"),
        "issued_documents",
        type_="foreignkey",
    )
    op.drop_column("issued_documents", "exam_session_id")

"""bac streams, sittings and independent candidates' documents

A session examines streams (`exam_session_streams`); a session subject belongs to one of them
or to all (`stream_id`), and has its sitting (`sits_on`, `starts_at`); a candidate's result
records their stream. An issued document is a pupil's or an independent candidate's.

Revision ID: 6a1b2c3d4e07
Revises: 6a1b2c3d4e06
Create Date: 2026-12-06 18:10:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "6a1b2c3d4e07"
down_revision: str | None = "6a1b2c3d4e06"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_DOCUMENT_KEY = ["pupil_id", "kind", "school_year", "period", "exam_session_id"]
_HOLDERS = ["pupil_id", "independent_candidate_id", "kind", "school_year", "period"]


def upgrade() -> None:
    op.create_table(
        "exam_session_streams",
        sa.Column("session_id", sa.Uuid(), nullable=False),
        sa.Column("stream_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["exam_sessions.id"],
            name=op.f("fk_exam_session_streams_session_id_exam_sessions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["stream_id"], ["streams.id"], name=op.f("fk_exam_session_streams_stream_id_streams")
        ),
        sa.PrimaryKeyConstraint("session_id", "stream_id", name=op.f("pk_exam_session_streams")),
    )
    op.create_index(
        op.f("ix_exam_session_streams_stream_id"), "exam_session_streams", ["stream_id"]
    )
    op.add_column("exam_session_subjects", sa.Column("stream_id", sa.Uuid(), nullable=True))
    op.add_column("exam_session_subjects", sa.Column("sits_on", sa.Date(), nullable=True))
    op.add_column("exam_session_subjects", sa.Column("starts_at", sa.Time(), nullable=True))
    op.create_foreign_key(
        op.f("fk_exam_session_subjects_stream_id_streams"),
        "exam_session_subjects",
        "streams",
        ["stream_id"],
        ["id"],
    )
    op.create_index(
        op.f("ix_exam_session_subjects_stream_id"), "exam_session_subjects", ["stream_id"]
    )
    op.drop_constraint(
        "uq_exam_session_subjects_session_id_subject_id", "exam_session_subjects", type_="unique"
    )
    op.create_unique_constraint(
        op.f("uq_exam_session_subjects_session_id_subject_id_stream_id"),
        "exam_session_subjects",
        ["session_id", "subject_id", "stream_id"],
        postgresql_nulls_not_distinct=True,
    )
    op.create_check_constraint(
        "sitting_day_and_hour", "exam_session_subjects", "(sits_on IS NULL) = (starts_at IS NULL)"
    )
    op.add_column("exam_results", sa.Column("stream_id", sa.Uuid(), nullable=True))
    op.create_foreign_key(
        op.f("fk_exam_results_stream_id_streams"), "exam_results", "streams", ["stream_id"], ["id"]
    )
    op.create_index(op.f("ix_exam_results_stream_id"), "exam_results", ["stream_id"])

    op.add_column(
        "issued_documents", sa.Column("independent_candidate_id", sa.Uuid(), nullable=True)
    )
    op.alter_column("issued_documents", "pupil_id", existing_type=sa.Uuid(), nullable=True)
    op.create_foreign_key(
        op.f("fk_issued_documents_independent_candidate_id_independent_candidates"),
        "issued_documents",
        "independent_candidates",
        ["independent_candidate_id", "school_id"],
        ["id", "school_id"],
        ondelete="CASCADE",
    )
    op.create_index(
        op.f("ix_issued_documents_independent_candidate_id"),
        "issued_documents",
        ["independent_candidate_id"],
    )
    op.create_check_constraint(
        "one_holder",
        "issued_documents",
        "(pupil_id IS NULL) <> (independent_candidate_id IS NULL)",
    )
    _document_keys([*_HOLDERS, "exam_session_id"])
    _audit_documents("id,school_id,pupil_id,independent_candidate_id,")


def _audit_documents(kept: str) -> None:
    """Issues and revocations in the audit trail, whoever holds the document."""
    op.execute("DROP TRIGGER audit_issued_documents ON issued_documents")
    op.execute(
        "CREATE TRIGGER audit_issued_documents AFTER INSERT OR UPDATE OR DELETE"
        " ON issued_documents FOR EACH ROW EXECUTE FUNCTION audit_row('id', 'row',"
        f" '{kept}kind,code,version,issued_by,revoked_at,revoked_by', 'revocation_reason')"
    )


def _document_keys(columns: list[str]) -> None:
    op.drop_index("ux_issued_documents_live", table_name="issued_documents")
    op.drop_constraint("uq_issued_documents_version", "issued_documents", type_="unique")
    op.create_unique_constraint(
        "uq_issued_documents_version",
        "issued_documents",
        [*columns, "version"],
        postgresql_nulls_not_distinct=True,
    )
    op.create_index(
        "ux_issued_documents_live",
        "issued_documents",
        columns,
        unique=True,
        postgresql_where=sa.text("revoked_at IS NULL"),
        postgresql_nulls_not_distinct=True,
    )


def downgrade() -> None:
    op.execute("DELETE FROM issued_documents WHERE pupil_id IS NULL")
    _audit_documents("id,school_id,pupil_id,")
    _document_keys(_DOCUMENT_KEY)
    op.drop_constraint("one_holder", "issued_documents", type_="check")
    op.drop_index(
        op.f("ix_issued_documents_independent_candidate_id"), table_name="issued_documents"
    )
    op.drop_constraint(
        op.f("fk_issued_documents_independent_candidate_id_independent_candidates"),
        "issued_documents",
        type_="foreignkey",
    )
    op.alter_column("issued_documents", "pupil_id", existing_type=sa.Uuid(), nullable=False)
    op.drop_column("issued_documents", "independent_candidate_id")

    op.drop_index(op.f("ix_exam_results_stream_id"), table_name="exam_results")
    op.drop_constraint(
        op.f("fk_exam_results_stream_id_streams"), "exam_results", type_="foreignkey"
    )
    op.drop_column("exam_results", "stream_id")
    op.drop_constraint("sitting_day_and_hour", "exam_session_subjects", type_="check")
    op.drop_constraint(
        op.f("uq_exam_session_subjects_session_id_subject_id_stream_id"),
        "exam_session_subjects",
        type_="unique",
    )
    # Keep one line a subject: the streamless one, else any.
    op.execute(
        "DELETE FROM exam_session_subjects s USING exam_session_subjects t"
        " WHERE s.session_id = t.session_id AND s.subject_id = t.subject_id AND s.id <> t.id"
        " AND (s.stream_id IS NOT NULL AND (t.stream_id IS NULL OR t.id < s.id))"
    )
    op.create_unique_constraint(
        "uq_exam_session_subjects_session_id_subject_id",
        "exam_session_subjects",
        ["session_id", "subject_id"],
    )
    op.drop_index(op.f("ix_exam_session_subjects_stream_id"), table_name="exam_session_subjects")
    op.drop_constraint(
        op.f("fk_exam_session_subjects_stream_id_streams"),
        "exam_session_subjects",
        type_="foreignkey",
    )
    op.drop_column("exam_session_subjects", "starts_at")
    op.drop_column("exam_session_subjects", "sits_on")
    op.drop_column("exam_session_subjects", "stream_id")
    op.drop_index(op.f("ix_exam_session_streams_stream_id"), table_name="exam_session_streams")
    op.drop_table("exam_session_streams")

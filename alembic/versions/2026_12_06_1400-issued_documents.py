"""issued documents

Report cards and school certificates are issued as PDF, in Arabic and French. Each issued
version is kept with the SHA-256 of its data and of its file, its issuer and a verification
code that anyone holding the paper can check on the public face. A correction of the data
issues a new version and revokes the one before: at most one version is live.

Revision ID: 4d1e2f3a5b16
Revises: 4d1e2f3a5b15
Create Date: 2026-12-06 13:20:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "4d1e2f3a5b16"
down_revision: str | None = "4d1e2f3a5b15"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "issued_documents",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "report_card",
                "school_certificate",
                name="document_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("pupil_id", sa.Uuid(), nullable=False),
        sa.Column("school_id", sa.Uuid(), nullable=False),
        sa.Column("school_year", sa.SmallInteger(), nullable=False),
        sa.Column("period", sa.SmallInteger(), nullable=False),
        sa.Column("version", sa.SmallInteger(), nullable=False),
        sa.Column("data_sha256", sa.String(length=64), nullable=False),
        sa.Column("pdf_sha256", sa.String(length=64), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        sa.Column("initials", sa.String(length=8), nullable=False),
        sa.Column(
            "issued_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column("issued_by", sa.Uuid(), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["pupil_id"],
            ["pupils.id"],
            name="fk_issued_documents_pupil_id_pupils",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name="fk_issued_documents_school_id_schools"
        ),
        sa.ForeignKeyConstraint(
            ["issued_by"],
            ["users.id"],
            name="fk_issued_documents_issued_by_users",
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_issued_documents"),
        sa.UniqueConstraint("code", name="uq_issued_documents_code"),
        sa.UniqueConstraint(
            "pupil_id",
            "kind",
            "school_year",
            "period",
            "version",
            name="uq_issued_documents_pupil_id_kind_school_year_period_version",
        ),
    )
    op.create_index("ix_issued_documents_pupil_id", "issued_documents", ["pupil_id"])
    op.create_index("ix_issued_documents_school_id", "issued_documents", ["school_id"])
    op.create_index("ix_issued_documents_issued_by", "issued_documents", ["issued_by"])
    op.create_index(
        "ux_issued_documents_live",
        "issued_documents",
        ["pupil_id", "kind", "school_year", "period"],
        unique=True,
        postgresql_where=sa.text("revoked_at IS NULL"),
    )


def downgrade() -> None:
    op.drop_table("issued_documents")

"""A school revokes a document it issued by mistake: who revoked it and why, in the audit trail

Revision ID: 6a1b2c3d4e03
Revises: 6a1b2c3d4e02
Create Date: 2026-12-06 17:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "6a1b2c3d4e03"
down_revision = "6a1b2c3d4e02"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "issued_documents",
        sa.Column(
            "revoked_by",
            sa.Uuid(),
            sa.ForeignKey(
                "users.id", ondelete="SET NULL", name="fk_issued_documents_revoked_by_users"
            ),
            nullable=True,
        ),
    )
    op.add_column("issued_documents", sa.Column("revocation_reason", sa.String(500), nullable=True))
    op.create_index(op.f("ix_issued_documents_revoked_by"), "issued_documents", ["revoked_by"])
    # Issues and revocations in the audit trail; the reason as a digest, like a council's
    # correction (it may name the pupil).
    op.execute(
        "CREATE TRIGGER audit_issued_documents AFTER INSERT OR UPDATE OR DELETE"
        " ON issued_documents FOR EACH ROW EXECUTE FUNCTION audit_row('id', 'row',"
        " 'id,school_id,pupil_id,kind,code,version,issued_by,revoked_at,revoked_by',"
        " 'revocation_reason')"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER audit_issued_documents ON issued_documents")
    op.drop_index(op.f("ix_issued_documents_revoked_by"), table_name="issued_documents")
    op.drop_column("issued_documents", "revocation_reason")
    op.drop_column("issued_documents", "revoked_by")

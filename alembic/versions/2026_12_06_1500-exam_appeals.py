"""exam appeals

A pupil's or a parent's appeal on one subject mark of a published exam result, and the
organiser's decision: an accepted appeal keeps the old and the new mark, who and when.

Revision ID: 4d1e2f3a5b19
Revises: 4d1e2f3a5b21
Create Date: 2026-12-06 14:50:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "4d1e2f3a5b19"
down_revision: str | None = "4d1e2f3a5b21"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "exam_appeals",
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("school_id", sa.Uuid(), nullable=False),
        sa.Column("result_id", sa.Uuid(), nullable=False),
        sa.Column("subject_id", sa.Uuid(), nullable=False),
        sa.Column("filed_by", sa.Uuid(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "filed",
                "accepted",
                "rejected",
                name="status",
                native_enum=False,
                length=32,
                create_constraint=True,
            ),
            server_default="filed",
            nullable=False,
        ),
        sa.Column("old_mark", sa.Numeric(4, 2), nullable=True),
        sa.Column("new_mark", sa.Numeric(4, 2), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("decided_by", sa.Uuid(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "old_mark >= 0 AND old_mark <= 20", name=op.f("ck_exam_appeals_old_out_of_20")
        ),
        sa.CheckConstraint(
            "new_mark >= 0 AND new_mark <= 20", name=op.f("ck_exam_appeals_new_out_of_20")
        ),
        sa.CheckConstraint(
            "(status = 'accepted') = (new_mark IS NOT NULL)",
            name=op.f("ck_exam_appeals_accepted_has_new_mark"),
        ),
        sa.CheckConstraint(
            "status <> 'rejected' OR reason IS NOT NULL",
            name=op.f("ck_exam_appeals_rejected_says_why"),
        ),
        sa.ForeignKeyConstraint(
            ["result_id", "school_id"],
            ["exam_results.id", "exam_results.school_id"],
            name=op.f("fk_exam_appeals_result_id_exam_results"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name=op.f("fk_exam_appeals_school_id_schools")
        ),
        sa.ForeignKeyConstraint(
            ["subject_id"], ["subjects.id"], name=op.f("fk_exam_appeals_subject_id_subjects")
        ),
        sa.ForeignKeyConstraint(
            ["filed_by"], ["users.id"], name=op.f("fk_exam_appeals_filed_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["decided_by"], ["users.id"], name=op.f("fk_exam_appeals_decided_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exam_appeals")),
        sa.UniqueConstraint(
            "result_id", "subject_id", name=op.f("uq_exam_appeals_result_id_subject_id")
        ),
    )
    op.create_index(op.f("ix_exam_appeals_school_id"), "exam_appeals", ["school_id"])
    for column in ("result_id", "subject_id", "filed_by", "decided_by"):
        op.create_index(op.f(f"ix_exam_appeals_{column}"), "exam_appeals", [column])
    # In the audit trail, as the marks it corrects are: who filed, who decided, the marks.
    op.execute(
        "CREATE TRIGGER audit_exam_appeals AFTER INSERT OR UPDATE OR DELETE ON exam_appeals"
        " FOR EACH ROW EXECUTE FUNCTION audit_row('id', 'row', 'id,school_id,result_id,"
        "subject_id,filed_by,status,old_mark,new_mark,decided_by,decided_at', '')"
    )


def downgrade() -> None:
    for column in ("decided_by", "filed_by", "subject_id", "result_id"):
        op.drop_index(op.f(f"ix_exam_appeals_{column}"), table_name="exam_appeals")
    op.drop_index(op.f("ix_exam_appeals_school_id"), table_name="exam_appeals")
    op.drop_table("exam_appeals")

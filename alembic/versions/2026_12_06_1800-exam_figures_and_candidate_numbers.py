"""exam figures and candidate numbers

Candidate numbers are drawn from two sequences (the schools' candidates, the independent
candidates), started after the ranks already given, instead of the largest number plus one,
which two generations at once could both take. Each deliberated session's figures are kept
per school, gender and stream in `exam_school_summaries`.

Revision ID: 6a1b2c3d4e06
Revises: 6a1b2c3d4e05
Create Date: 2026-12-06 18:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "6a1b2c3d4e06"
down_revision: str | None = "6a1b2c3d4e05"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RANKS = 9_999_999
# sequence, the table its numbers went to, the digits before the rank
_SEQUENCES = (
    ("exam_candidate_numbers", "exam_results", 2),
    ("independent_candidate_numbers", "independent_candidates", 3),
)


def upgrade() -> None:
    for name, table, prefix in _SEQUENCES:
        op.execute(f"CREATE SEQUENCE {name} MINVALUE 1 MAXVALUE {RANKS} CYCLE")
        # Past the ranks given so far (of numbers of this form: the year, then the rank).
        last = (
            f"SELECT max(substr(candidate_number, {prefix + 1})::int) FROM {table}"  # noqa: S608
            f" WHERE candidate_number ~ '^[0-9]{{{prefix + 7}}}$'"
        )
        op.execute(f"SELECT setval('{name}', coalesce(({last}), 0) % {RANKS} + 1, false)")
    op.create_table(
        "exam_school_summaries",
        sa.Column("school_id", sa.Uuid(), nullable=False),
        sa.Column("session_id", sa.Uuid(), nullable=False),
        sa.Column("gender", sa.String(length=1), nullable=False),
        sa.Column("stream_code", sa.String(length=32), nullable=False),
        sa.Column("candidates", sa.Integer(), nullable=False),
        sa.Column("present", sa.Integer(), nullable=False),
        sa.Column("admitted", sa.Integer(), nullable=False),
        sa.Column("resit", sa.Integer(), nullable=False),
        sa.Column("refused", sa.Integer(), nullable=False),
        sa.Column("averaged", sa.Integer(), nullable=False),
        sa.Column("total", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("histogram", sa.ARRAY(sa.Integer()), nullable=False),
        sa.Column("mentions", sa.ARRAY(sa.Integer()), nullable=False),
        sa.Column(
            "as_of", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.CheckConstraint(
            "cardinality(histogram) = 20",
            name=op.f("ck_exam_school_summaries_histogram_has_every_bin"),
        ),
        sa.CheckConstraint(
            "gender IN ('M', 'F')", name=op.f("ck_exam_school_summaries_gender_known")
        ),
        sa.ForeignKeyConstraint(
            ["school_id"],
            ["schools.id"],
            name=op.f("fk_exam_school_summaries_school_id_schools"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["exam_sessions.id"],
            name=op.f("fk_exam_school_summaries_session_id_exam_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "school_id",
            "session_id",
            "gender",
            "stream_code",
            name=op.f("pk_exam_school_summaries"),
        ),
    )
    op.create_index(
        op.f("ix_exam_school_summaries_school_id"), "exam_school_summaries", ["school_id"]
    )
    op.create_index(
        op.f("ix_exam_school_summaries_session_id"), "exam_school_summaries", ["session_id"]
    )


def downgrade() -> None:
    op.drop_table("exam_school_summaries")
    for name, _, _ in _SEQUENCES:
        op.execute(f"DROP SEQUENCE {name}")

"""exams end to end

Sessions at every level (the directorate's provincial exam joins local, regional and
national), normal or resit, with a state, dates, a resit threshold and a table of mentions;
their subjects with coefficients and durations; candidates with a number, an exam centre and a
room; results with the exam average, the continuous-assessment average and the mention.
Existing sessions already published are marked so.

Revision ID: 4d1e2f3a5b11
Revises: 4d1e2f3a5b24
Create Date: 2026-12-06 13:30:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "4d1e2f3a5b11"
down_revision: str | None = "4d1e2f3a5b24"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_ORGANISER = (
    "(kind = 'local' AND school_id IS NOT NULL)"
    " OR (kind = 'regional' AND academy_id IS NOT NULL AND school_id IS NULL)"
    " OR (kind = 'national' AND academy_id IS NULL AND school_id IS NULL)"
)
NEW_ORGANISER = (
    "(kind = 'local' AND school_id IS NOT NULL)"
    " OR (kind = 'provincial' AND province_id IS NOT NULL AND school_id IS NULL)"
    " OR (kind = 'regional' AND academy_id IS NOT NULL AND school_id IS NULL"
    " AND province_id IS NULL)"
    " OR (kind = 'national' AND academy_id IS NULL AND school_id IS NULL"
    " AND province_id IS NULL)"
)
STATES = "'draft', 'candidates', 'marking', 'deliberated', 'published'"


def upgrade() -> None:
    op.add_column("exam_sessions", sa.Column("province_id", sa.Uuid(), nullable=True))
    op.create_foreign_key(
        op.f("fk_exam_sessions_province_id_provinces"),
        "exam_sessions",
        "provinces",
        ["province_id"],
        ["id"],
    )
    op.create_index(op.f("ix_exam_sessions_province_id"), "exam_sessions", ["province_id"])
    op.drop_constraint(op.f("ck_exam_sessions_kind"), "exam_sessions", type_="check")
    op.create_check_constraint(
        "kind", "exam_sessions", "kind IN ('local', 'provincial', 'regional', 'national')"
    )
    op.drop_constraint(
        op.f("ck_exam_sessions_organiser_matches_kind"), "exam_sessions", type_="check"
    )
    op.create_check_constraint("organiser_matches_kind", "exam_sessions", NEW_ORGANISER)
    op.add_column(
        "exam_sessions",
        sa.Column("round", sa.String(length=32), server_default="normal", nullable=False),
    )
    op.create_check_constraint("round", "exam_sessions", "round IN ('normal', 'resit')")
    op.add_column("exam_sessions", sa.Column("normal_session_id", sa.Uuid(), nullable=True))
    op.create_foreign_key(
        op.f("fk_exam_sessions_normal_session_id_exam_sessions"),
        "exam_sessions",
        "exam_sessions",
        ["normal_session_id"],
        ["id"],
    )
    op.create_index(
        op.f("ix_exam_sessions_normal_session_id"), "exam_sessions", ["normal_session_id"]
    )
    op.create_check_constraint(
        "resit_has_its_normal",
        "exam_sessions",
        "(round = 'resit') = (normal_session_id IS NOT NULL)",
    )
    op.add_column(
        "exam_sessions",
        sa.Column("state", sa.String(length=32), server_default="draft", nullable=False),
    )
    op.create_check_constraint("state", "exam_sessions", f"state IN ({STATES})")
    op.execute("UPDATE exam_sessions SET state = 'published' WHERE publish_at <= now()")
    op.add_column("exam_sessions", sa.Column("starts_on", sa.Date(), nullable=True))
    op.add_column("exam_sessions", sa.Column("ends_on", sa.Date(), nullable=True))
    op.add_column("exam_sessions", sa.Column("resit_threshold", sa.Numeric(4, 2), nullable=True))
    op.add_column(
        "exam_sessions",
        sa.Column(
            "mentions",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default="[]",
            nullable=False,
        ),
    )
    op.create_table(
        "exam_session_subjects",
        sa.Column("session_id", sa.Uuid(), nullable=False),
        sa.Column("subject_id", sa.Uuid(), nullable=False),
        sa.Column("coefficient", sa.Numeric(4, 2), nullable=False),
        sa.Column("duration_minutes", sa.SmallInteger(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint(
            "coefficient > 0", name=op.f("ck_exam_session_subjects_coefficient_positive")
        ),
        sa.CheckConstraint(
            "duration_minutes > 0", name=op.f("ck_exam_session_subjects_duration_positive")
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["exam_sessions.id"],
            name=op.f("fk_exam_session_subjects_session_id_exam_sessions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["subject_id"],
            ["subjects.id"],
            name=op.f("fk_exam_session_subjects_subject_id_subjects"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exam_session_subjects")),
        sa.UniqueConstraint(
            "session_id", "subject_id", name=op.f("uq_exam_session_subjects_session_id_subject_id")
        ),
    )
    for column in ("session_id", "subject_id"):
        op.create_index(
            op.f(f"ix_exam_session_subjects_{column}"), "exam_session_subjects", [column]
        )
    op.add_column("exam_results", sa.Column("candidate_number", sa.String(20), nullable=True))
    op.create_unique_constraint(
        op.f("uq_exam_results_session_id_candidate_number"),
        "exam_results",
        ["session_id", "candidate_number"],
    )
    op.add_column("exam_results", sa.Column("centre_id", sa.Uuid(), nullable=True))
    op.create_foreign_key(
        op.f("fk_exam_results_centre_id_schools"), "exam_results", "schools", ["centre_id"], ["id"]
    )
    op.create_index(op.f("ix_exam_results_centre_id"), "exam_results", ["centre_id"])
    op.add_column("exam_results", sa.Column("room", sa.String(40), nullable=True))
    for column in ("exam_average", "continuous_average"):
        op.add_column("exam_results", sa.Column(column, sa.Numeric(4, 2), nullable=True))
    op.create_check_constraint(
        "exam_out_of_20", "exam_results", "exam_average >= 0 AND exam_average <= 20"
    )
    op.create_check_constraint(
        "continuous_out_of_20",
        "exam_results",
        "continuous_average >= 0 AND continuous_average <= 20",
    )
    for column in ("created_at", "updated_at"):
        op.add_column(
            "exam_subject_results",
            sa.Column(
                column, sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
            ),
        )
    op.add_column("exam_results", sa.Column("mention_fr", sa.String(40), nullable=True))
    op.add_column("exam_results", sa.Column("mention_ar", sa.String(40), nullable=True))


def downgrade() -> None:
    for column in ("updated_at", "created_at"):
        op.drop_column("exam_subject_results", column)
    for column in ("mention_ar", "mention_fr"):
        op.drop_column("exam_results", column)
    op.drop_constraint(op.f("ck_exam_results_continuous_out_of_20"), "exam_results", type_="check")
    op.drop_constraint(op.f("ck_exam_results_exam_out_of_20"), "exam_results", type_="check")
    for column in ("continuous_average", "exam_average", "room"):
        op.drop_column("exam_results", column)
    op.drop_index(op.f("ix_exam_results_centre_id"), table_name="exam_results")
    op.drop_constraint(
        op.f("fk_exam_results_centre_id_schools"), "exam_results", type_="foreignkey"
    )
    op.drop_column("exam_results", "centre_id")
    op.drop_constraint(
        op.f("uq_exam_results_session_id_candidate_number"), "exam_results", type_="unique"
    )
    op.drop_column("exam_results", "candidate_number")
    for column in ("subject_id", "session_id"):
        op.drop_index(
            op.f(f"ix_exam_session_subjects_{column}"), table_name="exam_session_subjects"
        )
    op.drop_table("exam_session_subjects")
    for column in ("mentions", "resit_threshold", "ends_on", "starts_on"):
        op.drop_column("exam_sessions", column)
    op.drop_constraint(op.f("ck_exam_sessions_state"), "exam_sessions", type_="check")
    op.drop_column("exam_sessions", "state")
    op.drop_constraint(
        op.f("ck_exam_sessions_resit_has_its_normal"), "exam_sessions", type_="check"
    )
    op.drop_index(op.f("ix_exam_sessions_normal_session_id"), table_name="exam_sessions")
    op.drop_constraint(
        op.f("fk_exam_sessions_normal_session_id_exam_sessions"),
        "exam_sessions",
        type_="foreignkey",
    )
    op.drop_column("exam_sessions", "normal_session_id")
    op.drop_constraint(op.f("ck_exam_sessions_round"), "exam_sessions", type_="check")
    op.drop_column("exam_sessions", "round")
    op.drop_constraint(
        op.f("ck_exam_sessions_organiser_matches_kind"), "exam_sessions", type_="check"
    )
    op.execute("DELETE FROM exam_sessions WHERE kind = 'provincial'")
    op.create_check_constraint("organiser_matches_kind", "exam_sessions", OLD_ORGANISER)
    op.drop_constraint(op.f("ck_exam_sessions_kind"), "exam_sessions", type_="check")
    op.create_check_constraint("kind", "exam_sessions", "kind IN ('local', 'regional', 'national')")
    op.drop_index(op.f("ix_exam_sessions_province_id"), table_name="exam_sessions")
    op.drop_constraint(
        op.f("fk_exam_sessions_province_id_provinces"), "exam_sessions", type_="foreignkey"
    )
    op.drop_column("exam_sessions", "province_id")

"""independent candidates

Candidats libres: `independent_candidates`, registered by an academy, keyed by their exam
centre's school; an exam result is a pupil's or an independent candidate's (exactly one).
Tadkik: `candidate_record_corrections`, a candidate's requests to correct their record and
the organiser's decisions. All in the audit trail (personal details digested).

Revision ID: 6a1b2c3d4e01
Revises: 6a1b2c3d4e04
Create Date: 2026-12-06 17:40:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "6a1b2c3d4e01"
down_revision: str | None = "6a1b2c3d4e04"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# What the audit trail keeps of a registration in clear, and what it keeps only as a digest.
KEPT = "id,school_id,academy_id,school_year,candidate_number,stream_id,gender"
DIGESTED = (
    "national_id,first_name,last_name,first_name_ar,last_name_ar,birth_date,birth_place,"
    "birth_place_ar"
)


def upgrade() -> None:
    op.create_table(
        "independent_candidates",
        sa.Column("school_id", sa.Uuid(), nullable=False),
        sa.Column("academy_id", sa.Uuid(), nullable=False),
        sa.Column("school_year", sa.SmallInteger(), nullable=False),
        sa.Column("candidate_number", sa.String(length=20), nullable=False),
        sa.Column("national_id", sa.String(length=20), nullable=False),
        sa.Column("first_name", sa.String(length=100), nullable=False),
        sa.Column("last_name", sa.String(length=100), nullable=False),
        sa.Column("first_name_ar", sa.String(length=100), nullable=False),
        sa.Column("last_name_ar", sa.String(length=100), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("birth_place", sa.String(length=100), nullable=False),
        sa.Column("birth_place_ar", sa.String(length=100), nullable=False),
        sa.Column(
            "gender",
            sa.Enum("M", "F", name="gender", native_enum=False, create_constraint=True, length=32),
            nullable=False,
        ),
        sa.Column("stream_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
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
        sa.ForeignKeyConstraint(
            ["academy_id"],
            ["academies.id"],
            name=op.f("fk_independent_candidates_academy_id_academies"),
        ),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name=op.f("fk_independent_candidates_school_id_schools")
        ),
        sa.ForeignKeyConstraint(
            ["school_year"],
            ["school_years.year"],
            name=op.f("fk_independent_candidates_school_year_school_years"),
        ),
        sa.ForeignKeyConstraint(
            ["stream_id"], ["streams.id"], name=op.f("fk_independent_candidates_stream_id_streams")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_independent_candidates")),
        sa.UniqueConstraint(
            "candidate_number", name=op.f("uq_independent_candidates_candidate_number")
        ),
        sa.UniqueConstraint("id", "school_id", name=op.f("uq_independent_candidates_id_school_id")),
        sa.UniqueConstraint(
            "school_year",
            "national_id",
            name=op.f("uq_independent_candidates_school_year_national_id"),
        ),
    )
    op.create_index(
        op.f("ix_independent_candidates_academy_id"),
        "independent_candidates",
        ["academy_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_independent_candidates_school_id"),
        "independent_candidates",
        ["school_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_independent_candidates_stream_id"),
        "independent_candidates",
        ["stream_id"],
        unique=False,
    )
    op.add_column("exam_results", sa.Column("independent_candidate_id", sa.Uuid(), nullable=True))
    op.alter_column("exam_results", "pupil_id", existing_type=sa.UUID(), nullable=True)
    op.create_index(
        op.f("ix_exam_results_independent_candidate_id"),
        "exam_results",
        ["independent_candidate_id"],
        unique=False,
    )
    op.create_unique_constraint(
        op.f("uq_exam_results_school_id_session_id_independent_candid_e0ce"),
        "exam_results",
        ["school_id", "session_id", "independent_candidate_id", "school_year"],
    )
    op.create_foreign_key(
        op.f("fk_exam_results_independent_candidate_id_independent_candidates"),
        "exam_results",
        "independent_candidates",
        ["independent_candidate_id", "school_id"],
        ["id", "school_id"],
    )
    op.create_check_constraint(
        "one_candidate",
        "exam_results",
        "(pupil_id IS NULL) <> (independent_candidate_id IS NULL)",
    )
    op.execute(
        "CREATE TRIGGER audit_independent_candidates AFTER INSERT OR UPDATE OR DELETE"
        " ON independent_candidates FOR EACH ROW EXECUTE FUNCTION audit_row('id', 'row',"
        f" '{KEPT}', '{DIGESTED}')"
    )
    op.create_table(
        "candidate_record_corrections",
        sa.Column("school_id", sa.Uuid(), nullable=False),
        sa.Column("pupil_id", sa.Uuid(), nullable=True),
        sa.Column("independent_candidate_id", sa.Uuid(), nullable=True),
        sa.Column("changes", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("current", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "filed",
                "accepted",
                "refused",
                name="status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            server_default="filed",
            nullable=False,
        ),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("decided_by", sa.Uuid(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
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
            "status <> 'refused' OR reason IS NOT NULL",
            name=op.f("ck_candidate_record_corrections_refused_says_why"),
        ),
        sa.CheckConstraint(
            "(pupil_id IS NULL) <> (independent_candidate_id IS NULL)",
            name=op.f("ck_candidate_record_corrections_one_candidate"),
        ),
        sa.ForeignKeyConstraint(
            ["decided_by"],
            ["users.id"],
            name=op.f("fk_candidate_record_corrections_decided_by_users"),
        ),
        sa.ForeignKeyConstraint(
            ["independent_candidate_id", "school_id"],
            ["independent_candidates.id", "independent_candidates.school_id"],
            name=op.f(
                "fk_candidate_record_corrections_independent_candidate_id_independent_candidates"
            ),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["pupil_id"],
            ["pupils.id"],
            name=op.f("fk_candidate_record_corrections_pupil_id_pupils"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["school_id"],
            ["schools.id"],
            name=op.f("fk_candidate_record_corrections_school_id_schools"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_candidate_record_corrections")),
    )
    op.create_index(
        op.f("ix_candidate_record_corrections_decided_by"),
        "candidate_record_corrections",
        ["decided_by"],
        unique=False,
    )
    op.create_index(
        op.f("ix_candidate_record_corrections_independent_candidate_id"),
        "candidate_record_corrections",
        ["independent_candidate_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_candidate_record_corrections_pupil_id"),
        "candidate_record_corrections",
        ["pupil_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_candidate_record_corrections_school_id"),
        "candidate_record_corrections",
        ["school_id"],
        unique=False,
    )
    # Tadkik's requests in the audit trail: who asked what, who settled it.
    op.execute(
        "CREATE TRIGGER audit_candidate_record_corrections AFTER INSERT OR UPDATE OR DELETE"
        " ON candidate_record_corrections FOR EACH ROW EXECUTE FUNCTION audit_row('id', 'row',"
        " 'id,school_id,pupil_id,independent_candidate_id,status,decided_by,decided_at',"
        " 'changes,current')"
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_candidate_record_corrections_school_id"), table_name="candidate_record_corrections"
    )
    op.drop_index(
        op.f("ix_candidate_record_corrections_pupil_id"), table_name="candidate_record_corrections"
    )
    op.drop_index(
        op.f("ix_candidate_record_corrections_independent_candidate_id"),
        table_name="candidate_record_corrections",
    )
    op.drop_index(
        op.f("ix_candidate_record_corrections_decided_by"),
        table_name="candidate_record_corrections",
    )
    op.drop_table("candidate_record_corrections")
    op.execute("DROP TRIGGER audit_independent_candidates ON independent_candidates")
    # The independent candidates' results go with them: a result is a pupil's again.
    op.execute("DELETE FROM exam_results WHERE pupil_id IS NULL")
    op.drop_constraint(op.f("ck_exam_results_one_candidate"), "exam_results", type_="check")
    op.drop_constraint(
        op.f("fk_exam_results_independent_candidate_id_independent_candidates"),
        "exam_results",
        type_="foreignkey",
    )
    op.drop_constraint(
        op.f("uq_exam_results_school_id_session_id_independent_candid_e0ce"),
        "exam_results",
        type_="unique",
    )
    op.drop_index(op.f("ix_exam_results_independent_candidate_id"), table_name="exam_results")
    op.alter_column("exam_results", "pupil_id", existing_type=sa.UUID(), nullable=False)
    op.drop_column("exam_results", "independent_candidate_id")
    op.drop_index(op.f("ix_independent_candidates_stream_id"), table_name="independent_candidates")
    op.drop_index(op.f("ix_independent_candidates_school_id"), table_name="independent_candidates")
    op.drop_index(op.f("ix_independent_candidates_academy_id"), table_name="independent_candidates")
    op.drop_table("independent_candidates")

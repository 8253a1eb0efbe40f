"""trainings

Continuous training: programmes of directorates, academies and the ministry, their sessions,
staff registrations, attendance per training day and completion.

Revision ID: 3c5a7e9b1d02
Revises: 3c5a7e9b1d01
Create Date: 2026-11-29 01:20:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "3c5a7e9b1d02"
down_revision: str | None = "3c5a7e9b1d01"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TABLES = (
    "training_programmes",
    "training_sessions",
    "training_registrations",
    "training_attendance",
)


def upgrade() -> None:
    op.create_table(
        "training_programmes",
        sa.Column("theme", sa.String(length=200), nullable=False),
        sa.Column("description", sa.String(length=4000), server_default="", nullable=False),
        sa.Column(
            "audience",
            sa.Enum(
                "teachers",
                "school_staff",
                name="audience",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("subject_id", sa.Uuid(), nullable=True),
        sa.Column("level_code", sa.String(length=8), nullable=True),
        sa.Column(
            "target_cycle",
            sa.Enum(
                "primary",
                "college",
                "lycee",
                name="target_cycle",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("created_by", sa.Uuid(), nullable=False),
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
        sa.Column(
            "owner_level",
            sa.Enum(
                "family",
                "school",
                "province",
                "academy",
                "central",
                name="owner_level",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("school_id", sa.Uuid(), nullable=True),
        sa.Column("province_id", sa.Uuid(), nullable=True),
        sa.Column("academy_id", sa.Uuid(), nullable=True),
        sa.CheckConstraint(
            "\n(owner_level = 'school'\n    AND school_id IS NOT NULL AND province_id IS NOT NULL AND academy_id IS NOT NULL)\nOR (owner_level = 'province'\n    AND school_id IS NULL AND province_id IS NOT NULL AND academy_id IS NOT NULL)\nOR (owner_level = 'academy'\n    AND school_id IS NULL AND province_id IS NULL AND academy_id IS NOT NULL)\nOR (owner_level = 'central'\n    AND school_id IS NULL AND province_id IS NULL AND academy_id IS NULL)\n",
            name=op.f("ck_training_programmes_place_matches_owner_level"),
        ),
        sa.CheckConstraint(
            "audience = 'teachers' OR (subject_id IS NULL AND level_code IS NULL AND target_cycle IS NULL)",
            name=op.f("ck_training_programmes_target_only_for_teachers"),
        ),
        sa.CheckConstraint(
            "owner_level <> 'school'", name=op.f("ck_training_programmes_organised_above_schools")
        ),
        sa.CheckConstraint(
            "level_code IS NULL OR target_cycle IS NULL",
            name=op.f("ck_training_programmes_level_or_cycle"),
        ),
        sa.ForeignKeyConstraint(
            ["academy_id"],
            ["academies.id"],
            name=op.f("fk_training_programmes_academy_id_academies"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_training_programmes_created_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["level_code"], ["levels.code"], name=op.f("fk_training_programmes_level_code_levels")
        ),
        sa.ForeignKeyConstraint(
            ["province_id", "academy_id"],
            ["provinces.id", "provinces.academy_id"],
            name=op.f("fk_training_programmes_province_id_provinces"),
            onupdate="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["school_id", "province_id", "academy_id"],
            ["schools.id", "schools.province_id", "schools.academy_id"],
            name=op.f("fk_training_programmes_school_id_schools"),
            onupdate="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["subject_id"], ["subjects.id"], name=op.f("fk_training_programmes_subject_id_subjects")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_programmes")),
    )
    op.create_index(
        op.f("ix_training_programmes_academy_id"),
        "training_programmes",
        ["academy_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_training_programmes_created_by"),
        "training_programmes",
        ["created_by"],
        unique=False,
    )
    op.create_index(
        op.f("ix_training_programmes_level_code"),
        "training_programmes",
        ["level_code"],
        unique=False,
    )
    op.create_index(
        op.f("ix_training_programmes_province_id"),
        "training_programmes",
        ["province_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_training_programmes_school_id"), "training_programmes", ["school_id"], unique=False
    )
    op.create_index(
        op.f("ix_training_programmes_subject_id"),
        "training_programmes",
        ["subject_id"],
        unique=False,
    )
    op.create_table(
        "training_sessions",
        sa.Column("programme_id", sa.Uuid(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("capacity", sa.SmallInteger(), nullable=False),
        sa.Column("trainer_name", sa.String(length=120), nullable=False),
        sa.Column("hours_per_day", sa.SmallInteger(), nullable=False),
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
        sa.CheckConstraint("capacity > 0", name=op.f("ck_training_sessions_capacity_positive")),
        sa.CheckConstraint("ends_on >= starts_on", name=op.f("ck_training_sessions_dates_ordered")),
        sa.CheckConstraint(
            "hours_per_day BETWEEN 1 AND 12", name=op.f("ck_training_sessions_hours_per_day_range")
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["training_programmes.id"],
            name=op.f("fk_training_sessions_programme_id_training_programmes"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_sessions")),
    )
    op.create_index(
        op.f("ix_training_sessions_programme_id"),
        "training_sessions",
        ["programme_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_training_sessions_starts_on"), "training_sessions", ["starts_on"], unique=False
    )
    op.create_table(
        "training_registrations",
        sa.Column("school_id", sa.Uuid(), nullable=False),
        sa.Column("session_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "requested",
                "approved",
                "refused",
                "cancelled",
                "completed",
                name="status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("requested_by", sa.Uuid(), nullable=False),
        sa.Column("decided_by", sa.Uuid(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("refusal_reason", sa.String(length=500), nullable=True),
        sa.Column("completed_on", sa.Date(), nullable=True),
        sa.Column("completed_by", sa.Uuid(), nullable=True),
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
            "(status = 'completed') = (completed_on IS NOT NULL)",
            name=op.f("ck_training_registrations_completed_has_date"),
        ),
        sa.ForeignKeyConstraint(
            ["completed_by"],
            ["users.id"],
            name=op.f("fk_training_registrations_completed_by_users"),
        ),
        sa.ForeignKeyConstraint(
            ["decided_by"], ["users.id"], name=op.f("fk_training_registrations_decided_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["requested_by"],
            ["users.id"],
            name=op.f("fk_training_registrations_requested_by_users"),
        ),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name=op.f("fk_training_registrations_school_id_schools")
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["training_sessions.id"],
            name=op.f("fk_training_registrations_session_id_training_sessions"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_training_registrations_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_registrations")),
        sa.UniqueConstraint(
            "school_id",
            "session_id",
            "user_id",
            name=op.f("uq_training_registrations_school_id_session_id_user_id"),
        ),
    )
    op.create_index(
        op.f("ix_training_registrations_completed_by"),
        "training_registrations",
        ["completed_by"],
        unique=False,
    )
    op.create_index(
        op.f("ix_training_registrations_decided_by"),
        "training_registrations",
        ["decided_by"],
        unique=False,
    )
    op.create_index(
        op.f("ix_training_registrations_requested_by"),
        "training_registrations",
        ["requested_by"],
        unique=False,
    )
    op.create_index(
        op.f("ix_training_registrations_school_id"),
        "training_registrations",
        ["school_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_training_registrations_session_id"),
        "training_registrations",
        ["session_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_training_registrations_status"), "training_registrations", ["status"], unique=False
    )
    op.create_index(
        op.f("ix_training_registrations_user_id"),
        "training_registrations",
        ["user_id"],
        unique=False,
    )
    op.create_table(
        "training_attendance",
        sa.Column("school_id", sa.Uuid(), nullable=False),
        sa.Column("registration_id", sa.Uuid(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("present", sa.Boolean(), nullable=False),
        sa.Column("recorded_by", sa.Uuid(), nullable=False),
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
            ["recorded_by"], ["users.id"], name=op.f("fk_training_attendance_recorded_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["training_registrations.id"],
            name=op.f("fk_training_attendance_registration_id_training_registrations"),
        ),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name=op.f("fk_training_attendance_school_id_schools")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_attendance")),
        sa.UniqueConstraint(
            "school_id",
            "registration_id",
            "day",
            name=op.f("uq_training_attendance_school_id_registration_id_day"),
        ),
    )
    op.create_index(
        op.f("ix_training_attendance_recorded_by"),
        "training_attendance",
        ["recorded_by"],
        unique=False,
    )
    op.create_index(
        "ix_training_attendance_registration_id",
        "training_attendance",
        ["registration_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_training_attendance_school_id"), "training_attendance", ["school_id"], unique=False
    )
    for table in _TABLES:
        op.execute(
            f"CREATE TRIGGER audit_{table} AFTER INSERT OR UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION audit_row('id', 'row')"
        )


def downgrade() -> None:
    for table in reversed(_TABLES):
        op.execute(f"DROP TRIGGER IF EXISTS audit_{table} ON {table}")
    op.drop_index(op.f("ix_training_attendance_school_id"), table_name="training_attendance")
    op.drop_index("ix_training_attendance_registration_id", table_name="training_attendance")
    op.drop_index(op.f("ix_training_attendance_recorded_by"), table_name="training_attendance")
    op.drop_table("training_attendance")
    op.drop_index(op.f("ix_training_registrations_user_id"), table_name="training_registrations")
    op.drop_index(op.f("ix_training_registrations_status"), table_name="training_registrations")
    op.drop_index(op.f("ix_training_registrations_session_id"), table_name="training_registrations")
    op.drop_index(op.f("ix_training_registrations_school_id"), table_name="training_registrations")
    op.drop_index(
        op.f("ix_training_registrations_requested_by"), table_name="training_registrations"
    )
    op.drop_index(op.f("ix_training_registrations_decided_by"), table_name="training_registrations")
    op.drop_index(
        op.f("ix_training_registrations_completed_by"), table_name="training_registrations"
    )
    op.drop_table("training_registrations")
    op.drop_index(op.f("ix_training_sessions_starts_on"), table_name="training_sessions")
    op.drop_index(op.f("ix_training_sessions_programme_id"), table_name="training_sessions")
    op.drop_table("training_sessions")
    op.drop_index(op.f("ix_training_programmes_subject_id"), table_name="training_programmes")
    op.drop_index(op.f("ix_training_programmes_school_id"), table_name="training_programmes")
    op.drop_index(op.f("ix_training_programmes_province_id"), table_name="training_programmes")
    op.drop_index(op.f("ix_training_programmes_level_code"), table_name="training_programmes")
    op.drop_index(op.f("ix_training_programmes_created_by"), table_name="training_programmes")
    op.drop_index(op.f("ix_training_programmes_academy_id"), table_name="training_programmes")
    op.drop_table("training_programmes")

"""keys carry the school

Two foreign keys between tenant tables gain `school_id`, as every other one already carries
it, so that each table can be distributed by school with its references on the same shard: a
pupil's place in the rollover points at a class of the same school, and a training attendance
at a registration of the same school (which gains the unique key it needs for that).

Revision ID: 6a1b2c3d4e05
Revises: 4d1e2f3a5b20
Create Date: 2026-12-06 16:50:00+00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "6a1b2c3d4e05"
down_revision: str | None = "4d1e2f3a5b20"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ROLLOVER_CLASS = "fk_rollover_pupils_class_id_classes"
ATTENDANCE_REGISTRATION = "fk_training_attendance_registration_id_training_registrations"
REGISTRATION_KEY = "uq_training_registrations_id_school_id"


def upgrade() -> None:
    op.drop_constraint(ROLLOVER_CLASS, "rollover_pupils", type_="foreignkey")
    op.create_foreign_key(
        ROLLOVER_CLASS, "rollover_pupils", "classes", ["class_id", "school_id"], ["id", "school_id"]
    )
    op.create_unique_constraint(REGISTRATION_KEY, "training_registrations", ["id", "school_id"])
    op.drop_constraint(ATTENDANCE_REGISTRATION, "training_attendance", type_="foreignkey")
    op.create_foreign_key(
        ATTENDANCE_REGISTRATION,
        "training_attendance",
        "training_registrations",
        ["registration_id", "school_id"],
        ["id", "school_id"],
    )


def downgrade() -> None:
    op.drop_constraint(ATTENDANCE_REGISTRATION, "training_attendance", type_="foreignkey")
    op.create_foreign_key(
        ATTENDANCE_REGISTRATION,
        "training_attendance",
        "training_registrations",
        ["registration_id"],
        ["id"],
    )
    op.drop_constraint(REGISTRATION_KEY, "training_registrations", type_="unique")
    op.drop_constraint(ROLLOVER_CLASS, "rollover_pupils", type_="foreignkey")
    op.create_foreign_key(ROLLOVER_CLASS, "rollover_pupils", "classes", ["class_id"], ["id"])

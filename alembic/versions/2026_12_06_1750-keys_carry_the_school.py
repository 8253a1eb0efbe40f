"""keys carry the school

A training attendance's foreign key to its registration gains `school_id`, as the other
references between tenant tables carry it, so that both can be distributed by school with the
reference on one shard; the registration gains the unique key it needs for that.

Revision ID: 6a1b2c3d4e05
Revises: 6a1b2c3d4e01
Create Date: 2026-12-06 17:50:00+00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "6a1b2c3d4e05"
down_revision: str | None = "6a1b2c3d4e01"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ATTENDANCE_REGISTRATION = "fk_training_attendance_registration_id_training_registrations"
REGISTRATION_KEY = "uq_training_registrations_id_school_id"


def upgrade() -> None:
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

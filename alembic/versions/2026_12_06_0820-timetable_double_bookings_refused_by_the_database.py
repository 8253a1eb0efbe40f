"""timetable double bookings refused by the database

The service looked for a clashing slot before inserting, so two adds at the same moment could
both pass. Exclusion constraints now refuse a teacher, a class or a room booked twice at once,
whatever the interleaving.

Revision ID: 4d1e2f3a5b03
Revises: 4d1e2f3a5b02
Create Date: 2026-12-06 08:20:00+00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "4d1e2f3a5b03"
down_revision: str | None = "4d1e2f3a5b02"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Who may not be in two places at once, and when it applies.
BUSY = {
    "teacher": ("teacher_id", ""),
    "class": ("class_id", ""),
    "room": ("school_id WITH =, room", " WHERE (room IS NOT NULL)"),
}


def upgrade() -> None:
    # btree_gist gives equality on uuid and smallint to a gist index; it is a trusted
    # extension, so the database's owner may create it.
    op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    op.execute("CREATE TYPE timerange AS RANGE (subtype = time)")
    for busy, (columns, where) in BUSY.items():
        op.execute(
            f"ALTER TABLE timetable_slots ADD CONSTRAINT no_{busy}_double_booking"
            f" EXCLUDE USING gist ({columns} WITH =, school_year WITH =, weekday WITH =,"
            f" timerange(starts_at, ends_at) WITH &&){where}"
        )


def downgrade() -> None:
    for busy in BUSY:
        op.execute(f"ALTER TABLE timetable_slots DROP CONSTRAINT no_{busy}_double_booking")
    op.execute("DROP TYPE timerange")

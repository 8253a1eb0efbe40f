"""tombstones row and pupil

A tombstone also records the deleted row's own id (`row_id`: for a roster entry, the
enrolment's, whose `entity_id` is the pupil) and its pupil (`pupil_id`, for a mark, an
attendance row or an enrolment), so OneRoster can answer a deleted enrolment and a deleted
mark (its student) as `tobedeleted` under their own sourcedIds.

Revision ID: 4d1e2f3a5b21
Revises: 4d1e2f3a5b18
Create Date: 2026-12-06 14:50:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "4d1e2f3a5b21"
down_revision: str | None = "4d1e2f3a5b18"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The function's body, with the columns it fills; the trigger's arguments are unchanged.
FUNCTION = """
CREATE OR REPLACE FUNCTION record_tombstone() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    deleted jsonb := to_jsonb(OLD);
BEGIN
    INSERT INTO tombstones (school_id, kind, entity_id, container_id, subject_id{columns})
    VALUES (
        (deleted ->> 'school_id')::uuid,
        TG_ARGV[0],
        (deleted ->> TG_ARGV[1])::uuid,
        (deleted ->> TG_ARGV[2])::uuid,
        (deleted ->> 'subject_id')::uuid{values}
    );
    RETURN OLD;
END
$$
"""


def upgrade() -> None:
    op.add_column("tombstones", sa.Column("row_id", sa.Uuid(), nullable=True))
    op.add_column("tombstones", sa.Column("pupil_id", sa.Uuid(), nullable=True))
    op.execute(
        FUNCTION.format(
            columns=", row_id, pupil_id",
            values=",\n        (deleted ->> 'id')::uuid,\n        (deleted ->> 'pupil_id')::uuid",
        )
    )


def downgrade() -> None:
    op.execute(FUNCTION.format(columns="", values=""))
    op.drop_column("tombstones", "pupil_id")
    op.drop_column("tombstones", "row_id")

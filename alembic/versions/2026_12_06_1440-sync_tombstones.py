"""sync tombstones

Deleted rows of the synced tables (tests, marks, lessons, attendance, rosters) leave a
tombstone, written by a trigger on delete so that no delete path can forget it: a delta read
answers what was deleted since the app's last sync, beside what changed.

Revision ID: 4d1e2f3a5b18
Revises: 4d1e2f3a5b11
Create Date: 2026-12-06 13:40:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "4d1e2f3a5b18"
down_revision: str | None = "4d1e2f3a5b11"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (table, kind, the column naming the deleted object, the column it is read under)
SYNCED = (
    ("class_tests", "test", "id", "class_id"),
    ("marks", "mark", "id", "test_id"),
    ("lessons", "lesson", "id", "class_id"),
    ("attendance_marks", "attendance", "id", "sheet_id"),
    ("enrolments", "roster", "pupil_id", "class_id"),
)


def upgrade() -> None:
    op.create_table(
        "tombstones",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=True), nullable=False),
        sa.Column("school_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("entity_id", sa.Uuid(), nullable=False),
        sa.Column("container_id", sa.Uuid(), nullable=True),
        sa.Column("subject_id", sa.Uuid(), nullable=True),
        sa.Column(
            "deleted_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tombstones")),
    )
    op.create_index(
        "ix_tombstones_school_kind_deleted_at", "tombstones", ["school_id", "kind", "deleted_at"]
    )
    op.create_index(op.f("ix_tombstones_deleted_at"), "tombstones", ["deleted_at"])
    # One function for every synced table: its arguments name the kind and the columns. The
    # row is read as JSON, so a table without `subject_id` leaves it null.
    op.execute(
        """
        CREATE FUNCTION record_tombstone() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
            deleted jsonb := to_jsonb(OLD);
        BEGIN
            INSERT INTO tombstones (school_id, kind, entity_id, container_id, subject_id)
            VALUES (
                (deleted ->> 'school_id')::uuid,
                TG_ARGV[0],
                (deleted ->> TG_ARGV[1])::uuid,
                (deleted ->> TG_ARGV[2])::uuid,
                (deleted ->> 'subject_id')::uuid
            );
            RETURN OLD;
        END
        $$
        """
    )
    for table, kind, entity, container in SYNCED:
        op.execute(
            f"CREATE TRIGGER {table}_tombstone AFTER DELETE ON {table} FOR EACH ROW "
            f"EXECUTE FUNCTION record_tombstone('{kind}', '{entity}', '{container}')"
        )


def downgrade() -> None:
    for table, *_ in SYNCED:
        op.execute(f"DROP TRIGGER {table}_tombstone ON {table}")
    op.execute("DROP FUNCTION record_tombstone()")
    op.drop_index(op.f("ix_tombstones_deleted_at"), table_name="tombstones")
    op.drop_index("ix_tombstones_school_kind_deleted_at", table_name="tombstones")
    op.drop_table("tombstones")

"""audit log, its row triggers on the business tables, append-only

Revision ID: a7d3c19e5b42
Revises: 1a5e4d224601
Create Date: 2026-11-29 00:40:00+00:00

Written by hand: autogenerate sees the table but not the functions and triggers.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "a7d3c19e5b42"
down_revision: str | None = "1a5e4d224601"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Table -> the column that identifies a row (its primary key, or the first part of it).
AUDITED = {
    "classes": "id",
    "pupils": "id",
    "enrolments": "id",
    "teaching_assignments": "id",
    "timetable_slots": "id",
    "class_tests": "id",
    "marks": "id",
    "mark_corrections": "id",
    "attendance_sheets": "id",
    "attendance_marks": "id",
    "lessons": "id",
    "justifications": "id",
    "justified_absences": "justification_id",
    "guardian_links": "id",
    "link_codes": "id",
    "pupil_contacts": "pupil_id",
    "announcements": "id",
    "message_threads": "id",
    "messages": "id",
    "users": "id",
    "teacher_profiles": "user_id",
    "exam_sessions": "id",
    "exam_results": "id",
    "exam_subject_results": "id",
    "transfers": "id",
}
# Tables without school_id whose school is the pupil's (a guardian link).
SCHOOL_VIA_PUPIL = {"guardian_links"}

# Secrets never reach the log: by column name, so that a secret column added later (an MFA
# seed, a token) is covered without touching the trigger. An update of one is recorded as
# "[redacted]" on both sides, so a password change leaves a trace but not the hash.
AUDIT_ROW = r"""
CREATE FUNCTION audit_row() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    secret CONSTANT text := '(hash|secret|token|password)';
    old_row jsonb;
    new_row jsonb;
    subject jsonb;
    changed jsonb;
    row_school uuid;
BEGIN
    IF TG_OP <> 'INSERT' THEN old_row := to_jsonb(OLD); END IF;
    IF TG_OP <> 'DELETE' THEN new_row := to_jsonb(NEW); END IF;
    subject := coalesce(new_row, old_row);
    IF TG_OP = 'UPDATE' THEN
        -- Only the columns that changed; updated_at alone is not a change worth a row.
        SELECT jsonb_object_agg(
                   n.key,
                   CASE WHEN n.key ~ secret THEN '["[redacted]", "[redacted]"]'::jsonb
                        ELSE jsonb_build_array(o.value, n.value) END)
          INTO changed
          FROM jsonb_each(new_row) AS n JOIN jsonb_each(old_row) AS o USING (key)
         WHERE n.value IS DISTINCT FROM o.value AND n.key <> 'updated_at';
        IF changed IS NULL THEN
            RETURN NULL;
        END IF;
    ELSE
        SELECT coalesce(jsonb_object_agg(key, value), '{}'::jsonb)
          INTO changed
          FROM jsonb_each(subject)
         WHERE key !~ secret;
    END IF;
    IF TG_ARGV[1] = 'pupil' THEN
        SELECT school_id INTO row_school FROM pupils WHERE id = (subject ->> 'pupil_id')::uuid;
    ELSE
        row_school := (subject ->> 'school_id')::uuid;
    END IF;
    INSERT INTO audit_log (
        actor_id, actor_role, request_id, client_ip,
        action, entity, entity_id, school_id, changed
    ) VALUES (
        nullif(current_setting('massar.actor_id', true), '')::uuid,
        coalesce(nullif(current_setting('massar.actor_role', true), ''), 'system'),
        nullif(current_setting('massar.request_id', true), ''),
        nullif(current_setting('massar.client_ip', true), '')::inet,
        lower(TG_OP), TG_TABLE_NAME, (subject ->> TG_ARGV[0])::uuid, row_school, changed
    );
    RETURN NULL;
END
$$
"""

# Statement level, so even an UPDATE or DELETE that matches no row is refused.
APPEND_ONLY = r"""
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$
"""


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column(
            "occurred_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=True), nullable=False),
        sa.Column("actor_id", sa.Uuid(), nullable=True),
        sa.Column("actor_role", sa.String(length=32), nullable=False),
        sa.Column("request_id", sa.String(length=64), nullable=True),
        sa.Column("client_ip", postgresql.INET(), nullable=True),
        sa.Column(
            "action",
            sa.Enum(
                "insert",
                "update",
                "delete",
                name="action",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("entity", sa.String(length=63), nullable=False),
        sa.Column("entity_id", sa.Uuid(), nullable=True),
        sa.Column("school_id", sa.Uuid(), nullable=True),
        sa.Column("changed", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.PrimaryKeyConstraint("occurred_at", "id", name=op.f("pk_audit_log")),
    )
    op.create_index(
        "ix_audit_log_entity_entity_id_occurred_at",
        "audit_log",
        ["entity", "entity_id", "occurred_at"],
        unique=False,
    )
    op.create_index(
        "ix_audit_log_school_id_occurred_at_id",
        "audit_log",
        ["school_id", "occurred_at", "id"],
        unique=False,
    )
    op.execute(APPEND_ONLY)
    op.execute(
        "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log"
        " FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()"
    )
    op.execute(AUDIT_ROW)
    for table, id_column in AUDITED.items():
        school_from = "pupil" if table in SCHOOL_VIA_PUPIL else "row"
        op.execute(
            f"CREATE TRIGGER audit_{table} AFTER INSERT OR UPDATE OR DELETE ON {table}"
            f" FOR EACH ROW EXECUTE FUNCTION audit_row('{id_column}', '{school_from}')"
        )


def downgrade() -> None:
    for table in AUDITED:
        op.execute(f"DROP TRIGGER audit_{table} ON {table}")
    op.execute("DROP FUNCTION audit_row()")
    op.drop_index("ix_audit_log_school_id_occurred_at_id", table_name="audit_log")
    op.drop_index("ix_audit_log_entity_entity_id_occurred_at", table_name="audit_log")
    op.drop_table("audit_log")
    op.execute("DROP FUNCTION audit_log_append_only()")

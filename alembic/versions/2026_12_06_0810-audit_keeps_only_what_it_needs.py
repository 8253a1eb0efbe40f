"""audit keeps only what it needs

The audit triggers copied every column of the audited rows, so the audit log held parents'
and teachers' messages, justification reasons, family phone numbers and login times, and
showed them to whoever may read the audit. Each audited table now names the columns the audit
keeps as they are (ids, states, dates, marks) and the free texts it keeps only as a SHA-256
digest (enough to show that a text changed, or to check a copy, without holding it). Any other
column is left out of an inserted or deleted row, and an update of it records only that it
changed. The rows already written are scrubbed the same way.

Revision ID: 4d1e2f3a5b02
Revises: 4d1e2f3a5b01
Create Date: 2026-12-06 08:10:00+00:00

Written by hand: autogenerate does not see functions and triggers.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "4d1e2f3a5b02"
down_revision: str | None = "4d1e2f3a5b01"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

IDS = ("id", "school_id", "school_year")

# Table -> (the column that identifies a row, where its school is, kept, digested).
POLICY: dict[str, tuple[str, str, tuple[str, ...], tuple[str, ...]]] = {
    "classes": ("id", "row", (*IDS, "level_code", "stream_id", "name", "is_active"), ()),
    "pupils": ("id", "row", (*IDS, "massar_code", "user_id"), ()),
    "enrolments": (
        "id",
        "row",
        (*IDS, "pupil_id", "class_id", "enrolled_on", "left_on"),
        (),
    ),
    "teaching_assignments": ("id", "row", (*IDS, "teacher_id", "class_id", "subject_id"), ()),
    "timetable_slots": (
        "id",
        "row",
        (*IDS, "class_id", "subject_id", "teacher_id", "weekday", "starts_at", "ends_at", "room"),
        (),
    ),
    "class_tests": (
        "id",
        "row",
        (
            *IDS,
            "class_id",
            "subject_id",
            "teacher_id",
            "semester",
            "kind",
            "test_date",
            "title",
            "status",
            "submitted_at",
            "validated_at",
            "validated_by",
            "published_at",
        ),
        ("return_reason",),
    ),
    "marks": (
        "id",
        "row",
        (*IDS, "test_id", "pupil_id", "mark", "absent", "updated_by"),
        ("remark",),
    ),
    "mark_corrections": (
        "id",
        "row",
        (
            *IDS,
            "mark_id",
            "old_mark",
            "old_absent",
            "new_mark",
            "new_absent",
            "corrected_by",
            "corrected_at",
        ),
        ("reason",),
    ),
    "attendance_sheets": (
        "id",
        "row",
        (*IDS, "class_id", "subject_id", "teacher_id", "lesson_date", "starts_at"),
        (),
    ),
    "attendance_marks": (
        "id",
        "row",
        (*IDS, "sheet_id", "pupil_id", "status", "minutes_late"),
        ("note",),
    ),
    "lessons": (
        "id",
        "row",
        (*IDS, "class_id", "subject_id", "teacher_id", "unit_id", "lesson_date", "homework_due_on"),
        ("title", "content", "homework_text"),
    ),
    "justifications": (
        "id",
        "row",
        (
            *IDS,
            "pupil_id",
            "submitted_by",
            "status",
            "decided_by",
            "decided_at",
            "document_type",
            "document_size",
        ),
        ("reason", "decision_reason"),
    ),
    "justified_absences": (
        "justification_id",
        "row",
        ("justification_id", "attendance_mark_id", "school_id", "status"),
        (),
    ),
    "guardian_links": (
        "id",
        "pupil",
        ("id", "parent_id", "pupil_id", "kinship", "verified_at"),
        (),
    ),
    "link_codes": (
        "id",
        "row",
        (*IDS, "pupil_id", "issued_by", "issued_at", "expires_at", "used_at", "used_by"),
        (),
    ),
    "pupil_contacts": ("pupil_id", "row", ("pupil_id", "school_id", "operator", "phone_owner"), ()),
    "announcements": (
        "id",
        "row",
        (*IDS, "author_id", "audience", "level_code", "class_id", "published_at"),
        ("title", "body"),
    ),
    "message_threads": (
        "id",
        "row",
        (*IDS, "pupil_id", "parent_id", "staff_id"),
        ("subject",),
    ),
    "messages": ("id", "row", (*IDS, "thread_id", "author_id"), ("body",)),
    "users": (
        "id",
        "row",
        (
            *IDS,
            "username",
            "role",
            "title",
            "province_id",
            "academy_id",
            "is_active",
            "disabled_at",
        ),
        (),
    ),
    "teacher_profiles": (
        "user_id",
        "row",
        ("user_id", "school_id", "ppr", "rank", "specialty_subject_id", "hired_on"),
        (),
    ),
    "exam_sessions": (
        "id",
        "row",
        (
            *IDS,
            "kind",
            "level_code",
            "name_fr",
            "name_ar",
            "academy_id",
            "publish_at",
            "announced_at",
        ),
        (),
    ),
    "exam_results": ("id", "row", (*IDS, "session_id", "pupil_id", "average", "decision"), ()),
    "exam_subject_results": (
        "id",
        "row",
        (*IDS, "result_id", "subject_id", "mark", "absent"),
        (),
    ),
    "transfers": (
        "id",
        "row",
        (
            *IDS,
            "pupil_id",
            "to_school_id",
            "status",
            "requested_by",
            "requested_at",
            "decided_by",
            "decided_at",
        ),
        ("reason", "refusal_reason"),
    ),
}

# One column's value as the audit keeps it. Secret-looking names are refused whatever the
# policy says, so a policy written in error still cannot copy a hash or a token.
AUDIT_VALUE = r"""
CREATE FUNCTION audit_value(
    name text, value jsonb, kept text[], digested text[]
) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
        WHEN name ~ '(hash|secret|token|password)' THEN '"[redacted]"'::jsonb
        WHEN name = ANY (kept) THEN value
        WHEN name = ANY (digested) AND (value IS NULL OR value = 'null'::jsonb) THEN 'null'::jsonb
        WHEN name = ANY (digested) THEN to_jsonb(
            'sha256:' || encode(sha256(convert_to(value #>> '{}', 'UTF8')), 'hex'))
        ELSE NULL
    END
$$
"""

# What the audit keeps of a row (insert, delete) or of a change (update): listed columns only;
# an update of any other column says that it changed, and nothing more.
AUDIT_FILTER = r"""
CREATE FUNCTION audit_filter(
    action text, changed jsonb, kept text[], digested text[]
) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
    SELECT coalesce(jsonb_object_agg(key, filtered), '{}'::jsonb)
      FROM (
        SELECT key,
               CASE
                 -- A secret is left out of a row; its change is recorded as redacted.
                 WHEN action <> 'update' AND key ~ '(hash|secret|token|password)' THEN NULL
                 WHEN action <> 'update' THEN audit_value(key, value, kept, digested)
                 WHEN value = '"[withheld]"'::jsonb THEN value
                 WHEN audit_value(key, value -> 0, kept, digested) IS NULL THEN '"[withheld]"'::jsonb
                 ELSE jsonb_build_array(
                        audit_value(key, value -> 0, kept, digested),
                        audit_value(key, value -> 1, kept, digested))
               END AS filtered
          FROM jsonb_each(changed)
      ) AS entries
     WHERE filtered IS NOT NULL
$$
"""

AUDIT_ROW = r"""
CREATE OR REPLACE FUNCTION audit_row() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    kept CONSTANT text[] := string_to_array(TG_ARGV[2], ',');
    digested CONSTANT text[] := string_to_array(TG_ARGV[3], ',');
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
        SELECT jsonb_object_agg(n.key, jsonb_build_array(o.value, n.value))
          INTO changed
          FROM jsonb_each(new_row) AS n JOIN jsonb_each(old_row) AS o USING (key)
         WHERE n.value IS DISTINCT FROM o.value AND n.key <> 'updated_at';
        IF changed IS NULL THEN
            RETURN NULL;
        END IF;
    ELSE
        changed := subject;
    END IF;
    changed := audit_filter(lower(TG_OP), changed, kept, digested);
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

# The function as it was, for the downgrade.
PREVIOUS_AUDIT_ROW = r"""
CREATE OR REPLACE FUNCTION audit_row() RETURNS trigger LANGUAGE plpgsql AS $$
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


def _array(columns: tuple[str, ...]) -> str:
    return "ARRAY[" + ", ".join(f"'{c}'" for c in columns) + "]::text[]"


def upgrade() -> None:
    op.execute(AUDIT_VALUE)
    op.execute(AUDIT_FILTER)
    op.execute(AUDIT_ROW)
    for table, (id_column, school_from, kept, digested) in POLICY.items():
        op.execute(f"DROP TRIGGER audit_{table} ON {table}")
        op.execute(
            f"CREATE TRIGGER audit_{table} AFTER INSERT OR UPDATE OR DELETE ON {table}"
            f" FOR EACH ROW EXECUTE FUNCTION audit_row("
            f"'{id_column}', '{school_from}', '{','.join(kept)}', '{','.join(digested)}')"
        )
    # The rows already written: the append-only guard steps aside for this one migration.
    op.execute("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only")
    for table, (_, _, kept, digested) in POLICY.items():
        # The names are this module's constants, never input.
        filtered = f"audit_filter(action, changed, {_array(kept)}, {_array(digested)})"
        op.execute(f"UPDATE audit_log SET changed = {filtered} WHERE entity = '{table}'")  # noqa: S608
    op.execute("ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only")


def downgrade() -> None:
    # What was scrubbed stays scrubbed: the texts are gone, by design.
    op.execute(PREVIOUS_AUDIT_ROW)
    for table, (id_column, school_from, _, _) in POLICY.items():
        op.execute(f"DROP TRIGGER audit_{table} ON {table}")
        op.execute(
            f"CREATE TRIGGER audit_{table} AFTER INSERT OR UPDATE OR DELETE ON {table}"
            f" FOR EACH ROW EXECUTE FUNCTION audit_row('{id_column}', '{school_from}')"
        )
    op.execute("DROP FUNCTION audit_filter(text, jsonb, text[], text[])")
    op.execute("DROP FUNCTION audit_value(text, jsonb, text[], text[])")

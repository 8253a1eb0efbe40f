"""steering summaries

The steering overviews summed every mark and roll call of a unit at each request (1.3-1.6 s for
the ministry at 100 schools). Each school now has summary rows (its counts, grade entry, draft
tests by date, roll calls by day, subject averages with their histogram), which the overviews
sum. Triggers on the tables the figures read queue the school (and a roll call's day) in
`summary_queue`, in the writing transaction; the worker recomputes what is queued. The rows
start empty: `massar refresh-summaries` (or the worker, for what is queued) fills them.

Revision ID: 4d1e2f3a5b08
Revises: 4d1e2f3a5b07
Create Date: 2026-12-06 10:35:38.058801+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "4d1e2f3a5b08"
down_revision: str | None = "4d1e2f3a5b07"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Tables whose rows carry the school whose figures (all but roll calls) they change.
SCHOOL_TABLES = (
    "enrolments",
    "classes",
    "teaching_assignments",
    "class_tests",
    "marks",
    "justifications",
    "transfers",
)
_EVENTS = {
    "INSERT": "REFERENCING NEW TABLE AS new_rows",
    "UPDATE": "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
    "DELETE": "REFERENCING OLD TABLE AS old_rows",
}


def _queue_function(name: str, changes: str) -> str:
    """A statement trigger's function that queues `changes` (a SELECT of school_id, part, day
    from `{rows}`) for the rows before and after the statement: one insert per statement."""
    before, after = (changes.format(rows=rows) for rows in ("old_rows", "new_rows"))
    return f"""
CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO summary_queue (school_id, part, day) {after};
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO summary_queue (school_id, part, day) {before};
    ELSE
        INSERT INTO summary_queue (school_id, part, day) {before} UNION {after};
    END IF;
    RETURN NULL;
END
$$
"""


QUEUE_FUNCTIONS = {
    "summary_queue_schools": _queue_function(
        "summary_queue_schools",
        "SELECT DISTINCT school_id, 'school', NULL::date FROM {rows}",
    ),
    "summary_queue_roll_call_days": _queue_function(
        "summary_queue_roll_call_days",
        "SELECT DISTINCT school_id, 'attendance', lesson_date FROM {rows}",
    ),
    # A mark's day is its sheet's; a sheet deleted with its marks queues its day itself.
    "summary_queue_roll_call_marks": _queue_function(
        "summary_queue_roll_call_marks",
        "SELECT DISTINCT m.school_id, 'attendance', s.lesson_date FROM {rows} m"
        " JOIN attendance_sheets s ON s.id = m.sheet_id AND s.school_id = m.school_id",
    ),
}
STATEMENT_TRIGGERS = (
    *((table, "summary_queue_schools") for table in SCHOOL_TABLES),
    ("attendance_sheets", "summary_queue_roll_call_days"),
    ("attendance_marks", "summary_queue_roll_call_marks"),
)

# Teacher accounts count where they belong; users change at every login, so only a change of
# what is counted (role, active, school) queues.
QUEUE_TEACHER = r"""
CREATE FUNCTION summary_queue_teacher() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' AND OLD.role = 'teacher' AND OLD.school_id IS NOT NULL THEN
        INSERT INTO summary_queue (school_id, part) VALUES (OLD.school_id, 'school');
    END IF;
    -- An update within one school queues it once.
    IF TG_OP <> 'DELETE' AND NEW.role = 'teacher' AND NEW.school_id IS NOT NULL AND (
        TG_OP = 'INSERT' OR OLD.role <> 'teacher' OR OLD.school_id IS DISTINCT FROM NEW.school_id
    ) THEN
        INSERT INTO summary_queue (school_id, part) VALUES (NEW.school_id, 'school');
    END IF;
    RETURN NULL;
END
$$
"""
# A pupil's gender is counted at the schools where they are enrolled.
QUEUE_PUPIL = r"""
CREATE FUNCTION summary_queue_pupil() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO summary_queue (school_id, part)
    SELECT DISTINCT school_id, 'school' FROM enrolments WHERE pupil_id = NEW.id;
    RETURN NULL;
END
$$
"""
# A new current year: every school's figures of the year start afresh.
QUEUE_EVERY_SCHOOL = r"""
CREATE FUNCTION summary_queue_every_school() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO summary_queue (school_id, part) SELECT id, 'school' FROM schools;
    RETURN NULL;
END
$$
"""
ROW_TRIGGERS = (
    "CREATE TRIGGER summary_users_counted AFTER INSERT OR DELETE ON users"
    " FOR EACH ROW EXECUTE FUNCTION summary_queue_teacher()",
    "CREATE TRIGGER summary_users_changed AFTER UPDATE ON users FOR EACH ROW"
    " WHEN ((OLD.role, OLD.is_active, OLD.school_id) IS DISTINCT FROM"
    " (NEW.role, NEW.is_active, NEW.school_id))"
    " EXECUTE FUNCTION summary_queue_teacher()",
    "CREATE TRIGGER summary_pupils_gender AFTER UPDATE ON pupils FOR EACH ROW"
    " WHEN (OLD.gender IS DISTINCT FROM NEW.gender) EXECUTE FUNCTION summary_queue_pupil()",
    "CREATE TRIGGER summary_school_years AFTER INSERT OR UPDATE OR DELETE ON school_years"
    " FOR EACH STATEMENT EXECUTE FUNCTION summary_queue_every_school()",
)
ROW_TRIGGER_TABLES = {
    "summary_users_counted": "users",
    "summary_users_changed": "users",
    "summary_pupils_gender": "pupils",
    "summary_school_years": "school_years",
}


def upgrade() -> None:
    op.create_table(
        "summary_queue",
        sa.Column("school_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("part", sa.String(length=16), nullable=False),
        sa.Column("day", sa.Date(), nullable=True),
        sa.Column(
            "queued_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("clock_timestamp()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "(part = 'attendance') = (day IS NOT NULL)",
            name=op.f("ck_summary_queue_day_for_attendance"),
        ),
        sa.CheckConstraint(
            "part IN ('school', 'attendance')", name=op.f("ck_summary_queue_part_known")
        ),
        sa.PrimaryKeyConstraint("school_id", "id", name=op.f("pk_summary_queue")),
    )
    op.create_table(
        "school_attendance_days",
        sa.Column("school_id", sa.Uuid(), nullable=False),
        sa.Column("lesson_date", sa.Date(), nullable=False),
        sa.Column("marks", sa.Integer(), nullable=False),
        sa.Column("present", sa.Integer(), nullable=False),
        sa.Column("late", sa.Integer(), nullable=False),
        sa.Column("absent", sa.Integer(), nullable=False),
        sa.Column(
            "as_of", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["school_id"],
            ["schools.id"],
            name=op.f("fk_school_attendance_days_school_id_schools"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("school_id", "lesson_date", name=op.f("pk_school_attendance_days")),
    )
    op.create_index(
        "ix_school_attendance_days_lesson_date",
        "school_attendance_days",
        ["lesson_date"],
        unique=False,
    )
    op.create_table(
        "school_draft_tests",
        sa.Column("school_id", sa.Uuid(), nullable=False),
        sa.Column("school_year", sa.SmallInteger(), nullable=False),
        sa.Column("test_date", sa.Date(), nullable=False),
        sa.Column("tests", sa.Integer(), nullable=False),
        sa.Column(
            "as_of", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["school_id"],
            ["schools.id"],
            name=op.f("fk_school_draft_tests_school_id_schools"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "school_id", "school_year", "test_date", name=op.f("pk_school_draft_tests")
        ),
    )
    op.create_table(
        "school_subject_averages",
        sa.Column("school_id", sa.Uuid(), nullable=False),
        sa.Column("school_year", sa.SmallInteger(), nullable=False),
        sa.Column("semester", sa.SmallInteger(), nullable=False),
        sa.Column("level_code", sa.String(length=16), nullable=False),
        sa.Column("subject_id", sa.Uuid(), nullable=False),
        sa.Column("pupils", sa.Integer(), nullable=False),
        sa.Column("total", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("histogram", sa.ARRAY(sa.Integer()), nullable=False),
        sa.Column(
            "as_of", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.CheckConstraint(
            "cardinality(histogram) = 20",
            name=op.f("ck_school_subject_averages_histogram_has_every_bin"),
        ),
        sa.ForeignKeyConstraint(
            ["school_id"],
            ["schools.id"],
            name=op.f("fk_school_subject_averages_school_id_schools"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["subject_id"],
            ["subjects.id"],
            name=op.f("fk_school_subject_averages_subject_id_subjects"),
        ),
        sa.PrimaryKeyConstraint(
            "school_id",
            "school_year",
            "semester",
            "level_code",
            "subject_id",
            name=op.f("pk_school_subject_averages"),
        ),
    )
    op.create_index(
        op.f("ix_school_subject_averages_subject_id"),
        "school_subject_averages",
        ["subject_id"],
        unique=False,
    )
    op.create_table(
        "school_summaries",
        sa.Column("school_id", sa.Uuid(), nullable=False),
        sa.Column("school_year", sa.SmallInteger(), nullable=False),
        sa.Column("classes", sa.Integer(), nullable=False),
        sa.Column("pupils", sa.Integer(), nullable=False),
        sa.Column("pupils_male", sa.Integer(), nullable=False),
        sa.Column("pupils_female", sa.Integer(), nullable=False),
        sa.Column("pupils_primary", sa.Integer(), nullable=False),
        sa.Column("pupils_college", sa.Integer(), nullable=False),
        sa.Column("pupils_lycee", sa.Integer(), nullable=False),
        sa.Column("teachers", sa.Integer(), nullable=False),
        sa.Column("teachers_primary", sa.Integer(), nullable=False),
        sa.Column("teachers_college", sa.Integer(), nullable=False),
        sa.Column("teachers_lycee", sa.Integer(), nullable=False),
        sa.Column("pending_justifications", sa.Integer(), nullable=False),
        sa.Column("pending_transfers", sa.Integer(), nullable=False),
        sa.Column("tests", sa.Integer(), nullable=False),
        sa.Column("expected", sa.Integer(), nullable=False),
        sa.Column("entered", sa.Integer(), nullable=False),
        sa.Column("submitted", sa.Integer(), nullable=False),
        sa.Column("validated", sa.Integer(), nullable=False),
        sa.Column("published", sa.Integer(), nullable=False),
        sa.Column(
            "as_of", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["school_id"],
            ["schools.id"],
            name=op.f("fk_school_summaries_school_id_schools"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("school_id", "school_year", name=op.f("pk_school_summaries")),
    )
    for function in (*QUEUE_FUNCTIONS.values(), QUEUE_TEACHER, QUEUE_PUPIL, QUEUE_EVERY_SCHOOL):
        op.execute(function)
    for table, function in STATEMENT_TRIGGERS:
        for event, transition in _EVENTS.items():
            op.execute(
                f"CREATE TRIGGER summary_{table}_{event.lower()} AFTER {event} ON {table}"
                f" {transition} FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
            )
    for trigger in ROW_TRIGGERS:
        op.execute(trigger)


def downgrade() -> None:
    for trigger, table in ROW_TRIGGER_TABLES.items():
        op.execute(f"DROP TRIGGER {trigger} ON {table}")
    for table, _function in STATEMENT_TRIGGERS:
        for event in _EVENTS:
            op.execute(f"DROP TRIGGER summary_{table}_{event.lower()} ON {table}")
    functions = (*QUEUE_FUNCTIONS, "summary_queue_teacher", "summary_queue_pupil")
    for function in (*functions, "summary_queue_every_school"):
        op.execute(f"DROP FUNCTION {function}()")
    op.drop_table("school_summaries")
    op.drop_table("school_subject_averages")
    op.drop_table("school_draft_tests")
    op.drop_index("ix_school_attendance_days_lesson_date", table_name="school_attendance_days")
    op.drop_table("school_attendance_days")
    op.drop_table("summary_queue")

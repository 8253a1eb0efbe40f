"""published snapshots

Results day read every pupil's marks by recomputing averages over the class's marks, about
11 ms of CPU a call. Published marks change only at a publication and through a correction,
so each pupil's published marks of a semester, and their published exam results, are now
kept as the rendered JSON document with a version that never repeats (the strong ETag).

Triggers drop the documents that what they show has changed under (an enrolment, the
subjects taught to a class, a coefficient, a class's or subject's name, an exam result): the
read then computes the answer live until the next publication renders it again.

Reference data (school years and semesters, levels, streams, subjects, coefficients) is now
cached in every process: a change to those tables sends NOTIFY on `massar_reference`.

An upgraded database answers as before from the live computation until the documents of what
is already published are rendered: `massar render-snapshots` does it with the application's
own report, which a migration must not import (it would outlive the schema it knows).

Revision ID: 4d1e2f3a5b09
Revises: 4d1e2f3a5b08
Create Date: 2026-12-06 10:40:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "4d1e2f3a5b09"
down_revision: str | None = "4d1e2f3a5b08"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DROP_STALE_SNAPSHOTS = r"""
CREATE FUNCTION drop_stale_published_marks() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- OLD is null on an insert and NEW on a delete: `IN (OLD.x, NEW.x)` covers the three.
    IF TG_TABLE_NAME = 'enrolments' THEN
        DELETE FROM published_marks
        WHERE pupil_id IN (OLD.pupil_id, NEW.pupil_id)
          AND school_year IN (OLD.school_year, NEW.school_year);
    ELSIF TG_TABLE_NAME = 'teaching_assignments' THEN
        DELETE FROM published_marks WHERE class_id IN (OLD.class_id, NEW.class_id);
    ELSIF TG_TABLE_NAME = 'classes' THEN
        DELETE FROM published_marks WHERE class_id = NEW.id;
    ELSIF TG_TABLE_NAME = 'streams' THEN
        DELETE FROM published_marks
        WHERE class_id IN (SELECT id FROM classes WHERE stream_id = NEW.id);
    ELSIF TG_TABLE_NAME = 'subject_coefficients' THEN
        DELETE FROM published_marks
        WHERE class_id IN (
            SELECT id FROM classes
            WHERE level_code IN (OLD.level_code, NEW.level_code)
              AND (stream_id IS NOT DISTINCT FROM OLD.stream_id
                   OR stream_id IS NOT DISTINCT FROM NEW.stream_id));
    ELSIF TG_TABLE_NAME = 'subjects' THEN
        DELETE FROM published_marks
        WHERE class_id IN (SELECT class_id FROM teaching_assignments WHERE subject_id = NEW.id);
        DELETE FROM published_exam_results
        WHERE pupil_id IN (
            SELECT r.pupil_id FROM exam_results r
            JOIN exam_subject_results l ON l.result_id = r.id AND l.school_id = r.school_id
            WHERE l.subject_id = NEW.id);
    ELSIF TG_TABLE_NAME = 'exam_sessions' THEN
        DELETE FROM published_exam_results
        WHERE pupil_id IN (SELECT pupil_id FROM exam_results WHERE session_id = NEW.id);
    ELSIF TG_TABLE_NAME = 'exam_results' THEN
        DELETE FROM published_exam_results WHERE pupil_id IN (OLD.pupil_id, NEW.pupil_id);
    ELSIF TG_TABLE_NAME = 'exam_subject_results' THEN
        DELETE FROM published_exam_results
        WHERE pupil_id IN (
            SELECT pupil_id FROM exam_results
            WHERE id IN (OLD.result_id, NEW.result_id));
    END IF;
    RETURN NULL;
END
$$
"""

# Every process caches the reference data and listens on this channel (academics/reference.py).
NOTIFY_REFERENCE_CHANGE = r"""
CREATE FUNCTION notify_reference_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('massar_reference', TG_TABLE_NAME);
    RETURN NULL;
END
$$
"""
REFERENCE_TABLES = (
    "school_years",
    "semesters",
    "levels",
    "streams",
    "subjects",
    "subject_coefficients",
)

# Table, and the events whose rows a document shows.
WATCHED = {
    "enrolments": "INSERT OR UPDATE OR DELETE",
    "teaching_assignments": "INSERT OR UPDATE OR DELETE",
    "classes": "UPDATE OF name, level_code, stream_id",
    "streams": "UPDATE OF code",
    "subject_coefficients": "INSERT OR UPDATE OR DELETE",
    "subjects": "UPDATE OF code, name_fr, name_ar",
    "exam_sessions": "UPDATE OF kind, school_year, level_code, name_fr, name_ar, publish_at",
    "exam_results": "INSERT OR UPDATE OR DELETE",
    "exam_subject_results": "INSERT OR UPDATE OR DELETE",
}


def upgrade() -> None:
    op.execute("CREATE SEQUENCE published_marks_versions AS bigint")
    op.execute("CREATE SEQUENCE published_exam_results_versions AS bigint")
    op.create_table(
        "published_marks",
        sa.Column("pupil_id", sa.Uuid(), nullable=False),
        sa.Column("school_year", sa.SmallInteger(), nullable=False),
        sa.Column("semester", sa.SmallInteger(), nullable=False),
        sa.Column("school_id", sa.Uuid(), nullable=False),
        sa.Column("class_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column(
            "built_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["class_id", "school_id"],
            ["classes.id", "classes.school_id"],
            name=op.f("fk_published_marks_class_id_school_id_classes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["pupil_id"],
            ["pupils.id"],
            name=op.f("fk_published_marks_pupil_id_pupils"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name=op.f("fk_published_marks_school_id_schools")
        ),
        sa.PrimaryKeyConstraint(
            "pupil_id", "school_year", "semester", "school_id", name=op.f("pk_published_marks")
        ),
    )
    op.create_index(
        "ix_published_marks_class", "published_marks", ["class_id", "semester"], unique=False
    )
    op.create_index(
        op.f("ix_published_marks_school_id"), "published_marks", ["school_id"], unique=False
    )
    op.create_table(
        "published_exam_results",
        sa.Column("pupil_id", sa.Uuid(), nullable=False),
        sa.Column("school_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("valid_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "built_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["pupil_id"],
            ["pupils.id"],
            name=op.f("fk_published_exam_results_pupil_id_pupils"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name=op.f("fk_published_exam_results_school_id_schools")
        ),
        sa.PrimaryKeyConstraint("pupil_id", "school_id", name=op.f("pk_published_exam_results")),
    )
    op.create_index(
        op.f("ix_published_exam_results_school_id"),
        "published_exam_results",
        ["school_id"],
        unique=False,
    )
    op.execute(DROP_STALE_SNAPSHOTS)
    for table, events in WATCHED.items():
        op.execute(
            f"CREATE TRIGGER drop_stale_published_snapshots AFTER {events} ON {table}"
            " FOR EACH ROW EXECUTE FUNCTION drop_stale_published_marks()"
        )
    op.execute(NOTIFY_REFERENCE_CHANGE)
    for table in REFERENCE_TABLES:
        op.execute(
            f"CREATE TRIGGER notify_reference_change"
            f" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}"
            " FOR EACH STATEMENT EXECUTE FUNCTION notify_reference_change()"
        )


def downgrade() -> None:
    for table in REFERENCE_TABLES:
        op.execute(f"DROP TRIGGER notify_reference_change ON {table}")
    op.execute("DROP FUNCTION notify_reference_change()")
    for table in WATCHED:
        op.execute(f"DROP TRIGGER drop_stale_published_snapshots ON {table}")
    op.execute("DROP FUNCTION drop_stale_published_marks()")
    op.drop_index(op.f("ix_published_exam_results_school_id"), table_name="published_exam_results")
    op.drop_table("published_exam_results")
    op.drop_index(op.f("ix_published_marks_school_id"), table_name="published_marks")
    op.drop_index("ix_published_marks_class", table_name="published_marks")
    op.drop_table("published_marks")
    op.execute("DROP SEQUENCE published_exam_results_versions")
    op.execute("DROP SEQUENCE published_marks_versions")

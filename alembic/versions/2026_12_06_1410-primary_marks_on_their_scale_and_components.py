"""primary marks on their scale, and subjects' components

A mark is now refused above its level's scale (`levels.max_mark`: 10 in primary, 20 above) by
the trigger that already reads the mark's test for the draft rule: it reads the level of the
test's class in the same statement, so the write path keeps its one statement per write. The
CHECK `out_of_20` stays as the widest scale.

A primary subject may be marked by components (Arabic: oral communication, reading, writing;
French: the same three): `subject_components`, and a test may name one. The (component,
subject) foreign key keeps a test's component within its subject.

Revision ID: 4d1e2f3a5b14
Revises: 4d1e2f3a5b16
Create Date: 2026-12-06 13:20:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "4d1e2f3a5b14"
down_revision: str | None = "4d1e2f3a5b16"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (subject code, component code, rank, French name, Arabic name)
COMPONENTS = (
    ("AR", "ORAL", 1, "Communication orale", "التواصل الشفهي"),
    ("AR", "READING", 2, "Lecture", "القراءة"),
    ("AR", "WRITING", 3, "Écriture et expression écrite", "الكتابة والتعبير الكتابي"),
    ("FR", "ORAL", 1, "Communication orale", "التواصل الشفهي"),
    ("FR", "READING", 2, "Lecture", "القراءة"),
    ("FR", "WRITING", 3, "Écriture et expression écrite", "الكتابة والتعبير الكتابي"),
)

OLD_KEY = "uq_class_tests_school_id_class_id_subject_id_semester_kind"
NEW_KEY = "uq_class_tests_kind_once"

# The function of revision 4d1e2f3a5b07, which also reads the level's scale of the test's class
# (SCALE_CHECK); the lock stays on the test's row alone.
MARKS_FOLLOW_THEIR_TEST = r"""
CREATE OR REPLACE FUNCTION marks_follow_their_test() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    subject marks;
    test_status text;
    scale smallint;
BEGIN
    IF TG_OP = 'DELETE' THEN subject := OLD; ELSE subject := NEW; END IF;
    -- FOR SHARE: a validation of this test waits for this write, or this write sees it.
    SELECT_TEST
    SCALE_CHECK
    -- No test left: the test itself is being deleted, and its marks with it.
    IF test_status IS NULL OR test_status = 'draft' THEN
        RETURN subject;
    END IF;
    IF TG_OP = 'UPDATE'
       AND current_setting('massar.mark_correction', true) = OLD.id::text THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'the marks of test % are locked (%)', subject.test_id, test_status
        USING ERRCODE = 'check_violation', CONSTRAINT = 'marks_follow_their_test';
END
$$
"""

SELECT_WITH_SCALE = """SELECT t.status, l.max_mark INTO test_status, scale
        FROM class_tests t
        JOIN classes c ON c.id = t.class_id AND c.school_id = t.school_id
        JOIN levels l ON l.code = c.level_code
        WHERE t.id = subject.test_id FOR SHARE OF t;"""
SCALE_CHECK = """IF TG_OP <> 'DELETE' AND NEW.mark > scale THEN
        RAISE EXCEPTION 'mark % of test % is above its scale (%)', NEW.mark, NEW.test_id, scale
            USING ERRCODE = 'check_violation', CONSTRAINT = 'marks_within_their_scale';
    END IF;"""
# The audit of class_tests (revision 4d1e2f3a5b02) keeps a test's component too: an id.
CLASS_TESTS_KEPT = (
    "id,school_id,school_year,class_id,subject_id,teacher_id,semester,kind,test_date,title,"
    "status,submitted_at,validated_at,validated_by,published_at"
)


def _audit_class_tests(kept: str) -> None:
    op.execute("DROP TRIGGER audit_class_tests ON class_tests")
    op.execute(
        "CREATE TRIGGER audit_class_tests AFTER INSERT OR UPDATE OR DELETE ON class_tests"
        f" FOR EACH ROW EXECUTE FUNCTION audit_row('id', 'row', '{kept}', 'return_reason')"
    )


SELECT_ALONE = (
    "SELECT status INTO test_status FROM class_tests WHERE id = subject.test_id FOR SHARE;"
)


def upgrade() -> None:
    op.create_table(
        "subject_components",
        sa.Column("subject_id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("rank", sa.SmallInteger(), nullable=False),
        sa.Column("name_fr", sa.String(length=120), nullable=False),
        sa.Column("name_ar", sa.String(length=120), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["subject_id"], ["subjects.id"], name=op.f("fk_subject_components_subject_id_subjects")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subject_components")),
        sa.UniqueConstraint("id", "subject_id", name=op.f("uq_subject_components_id_subject_id")),
        sa.UniqueConstraint(
            "subject_id", "code", name=op.f("uq_subject_components_subject_id_code")
        ),
    )
    for subject, code, rank, name_fr, name_ar in COMPONENTS:
        op.execute(
            sa.text(
                "INSERT INTO subject_components (id, subject_id, code, rank, name_fr, name_ar) "
                "SELECT gen_random_uuid(), id, :code, :rank, :name_fr, :name_ar "
                "FROM subjects WHERE code = :subject"
            ).bindparams(subject=subject, code=code, rank=rank, name_fr=name_fr, name_ar=name_ar)
        )
    op.add_column("class_tests", sa.Column("component_id", sa.Uuid(), nullable=True))
    op.create_foreign_key(
        op.f("fk_class_tests_component_id_subject_components"),
        "class_tests",
        "subject_components",
        ["component_id", "subject_id"],
        ["id", "subject_id"],
    )
    op.create_index(
        "ix_class_tests_component_id_subject_id", "class_tests", ["component_id", "subject_id"]
    )
    op.drop_constraint(OLD_KEY, "class_tests", type_="unique")
    op.create_unique_constraint(
        NEW_KEY,
        "class_tests",
        ["school_id", "class_id", "subject_id", "component_id", "semester", "kind"],
        postgresql_nulls_not_distinct=True,
    )
    op.execute(
        MARKS_FOLLOW_THEIR_TEST.replace("SELECT_TEST", SELECT_WITH_SCALE).replace(
            "SCALE_CHECK", SCALE_CHECK
        )
    )
    _audit_class_tests(CLASS_TESTS_KEPT + ",component_id")


def downgrade() -> None:
    _audit_class_tests(CLASS_TESTS_KEPT)
    op.execute(
        MARKS_FOLLOW_THEIR_TEST.replace("SELECT_TEST", SELECT_ALONE).replace("SCALE_CHECK", "")
    )
    op.execute("DELETE FROM class_tests WHERE component_id IS NOT NULL")
    op.drop_constraint(NEW_KEY, "class_tests", type_="unique")
    op.create_unique_constraint(
        OLD_KEY, "class_tests", ["school_id", "class_id", "subject_id", "semester", "kind"]
    )
    op.drop_index("ix_class_tests_component_id_subject_id", table_name="class_tests")
    op.drop_constraint(
        op.f("fk_class_tests_component_id_subject_components"), "class_tests", type_="foreignkey"
    )
    op.drop_column("class_tests", "component_id")
    op.drop_table("subject_components")

"""the school year is opened and closed

The ministry plans a school year with its semesters, holidays and exam periods, starts it and
closes it after its end; an academy may shift holidays and exam periods for its region.

A closed year's marks and roll calls are frozen by the database: `school_year_is_closed(year)`
says whether a year is closed, and the trigger function `refuse_write_in_closed_year()`, put on a
table with a `school_year` column, refuses every insert, update and delete of that year's rows
with the constraint name `school_year_closed`. To freeze another table with the year:

    CREATE TRIGGER school_year_closed BEFORE INSERT OR UPDATE OR DELETE ON <table>
        FOR EACH ROW EXECUTE FUNCTION refuse_write_in_closed_year();

A school closed (is_active false) keeps its history and takes no new enrolment: the trigger
`school_is_open` on enrolments refuses one with the constraint name `school_closed`.

Revision ID: 4d1e2f3a5b12
Revises: 4d1e2f3a5b17
Create Date: 2026-12-06 13:30:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "4d1e2f3a5b12"
down_revision: str | None = "4d1e2f3a5b17"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The tables frozen with their year when it closes: marks and roll calls.
FROZEN = ("class_tests", "marks", "attendance_sheets", "attendance_marks")

SCHOOL_YEAR_IS_CLOSED = r"""
CREATE FUNCTION school_year_is_closed(year smallint) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT coalesce((SELECT closed_at IS NOT NULL FROM school_years WHERE school_years.year = $1),
                    false)
$$
"""

# Generic on purpose: any table with a `school_year` column can take it (see the docstring).
REFUSE_WRITE_IN_CLOSED_YEAR = r"""
CREATE FUNCTION refuse_write_in_closed_year() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    years smallint[];
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        years := years || (to_jsonb(OLD) ->> 'school_year')::smallint;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        years := years || (to_jsonb(NEW) ->> 'school_year')::smallint;
    END IF;
    IF EXISTS (SELECT FROM unnest(years) AS y WHERE school_year_is_closed(y)) THEN
        RAISE EXCEPTION 'the school year of this % row is closed', TG_TABLE_NAME
            USING ERRCODE = 'check_violation', CONSTRAINT = 'school_year_closed';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END
$$
"""

SCHOOL_IS_OPEN = r"""
CREATE FUNCTION school_is_open() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT (SELECT is_active FROM schools WHERE id = NEW.school_id) THEN
        RAISE EXCEPTION 'school % is closed', NEW.school_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'school_closed';
    END IF;
    RETURN NEW;
END
$$
"""


def _period_table(name: str) -> None:
    op.create_table(
        name,
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("school_year", sa.SmallInteger(), nullable=False),
        sa.Column("academy_id", sa.Uuid(), nullable=True),
        sa.Column("name_fr", sa.String(length=120), nullable=False),
        sa.Column("name_ar", sa.String(length=120), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("replaces_id", sa.Uuid(), nullable=True),
        sa.CheckConstraint("starts_on <= ends_on", name=op.f(f"ck_{name}_dates_ordered")),
        sa.ForeignKeyConstraint(
            ["academy_id"],
            ["academies.id"],
            name=op.f(f"fk_{name}_academy_id_academies"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["replaces_id"],
            [f"{name}.id"],
            name=op.f(f"fk_{name}_replaces_id_{name}"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["school_year"],
            ["school_years.year"],
            name=op.f(f"fk_{name}_school_year_school_years"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{name}")),
    )
    op.create_index(op.f(f"ix_{name}_academy_id"), name, ["academy_id"])
    op.create_index(op.f(f"ix_{name}_replaces_id"), name, ["replaces_id"])
    op.create_index(f"ix_{name}_year", name, ["school_year", "starts_on"])


def upgrade() -> None:
    op.add_column(
        "school_years", sa.Column("started_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.add_column("school_years", sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True))
    # The years already there were opened by hand: they count as started.
    op.execute("UPDATE school_years SET started_at = created_at")
    _period_table("school_holidays")
    _period_table("exam_periods")
    op.execute(SCHOOL_YEAR_IS_CLOSED)
    op.execute(REFUSE_WRITE_IN_CLOSED_YEAR)
    for table in FROZEN:
        op.execute(
            f"CREATE TRIGGER school_year_closed BEFORE INSERT OR UPDATE OR DELETE ON {table}"
            " FOR EACH ROW EXECUTE FUNCTION refuse_write_in_closed_year()"
        )
    op.execute(SCHOOL_IS_OPEN)
    op.execute(
        "CREATE TRIGGER school_is_open BEFORE INSERT ON enrolments"
        " FOR EACH ROW EXECUTE FUNCTION school_is_open()"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER school_is_open ON enrolments")
    op.execute("DROP FUNCTION school_is_open()")
    for table in FROZEN:
        op.execute(f"DROP TRIGGER school_year_closed ON {table}")
    op.execute("DROP FUNCTION refuse_write_in_closed_year()")
    op.execute("DROP FUNCTION school_year_is_closed(smallint)")
    op.drop_table("exam_periods")
    op.drop_table("school_holidays")
    op.drop_column("school_years", "closed_at")
    op.drop_column("school_years", "started_at")

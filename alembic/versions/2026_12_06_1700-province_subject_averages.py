"""province subject averages

The directorates' sums of their schools' subject averages, so that an academy's or the
ministry's overview reads about 80 rows per line instead of one per school. Filled from the
schools' rows already summarised.

Revision ID: 6a1b2c3d4e08
Revises: 4d1e2f3a5b20
Create Date: 2026-12-06 17:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "6a1b2c3d4e08"
down_revision: str | None = "4d1e2f3a5b20"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BINS = 20


def upgrade() -> None:
    op.create_table(
        "province_subject_averages",
        sa.Column("province_id", sa.Uuid(), nullable=False),
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
            f"cardinality(histogram) = {BINS}",
            name=op.f("ck_province_subject_averages_histogram_has_every_bin"),
        ),
        sa.ForeignKeyConstraint(
            ["province_id"],
            ["provinces.id"],
            name=op.f("fk_province_subject_averages_province_id_provinces"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["subject_id"],
            ["subjects.id"],
            name=op.f("fk_province_subject_averages_subject_id_subjects"),
        ),
        sa.PrimaryKeyConstraint(
            "province_id",
            "school_year",
            "semester",
            "level_code",
            "subject_id",
            name=op.f("pk_province_subject_averages"),
        ),
    )
    bins = ", ".join(f"sum(a.histogram[{b + 1}])" for b in range(BINS))
    # The text is built from constants only.
    fill = f"""
        INSERT INTO province_subject_averages
            (province_id, school_year, semester, level_code, subject_id, pupils, total, histogram)
        SELECT s.province_id, a.school_year, a.semester, a.level_code, a.subject_id,
               sum(a.pupils), sum(a.total), ARRAY[{bins}]::integer[]
        FROM school_subject_averages a JOIN schools s ON s.id = a.school_id
        GROUP BY s.province_id, a.school_year, a.semester, a.level_code, a.subject_id
        """  # noqa: S608
    op.execute(fill)


def downgrade() -> None:
    op.drop_table("province_subject_averages")

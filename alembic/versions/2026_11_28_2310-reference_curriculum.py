"""reference curriculum

Loads levels, lycée streams, subjects, coefficients and curriculum units from
`app/academics/curriculum.py`. Ids derive from the stable codes (UUIDv5); the upserts refresh
names and coefficients, so a later correction ships as a new migration calling
`load_reference_curriculum` again.

Revision ID: 96a2d1f42134
Revises: ec3cc7c56a58
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.academics.curriculum import COEFFICIENTS, LEVELS, STREAMS, SUBJECTS, UNITS
from app.organisation.reference import reference_id

revision: str = "96a2d1f42134"
down_revision: str | None = "ec3cc7c56a58"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def stream_id(level_code: str, code: str) -> object:
    return reference_id("stream", f"{level_code}-{code}")


def load_reference_curriculum() -> None:
    bind = op.get_bind()
    bind.execute(
        sa.text(
            "INSERT INTO levels (code, cycle, rank, name_fr, name_ar) "
            "VALUES (:code, :cycle, :rank, :name_fr, :name_ar) ON CONFLICT (code) DO UPDATE SET "
            "cycle = excluded.cycle, rank = excluded.rank, name_fr = excluded.name_fr, "
            "name_ar = excluded.name_ar"
        ),
        [
            {
                "code": lv.code,
                "cycle": lv.cycle,
                "rank": lv.rank,
                "name_fr": lv.name_fr,
                "name_ar": lv.name_ar,
            }
            for lv in LEVELS
        ],
    )
    bind.execute(
        sa.text(
            "INSERT INTO streams (id, level_code, code, name_fr, name_ar) "
            "VALUES (:id, :level_code, :code, :name_fr, :name_ar) "
            "ON CONFLICT (level_code, code) DO UPDATE SET name_fr = excluded.name_fr, "
            "name_ar = excluded.name_ar"
        ),
        [
            {
                "id": stream_id(s.level_code, s.code),
                "level_code": s.level_code,
                "code": s.code,
                "name_fr": s.name_fr,
                "name_ar": s.name_ar,
            }
            for s in STREAMS
        ],
    )
    bind.execute(
        sa.text(
            "INSERT INTO subjects (id, code, name_fr, name_ar) VALUES (:id, :code, :name_fr, "
            ":name_ar) ON CONFLICT (code) DO UPDATE SET name_fr = excluded.name_fr, "
            "name_ar = excluded.name_ar"
        ),
        [
            {
                "id": reference_id("subject", s.code),
                "code": s.code,
                "name_fr": s.name_fr,
                "name_ar": s.name_ar,
            }
            for s in SUBJECTS
        ],
    )
    bind.execute(
        sa.text(
            "INSERT INTO subject_coefficients (id, level_code, stream_id, subject_id, coefficient) "
            "VALUES (:id, :level_code, :stream_id, :subject_id, :coefficient) "
            "ON CONFLICT (level_code, stream_id, subject_id) DO UPDATE SET "
            "coefficient = excluded.coefficient"
        ),
        [
            {
                "id": reference_id(
                    "coefficient", f"{c.level_code}-{c.stream_code or ''}-{c.subject_code}"
                ),
                "level_code": c.level_code,
                "stream_id": stream_id(c.level_code, c.stream_code) if c.stream_code else None,
                "subject_id": reference_id("subject", c.subject_code),
                "coefficient": c.coefficient,
            }
            for c in COEFFICIENTS
        ],
    )
    bind.execute(
        sa.text(
            "INSERT INTO curriculum_units (id, level_code, subject_id, rank, title_fr, title_ar) "
            "VALUES (:id, :level_code, :subject_id, :rank, :title_fr, :title_ar) "
            "ON CONFLICT (level_code, subject_id, rank) DO UPDATE SET "
            "title_fr = excluded.title_fr, title_ar = excluded.title_ar"
        ),
        [
            {
                "id": reference_id("unit", f"{u.level_code}-{u.subject_code}-{u.rank}"),
                "level_code": u.level_code,
                "subject_id": reference_id("subject", u.subject_code),
                "rank": u.rank,
                "title_fr": u.title_fr,
                "title_ar": u.title_ar,
            }
            for u in UNITS
        ],
    )


def upgrade() -> None:
    load_reference_curriculum()


def downgrade() -> None:
    for table in ("curriculum_units", "subject_coefficients", "subjects", "streams", "levels"):
        op.execute(sa.text(f"DELETE FROM {table}"))  # noqa: S608  (fixed table names)

"""reference academies and directorates

Loads the 12 academies and their provincial directorates from `app/organisation/reference.py`.
Ids are derived from the stable codes (UUIDv5), so every installation shares them. Re-running
the upsert refreshes the names; a later change to the list ships as a new migration calling
`load_reference_organisation` again.

Revision ID: ae355845b291
Revises: f6f2eb799f87
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.organisation.reference import ACADEMIES, reference_id

revision: str = "ae355845b291"
down_revision: str | None = "f6f2eb799f87"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


_UPSERT_ACADEMY = sa.text(
    "INSERT INTO academies (id, code, name_fr, name_ar) VALUES (:id, :code, :name_fr, :name_ar) "
    "ON CONFLICT (code) DO UPDATE SET name_fr = excluded.name_fr, name_ar = excluded.name_ar, "
    "updated_at = now()"
)
_UPSERT_PROVINCE = sa.text(
    "INSERT INTO provinces (id, academy_id, code, name_fr, name_ar) "
    "VALUES (:id, :academy_id, :code, :name_fr, :name_ar) "
    "ON CONFLICT (code) DO UPDATE SET name_fr = excluded.name_fr, name_ar = excluded.name_ar, "
    "updated_at = now()"
)


def load_reference_organisation() -> None:
    bind = op.get_bind()
    academies = [
        {
            "id": reference_id("academy", a.code),
            "code": a.code,
            "name_fr": a.name_fr,
            "name_ar": a.name_ar,
        }
        for a in ACADEMIES
    ]
    provinces = [
        {
            "id": reference_id("province", d.code),
            "academy_id": reference_id("academy", a.code),
            "code": d.code,
            "name_fr": d.name_fr,
            "name_ar": d.name_ar,
        }
        for a in ACADEMIES
        for d in a.directorates
    ]
    bind.execute(_UPSERT_ACADEMY, academies)
    bind.execute(_UPSERT_PROVINCE, provinces)


def upgrade() -> None:
    load_reference_organisation()


def downgrade() -> None:
    codes = [a.code for a in ACADEMIES]
    op.execute(
        sa.text(
            "DELETE FROM provinces WHERE academy_id IN "
            "(SELECT id FROM academies WHERE code = ANY(:codes))"
        ).bindparams(codes=codes)
    )
    op.execute(sa.text("DELETE FROM academies WHERE code = ANY(:codes)").bindparams(codes=codes))

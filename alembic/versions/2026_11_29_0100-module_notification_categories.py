"""module notification categories

The back-office modules notify schools, staff, pupils and parents under their own categories,
which each user may mute.

Revision ID: 6b1e0c2f9a10
Revises: dd92e011eb99
Create Date: 2026-11-29 01:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "6b1e0c2f9a10"
down_revision: str | None = "dd92e011eb99"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BEFORE = ("absences", "marks", "messages", "announcements", "exam_results")
_AFTER = (
    *_BEFORE,
    "school_project",
    "trainings",
    "equipment",
    "diagnostics",
    "partnerships",
    "sports",
)
_TABLES = ("notifications", "notification_preferences")


def _allow(categories: tuple[str, ...]) -> None:
    listed = ", ".join(f"'{c}'" for c in categories)
    for table in _TABLES:
        op.drop_constraint("category", table, type_="check")
        op.create_check_constraint("category", table, f"category IN ({listed})")


def upgrade() -> None:
    _allow(_AFTER)


def downgrade() -> None:
    for table in _TABLES:
        op.execute(
            sa.text(f"DELETE FROM {table} WHERE NOT (category = ANY(:kept))").bindparams(  # noqa: S608 - table names are constants
                kept=list(_BEFORE)
            )
        )
    _allow(_BEFORE)

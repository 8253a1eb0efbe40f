"""a level has its scale

Primary marks out of 10 with a pass line of 5; collège and lycée out of 20 with a pass line
of 10. The scale is kept on the level so that marks, averages and exam results of a level can
be checked against it in SQL.

Revision ID: 4d1e2f3a5b10
Revises: 4d1e2f3a5b09
Create Date: 2026-12-06 13:10:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "4d1e2f3a5b10"
down_revision: str | None = "4d1e2f3a5b09"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "levels", sa.Column("max_mark", sa.SmallInteger(), server_default="20", nullable=False)
    )
    op.create_check_constraint("scale_known", "levels", "max_mark IN (10, 20)")
    op.execute("UPDATE levels SET max_mark = 10 WHERE cycle = 'primary'")


def downgrade() -> None:
    op.drop_constraint("scale_known", "levels", type_="check")
    op.drop_column("levels", "max_mark")

"""refresh token retry

A refresh token presented once more just after its use (a client that lost the answer) is
remembered, so it is granted once and never again.

Revision ID: 4d1e2f3a5b01
Revises: 3c5a7e9b1d08
Create Date: 2026-12-06 08:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "4d1e2f3a5b01"
down_revision: str | None = "3c5a7e9b1d08"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "refresh_tokens", sa.Column("retried_at", sa.DateTime(timezone=True), nullable=True)
    )


def downgrade() -> None:
    op.drop_column("refresh_tokens", "retried_at")

"""integrators: their document checks, and the events of corrections and revocations

API clients with `documents.verify` check documents: each check is recorded (which client read
which pupil's document, and what it was told), kept like the audit trail. Webhooks gain the
events `marks.corrected` and `documents.revoked`.

Revision ID: 6a1b2c3d4e09
Revises: 6a1b2c3d4e07
Create Date: 2026-12-06 18:20:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "6a1b2c3d4e09"
down_revision: str | None = "6a1b2c3d4e07"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_EVENTS = ("marks.published", "exam_results.published", "enrolments.changed")
_NEW_EVENTS = ("marks.corrected", "documents.revoked")


def _event_types(events: Sequence[str]) -> None:
    name = op.f("ck_webhook_deliveries_event_type")
    op.drop_constraint(name, "webhook_deliveries", type_="check")
    listed = ", ".join(f"'{event}'" for event in events)
    op.create_check_constraint(name, "webhook_deliveries", f"event_type IN ({listed})")


def upgrade() -> None:
    op.create_table(
        "client_document_checks",
        sa.Column("client_id", sa.Uuid(), nullable=False),
        sa.Column("document_id", sa.Uuid(), nullable=False),
        sa.Column("school_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column(
            "checked_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint(
            "status IN ('genuine', 'revoked')", name=op.f("ck_client_document_checks_status")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_client_document_checks")),
    )
    op.create_index(
        "ix_client_document_checks_client_id_checked_at",
        "client_document_checks",
        ["client_id", "checked_at"],
    )
    op.create_index(
        "ix_client_document_checks_school_id_checked_at",
        "client_document_checks",
        ["school_id", "checked_at"],
    )
    op.create_index(
        op.f("ix_client_document_checks_document_id"), "client_document_checks", ["document_id"]
    )
    _event_types((*_EVENTS, *_NEW_EVENTS))


def downgrade() -> None:
    deliveries = sa.table("webhook_deliveries", sa.column("event_type", sa.String))
    op.execute(deliveries.delete().where(deliveries.c.event_type.in_(_NEW_EVENTS)))
    _event_types(_EVENTS)
    op.drop_table("client_document_checks")

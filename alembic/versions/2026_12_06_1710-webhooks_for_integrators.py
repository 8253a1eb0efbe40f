"""webhooks for integrators

An API client's webhook endpoints (their signing secret sealed, not hashed: the worker signs
with it) and the outbox of deliveries, which is also the client's delivery log. Endpoints are
audited like every business table, never their secret; the outbox is not (like the push
outbox), and its payload is erased once a delivery is settled.

Revision ID: 6a1b2c3d4e02
Revises: 6a1b2c3d4e08
Create Date: 2026-12-06 17:10:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "6a1b2c3d4e02"
down_revision: str | None = "6a1b2c3d4e08"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# What the audit keeps of an endpoint: whose, where, what it listens to, when its secret changed.
AUDIT_KEPT = "id,client_id,url,events,secret_set_at,disabled_at"


def upgrade() -> None:
    op.create_table(
        "webhook_endpoints",
        sa.Column("client_id", sa.Uuid(), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("events", postgresql.ARRAY(sa.String(length=40)), nullable=False),
        sa.Column("secret_sealed", sa.LargeBinary(), nullable=False),
        sa.Column(
            "secret_set_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("disabled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint("cardinality(events) > 0", name=op.f("ck_webhook_endpoints_has_events")),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["api_clients.id"],
            name=op.f("fk_webhook_endpoints_client_id_api_clients"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_endpoints")),
    )
    op.create_index(
        op.f("ix_webhook_endpoints_client_id"), "webhook_endpoints", ["client_id"], unique=False
    )
    op.create_table(
        "webhook_deliveries",
        sa.Column("endpoint_id", sa.Uuid(), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column(
            "event_type",
            sa.Enum(
                "marks.published",
                "exam_results.published",
                "enrolments.changed",
                name="event_type",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("payload", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "sending",
                "delivered",
                "dead",
                name="status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            server_default="pending",
            nullable=False,
        ),
        sa.Column("attempts", sa.SmallInteger(), server_default="0", nullable=False),
        sa.Column(
            "next_attempt_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_status_code", sa.SmallInteger(), nullable=True),
        sa.Column("last_error", sa.String(length=200), nullable=True),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint(
            "(status = 'delivered') = (delivered_at IS NOT NULL)",
            name=op.f("ck_webhook_deliveries_delivered_at_if_delivered"),
        ),
        sa.CheckConstraint(
            "status <> 'sending' OR claimed_at IS NOT NULL",
            name=op.f("ck_webhook_deliveries_claimed_if_sending"),
        ),
        sa.CheckConstraint(
            "status IN ('pending', 'sending') OR payload IS NULL",
            name=op.f("ck_webhook_deliveries_erased_settled"),
        ),
        sa.CheckConstraint("attempts >= 0", name=op.f("ck_webhook_deliveries_attempts")),
        sa.ForeignKeyConstraint(
            ["endpoint_id"],
            ["webhook_endpoints.id"],
            name=op.f("fk_webhook_deliveries_endpoint_id_webhook_endpoints"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_deliveries")),
        sa.UniqueConstraint(
            "endpoint_id", "event_id", name=op.f("uq_webhook_deliveries_endpoint_id_event_id")
        ),
    )
    op.create_index(
        "ix_webhook_deliveries_endpoint_created",
        "webhook_deliveries",
        ["endpoint_id", "created_at", "id"],
        unique=False,
    )
    op.create_index(
        "ix_webhook_deliveries_status_next_attempt_at",
        "webhook_deliveries",
        ["status", "next_attempt_at"],
        unique=False,
    )
    op.execute(
        "CREATE TRIGGER audit_webhook_endpoints AFTER INSERT OR UPDATE OR DELETE"
        " ON webhook_endpoints"
        f" FOR EACH ROW EXECUTE FUNCTION audit_row('id', 'row', '{AUDIT_KEPT}', '')"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER audit_webhook_endpoints ON webhook_endpoints")
    op.drop_index("ix_webhook_deliveries_status_next_attempt_at", table_name="webhook_deliveries")
    op.drop_index("ix_webhook_deliveries_endpoint_created", table_name="webhook_deliveries")
    op.drop_table("webhook_deliveries")
    op.drop_index(op.f("ix_webhook_endpoints_client_id"), table_name="webhook_endpoints")
    op.drop_table("webhook_endpoints")

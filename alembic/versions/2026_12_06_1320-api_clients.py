"""api clients

The service accounts of integrators (scholarship portals, academies' own tools, learning
platforms): each owned by the ministry, an academy or a directorate, with its scopes and the
digest of its secret. Audited like every business table; the digest never reaches the audit.

Revision ID: 4d1e2f3a5b17
Revises: 4d1e2f3a5b10
Create Date: 2026-12-06 13:20:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "4d1e2f3a5b17"
down_revision: str | None = "4d1e2f3a5b10"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# What the audit keeps of a client: who owns it, what it may read, when its secret changed.
AUDIT_KEPT = "id,owner_level,province_id,academy_id,name,scopes,secret_set_at,revoked_at,created_by"


def upgrade() -> None:
    op.create_table(
        "api_clients",
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("scopes", postgresql.ARRAY(sa.String(length=40)), nullable=False),
        sa.Column("secret_digest", sa.LargeBinary(length=32), nullable=False),
        sa.Column(
            "secret_set_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("created_by", sa.Uuid(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
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
        sa.Column(
            "owner_level",
            sa.Enum(
                "family",
                "school",
                "province",
                "academy",
                "central",
                name="owner_level",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("school_id", sa.Uuid(), nullable=True),
        sa.Column("province_id", sa.Uuid(), nullable=True),
        sa.Column("academy_id", sa.Uuid(), nullable=True),
        sa.CheckConstraint(
            "\n(owner_level = 'school'\n    AND school_id IS NOT NULL AND province_id IS NOT NULL AND academy_id IS NOT NULL)\nOR (owner_level = 'province'\n    AND school_id IS NULL AND province_id IS NOT NULL AND academy_id IS NOT NULL)\nOR (owner_level = 'academy'\n    AND school_id IS NULL AND province_id IS NULL AND academy_id IS NOT NULL)\nOR (owner_level = 'central'\n    AND school_id IS NULL AND province_id IS NULL AND academy_id IS NULL)\n",
            name=op.f("ck_api_clients_place_matches_owner_level"),
        ),
        sa.CheckConstraint(
            "owner_level <> 'school'", name=op.f("ck_api_clients_owned_above_schools")
        ),
        sa.CheckConstraint("cardinality(scopes) > 0", name=op.f("ck_api_clients_has_scopes")),
        sa.ForeignKeyConstraint(
            ["academy_id"], ["academies.id"], name=op.f("fk_api_clients_academy_id_academies")
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_api_clients_created_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["province_id", "academy_id"],
            ["provinces.id", "provinces.academy_id"],
            name=op.f("fk_api_clients_province_id_provinces"),
            onupdate="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["school_id", "province_id", "academy_id"],
            ["schools.id", "schools.province_id", "schools.academy_id"],
            name=op.f("fk_api_clients_school_id_schools"),
            onupdate="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_clients")),
    )
    op.create_index(op.f("ix_api_clients_academy_id"), "api_clients", ["academy_id"], unique=False)
    op.create_index(op.f("ix_api_clients_created_by"), "api_clients", ["created_by"], unique=False)
    op.create_index(
        op.f("ix_api_clients_province_id"), "api_clients", ["province_id"], unique=False
    )
    op.create_index(op.f("ix_api_clients_school_id"), "api_clients", ["school_id"], unique=False)
    op.execute(
        "CREATE TRIGGER audit_api_clients AFTER INSERT OR UPDATE OR DELETE ON api_clients"
        f" FOR EACH ROW EXECUTE FUNCTION audit_row('id', 'row', '{AUDIT_KEPT}', '')"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER audit_api_clients ON api_clients")
    op.drop_index(op.f("ix_api_clients_school_id"), table_name="api_clients")
    op.drop_index(op.f("ix_api_clients_province_id"), table_name="api_clients")
    op.drop_index(op.f("ix_api_clients_created_by"), table_name="api_clients")
    op.drop_index(op.f("ix_api_clients_academy_id"), table_name="api_clients")
    op.drop_table("api_clients")

"""audit trigger runs as its owner

The serving role may only read the audit log; the audit trigger writes it with its owner's
rights (SECURITY DEFINER), on a fixed search_path so that no one can slip a function of their
own in front of the ones it calls.

Revision ID: 4d1e2f3a5b04
Revises: 4d1e2f3a5b03
Create Date: 2026-12-06 08:30:00+00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "4d1e2f3a5b04"
down_revision: str | None = "4d1e2f3a5b03"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("ALTER FUNCTION audit_row() SECURITY DEFINER SET search_path = pg_catalog, public")
    # Functions are executable by anyone by default; the audit's are not the caller's to call.
    for function in ("audit_row()", "audit_filter(text, jsonb, text[], text[])"):
        op.execute(f"REVOKE EXECUTE ON FUNCTION {function} FROM PUBLIC")


def downgrade() -> None:
    for function in ("audit_row()", "audit_filter(text, jsonb, text[], text[])"):
        op.execute(f"GRANT EXECUTE ON FUNCTION {function} TO PUBLIC")
    op.execute("ALTER FUNCTION audit_row() SECURITY INVOKER RESET search_path")

"""devices belong to their login

A push device belonged to the account, so after a logout, a password change or reset, or a
revoked family the old phone still received a child's absences and marks. A device now
belongs to the login it was registered under, and ending that login drops it, with the
pushes still queued for it. Devices registered before are tied to their account's most
recent live login, or dropped (the apps register their token again at their next start).

Revision ID: 4d1e2f3a5b06
Revises: 4d1e2f3a5b05
Create Date: 2026-12-06 09:10:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "4d1e2f3a5b06"
down_revision: str | None = "4d1e2f3a5b05"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DROP_DEVICES_OF_ENDED_LOGIN = r"""
CREATE FUNCTION drop_devices_of_ended_login() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM devices WHERE session_id = NEW.id;
    RETURN NULL;
END
$$
"""


def upgrade() -> None:
    op.add_column("devices", sa.Column("session_id", sa.Uuid(), nullable=True))
    op.execute(
        "UPDATE devices SET session_id = ("
        " SELECT id FROM auth_sessions"
        " WHERE auth_sessions.user_id = devices.user_id AND revoked_at IS NULL"
        " ORDER BY last_used_at DESC LIMIT 1)"
    )
    op.execute("DELETE FROM devices WHERE session_id IS NULL")
    op.alter_column("devices", "session_id", nullable=False)
    op.create_index(op.f("ix_devices_session_id"), "devices", ["session_id"], unique=False)
    op.create_foreign_key(
        op.f("fk_devices_session_id_auth_sessions"),
        "devices",
        "auth_sessions",
        ["session_id"],
        ["id"],
        ondelete="CASCADE",
    )
    op.execute(DROP_DEVICES_OF_ENDED_LOGIN)
    op.execute(
        "CREATE TRIGGER drop_devices_of_ended_login AFTER UPDATE OF revoked_at ON auth_sessions"
        " FOR EACH ROW WHEN (OLD.revoked_at IS NULL AND NEW.revoked_at IS NOT NULL)"
        " EXECUTE FUNCTION drop_devices_of_ended_login()"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER drop_devices_of_ended_login ON auth_sessions")
    op.execute("DROP FUNCTION drop_devices_of_ended_login()")
    op.drop_constraint(op.f("fk_devices_session_id_auth_sessions"), "devices", type_="foreignkey")
    op.drop_index(op.f("ix_devices_session_id"), table_name="devices")
    op.drop_column("devices", "session_id")

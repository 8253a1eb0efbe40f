"""pre-registration for 1AP

Parents sign up with a phone number or an email address verified by a one-time code sent by
SMS or email (`text_messages`, the outbox of texts to an address), then pre-register a child
for 1AP at a school that takes registrations for next year; the school decides, and once the
year opens an accepted child becomes a pupil with a Massar code from the national sequence
`massar_code_numbers`. Decisions reach parents under a notification category of their own.

Revision ID: 4d1e2f3a5b15
Revises: 4d1e2f3a5b13
Create Date: 2026-12-06 13:30:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "4d1e2f3a5b15"
down_revision: str | None = "4d1e2f3a5b13"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_CATEGORIES = (
    "absences",
    "marks",
    "messages",
    "announcements",
    "exam_results",
    "school_project",
    "trainings",
    "equipment",
    "diagnostics",
    "partnerships",
    "sports",
)
_CATEGORY_TABLES = ("notifications", "notification_preferences")
_STATES = ("pending", "sending", "sent", "failed", "dead")
# Table -> (the column naming a row, kept as they are, kept as a digest): the child's names
# and birth date stay out of the audit.
_AUDITED = {
    "preregistrations": (
        "id",
        "id,school_id,school_year,parent_id,status,decided_at,decided_by,pupil_id",
        "reason",
    ),
    "preregistration_openings": ("school_id", "school_id,school_year,is_open", ""),
}


def _enum(name: str, values: tuple[str, ...]) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=32)


def _timestamps() -> list[sa.Column]:
    return [
        sa.Column(name, sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False)
        for name in ("created_at", "updated_at")
    ]


def _allow(categories: tuple[str, ...]) -> None:
    listed = ", ".join(f"'{c}'" for c in categories)
    for table in _CATEGORY_TABLES:
        op.drop_constraint("category", table, type_="check")
        op.create_check_constraint("category", table, f"category IN ({listed})")


def upgrade() -> None:
    _allow((*_CATEGORIES, "preregistration"))
    op.execute("CREATE SEQUENCE massar_code_numbers START WITH 1 MINVALUE 1 MAXVALUE 999999999")
    op.create_table(
        "text_messages",
        sa.Column("channel", _enum("channel", ("sms", "email")), nullable=False),
        sa.Column("address", sa.String(length=254), nullable=False),
        sa.Column("body", sa.String(length=1000), nullable=True),
        sa.Column("status", _enum("status", _STATES), server_default="pending", nullable=False),
        sa.Column("attempts", sa.SmallInteger(), server_default="0", nullable=False),
        sa.Column(
            "next_attempt_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.String(length=200), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint("attempts >= 0", name=op.f("ck_text_messages_attempts")),
        sa.CheckConstraint(
            "(status = 'sent') = (sent_at IS NOT NULL)",
            name=op.f("ck_text_messages_sent_at_when_sent"),
        ),
        sa.CheckConstraint(
            "status <> 'sending' OR claimed_at IS NOT NULL",
            name=op.f("ck_text_messages_claimed_if_sending"),
        ),
        sa.CheckConstraint(
            "status IN ('pending', 'sending') OR body IS NULL",
            name=op.f("ck_text_messages_erased_settled"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_text_messages")),
    )
    op.create_index(
        "ix_text_messages_status_next_attempt_at", "text_messages", ["status", "next_attempt_at"]
    )
    op.create_index(op.f("ix_text_messages_created_at"), "text_messages", ["created_at"])
    op.create_table(
        "preregistration_signups",
        sa.Column("contact_kind", _enum("contact_kind", ("phone", "email")), nullable=False),
        sa.Column("contact", sa.String(length=254), nullable=False),
        sa.Column("cin", sa.String(length=8), nullable=False),
        sa.Column("first_name", sa.String(length=100), nullable=False),
        sa.Column("last_name", sa.String(length=100), nullable=False),
        sa.Column("code_hash", sa.LargeBinary(length=32), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.SmallInteger(), server_default="0", nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("verified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint("attempts >= 0", name=op.f("ck_preregistration_signups_attempts")),
        sa.CheckConstraint(
            "cin ~ '^[A-Z]{1,2}[0-9]{1,6}$'", name=op.f("ck_preregistration_signups_cin_format")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_preregistration_signups_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_preregistration_signups")),
        sa.UniqueConstraint("user_id", name=op.f("uq_preregistration_signups_user_id")),
    )
    op.create_index(
        op.f("ix_preregistration_signups_contact"), "preregistration_signups", ["contact"]
    )
    op.create_index(
        op.f("ix_preregistration_signups_expires_at"), "preregistration_signups", ["expires_at"]
    )
    op.create_index(
        "uq_preregistration_signups_cin_verified",
        "preregistration_signups",
        ["cin"],
        unique=True,
        postgresql_where=sa.text("verified_at IS NOT NULL"),
    )
    op.create_table(
        "preregistration_openings",
        sa.Column("school_id", sa.Uuid(), nullable=False),
        sa.Column("school_year", sa.SmallInteger(), autoincrement=False, nullable=False),
        sa.Column("is_open", sa.Boolean(), nullable=False),
        *_timestamps(),
        sa.ForeignKeyConstraint(
            ["school_id"],
            ["schools.id"],
            name=op.f("fk_preregistration_openings_school_id_schools"),
        ),
        sa.PrimaryKeyConstraint(
            "school_id", "school_year", name=op.f("pk_preregistration_openings")
        ),
    )
    op.create_table(
        "preregistrations",
        sa.Column("school_id", sa.Uuid(), nullable=False),
        sa.Column("school_year", sa.SmallInteger(), nullable=False),
        sa.Column("parent_id", sa.Uuid(), nullable=False),
        sa.Column("kinship", _enum("kinship", ("father", "mother", "tutor")), nullable=False),
        sa.Column("first_name", sa.String(length=100), nullable=False),
        sa.Column("last_name", sa.String(length=100), nullable=False),
        sa.Column("first_name_ar", sa.String(length=100), nullable=False),
        sa.Column("last_name_ar", sa.String(length=100), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("birth_place", sa.String(length=100), nullable=True),
        sa.Column("gender", _enum("gender", ("M", "F")), nullable=False),
        sa.Column(
            "status",
            _enum("status", ("pending", "accepted", "waitlisted", "refused", "enrolled")),
            server_default="pending",
            nullable=False,
        ),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by", sa.Uuid(), nullable=True),
        sa.Column("pupil_id", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        *_timestamps(),
        sa.CheckConstraint(
            "(status = 'enrolled') = (pupil_id IS NOT NULL)",
            name=op.f("ck_preregistrations_pupil_if_enrolled"),
        ),
        sa.CheckConstraint(
            "status <> 'refused' OR reason IS NOT NULL",
            name=op.f("ck_preregistrations_refusal_has_reason"),
        ),
        sa.ForeignKeyConstraint(
            ["decided_by"], ["users.id"], name=op.f("fk_preregistrations_decided_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["users.id"],
            name=op.f("fk_preregistrations_parent_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["pupil_id"], ["pupils.id"], name=op.f("fk_preregistrations_pupil_id_pupils")
        ),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name=op.f("fk_preregistrations_school_id_schools")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_preregistrations")),
        sa.UniqueConstraint(
            "parent_id",
            "school_year",
            "birth_date",
            "first_name",
            name=op.f("uq_preregistrations_parent_id_school_year_birth_date_first_name"),
        ),
        sa.UniqueConstraint("pupil_id", name=op.f("uq_preregistrations_pupil_id")),
    )
    op.create_index(op.f("ix_preregistrations_decided_by"), "preregistrations", ["decided_by"])
    op.create_index(op.f("ix_preregistrations_parent_id"), "preregistrations", ["parent_id"])
    op.create_index(op.f("ix_preregistrations_school_id"), "preregistrations", ["school_id"])
    op.create_index(
        "ix_preregistrations_school_year_status",
        "preregistrations",
        ["school_id", "school_year", "status"],
    )
    for table, (id_column, kept, digested) in _AUDITED.items():
        op.execute(
            f"CREATE TRIGGER audit_{table} AFTER INSERT OR UPDATE OR DELETE ON {table} FOR EACH"
            f" ROW EXECUTE FUNCTION audit_row('{id_column}', 'row', '{kept}', '{digested}')"
        )


def downgrade() -> None:
    for table in _AUDITED:
        op.execute(f"DROP TRIGGER IF EXISTS audit_{table} ON {table}")
    op.drop_table("preregistrations")
    op.drop_table("preregistration_openings")
    op.drop_table("preregistration_signups")
    op.drop_table("text_messages")
    op.execute("DROP SEQUENCE massar_code_numbers")
    for table in _CATEGORY_TABLES:
        op.execute(f"DELETE FROM {table} WHERE category = 'preregistration'")  # noqa: S608 - constants
    _allow(_CATEGORIES)

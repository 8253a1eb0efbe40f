"""justifications and messages

Parents' absence justifications (the absences each covers, with a copy of the status that a
partial unique index reads: one open justification per absence), and the message threads between
parents and school staff or teachers. Attendance marks get the (id, school_id) key that the
covered absences reference.

Revision ID: 09484cc22937
Revises: 1f60b484eab6
Create Date: 2026-11-28 23:16:32.348309+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "09484cc22937"
down_revision: str | None = "1f60b484eab6"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Referenced by justified_absences below, so it comes first.
    op.create_unique_constraint(
        op.f("uq_attendance_marks_id_school_id"), "attendance_marks", ["id", "school_id"]
    )
    op.create_table(
        "justifications",
        sa.Column("school_id", sa.Uuid(), nullable=False),
        sa.Column("pupil_id", sa.Uuid(), nullable=False),
        sa.Column("submitted_by", sa.Uuid(), nullable=False),
        sa.Column("reason", sa.String(length=1000), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "accepted",
                "rejected",
                name="status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            server_default="pending",
            nullable=False,
        ),
        sa.Column("decision_reason", sa.String(length=1000), nullable=True),
        sa.Column("decided_by", sa.Uuid(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("document_key", sa.String(length=100), nullable=True),
        sa.Column("document_type", sa.String(length=64), nullable=True),
        sa.Column("document_size", sa.Integer(), nullable=True),
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
        sa.CheckConstraint(
            "(status = 'pending') = (decided_at IS NULL) AND (status = 'pending') = (decided_by IS NULL)",
            name=op.f("ck_justifications_decided_unless_pending"),
        ),
        sa.CheckConstraint(
            "status <> 'rejected' OR decision_reason IS NOT NULL",
            name=op.f("ck_justifications_reason_when_rejected"),
        ),
        sa.CheckConstraint(
            "(document_key IS NULL) = (document_type IS NULL) AND (document_key IS NULL) = (document_size IS NULL)",
            name=op.f("ck_justifications_document_whole"),
        ),
        sa.CheckConstraint("document_size > 0", name=op.f("ck_justifications_document_size")),
        sa.ForeignKeyConstraint(
            ["decided_by"], ["users.id"], name=op.f("fk_justifications_decided_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["pupil_id"], ["pupils.id"], name=op.f("fk_justifications_pupil_id_pupils")
        ),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name=op.f("fk_justifications_school_id_schools")
        ),
        sa.ForeignKeyConstraint(
            ["submitted_by"], ["users.id"], name=op.f("fk_justifications_submitted_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_justifications")),
        sa.UniqueConstraint("document_key", name=op.f("uq_justifications_document_key")),
        sa.UniqueConstraint(
            "id", "school_id", "status", name=op.f("uq_justifications_id_school_id_status")
        ),
    )
    op.create_index(
        op.f("ix_justifications_decided_by"), "justifications", ["decided_by"], unique=False
    )
    op.create_index(
        "ix_justifications_pupil_id_created_at",
        "justifications",
        ["pupil_id", "created_at"],
        unique=False,
    )
    op.create_index(
        "ix_justifications_school_id_status_created_at",
        "justifications",
        ["school_id", "status", sa.literal_column("created_at DESC"), sa.literal_column("id DESC")],
        unique=False,
    )
    op.create_index(
        op.f("ix_justifications_submitted_by"), "justifications", ["submitted_by"], unique=False
    )
    op.create_table(
        "message_threads",
        sa.Column("school_id", sa.Uuid(), nullable=False),
        sa.Column("pupil_id", sa.Uuid(), nullable=False),
        sa.Column("parent_id", sa.Uuid(), nullable=False),
        sa.Column("staff_id", sa.Uuid(), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("statement_timestamp()"),
            nullable=False,
        ),
        sa.Column(
            "last_message_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("statement_timestamp()"),
            nullable=False,
        ),
        sa.Column("parent_read_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("staff_read_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["users.id"], name=op.f("fk_message_threads_parent_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["pupil_id"], ["pupils.id"], name=op.f("fk_message_threads_pupil_id_pupils")
        ),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name=op.f("fk_message_threads_school_id_schools")
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["users.id"], name=op.f("fk_message_threads_staff_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_message_threads")),
        sa.UniqueConstraint("id", "school_id", name=op.f("uq_message_threads_id_school_id")),
    )
    op.create_index(
        "ix_message_threads_parent_id_last_message_at",
        "message_threads",
        ["parent_id", sa.literal_column("last_message_at DESC"), sa.literal_column("id DESC")],
        unique=False,
    )
    op.create_index(
        op.f("ix_message_threads_pupil_id"), "message_threads", ["pupil_id"], unique=False
    )
    op.create_index(
        op.f("ix_message_threads_school_id"), "message_threads", ["school_id"], unique=False
    )
    op.create_index(
        "ix_message_threads_staff_id_last_message_at",
        "message_threads",
        ["staff_id", sa.literal_column("last_message_at DESC"), sa.literal_column("id DESC")],
        unique=False,
    )
    op.create_table(
        "justified_absences",
        sa.Column("justification_id", sa.Uuid(), nullable=False),
        sa.Column("attendance_mark_id", sa.Uuid(), nullable=False),
        sa.Column("school_id", sa.Uuid(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "accepted",
                "rejected",
                name="status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            server_default="pending",
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["attendance_mark_id", "school_id"],
            ["attendance_marks.id", "attendance_marks.school_id"],
            name=op.f("fk_justified_absences_attendance_mark_id_attendance_marks"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["justification_id", "school_id", "status"],
            ["justifications.id", "justifications.school_id", "justifications.status"],
            name=op.f("fk_justified_absences_justification_id_justifications"),
            onupdate="CASCADE",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "justification_id", "attendance_mark_id", name=op.f("pk_justified_absences")
        ),
    )
    op.create_index(
        op.f("ix_justified_absences_attendance_mark_id"),
        "justified_absences",
        ["attendance_mark_id"],
        unique=False,
    )
    op.create_index(
        "uq_justified_absences_open",
        "justified_absences",
        ["school_id", "attendance_mark_id"],
        unique=True,
        postgresql_where=sa.text("status <> 'rejected'"),
    )
    op.create_table(
        "messages",
        sa.Column("thread_id", sa.Uuid(), nullable=False),
        sa.Column("school_id", sa.Uuid(), nullable=False),
        sa.Column("author_id", sa.Uuid(), nullable=False),
        sa.Column("body", sa.String(length=5000), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("statement_timestamp()"),
            nullable=False,
        ),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_messages_author_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name=op.f("fk_messages_school_id_schools")
        ),
        sa.ForeignKeyConstraint(
            ["thread_id", "school_id"],
            ["message_threads.id", "message_threads.school_id"],
            name=op.f("fk_messages_thread_id_message_threads"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_messages")),
    )
    op.create_index(op.f("ix_messages_author_id"), "messages", ["author_id"], unique=False)
    op.create_index(op.f("ix_messages_school_id"), "messages", ["school_id"], unique=False)
    op.create_index(
        "ix_messages_thread_id_created_at", "messages", ["thread_id", "created_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_messages_thread_id_created_at", table_name="messages")
    op.drop_index(op.f("ix_messages_school_id"), table_name="messages")
    op.drop_index(op.f("ix_messages_author_id"), table_name="messages")
    op.drop_table("messages")
    op.drop_index(
        "uq_justified_absences_open",
        table_name="justified_absences",
        postgresql_where=sa.text("status <> 'rejected'"),
    )
    op.drop_index(op.f("ix_justified_absences_attendance_mark_id"), table_name="justified_absences")
    op.drop_table("justified_absences")
    op.drop_index("ix_message_threads_staff_id_last_message_at", table_name="message_threads")
    op.drop_index(op.f("ix_message_threads_school_id"), table_name="message_threads")
    op.drop_index(op.f("ix_message_threads_pupil_id"), table_name="message_threads")
    op.drop_index("ix_message_threads_parent_id_last_message_at", table_name="message_threads")
    op.drop_table("message_threads")
    op.drop_index(op.f("ix_justifications_submitted_by"), table_name="justifications")
    op.drop_index("ix_justifications_school_id_status_created_at", table_name="justifications")
    op.drop_index("ix_justifications_pupil_id_created_at", table_name="justifications")
    op.drop_index(op.f("ix_justifications_decided_by"), table_name="justifications")
    op.drop_table("justifications")
    op.drop_constraint(op.f("uq_attendance_marks_id_school_id"), "attendance_marks", type_="unique")

"""class councils and orientation

The year's end: class councils and their per-pupil decisions (locked once the director
validates them), the rollover that builds next year's enrolments from them, the per-school
counts steering reads, and orientation: the wishes' window of each school year, the pupils'
ranked wishes, the decided stream and September's re-orientation requests.

The reference streams gain original education (التعليم الأصيل: its common core and its bac
streams) and the sport-specialty common core, as in `app/academics/curriculum.py`; they are
written here as values, since a migration never imports the application.

Revision ID: 4d1e2f3a5b13
Revises: 4d1e2f3a5b12
Create Date: 2026-12-06 13:30:00+00:00
"""

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "4d1e2f3a5b13"
down_revision: str | None = "4d1e2f3a5b12"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# What the councils decide for a year, frozen when the year is closed.
FROZEN_WITH_THEIR_YEAR = (
    "class_councils",
    "council_decisions",
    "orientation_wishes",
    "orientations",
)

# The reference rows' namespace (`app/organisation/reference.py`): the same ids everywhere.
REFERENCE_NAMESPACE = uuid.UUID("6f1d8a52-3c1e-4d43-9a55-0b7e4c1f2a90")

# (level, code, French name, Arabic name)
NEW_STREAMS = (
    ("TC", "EO", "Tronc commun de l'enseignement originel", "الجذع المشترك للتعليم الأصيل"),
    ("TC", "SPORT", "Tronc commun sport-études", "الجذع المشترك رياضة ودراسة"),
    ("1BAC", "SCH", "Sciences charaïques (enseignement originel)", "شعبة العلوم الشرعية"),
    ("1BAC", "LAR", "Langue arabe (enseignement originel)", "شعبة اللغة العربية"),
    ("2BAC", "SCH", "Sciences charaïques (enseignement originel)", "مسلك العلوم الشرعية"),
    ("2BAC", "LAR", "Langue arabe (enseignement originel)", "مسلك اللغة العربية"),
)

IDS = "id,school_id,school_year"
# Table -> (columns the audit keeps, columns it keeps as a digest).
AUDITED = {
    "class_councils": (f"{IDS},class_id,validated_at,validated_by", ""),
    "council_decisions": (
        f"{IDS},council_id,pupil_id,decision,stream_id,annual_average,decided_by,"
        "corrected_by,corrected_at",
        "remarks,correction_reason",
    ),
    "rollovers": ("id,school_id,from_year,to_year,done_by", ""),
    "rollover_pupils": (
        f"{IDS},rollover_id,pupil_id,decision,outcome,level_code,stream_id,class_id",
        "",
    ),
    "orientations": (f"{IDS},pupil_id,stream_id,decided_by", ""),
    "reorientations": (
        f"{IDS},pupil_id,stream_id,status,decided_by,decided_at",
        "reason,refusal_reason",
    ),
}


def stream_id(level_code: str, code: str) -> uuid.UUID:
    return uuid.uuid5(REFERENCE_NAMESPACE, f"stream:{level_code}-{code}")


def upgrade() -> None:
    op.create_table(
        "orientation_windows",
        sa.Column("school_year", sa.SmallInteger(), nullable=False),
        sa.Column("wishes_from", sa.Date(), nullable=False),
        sa.Column("wishes_until", sa.Date(), nullable=False),
        sa.Column("reorientation_from", sa.Date(), nullable=False),
        sa.Column("reorientation_until", sa.Date(), nullable=False),
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
            "reorientation_from <= reorientation_until",
            name=op.f("ck_orientation_windows_reorientation_ordered"),
        ),
        sa.CheckConstraint(
            "wishes_from <= wishes_until", name=op.f("ck_orientation_windows_wishes_ordered")
        ),
        sa.ForeignKeyConstraint(
            ["school_year"],
            ["school_years.year"],
            name=op.f("fk_orientation_windows_school_year_school_years"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("school_year", name=op.f("pk_orientation_windows")),
    )
    op.create_table(
        "council_summaries",
        sa.Column("school_id", sa.Uuid(), nullable=False),
        sa.Column("school_year", sa.SmallInteger(), nullable=False),
        sa.Column("decided", sa.Integer(), server_default="0", nullable=False),
        sa.Column("promoted", sa.Integer(), server_default="0", nullable=False),
        sa.Column("repeats", sa.Integer(), server_default="0", nullable=False),
        sa.Column("redirected", sa.Integer(), server_default="0", nullable=False),
        sa.Column("left", sa.Integer(), server_default="0", nullable=False),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name=op.f("fk_council_summaries_school_id_schools")
        ),
        sa.ForeignKeyConstraint(
            ["school_year"],
            ["school_years.year"],
            name=op.f("fk_council_summaries_school_year_school_years"),
        ),
        sa.PrimaryKeyConstraint("school_id", "school_year", name=op.f("pk_council_summaries")),
    )
    op.create_table(
        "class_councils",
        sa.Column("class_id", sa.Uuid(), nullable=False),
        sa.Column("validated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("validated_by", sa.Uuid(), nullable=True),
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
        sa.Column("school_id", sa.Uuid(), nullable=False),
        sa.Column("school_year", sa.SmallInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["class_id", "school_id"],
            ["classes.id", "classes.school_id"],
            name=op.f("fk_class_councils_class_id_classes"),
        ),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name=op.f("fk_class_councils_school_id_schools")
        ),
        sa.ForeignKeyConstraint(
            ["school_year"],
            ["school_years.year"],
            name=op.f("fk_class_councils_school_year_school_years"),
        ),
        sa.ForeignKeyConstraint(
            ["validated_by"], ["users.id"], name=op.f("fk_class_councils_validated_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_class_councils")),
        sa.UniqueConstraint("id", "school_id", name=op.f("uq_class_councils_id_school_id")),
        sa.UniqueConstraint(
            "school_id", "class_id", name=op.f("uq_class_councils_school_id_class_id")
        ),
    )
    op.create_index(
        op.f("ix_class_councils_class_id"), "class_councils", ["class_id"], unique=False
    )
    op.create_index(
        op.f("ix_class_councils_school_id"), "class_councils", ["school_id"], unique=False
    )
    op.create_index(
        op.f("ix_class_councils_validated_by"), "class_councils", ["validated_by"], unique=False
    )
    op.create_table(
        "rollovers",
        sa.Column("school_id", sa.Uuid(), nullable=False),
        sa.Column("from_year", sa.SmallInteger(), nullable=False),
        sa.Column("to_year", sa.SmallInteger(), nullable=False),
        sa.Column("done_by", sa.Uuid(), nullable=False),
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
        sa.CheckConstraint("to_year = from_year + 1", name=op.f("ck_rollovers_next_year")),
        sa.ForeignKeyConstraint(["done_by"], ["users.id"], name=op.f("fk_rollovers_done_by_users")),
        sa.ForeignKeyConstraint(
            ["from_year"], ["school_years.year"], name=op.f("fk_rollovers_from_year_school_years")
        ),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name=op.f("fk_rollovers_school_id_schools")
        ),
        sa.ForeignKeyConstraint(
            ["to_year"], ["school_years.year"], name=op.f("fk_rollovers_to_year_school_years")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rollovers")),
        sa.UniqueConstraint("id", "school_id", name=op.f("uq_rollovers_id_school_id")),
        sa.UniqueConstraint(
            "school_id", "from_year", name=op.f("uq_rollovers_school_id_from_year")
        ),
    )
    op.create_index(op.f("ix_rollovers_done_by"), "rollovers", ["done_by"], unique=False)
    op.create_index(op.f("ix_rollovers_school_id"), "rollovers", ["school_id"], unique=False)
    op.create_table(
        "council_decisions",
        sa.Column("council_id", sa.Uuid(), nullable=False),
        sa.Column("pupil_id", sa.Uuid(), nullable=False),
        sa.Column(
            "decision",
            sa.Enum(
                "promoted",
                "repeats",
                "oriented",
                "redirected",
                "left",
                name="decision",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("stream_id", sa.Uuid(), nullable=True),
        sa.Column("annual_average", sa.Numeric(precision=4, scale=2), nullable=True),
        sa.Column("remarks", sa.String(length=500), nullable=True),
        sa.Column("decided_by", sa.Uuid(), nullable=False),
        sa.Column("corrected_by", sa.Uuid(), nullable=True),
        sa.Column("corrected_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("correction_reason", sa.String(length=500), nullable=True),
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
        sa.Column("school_id", sa.Uuid(), nullable=False),
        sa.Column("school_year", sa.SmallInteger(), nullable=False),
        sa.CheckConstraint(
            "decision <> 'oriented' OR stream_id IS NOT NULL",
            name=op.f("ck_council_decisions_oriented_has_stream"),
        ),
        sa.CheckConstraint(
            "annual_average >= 0 AND annual_average <= 20",
            name=op.f("ck_council_decisions_average_range"),
        ),
        sa.ForeignKeyConstraint(
            ["corrected_by"], ["users.id"], name=op.f("fk_council_decisions_corrected_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["council_id", "school_id"],
            ["class_councils.id", "class_councils.school_id"],
            name=op.f("fk_council_decisions_council_id_class_councils"),
        ),
        sa.ForeignKeyConstraint(
            ["decided_by"], ["users.id"], name=op.f("fk_council_decisions_decided_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["pupil_id"], ["pupils.id"], name=op.f("fk_council_decisions_pupil_id_pupils")
        ),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name=op.f("fk_council_decisions_school_id_schools")
        ),
        sa.ForeignKeyConstraint(
            ["school_year"],
            ["school_years.year"],
            name=op.f("fk_council_decisions_school_year_school_years"),
        ),
        sa.ForeignKeyConstraint(
            ["stream_id"], ["streams.id"], name=op.f("fk_council_decisions_stream_id_streams")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_council_decisions")),
        sa.UniqueConstraint(
            "school_id",
            "school_year",
            "pupil_id",
            name=op.f("uq_council_decisions_school_id_school_year_pupil_id"),
        ),
    )
    op.create_index(
        op.f("ix_council_decisions_corrected_by"),
        "council_decisions",
        ["corrected_by"],
        unique=False,
    )
    op.create_index(
        op.f("ix_council_decisions_council_id"), "council_decisions", ["council_id"], unique=False
    )
    op.create_index(
        op.f("ix_council_decisions_decided_by"), "council_decisions", ["decided_by"], unique=False
    )
    op.create_index(
        op.f("ix_council_decisions_pupil_id"), "council_decisions", ["pupil_id"], unique=False
    )
    op.create_index(
        op.f("ix_council_decisions_school_id"), "council_decisions", ["school_id"], unique=False
    )
    op.create_index(
        op.f("ix_council_decisions_stream_id"), "council_decisions", ["stream_id"], unique=False
    )
    op.create_table(
        "orientation_wishes",
        sa.Column("pupil_id", sa.Uuid(), nullable=False),
        sa.Column("rank", sa.SmallInteger(), nullable=False),
        sa.Column("stream_id", sa.Uuid(), nullable=False),
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
        sa.Column("school_id", sa.Uuid(), nullable=False),
        sa.Column("school_year", sa.SmallInteger(), nullable=False),
        sa.CheckConstraint("rank BETWEEN 1 AND 10", name=op.f("ck_orientation_wishes_rank_range")),
        sa.ForeignKeyConstraint(
            ["pupil_id"], ["pupils.id"], name=op.f("fk_orientation_wishes_pupil_id_pupils")
        ),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name=op.f("fk_orientation_wishes_school_id_schools")
        ),
        sa.ForeignKeyConstraint(
            ["school_year"],
            ["school_years.year"],
            name=op.f("fk_orientation_wishes_school_year_school_years"),
        ),
        sa.ForeignKeyConstraint(
            ["stream_id"], ["streams.id"], name=op.f("fk_orientation_wishes_stream_id_streams")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_orientation_wishes")),
        sa.UniqueConstraint(
            "school_id",
            "school_year",
            "pupil_id",
            "rank",
            name=op.f("uq_orientation_wishes_school_id_school_year_pupil_id_rank"),
        ),
        sa.UniqueConstraint(
            "school_id",
            "school_year",
            "pupil_id",
            "stream_id",
            name=op.f("uq_orientation_wishes_school_id_school_year_pupil_id_stream_id"),
        ),
    )
    op.create_index(
        op.f("ix_orientation_wishes_pupil_id"), "orientation_wishes", ["pupil_id"], unique=False
    )
    op.create_index(
        op.f("ix_orientation_wishes_school_id"), "orientation_wishes", ["school_id"], unique=False
    )
    op.create_index(
        op.f("ix_orientation_wishes_stream_id"), "orientation_wishes", ["stream_id"], unique=False
    )
    op.create_table(
        "orientations",
        sa.Column("pupil_id", sa.Uuid(), nullable=False),
        sa.Column("stream_id", sa.Uuid(), nullable=False),
        sa.Column("decided_by", sa.Uuid(), nullable=False),
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
        sa.Column("school_id", sa.Uuid(), nullable=False),
        sa.Column("school_year", sa.SmallInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["decided_by"], ["users.id"], name=op.f("fk_orientations_decided_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["pupil_id"], ["pupils.id"], name=op.f("fk_orientations_pupil_id_pupils")
        ),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name=op.f("fk_orientations_school_id_schools")
        ),
        sa.ForeignKeyConstraint(
            ["school_year"],
            ["school_years.year"],
            name=op.f("fk_orientations_school_year_school_years"),
        ),
        sa.ForeignKeyConstraint(
            ["stream_id"], ["streams.id"], name=op.f("fk_orientations_stream_id_streams")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_orientations")),
        sa.UniqueConstraint(
            "school_id",
            "school_year",
            "pupil_id",
            name=op.f("uq_orientations_school_id_school_year_pupil_id"),
        ),
    )
    op.create_index(
        op.f("ix_orientations_decided_by"), "orientations", ["decided_by"], unique=False
    )
    op.create_index(op.f("ix_orientations_pupil_id"), "orientations", ["pupil_id"], unique=False)
    op.create_index(op.f("ix_orientations_school_id"), "orientations", ["school_id"], unique=False)
    op.create_index(op.f("ix_orientations_stream_id"), "orientations", ["stream_id"], unique=False)
    op.create_table(
        "reorientations",
        sa.Column("pupil_id", sa.Uuid(), nullable=False),
        sa.Column("stream_id", sa.Uuid(), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "accepted",
                "refused",
                name="status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            server_default="pending",
            nullable=False,
        ),
        sa.Column("decided_by", sa.Uuid(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("refusal_reason", sa.String(length=500), nullable=True),
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
        sa.Column("school_id", sa.Uuid(), nullable=False),
        sa.Column("school_year", sa.SmallInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["decided_by"], ["users.id"], name=op.f("fk_reorientations_decided_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["pupil_id"], ["pupils.id"], name=op.f("fk_reorientations_pupil_id_pupils")
        ),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name=op.f("fk_reorientations_school_id_schools")
        ),
        sa.ForeignKeyConstraint(
            ["school_year"],
            ["school_years.year"],
            name=op.f("fk_reorientations_school_year_school_years"),
        ),
        sa.ForeignKeyConstraint(
            ["stream_id"], ["streams.id"], name=op.f("fk_reorientations_stream_id_streams")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reorientations")),
    )
    op.create_index(
        op.f("ix_reorientations_decided_by"), "reorientations", ["decided_by"], unique=False
    )
    op.create_index(
        op.f("ix_reorientations_pupil_id"), "reorientations", ["pupil_id"], unique=False
    )
    op.create_index(
        op.f("ix_reorientations_school_id"), "reorientations", ["school_id"], unique=False
    )
    op.create_index(
        op.f("ix_reorientations_stream_id"), "reorientations", ["stream_id"], unique=False
    )
    op.create_index(
        "uq_reorientations_pending_pupil",
        "reorientations",
        ["pupil_id"],
        unique=True,
        postgresql_where=sa.text("status = 'pending'"),
    )
    op.create_table(
        "rollover_pupils",
        sa.Column("rollover_id", sa.Uuid(), nullable=False),
        sa.Column("pupil_id", sa.Uuid(), nullable=False),
        sa.Column(
            "decision",
            sa.Enum(
                "promoted",
                "repeats",
                "oriented",
                "redirected",
                "left",
                name="decision",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "outcome",
            sa.Enum(
                "placed",
                "unplaced",
                "withdrawn",
                "completed",
                "already_enrolled",
                name="outcome",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("level_code", sa.String(length=8), nullable=True),
        sa.Column("stream_id", sa.Uuid(), nullable=True),
        sa.Column("class_id", sa.Uuid(), nullable=True),
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
        sa.Column("school_id", sa.Uuid(), nullable=False),
        sa.Column("school_year", sa.SmallInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["class_id"], ["classes.id"], name=op.f("fk_rollover_pupils_class_id_classes")
        ),
        sa.ForeignKeyConstraint(
            ["level_code"], ["levels.code"], name=op.f("fk_rollover_pupils_level_code_levels")
        ),
        sa.ForeignKeyConstraint(
            ["pupil_id"], ["pupils.id"], name=op.f("fk_rollover_pupils_pupil_id_pupils")
        ),
        sa.ForeignKeyConstraint(
            ["rollover_id", "school_id"],
            ["rollovers.id", "rollovers.school_id"],
            name=op.f("fk_rollover_pupils_rollover_id_rollovers"),
        ),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name=op.f("fk_rollover_pupils_school_id_schools")
        ),
        sa.ForeignKeyConstraint(
            ["school_year"],
            ["school_years.year"],
            name=op.f("fk_rollover_pupils_school_year_school_years"),
        ),
        sa.ForeignKeyConstraint(
            ["stream_id"], ["streams.id"], name=op.f("fk_rollover_pupils_stream_id_streams")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rollover_pupils")),
        sa.UniqueConstraint(
            "school_id",
            "school_year",
            "pupil_id",
            name=op.f("uq_rollover_pupils_school_id_school_year_pupil_id"),
        ),
    )
    op.create_index(
        op.f("ix_rollover_pupils_class_id"), "rollover_pupils", ["class_id"], unique=False
    )
    op.create_index(
        op.f("ix_rollover_pupils_pupil_id"), "rollover_pupils", ["pupil_id"], unique=False
    )
    op.create_index(
        op.f("ix_rollover_pupils_rollover_id"), "rollover_pupils", ["rollover_id"], unique=False
    )
    op.create_index(
        op.f("ix_rollover_pupils_school_id"), "rollover_pupils", ["school_id"], unique=False
    )
    op.create_index(
        op.f("ix_rollover_pupils_stream_id"), "rollover_pupils", ["stream_id"], unique=False
    )
    op.create_index(
        "ix_rollover_pupils_unplaced",
        "rollover_pupils",
        ["school_id", "school_year"],
        unique=False,
        postgresql_where=sa.text("outcome = 'unplaced'"),
    )
    for table, (kept, digested) in AUDITED.items():
        op.execute(
            f"CREATE TRIGGER audit_{table} AFTER INSERT OR UPDATE OR DELETE ON {table}"
            f" FOR EACH ROW EXECUTE FUNCTION audit_row('id', 'row', '{kept}', '{digested}')"
        )
    op.get_bind().execute(
        sa.text(
            "INSERT INTO streams (id, level_code, code, name_fr, name_ar) "
            "VALUES (:id, :level_code, :code, :name_fr, :name_ar) ON CONFLICT DO NOTHING"
        ),
        [
            {
                "id": stream_id(level, code),
                "level_code": level,
                "code": code,
                "name_fr": fr,
                "name_ar": ar,
            }
            for level, code, fr, ar in NEW_STREAMS
        ],
    )
    # A closed year's decisions are frozen with its marks and roll calls (the rule and its
    # function come with the opening and closing of years, the migration before this one).
    for table in FROZEN_WITH_THEIR_YEAR:
        op.execute(
            f"CREATE TRIGGER school_year_closed BEFORE INSERT OR UPDATE OR DELETE ON {table}"
            " FOR EACH ROW EXECUTE FUNCTION refuse_write_in_closed_year()"
        )


def downgrade() -> None:
    op.get_bind().execute(
        sa.text("DELETE FROM streams WHERE id = :id"),
        [{"id": stream_id(level, code)} for level, code, _, _ in NEW_STREAMS],
    )
    op.drop_index(
        "ix_rollover_pupils_unplaced",
        table_name="rollover_pupils",
        postgresql_where=sa.text("outcome = 'unplaced'"),
    )
    op.drop_index(op.f("ix_rollover_pupils_stream_id"), table_name="rollover_pupils")
    op.drop_index(op.f("ix_rollover_pupils_school_id"), table_name="rollover_pupils")
    op.drop_index(op.f("ix_rollover_pupils_rollover_id"), table_name="rollover_pupils")
    op.drop_index(op.f("ix_rollover_pupils_pupil_id"), table_name="rollover_pupils")
    op.drop_index(op.f("ix_rollover_pupils_class_id"), table_name="rollover_pupils")
    op.drop_table("rollover_pupils")
    op.drop_index(
        "uq_reorientations_pending_pupil",
        table_name="reorientations",
        postgresql_where=sa.text("status = 'pending'"),
    )
    op.drop_index(op.f("ix_reorientations_stream_id"), table_name="reorientations")
    op.drop_index(op.f("ix_reorientations_school_id"), table_name="reorientations")
    op.drop_index(op.f("ix_reorientations_pupil_id"), table_name="reorientations")
    op.drop_index(op.f("ix_reorientations_decided_by"), table_name="reorientations")
    op.drop_table("reorientations")
    op.drop_index(op.f("ix_orientations_stream_id"), table_name="orientations")
    op.drop_index(op.f("ix_orientations_school_id"), table_name="orientations")
    op.drop_index(op.f("ix_orientations_pupil_id"), table_name="orientations")
    op.drop_index(op.f("ix_orientations_decided_by"), table_name="orientations")
    op.drop_table("orientations")
    op.drop_index(op.f("ix_orientation_wishes_stream_id"), table_name="orientation_wishes")
    op.drop_index(op.f("ix_orientation_wishes_school_id"), table_name="orientation_wishes")
    op.drop_index(op.f("ix_orientation_wishes_pupil_id"), table_name="orientation_wishes")
    op.drop_table("orientation_wishes")
    op.drop_index(op.f("ix_council_decisions_stream_id"), table_name="council_decisions")
    op.drop_index(op.f("ix_council_decisions_school_id"), table_name="council_decisions")
    op.drop_index(op.f("ix_council_decisions_pupil_id"), table_name="council_decisions")
    op.drop_index(op.f("ix_council_decisions_decided_by"), table_name="council_decisions")
    op.drop_index(op.f("ix_council_decisions_council_id"), table_name="council_decisions")
    op.drop_index(op.f("ix_council_decisions_corrected_by"), table_name="council_decisions")
    op.drop_table("council_decisions")
    op.drop_index(op.f("ix_rollovers_school_id"), table_name="rollovers")
    op.drop_index(op.f("ix_rollovers_done_by"), table_name="rollovers")
    op.drop_table("rollovers")
    op.drop_index(op.f("ix_class_councils_validated_by"), table_name="class_councils")
    op.drop_index(op.f("ix_class_councils_school_id"), table_name="class_councils")
    op.drop_index(op.f("ix_class_councils_class_id"), table_name="class_councils")
    op.drop_table("class_councils")
    op.drop_table("council_summaries")
    op.drop_table("orientation_windows")

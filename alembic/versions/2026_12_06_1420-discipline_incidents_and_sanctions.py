"""discipline: incidents and sanctions

Incidents at school (date, place and kind from closed lists, a short description), the pupils
involved, and the graded sanctions decided for them, each by its body (the director for a
warning, a formal warning or a reprimand; the discipline council for the alternative sanction
and the exclusions), with the period of those that run over one. Parents are notified under a
new category, `discipline`.

The audit keeps ids, kinds, places and dates; the description is left out (an update of it
records only that it changed).

Revision ID: 4d1e2f3a5b24
Revises: 4d1e2f3a5b14
Create Date: 2026-12-06 14:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "4d1e2f3a5b24"
down_revision: str | None = "4d1e2f3a5b14"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INCIDENT_KINDS = (
    "disruption",
    "disrespect",
    "violence",
    "damage",
    "cheating",
    "prohibited_item",
    "other",
)
PLACES = ("classroom", "courtyard", "corridor", "sports_ground", "surroundings", "other")
SANCTION_KINDS = (
    "warning",
    "formal_warning",
    "reprimand",
    "alternative",
    "temporary_exclusion",
    "definitive_exclusion",
)
BODIES = ("director", "discipline_council")

# Table -> (the column that identifies a row, the columns the audit keeps).
AUDITED = {
    "incidents": ("id", "id,school_id,occurred_on,place,kind,recorded_by"),
    "incident_pupils": ("incident_id", "incident_id,pupil_id,school_id"),
    "sanctions": (
        "id",
        "id,school_id,incident_id,pupil_id,kind,decided_by,decided_on,starts_on,ends_on,"
        "recorded_by",
    ),
}

CATEGORIES_BEFORE = (
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
    "preregistration",
)
NOTIFIED = ("notifications", "notification_preferences")


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN (" + ", ".join(f"'{v}'" for v in values) + ")"


def _categories(categories: tuple[str, ...]) -> None:
    for table in NOTIFIED:
        op.drop_constraint("category", table, type_="check")
        op.create_check_constraint("category", table, _one_of("category", categories))


def upgrade() -> None:
    op.create_table(
        "incidents",
        sa.Column("school_id", sa.Uuid(), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("place", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("description", sa.String(length=300), nullable=True),
        sa.Column("recorded_by", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.CheckConstraint(_one_of("place", PLACES), name=op.f("ck_incidents_place")),
        sa.CheckConstraint(_one_of("kind", INCIDENT_KINDS), name=op.f("ck_incidents_kind")),
        sa.ForeignKeyConstraint(
            ["recorded_by"], ["users.id"], name=op.f("fk_incidents_recorded_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name=op.f("fk_incidents_school_id_schools")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incidents")),
        sa.UniqueConstraint("id", "school_id", name=op.f("uq_incidents_id_school_id")),
    )
    op.create_index(
        "ix_incidents_school_id_occurred_on", "incidents", ["school_id", "occurred_on", "id"]
    )
    op.create_index(op.f("ix_incidents_recorded_by"), "incidents", ["recorded_by"])
    op.create_table(
        "incident_pupils",
        sa.Column("incident_id", sa.Uuid(), nullable=False),
        sa.Column("pupil_id", sa.Uuid(), nullable=False),
        sa.Column("school_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id", "school_id"],
            ["incidents.id", "incidents.school_id"],
            name=op.f("fk_incident_pupils_incident_id_incidents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["pupil_id"], ["pupils.id"], name=op.f("fk_incident_pupils_pupil_id_pupils")
        ),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name=op.f("fk_incident_pupils_school_id_schools")
        ),
        sa.PrimaryKeyConstraint("incident_id", "pupil_id", name=op.f("pk_incident_pupils")),
    )
    op.create_index(
        op.f("ix_incident_pupils_pupil_id"), "incident_pupils", ["pupil_id"], unique=False
    )
    op.create_index(op.f("ix_incident_pupils_school_id"), "incident_pupils", ["school_id"])
    directors = "'warning', 'formal_warning', 'reprimand'"
    periods = "'alternative', 'temporary_exclusion'"
    op.create_table(
        "sanctions",
        sa.Column("school_id", sa.Uuid(), nullable=False),
        sa.Column("incident_id", sa.Uuid(), nullable=False),
        sa.Column("pupil_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("decided_by", sa.String(length=32), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=True),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("recorded_by", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.CheckConstraint(_one_of("kind", SANCTION_KINDS), name=op.f("ck_sanctions_kind")),
        sa.CheckConstraint(_one_of("decided_by", BODIES), name=op.f("ck_sanctions_decided_by")),
        sa.CheckConstraint(
            f"(kind IN ({directors})) = (decided_by = 'director')",
            name=op.f("ck_sanctions_decided_by_the_right_body"),
        ),
        sa.CheckConstraint(
            f"(kind IN ({periods})) = (ends_on IS NOT NULL)",
            name=op.f("ck_sanctions_period_has_an_end"),
        ),
        sa.CheckConstraint(
            f"(kind IN ({periods}, 'definitive_exclusion')) = (starts_on IS NOT NULL)",
            name=op.f("ck_sanctions_start_when_it_applies"),
        ),
        sa.CheckConstraint(
            "starts_on >= decided_on AND ends_on >= starts_on",
            name=op.f("ck_sanctions_dates_in_order"),
        ),
        sa.ForeignKeyConstraint(
            ["incident_id", "pupil_id"],
            ["incident_pupils.incident_id", "incident_pupils.pupil_id"],
            name=op.f("fk_sanctions_incident_id_incident_pupils"),
        ),
        sa.ForeignKeyConstraint(
            ["incident_id", "school_id"],
            ["incidents.id", "incidents.school_id"],
            name=op.f("fk_sanctions_incident_id_incidents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["pupil_id"], ["pupils.id"], name=op.f("fk_sanctions_pupil_id_pupils")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by"], ["users.id"], name=op.f("fk_sanctions_recorded_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name=op.f("fk_sanctions_school_id_schools")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sanctions")),
        sa.UniqueConstraint(
            "incident_id", "pupil_id", "kind", name=op.f("uq_sanctions_incident_id_pupil_id_kind")
        ),
    )
    op.create_index(
        "ix_sanctions_pupil_id_decided_on", "sanctions", ["pupil_id", "decided_on"], unique=False
    )
    op.create_index(op.f("ix_sanctions_school_id"), "sanctions", ["school_id"], unique=False)
    op.create_index(op.f("ix_sanctions_recorded_by"), "sanctions", ["recorded_by"])
    for table, (id_column, kept) in AUDITED.items():
        op.execute(
            f"CREATE TRIGGER audit_{table} AFTER INSERT OR UPDATE OR DELETE ON {table}"
            f" FOR EACH ROW EXECUTE FUNCTION audit_row('{id_column}', 'row', '{kept}', '')"
        )
    _categories((*CATEGORIES_BEFORE, "discipline"))


def downgrade() -> None:
    for table in NOTIFIED:
        op.execute(f"DELETE FROM {table} WHERE category = 'discipline'")  # noqa: S608 - constants
    _categories(CATEGORIES_BEFORE)
    op.drop_table("sanctions")
    op.drop_table("incident_pupils")
    op.drop_table("incidents")

"""school sports

Sport scolaire: each school's association sportive and the disciplines it practises, pupils'
licences by school year, teams, and the competitions of a school, a directorate, an academy
or the ministry with their entries and fixtures. The disciplines are a reference list.

Revision ID: 3c5a7e9b1d06
Revises: 3c5a7e9b1d05
Create Date: 2026-11-29 00:37:53+00:00
"""

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "3c5a7e9b1d06"
down_revision: str | None = "3c5a7e9b1d05"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (code, name_fr, name_ar, team sport)
DISCIPLINES = (
    ("ATHLE", "Athlétisme", "ألعاب القوى", False),
    ("CROSS", "Cross-country", "العدو الريفي", False),
    ("FOOT", "Football", "كرة القدم", True),
    ("FUTSAL", "Futsal", "كرة القدم داخل القاعة", True),
    ("BASKET", "Basketball", "كرة السلة", True),
    ("HAND", "Handball", "كرة اليد", True),
    ("VOLLEY", "Volleyball", "الكرة الطائرة", True),
    ("TT", "Tennis de table", "كرة الطاولة", False),
    ("GYM", "Gymnastique", "الجمباز", False),
    ("ECHECS", "Échecs", "الشطرنج", False),
    ("NATATION", "Natation", "السباحة", False),
    ("JUDO", "Judo", "الجودو", False),
)
# Business tables and the column that names the row in the audit log.
AUDITED = {
    "sport_associations": "id",
    "sport_association_disciplines": "association_id",
    "sport_licences": "id",
    "sport_licence_disciplines": "licence_id",
    "sport_teams": "id",
    "sport_team_members": "team_id",
    "sport_competitions": "id",
    "sport_entries": "id",
    "sport_fixtures": "id",
}


def upgrade() -> None:
    op.create_table(
        "sport_disciplines",
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("name_fr", sa.String(length=100), nullable=False),
        sa.Column("name_ar", sa.String(length=100), nullable=False),
        sa.Column("is_team_sport", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sport_disciplines")),
        sa.UniqueConstraint("code", name=op.f("uq_sport_disciplines_code")),
    )
    op.create_table(
        "sport_teams",
        sa.Column("school_id", sa.Uuid(), nullable=False),
        sa.Column("school_year", sa.SmallInteger(), nullable=False),
        sa.Column("discipline_id", sa.Uuid(), nullable=False),
        sa.Column(
            "category",
            sa.Enum(
                "minimes",
                "cadets",
                "juniors",
                name="category",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "gender",
            sa.Enum("M", "F", name="gender", native_enum=False, create_constraint=True, length=32),
            nullable=False,
        ),
        sa.Column("name", sa.String(length=200), nullable=False),
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
        sa.ForeignKeyConstraint(
            ["discipline_id"],
            ["sport_disciplines.id"],
            name=op.f("fk_sport_teams_discipline_id_sport_disciplines"),
        ),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name=op.f("fk_sport_teams_school_id_schools")
        ),
        sa.ForeignKeyConstraint(
            ["school_year"],
            ["school_years.year"],
            name=op.f("fk_sport_teams_school_year_school_years"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sport_teams")),
        sa.UniqueConstraint("id", "school_id", name=op.f("uq_sport_teams_id_school_id")),
        sa.UniqueConstraint(
            "school_id",
            "school_year",
            "discipline_id",
            "category",
            "gender",
            name=op.f("uq_sport_teams_school_id_school_year_discipline_id_category_gender"),
        ),
    )
    op.create_index(
        op.f("ix_sport_teams_discipline_id"), "sport_teams", ["discipline_id"], unique=False
    )
    op.create_index(
        op.f("ix_sport_teams_school_year"), "sport_teams", ["school_year"], unique=False
    )
    op.create_table(
        "sport_associations",
        sa.Column("school_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("president_id", sa.Uuid(), nullable=False),
        sa.Column("coordinator_id", sa.Uuid(), nullable=True),
        sa.Column("founded_on", sa.Date(), nullable=False),
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
        sa.ForeignKeyConstraint(
            ["coordinator_id"],
            ["users.id"],
            name=op.f("fk_sport_associations_coordinator_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["president_id"], ["users.id"], name=op.f("fk_sport_associations_president_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name=op.f("fk_sport_associations_school_id_schools")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sport_associations")),
        sa.UniqueConstraint("id", "school_id", name=op.f("uq_sport_associations_id_school_id")),
        sa.UniqueConstraint("school_id", name=op.f("uq_sport_associations_school_id")),
    )
    op.create_index(
        op.f("ix_sport_associations_coordinator_id"),
        "sport_associations",
        ["coordinator_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_sport_associations_president_id"),
        "sport_associations",
        ["president_id"],
        unique=False,
    )
    op.create_table(
        "sport_competitions",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("school_year", sa.SmallInteger(), nullable=False),
        sa.Column("discipline_id", sa.Uuid(), nullable=False),
        sa.Column(
            "category",
            sa.Enum(
                "minimes",
                "cadets",
                "juniors",
                name="category",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "gender",
            sa.Enum("M", "F", name="gender", native_enum=False, create_constraint=True, length=32),
            nullable=False,
        ),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "open",
                "running",
                "finished",
                "cancelled",
                name="status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            server_default="open",
            nullable=False,
        ),
        sa.Column("created_by", sa.Uuid(), nullable=False),
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
            name=op.f("ck_sport_competitions_place_matches_owner_level"),
        ),
        sa.CheckConstraint(
            "ends_on >= starts_on", name=op.f("ck_sport_competitions_dates_ordered")
        ),
        sa.ForeignKeyConstraint(
            ["academy_id"],
            ["academies.id"],
            name=op.f("fk_sport_competitions_academy_id_academies"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_sport_competitions_created_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["discipline_id"],
            ["sport_disciplines.id"],
            name=op.f("fk_sport_competitions_discipline_id_sport_disciplines"),
        ),
        sa.ForeignKeyConstraint(
            ["province_id", "academy_id"],
            ["provinces.id", "provinces.academy_id"],
            name=op.f("fk_sport_competitions_province_id_provinces"),
            onupdate="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["school_id", "province_id", "academy_id"],
            ["schools.id", "schools.province_id", "schools.academy_id"],
            name=op.f("fk_sport_competitions_school_id_schools"),
            onupdate="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["school_year"],
            ["school_years.year"],
            name=op.f("fk_sport_competitions_school_year_school_years"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sport_competitions")),
    )
    op.create_index(
        op.f("ix_sport_competitions_academy_id"), "sport_competitions", ["academy_id"], unique=False
    )
    op.create_index(
        op.f("ix_sport_competitions_created_by"), "sport_competitions", ["created_by"], unique=False
    )
    op.create_index(
        op.f("ix_sport_competitions_discipline_id"),
        "sport_competitions",
        ["discipline_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_sport_competitions_province_id"),
        "sport_competitions",
        ["province_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_sport_competitions_school_id"), "sport_competitions", ["school_id"], unique=False
    )
    op.create_index(
        "ix_sport_competitions_school_year_starts_on",
        "sport_competitions",
        ["school_year", "starts_on"],
        unique=False,
    )
    op.create_table(
        "sport_association_disciplines",
        sa.Column("school_id", sa.Uuid(), nullable=False),
        sa.Column("discipline_id", sa.Uuid(), nullable=False),
        sa.Column("association_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["association_id", "school_id"],
            ["sport_associations.id", "sport_associations.school_id"],
            name=op.f("fk_sport_association_disciplines_association_id_sport_associations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["discipline_id"],
            ["sport_disciplines.id"],
            name=op.f("fk_sport_association_disciplines_discipline_id_sport_disciplines"),
        ),
        sa.ForeignKeyConstraint(
            ["school_id"],
            ["schools.id"],
            name=op.f("fk_sport_association_disciplines_school_id_schools"),
        ),
        sa.PrimaryKeyConstraint(
            "school_id", "discipline_id", name=op.f("pk_sport_association_disciplines")
        ),
    )
    op.create_index(
        op.f("ix_sport_association_disciplines_association_id"),
        "sport_association_disciplines",
        ["association_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_sport_association_disciplines_discipline_id"),
        "sport_association_disciplines",
        ["discipline_id"],
        unique=False,
    )
    op.create_table(
        "sport_entries",
        sa.Column("school_id", sa.Uuid(), nullable=False),
        sa.Column("competition_id", sa.Uuid(), nullable=False),
        sa.Column("team_id", sa.Uuid(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "accepted",
                "refused",
                "withdrawn",
                name="status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            server_default="pending",
            nullable=False,
        ),
        sa.Column("entered_by", sa.Uuid(), nullable=False),
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
        sa.ForeignKeyConstraint(
            ["competition_id"],
            ["sport_competitions.id"],
            name=op.f("fk_sport_entries_competition_id_sport_competitions"),
        ),
        sa.ForeignKeyConstraint(
            ["entered_by"], ["users.id"], name=op.f("fk_sport_entries_entered_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name=op.f("fk_sport_entries_school_id_schools")
        ),
        sa.ForeignKeyConstraint(
            ["team_id", "school_id"],
            ["sport_teams.id", "sport_teams.school_id"],
            name=op.f("fk_sport_entries_team_id_sport_teams"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sport_entries")),
        sa.UniqueConstraint(
            "school_id",
            "competition_id",
            "team_id",
            name=op.f("uq_sport_entries_school_id_competition_id_team_id"),
        ),
    )
    op.create_index(
        op.f("ix_sport_entries_competition_id"), "sport_entries", ["competition_id"], unique=False
    )
    op.create_index(
        op.f("ix_sport_entries_entered_by"), "sport_entries", ["entered_by"], unique=False
    )
    op.create_index(op.f("ix_sport_entries_team_id"), "sport_entries", ["team_id"], unique=False)
    op.create_table(
        "sport_licences",
        sa.Column("school_id", sa.Uuid(), nullable=False),
        sa.Column("school_year", sa.SmallInteger(), nullable=False),
        sa.Column("pupil_id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column(
            "category",
            sa.Enum(
                "minimes",
                "cadets",
                "juniors",
                name="category",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("medical_certificate_on", sa.Date(), nullable=True),
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
        sa.ForeignKeyConstraint(
            ["pupil_id", "school_id"],
            ["pupils.id", "pupils.school_id"],
            name=op.f("fk_sport_licences_pupil_id_pupils"),
        ),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name=op.f("fk_sport_licences_school_id_schools")
        ),
        sa.ForeignKeyConstraint(
            ["school_year"],
            ["school_years.year"],
            name=op.f("fk_sport_licences_school_year_school_years"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sport_licences")),
        sa.UniqueConstraint("id", "school_id", name=op.f("uq_sport_licences_id_school_id")),
        sa.UniqueConstraint(
            "school_id",
            "school_year",
            "number",
            name=op.f("uq_sport_licences_school_id_school_year_number"),
        ),
        sa.UniqueConstraint(
            "school_id",
            "school_year",
            "pupil_id",
            name=op.f("uq_sport_licences_school_id_school_year_pupil_id"),
        ),
    )
    op.create_index(
        op.f("ix_sport_licences_pupil_id"), "sport_licences", ["pupil_id"], unique=False
    )
    op.create_index(
        op.f("ix_sport_licences_school_year"), "sport_licences", ["school_year"], unique=False
    )
    op.create_table(
        "sport_fixtures",
        sa.Column("competition_id", sa.Uuid(), nullable=False),
        sa.Column("home_entry_id", sa.Uuid(), nullable=False),
        sa.Column("away_entry_id", sa.Uuid(), nullable=False),
        sa.Column("round", sa.String(length=50), nullable=True),
        sa.Column("scheduled_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("home_score", sa.Integer(), nullable=True),
        sa.Column("away_score", sa.Integer(), nullable=True),
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
            "(home_score IS NULL) = (away_score IS NULL)",
            name=op.f("ck_sport_fixtures_score_complete"),
        ),
        sa.CheckConstraint(
            "home_entry_id <> away_entry_id", name=op.f("ck_sport_fixtures_two_teams")
        ),
        sa.CheckConstraint(
            "home_score >= 0 AND away_score >= 0", name=op.f("ck_sport_fixtures_scores_positive")
        ),
        sa.ForeignKeyConstraint(
            ["away_entry_id"],
            ["sport_entries.id"],
            name=op.f("fk_sport_fixtures_away_entry_id_sport_entries"),
        ),
        sa.ForeignKeyConstraint(
            ["competition_id"],
            ["sport_competitions.id"],
            name=op.f("fk_sport_fixtures_competition_id_sport_competitions"),
        ),
        sa.ForeignKeyConstraint(
            ["home_entry_id"],
            ["sport_entries.id"],
            name=op.f("fk_sport_fixtures_home_entry_id_sport_entries"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sport_fixtures")),
    )
    op.create_index(
        op.f("ix_sport_fixtures_away_entry_id"), "sport_fixtures", ["away_entry_id"], unique=False
    )
    op.create_index(
        op.f("ix_sport_fixtures_competition_id"), "sport_fixtures", ["competition_id"], unique=False
    )
    op.create_index(
        op.f("ix_sport_fixtures_home_entry_id"), "sport_fixtures", ["home_entry_id"], unique=False
    )
    op.create_index(
        op.f("ix_sport_fixtures_scheduled_at"), "sport_fixtures", ["scheduled_at"], unique=False
    )
    op.create_table(
        "sport_licence_disciplines",
        sa.Column("school_id", sa.Uuid(), nullable=False),
        sa.Column("licence_id", sa.Uuid(), nullable=False),
        sa.Column("discipline_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["discipline_id"],
            ["sport_disciplines.id"],
            name=op.f("fk_sport_licence_disciplines_discipline_id_sport_disciplines"),
        ),
        sa.ForeignKeyConstraint(
            ["licence_id", "school_id"],
            ["sport_licences.id", "sport_licences.school_id"],
            name=op.f("fk_sport_licence_disciplines_licence_id_sport_licences"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["school_id"],
            ["schools.id"],
            name=op.f("fk_sport_licence_disciplines_school_id_schools"),
        ),
        sa.PrimaryKeyConstraint(
            "school_id", "licence_id", "discipline_id", name=op.f("pk_sport_licence_disciplines")
        ),
    )
    op.create_index(
        op.f("ix_sport_licence_disciplines_discipline_id"),
        "sport_licence_disciplines",
        ["discipline_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_sport_licence_disciplines_licence_id"),
        "sport_licence_disciplines",
        ["licence_id"],
        unique=False,
    )
    op.create_table(
        "sport_team_members",
        sa.Column("school_id", sa.Uuid(), nullable=False),
        sa.Column("team_id", sa.Uuid(), nullable=False),
        sa.Column("licence_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["licence_id", "school_id"],
            ["sport_licences.id", "sport_licences.school_id"],
            name=op.f("fk_sport_team_members_licence_id_sport_licences"),
        ),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name=op.f("fk_sport_team_members_school_id_schools")
        ),
        sa.ForeignKeyConstraint(
            ["team_id", "school_id"],
            ["sport_teams.id", "sport_teams.school_id"],
            name=op.f("fk_sport_team_members_team_id_sport_teams"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "school_id", "team_id", "licence_id", name=op.f("pk_sport_team_members")
        ),
    )
    op.create_index(
        op.f("ix_sport_team_members_licence_id"), "sport_team_members", ["licence_id"], unique=False
    )
    op.create_index(
        op.f("ix_sport_team_members_team_id"), "sport_team_members", ["team_id"], unique=False
    )
    disciplines = sa.table(
        "sport_disciplines",
        sa.column("id", sa.Uuid()),
        sa.column("code", sa.String()),
        sa.column("name_fr", sa.String()),
        sa.column("name_ar", sa.String()),
        sa.column("is_team_sport", sa.Boolean()),
    )
    op.bulk_insert(
        disciplines,
        [
            {"id": uuid.uuid4(), "code": c, "name_fr": fr, "name_ar": ar, "is_team_sport": team}
            for c, fr, ar, team in DISCIPLINES
        ],
    )
    for table, id_column in AUDITED.items():
        op.execute(
            f"CREATE TRIGGER audit_{table} AFTER INSERT OR UPDATE OR DELETE ON {table}"
            f" FOR EACH ROW EXECUTE FUNCTION audit_row('{id_column}', 'row')"
        )


def downgrade() -> None:
    for table in AUDITED:
        op.execute(f"DROP TRIGGER IF EXISTS audit_{table} ON {table}")
    op.drop_index(op.f("ix_sport_team_members_team_id"), table_name="sport_team_members")
    op.drop_index(op.f("ix_sport_team_members_licence_id"), table_name="sport_team_members")
    op.drop_table("sport_team_members")
    op.drop_index(
        op.f("ix_sport_licence_disciplines_licence_id"), table_name="sport_licence_disciplines"
    )
    op.drop_index(
        op.f("ix_sport_licence_disciplines_discipline_id"), table_name="sport_licence_disciplines"
    )
    op.drop_table("sport_licence_disciplines")
    op.drop_index(op.f("ix_sport_fixtures_scheduled_at"), table_name="sport_fixtures")
    op.drop_index(op.f("ix_sport_fixtures_home_entry_id"), table_name="sport_fixtures")
    op.drop_index(op.f("ix_sport_fixtures_competition_id"), table_name="sport_fixtures")
    op.drop_index(op.f("ix_sport_fixtures_away_entry_id"), table_name="sport_fixtures")
    op.drop_table("sport_fixtures")
    op.drop_index(op.f("ix_sport_licences_school_year"), table_name="sport_licences")
    op.drop_index(op.f("ix_sport_licences_pupil_id"), table_name="sport_licences")
    op.drop_table("sport_licences")
    op.drop_index(op.f("ix_sport_entries_team_id"), table_name="sport_entries")
    op.drop_index(op.f("ix_sport_entries_entered_by"), table_name="sport_entries")
    op.drop_index(op.f("ix_sport_entries_competition_id"), table_name="sport_entries")
    op.drop_table("sport_entries")
    op.drop_index(
        op.f("ix_sport_association_disciplines_discipline_id"),
        table_name="sport_association_disciplines",
    )
    op.drop_index(
        op.f("ix_sport_association_disciplines_association_id"),
        table_name="sport_association_disciplines",
    )
    op.drop_table("sport_association_disciplines")
    op.drop_index("ix_sport_competitions_school_year_starts_on", table_name="sport_competitions")
    op.drop_index(op.f("ix_sport_competitions_school_id"), table_name="sport_competitions")
    op.drop_index(op.f("ix_sport_competitions_province_id"), table_name="sport_competitions")
    op.drop_index(op.f("ix_sport_competitions_discipline_id"), table_name="sport_competitions")
    op.drop_index(op.f("ix_sport_competitions_created_by"), table_name="sport_competitions")
    op.drop_index(op.f("ix_sport_competitions_academy_id"), table_name="sport_competitions")
    op.drop_table("sport_competitions")
    op.drop_index(op.f("ix_sport_associations_president_id"), table_name="sport_associations")
    op.drop_index(op.f("ix_sport_associations_coordinator_id"), table_name="sport_associations")
    op.drop_table("sport_associations")
    op.drop_index(op.f("ix_sport_teams_school_year"), table_name="sport_teams")
    op.drop_index(op.f("ix_sport_teams_discipline_id"), table_name="sport_teams")
    op.drop_table("sport_teams")
    op.drop_table("sport_disciplines")

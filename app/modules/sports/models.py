"""School sports (sport scolaire): each school's association sportive, its pupils' licences, its
teams, and the competitions organised by a school, a directorate, an academy or the ministry
(FRMSS), with their entries and fixtures.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.academics.models import Gender
from app.core.db.base import Base, Timestamps, UUIDPrimaryKey, checked
from app.core.ownership import OwnedByUnit, owner_unit_constraints


class SportCategory(StrEnum):
    """FRMSS age categories, by the age reached in the calendar year the season ends."""

    MINIMES = "minimes"
    CADETS = "cadets"
    JUNIORS = "juniors"


class CompetitionStatus(StrEnum):
    OPEN = "open"  # taking entries
    RUNNING = "running"  # entries closed: fixtures and results
    FINISHED = "finished"
    CANCELLED = "cancelled"


class EntryStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"


class SportDiscipline(UUIDPrimaryKey, Base):
    """Reference list of the disciplines of school sport, loaded by a migration."""

    __tablename__ = "sport_disciplines"

    code: Mapped[str] = mapped_column(String(16), unique=True)
    name_fr: Mapped[str] = mapped_column(String(100))
    name_ar: Mapped[str] = mapped_column(String(100))
    is_team_sport: Mapped[bool]


class SportAssociation(UUIDPrimaryKey, Timestamps, Base):
    """The school's association sportive scolaire: one per school, presided by the director."""

    __tablename__ = "sport_associations"
    __table_args__ = (UniqueConstraint("id", "school_id"),)

    school_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("schools.id"), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    president_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    coordinator_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"), index=True)
    founded_on: Mapped[date]


class SportAssociationDiscipline(Base):
    """A discipline the association practises."""

    __tablename__ = "sport_association_disciplines"
    __table_args__ = (
        ForeignKeyConstraint(
            ["association_id", "school_id"],
            ["sport_associations.id", "sport_associations.school_id"],
            ondelete="CASCADE",
        ),
    )

    school_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("schools.id"), primary_key=True)
    discipline_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("sport_disciplines.id"), primary_key=True, index=True
    )
    association_id: Mapped[uuid.UUID] = mapped_column(index=True)


class SportLicence(UUIDPrimaryKey, Timestamps, Base):
    """A pupil's licence for one school year. The number is made here, `<year>-<school
    code>-<nnnn>`, so it is unique in the year across all schools."""

    __tablename__ = "sport_licences"
    __table_args__ = (
        ForeignKeyConstraint(["pupil_id", "school_id"], ["pupils.id", "pupils.school_id"]),
        UniqueConstraint("school_id", "school_year", "pupil_id"),
        UniqueConstraint("school_id", "school_year", "number"),
        UniqueConstraint("id", "school_id"),
    )

    school_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("schools.id"))
    school_year: Mapped[int] = mapped_column(ForeignKey("school_years.year"), index=True)
    pupil_id: Mapped[uuid.UUID] = mapped_column(index=True)
    number: Mapped[str] = mapped_column(String(32))
    category: Mapped[SportCategory] = mapped_column(checked(SportCategory, "category"))
    medical_certificate_on: Mapped[date | None] = mapped_column(Date)


class SportLicenceDiscipline(Base):
    """A discipline a licence covers."""

    __tablename__ = "sport_licence_disciplines"
    __table_args__ = (
        ForeignKeyConstraint(
            ["licence_id", "school_id"],
            ["sport_licences.id", "sport_licences.school_id"],
            ondelete="CASCADE",
        ),
    )

    school_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("schools.id"), primary_key=True)
    licence_id: Mapped[uuid.UUID] = mapped_column(primary_key=True, index=True)
    discipline_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("sport_disciplines.id"), primary_key=True, index=True
    )


class SportTeam(UUIDPrimaryKey, Timestamps, Base):
    """A school's team in one discipline, category and gender for a school year."""

    __tablename__ = "sport_teams"
    __table_args__ = (
        UniqueConstraint("school_id", "school_year", "discipline_id", "category", "gender"),
        UniqueConstraint("id", "school_id"),
    )

    school_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("schools.id"))
    school_year: Mapped[int] = mapped_column(ForeignKey("school_years.year"), index=True)
    discipline_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("sport_disciplines.id"), index=True)
    category: Mapped[SportCategory] = mapped_column(checked(SportCategory, "category"))
    gender: Mapped[Gender] = mapped_column(checked(Gender, "gender"))
    name: Mapped[str] = mapped_column(String(200))


class SportTeamMember(Base):
    """A licensed pupil in a team."""

    __tablename__ = "sport_team_members"
    __table_args__ = (
        ForeignKeyConstraint(
            ["team_id", "school_id"],
            ["sport_teams.id", "sport_teams.school_id"],
            ondelete="CASCADE",
        ),
        ForeignKeyConstraint(
            ["licence_id", "school_id"], ["sport_licences.id", "sport_licences.school_id"]
        ),
    )

    school_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("schools.id"), primary_key=True)
    team_id: Mapped[uuid.UUID] = mapped_column(primary_key=True, index=True)
    licence_id: Mapped[uuid.UUID] = mapped_column(primary_key=True, index=True)


class SportCompetition(UUIDPrimaryKey, Timestamps, OwnedByUnit, Base):
    """A competition organised by a unit (its owner) for one discipline, category and gender."""

    __tablename__ = "sport_competitions"
    __table_args__ = (
        *owner_unit_constraints(),
        CheckConstraint("ends_on >= starts_on", name="dates_ordered"),
        Index("ix_sport_competitions_school_year_starts_on", "school_year", "starts_on"),
    )

    name: Mapped[str] = mapped_column(String(200))
    school_year: Mapped[int] = mapped_column(ForeignKey("school_years.year"))
    discipline_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("sport_disciplines.id"), index=True)
    category: Mapped[SportCategory] = mapped_column(checked(SportCategory, "category"))
    gender: Mapped[Gender] = mapped_column(checked(Gender, "gender"))
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    status: Mapped[CompetitionStatus] = mapped_column(
        checked(CompetitionStatus, "status"), default=CompetitionStatus.OPEN, server_default="open"
    )
    created_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)


class SportEntry(UUIDPrimaryKey, Timestamps, Base):
    """A team entered in a competition by its school; `school_id` is the team's school."""

    __tablename__ = "sport_entries"
    __table_args__ = (
        ForeignKeyConstraint(["team_id", "school_id"], ["sport_teams.id", "sport_teams.school_id"]),
        UniqueConstraint("school_id", "competition_id", "team_id"),
    )

    school_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("schools.id"))
    competition_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("sport_competitions.id"), index=True
    )
    team_id: Mapped[uuid.UUID] = mapped_column(index=True)
    status: Mapped[EntryStatus] = mapped_column(
        checked(EntryStatus, "status"), default=EntryStatus.PENDING, server_default="pending"
    )
    entered_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)


class SportFixture(UUIDPrimaryKey, Timestamps, Base):
    """A match between two accepted entries of a competition, and its score once played."""

    __tablename__ = "sport_fixtures"
    __table_args__ = (
        CheckConstraint("home_entry_id <> away_entry_id", name="two_teams"),
        CheckConstraint("home_score >= 0 AND away_score >= 0", name="scores_positive"),
        CheckConstraint("(home_score IS NULL) = (away_score IS NULL)", name="score_complete"),
    )

    competition_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("sport_competitions.id"), index=True
    )
    home_entry_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("sport_entries.id"), index=True)
    away_entry_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("sport_entries.id"), index=True)
    round: Mapped[str | None] = mapped_column(String(50))
    scheduled_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    place: Mapped[str] = mapped_column(String(200))
    home_score: Mapped[int | None] = mapped_column(Integer)
    away_score: Mapped[int | None] = mapped_column(Integer)

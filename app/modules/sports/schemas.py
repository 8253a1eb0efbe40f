"""School sports: the association, licences, teams, competitions, entries, fixtures and standings,
and the module's steering figure.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Self

from fastapi import Depends
from pydantic import ConfigDict, Field, model_validator

from app.academics.models import Gender
from app.academics.schemas import SchoolYearQuery
from app.accounts.schemas import PupilRef
from app.core.params import on_the_loop
from app.core.roles import Level
from app.core.schemas import Schema
from app.modules.sports.models import CompetitionStatus, EntryStatus, SportCategory

_CODE = Field(min_length=2, max_length=16, pattern="^[A-Z]+$", examples=["FOOT"])


class Input(Schema):
    model_config = ConfigDict(extra="forbid", from_attributes=True)


class DisciplineOut(Schema):
    code: str
    name_fr: str
    name_ar: str
    is_team_sport: bool


# ---- the association -----------------------------------------------------------------------


class AssociationIn(Input):
    name: str = Field(min_length=3, max_length=200, examples=["AS Collège Ibn Rochd"])
    founded_on: date
    coordinator_id: uuid.UUID | None = Field(
        default=None, description="A teacher of the school (the coordinator of school sport)."
    )
    discipline_codes: list[str] = Field(min_length=1, max_length=20, examples=[["FOOT", "ATHLE"]])


class AssociationOut(Schema):
    """The association sportive scolaire; its president is the school's director."""

    id: uuid.UUID
    school_id: uuid.UUID
    name: str
    founded_on: date
    president_id: uuid.UUID
    president_name: str
    coordinator_id: uuid.UUID | None
    coordinator_name: str | None
    disciplines: list[DisciplineOut]


# ---- licences ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SquadFilter:
    """What the licence and team lists of a school are filtered by (query parameters): a
    school year (this one by default), a discipline, a category, a gender."""

    school_year: SchoolYearQuery = None
    discipline_code: str | None = None
    category: SportCategory | None = None
    gender: Gender | None = None


class LicenceIn(Input):
    pupil_id: uuid.UUID
    discipline_codes: list[str] = Field(min_length=1, max_length=5, examples=[["FOOT"]])
    medical_certificate_on: date | None = Field(
        default=None, description="Date of the certificat médical d'aptitude (none yet: null)."
    )


class LicencesIn(Input):
    """Licences of the current school year: new pupils get one, licensed ones are updated."""

    licences: list[LicenceIn] = Field(min_length=1, max_length=500)


class LicenceOut(Schema):
    id: uuid.UUID
    number: str
    school_year: int
    pupil: PupilRef
    gender: Gender
    birth_date: date
    category: SportCategory
    discipline_codes: list[str]
    medical_certificate_on: date | None
    medically_fit: bool = Field(
        description="The certificate is of this school year and under 12 months old today."
    )
    medical_valid_until: date | None


class LicencesOut(Schema):
    created: int
    updated: int
    unchanged: int
    licences: list[LicenceOut]


# ---- teams ---------------------------------------------------------------------------------


class TeamIn(Input):
    name: str = Field(min_length=2, max_length=200, examples=["Ibn Rochd cadets garçons"])
    discipline_code: str = _CODE
    category: SportCategory
    gender: Gender


class TeamMembersIn(Input):
    licence_ids: list[uuid.UUID] = Field(max_length=60)


class TeamMember(Schema):
    licence_id: uuid.UUID
    licence_number: str
    pupil: PupilRef
    category: SportCategory
    medically_fit: bool


class TeamOut(Schema):
    id: uuid.UUID
    school_id: uuid.UUID
    school_code: str
    school_year: int
    name: str
    discipline_code: str
    category: SportCategory
    gender: Gender
    members: int


class TeamDetail(TeamOut):
    pupils: list[TeamMember]


# ---- competitions --------------------------------------------------------------------------


class CompetitionIn(Input):
    name: str = Field(min_length=3, max_length=200, examples=["Championnat provincial de football"])
    discipline_code: str = _CODE
    category: SportCategory
    gender: Gender
    starts_on: date
    ends_on: date

    @model_validator(mode="after")
    def _dates_ordered(self) -> Self:
        if self.ends_on < self.starts_on:
            raise ValueError("ends_on must not be before starts_on")
        return self


class CompetitionOut(Schema):
    id: uuid.UUID
    name: str
    owner_level: Level
    school_year: int
    discipline_code: str
    category: SportCategory
    gender: Gender
    starts_on: date
    ends_on: date
    status: CompetitionStatus
    actions: list[str] = Field(description="What the organiser may do now.")


class EntryIn(Input):
    team_id: uuid.UUID


class EntryOut(Schema):
    id: uuid.UUID
    competition_id: uuid.UUID
    competition_name: str
    team_id: uuid.UUID
    team_name: str
    school_code: str
    status: EntryStatus
    actions: list[str]


class FixtureIn(Input):
    home_entry_id: uuid.UUID
    away_entry_id: uuid.UUID
    scheduled_at: datetime
    place: str = Field(min_length=2, max_length=200, examples=["Complexe sportif Moulay Abdellah"])
    round: str | None = Field(default=None, max_length=50, examples=["Journée 1"])

    @model_validator(mode="after")
    def _two_teams(self) -> Self:
        if self.home_entry_id == self.away_entry_id:
            raise ValueError("a team cannot play itself")
        return self


class ResultIn(Input):
    home_score: int = Field(ge=0, le=999)
    away_score: int = Field(ge=0, le=999)


class FixtureOut(Schema):
    id: uuid.UUID
    competition_id: uuid.UUID
    competition_name: str
    round: str | None
    scheduled_at: datetime
    place: str
    home_entry_id: uuid.UUID
    home_team: str
    home_school_code: str
    away_entry_id: uuid.UUID
    away_team: str
    away_school_code: str
    home_score: int | None
    away_score: int | None
    played: bool


class StandingRow(Schema):
    """One team's line: 3 points a win, 1 a draw, 0 a loss."""

    rank: int
    entry_id: uuid.UUID
    team_name: str
    school_code: str
    played: int
    won: int
    drawn: int
    lost: int
    goals_for: int
    goals_against: int
    goal_difference: int
    points: int


# ---- the pupil's and parent's view ---------------------------------------------------------


class PupilSportsOut(Schema):
    """A pupil's licences, teams and next fixtures (the pupil app and the parent app)."""

    licences: list[LicenceOut]
    teams: list[TeamOut]
    upcoming_fixtures: list[FixtureOut]


# ---- steering ------------------------------------------------------------------------------


class LicencesByGender(Schema):
    male: int
    female: int


class SportsFigures(Schema):
    """School sport in the unit, this school year."""

    licences: int
    licences_by_gender: LicencesByGender
    licences_medically_fit: int = Field(description="Certificate of this year, under 12 months.")
    schools_with_association: int
    competitions: int = Field(description="Organised by the unit or a unit beneath it.")
    fixtures_played: int


# A school's sport licences and teams are filtered alike, on every face that lists them.
Squads = Annotated[SquadFilter, Depends(on_the_loop(SquadFilter))]

"""Incidents and sanctions. Pupils' conduct is minors' personal data: an incident keeps its
date, a place and a kind from closed lists, the pupils involved and a short description that
only the school's discipline staff read; the audit keeps none of its text.

The graded sanctions follow the ministry's list (note 14/867 of 2014 on the class councils'
disciplinary decisions): the lighter ones are the director's, the alternative sanction and the
exclusions the discipline council's (the class council sitting on discipline)."""

from __future__ import annotations

import uuid
from datetime import date
from enum import StrEnum

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db.base import Base, Timestamps, UUIDPrimaryKey, checked, part_of


class IncidentKind(StrEnum):
    """What happened, in a closed list so that no free text is needed to say it."""

    DISRUPTION = "disruption"  # disturbing a lesson or the school's life
    DISRESPECT = "disrespect"  # towards staff or other pupils
    VIOLENCE = "violence"
    DAMAGE = "damage"  # to the school's property
    CHEATING = "cheating"
    PROHIBITED_ITEM = "prohibited_item"
    OTHER = "other"


class IncidentPlace(StrEnum):
    CLASSROOM = "classroom"
    COURTYARD = "courtyard"
    CORRIDOR = "corridor"
    SPORTS_GROUND = "sports_ground"
    SURROUNDINGS = "surroundings"  # the school's surroundings
    OTHER = "other"


class SanctionKind(StrEnum):
    """The graded sanctions, lightest first."""

    WARNING = "warning"  # التنبيه
    FORMAL_WARNING = "formal_warning"  # الإنذار
    REPRIMAND = "reprimand"  # التوبيخ
    ALTERNATIVE = "alternative"  # العقوبة البديلة: work for the school over a period
    TEMPORARY_EXCLUSION = "temporary_exclusion"  # الإقصاء المؤقت
    DEFINITIVE_EXCLUSION = "definitive_exclusion"  # الإقصاء النهائي


class DecidingBody(StrEnum):
    DIRECTOR = "director"
    DISCIPLINE_COUNCIL = "discipline_council"


# Kinds decided by the director; the others by the discipline council.
DIRECTORS_KINDS = (SanctionKind.WARNING, SanctionKind.FORMAL_WARNING, SanctionKind.REPRIMAND)
# Kinds that run over a period (a start and an end), and the one that starts and never ends.
PERIOD_KINDS = (SanctionKind.ALTERNATIVE, SanctionKind.TEMPORARY_EXCLUSION)


def _listed(kinds: tuple[SanctionKind, ...]) -> str:
    return "(" + ", ".join(f"'{k.value}'" for k in kinds) + ")"


class Incident(UUIDPrimaryKey, Timestamps, Base):
    """Something that happened at school, recorded by its discipline staff."""

    __tablename__ = "incidents"
    __table_args__ = (
        UniqueConstraint("id", "school_id"),
        Index("ix_incidents_school_id_occurred_on", "school_id", "occurred_on", "id"),
    )

    school_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("schools.id"))
    occurred_on: Mapped[date]
    place: Mapped[IncidentPlace] = mapped_column(checked(IncidentPlace, "place"))
    kind: Mapped[IncidentKind] = mapped_column(checked(IncidentKind, "kind"))
    # Kept short on purpose: the facts, not a file on a child.
    description: Mapped[str | None] = mapped_column(String(300))
    recorded_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)


class IncidentPupil(Base):
    """A pupil involved in an incident."""

    __tablename__ = "incident_pupils"
    __table_args__ = (part_of("incident_id", "incidents"),)

    incident_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    pupil_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("pupils.id"), primary_key=True, index=True
    )
    school_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("schools.id"), index=True)


class Sanction(UUIDPrimaryKey, Timestamps, Base):
    """A sanction of a pupil involved in an incident, as the deciding body decided it."""

    __tablename__ = "sanctions"
    __table_args__ = (
        part_of("incident_id", "incidents"),
        # Only a pupil involved in the incident is sanctioned for it.
        ForeignKeyConstraint(
            ["incident_id", "pupil_id"], ["incident_pupils.incident_id", "incident_pupils.pupil_id"]
        ),
        # Each kind once per pupil and incident: a replayed decision is not a second one.
        UniqueConstraint("incident_id", "pupil_id", "kind"),
        Index("ix_sanctions_pupil_id_decided_on", "pupil_id", "decided_on"),
        CheckConstraint(
            f"(kind IN {_listed(DIRECTORS_KINDS)}) = (decided_by = 'director')",
            name="decided_by_the_right_body",
        ),
        CheckConstraint(
            f"(kind IN {_listed(PERIOD_KINDS)}) = (ends_on IS NOT NULL)", name="period_has_an_end"
        ),
        CheckConstraint(
            f"(kind IN {_listed((*PERIOD_KINDS, SanctionKind.DEFINITIVE_EXCLUSION))})"
            " = (starts_on IS NOT NULL)",
            name="start_when_it_applies",
        ),
        CheckConstraint("starts_on >= decided_on AND ends_on >= starts_on", name="dates_in_order"),
    )

    school_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("schools.id"), index=True)
    incident_id: Mapped[uuid.UUID]
    pupil_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("pupils.id"))
    kind: Mapped[SanctionKind] = mapped_column(checked(SanctionKind, "kind"))
    decided_by: Mapped[DecidingBody] = mapped_column(checked(DecidingBody, "decided_by"))
    decided_on: Mapped[date]
    starts_on: Mapped[date | None]
    ends_on: Mapped[date | None]
    recorded_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)

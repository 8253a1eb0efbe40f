"""Shapes of the class councils, the rollover and orientation."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from pydantic import Field, model_validator

from app.academics.schemas import ClassRef, StreamRef
from app.core.schemas import Schema
from app.councils.models import Decision, Outcome, RequestStatus
from app.organisation.schemas import UnitOut

Remarks = Field(default=None, max_length=500)


# ---- class councils ---------------------------------------------------------------------------


class CouncilDecisionIn(Schema):
    """A pupil's decision. `stream_id` is next year's stream: required to orient; for a
    promotion into a level with streams it defaults to the orientation council's decision, or
    to the same stream when the next level has it."""

    pupil_id: uuid.UUID
    decision: Decision
    stream_id: uuid.UUID | None = None
    remarks: str | None = Remarks


class CouncilDecisionsIn(Schema):
    decisions: list[CouncilDecisionIn] = Field(min_length=1, max_length=80)


class CouncilCorrectionIn(CouncilDecisionIn):
    """A decision changed after the council's validation, and why."""

    reason: str = Field(min_length=3, max_length=500)


class CouncilPupil(Schema):
    pupil_id: uuid.UUID
    massar_code: str
    first_name: str
    last_name: str
    annual_average: Decimal | None = Field(
        description="From the published marks of both semesters, on the level's scale."
    )
    passed: bool | None = Field(description="The annual average reaches the level's pass mark.")
    decision: Decision | None
    stream: StreamRef | None
    remarks: str | None
    corrected_at: datetime | None


class ClassCouncilOut(Schema):
    school_class: ClassRef
    school_year: int
    max_mark: int
    pass_mark: int
    next_level_code: str | None
    validated_at: datetime | None
    pupils: list[CouncilPupil]


class PupilDecisionOut(Schema):
    """A validated council decision, as the pupil and their parents read it."""

    school_year: int
    level_code: str
    class_name: str
    decision: Decision
    stream: StreamRef | None
    annual_average: Decimal | None
    max_mark: int
    remarks: str | None


# ---- the rollover ----------------------------------------------------------------------------


class RolloverIn(Schema):
    from_year: int = Field(ge=2000, le=2100, description="The year whose councils are done.")


class UnplacedPupil(Schema):
    pupil_id: uuid.UUID
    massar_code: str
    first_name: str
    last_name: str
    school_year: int
    level_code: str
    stream: StreamRef | None


class RolloverOut(Schema):
    from_year: int
    to_year: int
    done_at: datetime
    counts: dict[Outcome, int]
    unplaced: list[UnplacedPupil]


class PlaceIn(Schema):
    class_id: uuid.UUID


# ---- orientation ------------------------------------------------------------------------------


class WindowIn(Schema):
    wishes_from: date
    wishes_until: date
    reorientation_from: date
    reorientation_until: date

    @model_validator(mode="after")
    def _ordered(self) -> WindowIn:
        if self.wishes_from > self.wishes_until:
            raise ValueError("wishes_from comes after wishes_until")
        if self.reorientation_from > self.reorientation_until:
            raise ValueError("reorientation_from comes after reorientation_until")
        return self


class WindowOut(WindowIn):
    school_year: int = Field(ge=2000, le=2100)


class WishesIn(Schema):
    """Next year's streams, the first choice first."""

    streams: list[uuid.UUID] = Field(min_length=1, max_length=10)


class ReorientationIn(Schema):
    stream_id: uuid.UUID
    reason: str | None = Field(default=None, max_length=500)


class ReorientationOut(Schema):
    id: uuid.UUID
    pupil_id: uuid.UUID
    massar_code: str
    school_year: int
    stream: StreamRef
    reason: str | None
    status: RequestStatus
    decided_at: datetime | None
    refusal_reason: str | None


class PupilOrientation(Schema):
    """A pupil's orientation this year: the streams open to them, their ranked wishes, the
    council's decision and a September re-orientation request."""

    school_year: int
    level_code: str | None
    window: WindowOut | None
    wishes_open: bool
    reorientation_open: bool
    choices: list[StreamRef]
    wishes: list[StreamRef]
    decided: StreamRef | None
    reorientation: ReorientationOut | None


class OrientationPupil(Schema):
    pupil_id: uuid.UUID
    massar_code: str
    first_name: str
    last_name: str
    school_class: ClassRef
    wishes: list[StreamRef]
    decided: StreamRef | None


class OrientationDecisionIn(Schema):
    pupil_id: uuid.UUID
    stream_id: uuid.UUID


class OrientationDecisionsIn(Schema):
    decisions: list[OrientationDecisionIn] = Field(min_length=1, max_length=200)


class AcceptReorientationIn(Schema):
    class_id: uuid.UUID = Field(description="This year's class of the new stream.")


class RefuseReorientationIn(Schema):
    reason: str = Field(min_length=3, max_length=500)


# ---- steering -------------------------------------------------------------------------------


class CouncilRates(Schema):
    decided: int
    promoted: int
    repeats: int
    dropped_out: int = Field(description="Redirected to vocational training or left school.")
    promotion_rate: Decimal | None = Field(description="Per cent of the pupils decided.")
    repetition_rate: Decimal | None
    dropout_rate: Decimal | None


class UnitCouncilRates(Schema):
    unit: UnitOut
    rates: CouncilRates


class CouncilFigures(Schema):
    school_year: int
    unit: UnitOut
    rates: CouncilRates
    units: list[UnitCouncilRates] = Field(description="The units one level down.")


class StreamWishes(Schema):
    stream: StreamRef
    first_wishes: int
    wishes: int = Field(description="Wishes of any rank.")
    decided: int


class OrientationFigures(Schema):
    school_year: int
    unit: UnitOut
    streams: list[StreamWishes]

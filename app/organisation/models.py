"""The tree of the school system: academies, their provincial directorates, and schools."""

from __future__ import annotations

import uuid
from enum import StrEnum

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    String,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db.base import Base, Timestamps, UUIDPrimaryKey, checked


class Cycle(StrEnum):
    PRIMARY = "primary"
    COLLEGE = "college"
    LYCEE = "lycee"


class Sector(StrEnum):
    PUBLIC = "public"
    PRIVATE = "private"


class Area(StrEnum):
    URBAN = "urban"
    RURAL = "rural"


class Academy(UUIDPrimaryKey, Timestamps, Base):
    """A regional academy of education and training (AREF)."""

    __tablename__ = "academies"

    code: Mapped[str] = mapped_column(String(8), unique=True)
    name_fr: Mapped[str] = mapped_column(String(120))
    name_ar: Mapped[str] = mapped_column(String(120))


class Province(UUIDPrimaryKey, Timestamps, Base):
    """A provincial (or prefectural) directorate of the ministry, under one academy."""

    __tablename__ = "provinces"
    # (id, academy_id) is referenced by schools so their denormalised academy_id stays right.
    __table_args__ = (UniqueConstraint("id", "academy_id"),)

    academy_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("academies.id"), index=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name_fr: Mapped[str] = mapped_column(String(120))
    name_ar: Mapped[str] = mapped_column(String(120))


class School(UUIDPrimaryKey, Timestamps, Base):
    """A school (établissement), public or private, under one provincial directorate."""

    __tablename__ = "schools"
    __table_args__ = (
        ForeignKeyConstraint(
            ["province_id", "academy_id"],
            ["provinces.id", "provinces.academy_id"],
            onupdate="CASCADE",
        ),
        # Scoped reads filter on the columns of this triple; accounts reference it whole.
        UniqueConstraint("id", "province_id", "academy_id"),
        CheckConstraint(
            "cardinality(cycles) > 0 AND cycles <@ ARRAY['primary','college','lycee']::varchar[]",
            name="cycles_known",
        ),
        CheckConstraint("code ~ '^[0-9A-Z]{5,12}$'", name="code_format"),
        # Scoped lists are sorted by code: these serve the scope and the order together.
        Index("ix_schools_province_id_code", "province_id", "code"),
        Index("ix_schools_academy_id_code", "academy_id", "code"),
        Index("ix_schools_cycles", "cycles", postgresql_using="gin"),
    )

    code: Mapped[str] = mapped_column(String(12), unique=True)
    name_fr: Mapped[str] = mapped_column(String(200))
    name_ar: Mapped[str] = mapped_column(String(200))
    cycles: Mapped[list[str]] = mapped_column(ARRAY(String(16)))
    sector: Mapped[Sector] = mapped_column(checked(Sector, "sector"), index=True)
    area: Mapped[Area] = mapped_column(checked(Area, "area"), index=True)
    commune: Mapped[str | None] = mapped_column(String(120))
    province_id: Mapped[uuid.UUID]
    academy_id: Mapped[uuid.UUID]
    is_active: Mapped[bool] = mapped_column(default=True, server_default="true")

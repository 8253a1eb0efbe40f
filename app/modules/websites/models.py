"""School websites (sites web des établissements): each school's public site, edited by its staff,
shown to anyone without a login once published.  Four tenant tables: the site itself
(presentation and contacts, one per school), its news (actualités), its events (événements) and
its gallery (liens d'images). Each row is a draft until published; the public reads only
published rows of a published site. Texts are stored as plain text: nothing here is ever
rendered as HTML.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Index, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db.base import Base, Timestamps, UUIDPrimaryKey, checked


class WebState(StrEnum):
    """Where a page, a news item, an event or an image stands."""

    DRAFT = "draft"
    PUBLISHED = "published"
    ARCHIVED = "archived"


# Published rows carry their publication time; links are https only (also checked in the API).
_PUBLISHED_HAS_DATE = "state <> 'published' OR published_at IS NOT NULL"


def _https(column: str) -> str:
    return f"{column} IS NULL OR {column} LIKE 'https://%'"


class SchoolSite(UUIDPrimaryKey, Timestamps, Base):
    """A school's site: its presentation and contacts, one per school."""

    __tablename__ = "school_sites"
    __table_args__ = (
        CheckConstraint(_PUBLISHED_HAS_DATE, name="published_has_date"),
        CheckConstraint(_https("map_url"), name="map_url_https"),
        CheckConstraint("founded_year BETWEEN 1800 AND 2100", name="founded_year_range"),
    )

    school_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("schools.id"), unique=True)
    state: Mapped[WebState] = mapped_column(
        checked(WebState, "state"), default=WebState.DRAFT, server_default="draft", index=True
    )
    presentation_fr: Mapped[str | None] = mapped_column(String(8000))
    presentation_ar: Mapped[str | None] = mapped_column(String(8000))
    motto: Mapped[str | None] = mapped_column(String(200))
    founded_year: Mapped[int | None] = mapped_column(SmallInteger)
    address: Mapped[str | None] = mapped_column(String(300))
    phone: Mapped[str | None] = mapped_column(String(32))
    email: Mapped[str | None] = mapped_column(String(254))
    opening_hours: Mapped[str | None] = mapped_column(String(300))
    map_url: Mapped[str | None] = mapped_column(String(500))
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class SiteNews(UUIDPrimaryKey, Timestamps, Base):
    """A news item (actualité) of a school's site."""

    __tablename__ = "site_news"
    __table_args__ = (
        CheckConstraint(_PUBLISHED_HAS_DATE, name="published_has_date"),
        CheckConstraint(_https("cover_url"), name="cover_url_https"),
        # The public list: a school's published news, newest first.
        Index("ix_site_news_school_id_state_published_at", "school_id", "state", "published_at"),
        Index("ix_site_news_school_id_created_at", "school_id", "created_at"),
        Index("ix_site_news_state_published_at", "state", "published_at"),
    )

    school_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("schools.id"))
    state: Mapped[WebState] = mapped_column(
        checked(WebState, "state"), default=WebState.DRAFT, server_default="draft"
    )
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str | None] = mapped_column(String(500))
    body: Mapped[str] = mapped_column(String(20000))
    cover_url: Mapped[str | None] = mapped_column(String(500))
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class SiteEvent(UUIDPrimaryKey, Timestamps, Base):
    """An event (événement) of a school's site: an open day, a ceremony, a sports day."""

    __tablename__ = "site_events"
    __table_args__ = (
        CheckConstraint(_PUBLISHED_HAS_DATE, name="published_has_date"),
        CheckConstraint("ends_at >= starts_at", name="ends_after_start"),
        Index("ix_site_events_school_id_state_starts_at", "school_id", "state", "starts_at"),
        Index("ix_site_events_state_ends_at", "state", "ends_at"),
    )

    school_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("schools.id"))
    state: Mapped[WebState] = mapped_column(
        checked(WebState, "state"), default=WebState.DRAFT, server_default="draft"
    )
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(String(4000))
    place: Mapped[str | None] = mapped_column(String(200))
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ends_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class SiteImage(UUIDPrimaryKey, Timestamps, Base):
    """A gallery image: a link to an image hosted elsewhere (https), never an upload."""

    __tablename__ = "site_images"
    __table_args__ = (
        CheckConstraint(_PUBLISHED_HAS_DATE, name="published_has_date"),
        CheckConstraint("url LIKE 'https://%'", name="url_https"),
        Index("ix_site_images_school_id_state_created_at", "school_id", "state", "created_at"),
    )

    school_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("schools.id"))
    state: Mapped[WebState] = mapped_column(
        checked(WebState, "state"), default=WebState.DRAFT, server_default="draft"
    )
    url: Mapped[str] = mapped_column(String(500))
    caption: Mapped[str | None] = mapped_column(String(300))
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

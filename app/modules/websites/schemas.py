"""School websites: what the school's staff write, what steering follows, what the public reads.
Texts are plain text, stored as typed: the API never renders HTML, and text that contains an
HTML tag (`<script>`, `<a href…>`, `<!-- -->`) is refused, so no page built from these fields
can be made to run a script. Line breaks are kept; apps show the text as text.
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import AfterValidator, AwareDatetime, ConfigDict, EmailStr, Field, model_validator

from app.core.schemas import Schema
from app.modules.websites.models import WebState

_TAG = re.compile(r"<\s*[/!?]?\s*[A-Za-z!]")


def _plain_text(value: str) -> str:
    """Refuse markup: these texts are shown as typed, never as HTML."""
    if _TAG.search(value):
        raise ValueError("plain text only: HTML tags are not accepted")
    return value.strip()


def _https_url(value: str) -> str:
    """An absolute https link to a host, without credentials or spaces."""
    parts = urlsplit(value)
    if parts.scheme != "https" or not parts.hostname:
        raise ValueError("an https:// link is required")
    if "@" in parts.netloc or any(c.isspace() for c in value):
        raise ValueError("not a plain https link")
    return value


PlainText = Annotated[str, AfterValidator(_plain_text)]
HttpsUrl = Annotated[
    str,
    Field(max_length=500, examples=["https://images.example.ma/ecole/cour.jpg"]),
    AfterValidator(_https_url),
]


class WebsiteInput(Schema):
    model_config = ConfigDict(from_attributes=True, extra="forbid")


# ---- the school's side -----------------------------------------------------------------------


class SiteIn(WebsiteInput):
    """The presentation and contacts (all optional; only what the school wants public)."""

    presentation_fr: PlainText | None = Field(default=None, max_length=8000)
    presentation_ar: PlainText | None = Field(default=None, max_length=8000)
    motto: PlainText | None = Field(default=None, max_length=200, examples=["Apprendre ensemble"])
    founded_year: int | None = Field(default=None, ge=1800, le=2100)
    address: PlainText | None = Field(default=None, max_length=300)
    phone: str | None = Field(
        default=None, pattern=r"^\+?[0-9][0-9 .()-]{5,30}$", examples=["+212 537 00 00 00"]
    )
    email: EmailStr | None = Field(
        default=None, description="A public contact address, shown to anyone."
    )
    opening_hours: PlainText | None = Field(
        default=None, max_length=300, examples=["Lundi-vendredi 8h-18h, samedi 8h-12h"]
    )
    map_url: HttpsUrl | None = None


class SiteOut(Schema):
    id: uuid.UUID
    state: WebState
    presentation_fr: str | None
    presentation_ar: str | None
    motto: str | None
    founded_year: int | None
    address: str | None
    phone: str | None
    email: str | None
    opening_hours: str | None
    map_url: str | None
    published_at: datetime | None
    updated_at: datetime
    actions: list[str] = Field(description="What may be done in this state (`edit`, `publish`…).")


class NewsIn(WebsiteInput):
    title: PlainText = Field(min_length=3, max_length=200)
    summary: PlainText | None = Field(default=None, max_length=500)
    body: PlainText = Field(min_length=1, max_length=20_000)
    cover_url: HttpsUrl | None = None


class NewsOut(Schema):
    id: uuid.UUID
    state: WebState
    title: str
    summary: str | None
    body: str
    cover_url: str | None
    published_at: datetime | None
    created_at: datetime
    actions: list[str]


class EventIn(WebsiteInput):
    title: PlainText = Field(min_length=3, max_length=200)
    description: PlainText | None = Field(default=None, max_length=4000)
    place: PlainText | None = Field(default=None, max_length=200)
    starts_at: AwareDatetime
    ends_at: AwareDatetime

    @model_validator(mode="after")
    def _ends_after_start(self) -> EventIn:
        if self.ends_at < self.starts_at:
            raise ValueError("ends_at must not be before starts_at")
        return self


class EventOut(Schema):
    id: uuid.UUID
    state: WebState
    title: str
    description: str | None
    place: str | None
    starts_at: datetime
    ends_at: datetime
    published_at: datetime | None
    actions: list[str]


class ImageIn(WebsiteInput):
    url: HttpsUrl
    caption: PlainText | None = Field(default=None, max_length=300)


class ImageOut(Schema):
    id: uuid.UUID
    state: WebState
    url: str
    caption: str | None
    published_at: datetime | None
    actions: list[str]


# ---- steering ----------------------------------------------------------------------------------


class SiteStatus(Schema):
    """A school of the caller's part of the tree and where its site stands."""

    school_id: uuid.UUID
    code: str
    name_fr: str
    name_ar: str
    site_state: WebState | None = Field(description="Null when the school has no site yet.")
    published: bool
    published_news: int
    upcoming_events: int
    last_published_at: datetime | None = Field(
        description="The latest publication of the site, a news item or an event."
    )


class WebsiteFigures(Schema):
    """School websites in the unit."""

    published_sites: int
    news_last_30_days: int = Field(description="News items published in the last 30 days.")
    upcoming_events: int = Field(description="Published events not yet over.")


# ---- the public ------------------------------------------------------------------------------


class PublicUnit(Schema):
    name_fr: str
    name_ar: str


class PublicPresentation(Schema):
    text_fr: str | None
    text_ar: str | None
    motto: str | None
    founded_year: int | None


class PublicContacts(Schema):
    address: str | None
    phone: str | None
    email: str | None
    opening_hours: str | None
    map_url: str | None


class PublicSchool(Schema):
    """A published site: only what the school chose to make public, and its place."""

    code: str
    name_fr: str
    name_ar: str
    cycles: list[str]
    commune: str | None
    directorate: PublicUnit
    academy: PublicUnit
    presentation: PublicPresentation
    contacts: PublicContacts
    published_at: datetime


class PublicNewsItem(Schema):
    id: uuid.UUID
    title: str
    summary: str | None
    cover_url: str | None
    published_at: datetime


class PublicNews(PublicNewsItem):
    body: str


class PublicEvent(Schema):
    id: uuid.UUID
    title: str
    description: str | None
    place: str | None
    starts_at: datetime
    ends_at: datetime


class PublicImage(Schema):
    id: uuid.UUID
    url: str
    caption: str | None

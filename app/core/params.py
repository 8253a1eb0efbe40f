"""Query parameters shared by list endpoints."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from app.core.pagination import PageRequest

PageParams = Annotated[PageRequest, Depends()]

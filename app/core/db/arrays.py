"""A list of ids as one bound array (`column = ANY(:ids)`): one parameter however many ids,
where an expanding `IN` would bind one each and stop at the driver's 32,767."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from typing import Any

from sqlalchemy import Uuid, bindparam
from sqlalchemy.dialects.postgresql import ARRAY


def uuid_array(name: str, ids: Collection[uuid.UUID]) -> Any:
    """The ids bound as one `uuid[]` parameter named `name`."""
    return bindparam(name, list(ids), type_=ARRAY(Uuid()))

"""The published snapshots as the pupil and parent apps read them: one prepared statement that
both checks who may read (the pupil themself, or a parent whose link is verified) and fetches
the document by its key; only its version when the client already holds that version.

No snapshot (nothing published yet, or a document dropped because what it shows changed) is
not an answer: the caller then resolves the pupil as the other views do (404 for anyone else)
and computes the report live."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from fastapi import Request, Response
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.caching import Tagged, tagged, tags_of
from app.core.db.prepared import ReadConnection
from app.core.db.snapshots import fetch_row
from app.core.security.principal import Principal
from app.family import links

# Who may read, then the snapshot: the parent's statement names the child in $2.
_OWN = "FROM pupils p JOIN {table} s ON s.pupil_id = p.id WHERE p.user_id = $1"
_CHILD = (
    "FROM guardian_links g JOIN {table} s ON s.pupil_id = g.pupil_id"
    " WHERE g.parent_id = $1 AND g.pupil_id = $2 AND g.verified_at IS NOT NULL"
)
# The document is left out when the version is the one the client holds: a 304 reads no body.
_SELECT = "SELECT s.version, CASE WHEN s.version = ${held} THEN NULL ELSE s.document END "


@dataclass(frozen=True, slots=True)
class Reader:
    """Who asks for a pupil's published records: the pupil (`child_id` None) or a parent."""

    principal: Principal
    child_id: uuid.UUID | None

    @property
    def arguments(self) -> tuple[uuid.UUID, ...]:
        if self.child_id is None:
            return (self.principal.user_id,)
        return (self.principal.user_id, self.child_id)

    async def pupil(self, db: ReadConnection) -> uuid.UUID:
        """The pupil meant, if the caller may read them (404 otherwise)."""
        if self.child_id is None:
            return await links.own_pupil(db, self.principal)
        return await links.child_of(db, self.principal, self.child_id)


@dataclass(frozen=True, slots=True)
class SnapshotRead:
    """A kind of snapshot: its table, the key beyond the pupil, and its ETag's letter."""

    table: str
    key: tuple[str, ...]
    letter: str
    still_valid: str = ""

    def statement(self, reader: Reader) -> str:
        first = len(reader.arguments) + 1
        scope = (_OWN if reader.child_id is None else _CHILD).format(table=self.table)
        key = "".join(f" AND s.{column} = ${first + n}" for n, column in enumerate(self.key))
        return _SELECT.format(held=first + len(self.key)) + scope + key + self.still_valid

    def held_version(self, if_none_match: str) -> int:
        """The version named by the client's If-None-Match, 0 (none) otherwise."""
        for tag in tags_of(if_none_match):
            found = re.fullmatch(rf'"{self.letter}(\d{{1,18}})"', tag)
            if found:
                return int(found.group(1))
        return 0

    async def answer(
        self, request: Request, session: AsyncSession, reader: Reader, *key: int
    ) -> Response | None:
        """The snapshot as the answer (or a 304), None when the pupil has none."""
        held = request.headers.get("if-none-match", "")
        found = await self.read(session, reader, held, *key)
        return None if found is None else tagged(request, found.body, found.etag)

    async def read(
        self, db: ReadConnection, reader: Reader, if_none_match: str, *key: int
    ) -> Tagged | None:
        """The snapshot under its ETag (no body when the client holds that version), None
        when the pupil has none."""
        row = await fetch_row(
            db, self.statement(reader), *reader.arguments, *key, self.held_version(if_none_match)
        )
        return None if row is None else Tagged(row[1] or "", f'"{self.letter}{row[0]}"')


PUBLISHED_MARKS = SnapshotRead("published_marks", ("school_year", "semester"), "m")
# A document stops at the publication of the pupil's next hidden result.
PUBLISHED_EXAMS = SnapshotRead(
    "published_exam_results",
    (),
    "e",
    " AND (s.valid_until IS NULL OR s.valid_until > now())",
)

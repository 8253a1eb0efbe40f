"""Massar codes for new pupils, allocated by this service from one national sequence.

A code is a letter and nine digits (`academics.models.MASSAR_CODE_PATTERN`). The codes the
service allocates are `P` and the sequence's next number: `P000000001`, `P000000002`, …

Why they never collide:
- the sequence (`massar_code_numbers`) hands each number out once, whatever the transactions
  and processes that draw from it, and a rolled-back draw is simply skipped;
- the letter `P` is kept for this service: imported pupils carry their academy's letter (the
  demo's `D` and `S`, the synthetic country's `A` to `N`), so a drawn code is normally free;
- and correctness does not rest on that: `pupils.massar_code` is unique, and the pupil is
  inserted with `ON CONFLICT (massar_code) DO NOTHING`. A code an import took already (or is
  taking in a transaction not yet committed: the insert waits for it) inserts nothing, and the
  next number is drawn. Nine digits give a billion codes, about a thousand years of 1AP
  entrants."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.models import Pupil
from app.preregistration.models import MASSAR_CODE_NUMBERS

LETTER = "P"


async def next_code(session: AsyncSession) -> str:
    """The sequence's next code (not yet checked against the pupils)."""
    number: int = (await session.execute(select(MASSAR_CODE_NUMBERS.next_value()))).scalar_one()
    return f"{LETTER}{number:09d}"


async def new_pupil(session: AsyncSession, **fields: Any) -> tuple[uuid.UUID, str]:
    """Insert a pupil under a fresh Massar code; its id and the code."""
    while True:
        code = await next_code(session)
        pupil_id: uuid.UUID | None = await session.scalar(
            insert(Pupil)
            .values(id=uuid.uuid4(), massar_code=code, **fields)
            .on_conflict_do_nothing(index_elements=[Pupil.massar_code])
            .returning(Pupil.id)
        )
        if pupil_id is not None:
            return pupil_id, code

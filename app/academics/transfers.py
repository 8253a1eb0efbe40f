"""Transfers: the sending school asks, the receiving school accepts or refuses. On acceptance
the pupil changes school and class; old records stay with the old school, which stops seeing
anything new."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Literal

from sqlalchemy import Select, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from app.academics import structure
from app.academics.models import Pupil, Transfer, TransferStatus
from app.academics.schemas import SchoolPupilOut, TransferIn, TransferOut
from app.accounts.models import User
from app.core.security.principal import Principal
from app.errors import Conflict, NotFound, ProblemError, invalid
from app.organisation.models import School

_from = aliased(School, name="from_school")
_to = aliased(School, name="to_school")


def _transfers() -> Select[Transfer, Pupil, str, str]:
    return (
        select(Transfer, Pupil, _from.code, _to.code)
        .join(Pupil, Pupil.id == Transfer.pupil_id)
        .join(_from, _from.id == Transfer.school_id)
        .join(_to, _to.id == Transfer.to_school_id)
    )


def _out(transfer: Transfer, pupil: Pupil, from_code: str, to_code: str) -> TransferOut:
    return TransferOut.of(
        transfer,
        massar_code=pupil.massar_code,
        pupil_name=f"{pupil.first_name} {pupil.last_name}",
        from_school_code=from_code,
        to_school_code=to_code,
    )


async def request_transfer(
    session: AsyncSession, principal: Principal, new: TransferIn
) -> TransferOut:
    """Ask another school to take one of our pupils (one open request per pupil)."""
    pupil = await session.scalar(
        select(Pupil).where(Pupil.id == new.pupil_id, Pupil.school_id == principal.school_id)
    )
    if pupil is None:
        raise invalid("body.pupil_id", "not a pupil of your school", "unknown_pupil")
    to_school = await session.scalar(
        select(School.id).where(School.code == new.to_school_code, School.is_active.is_(True))
    )
    if to_school is None or to_school == principal.school_id:
        raise invalid("body.to_school_code", "not another active school", "unknown_school")
    pending = await session.scalar(
        select(Transfer.id).where(
            Transfer.pupil_id == pupil.id, Transfer.status == TransferStatus.PENDING
        )
    )
    if pending is not None:
        raise Conflict("transfers.already_pending")
    transfer = Transfer(
        pupil_id=pupil.id,
        school_id=pupil.school_id,
        to_school_id=to_school,
        reason=new.reason,
        requested_by=principal.user_id,
    )
    session.add(transfer)
    await session.flush()
    return await _get(session, transfer.id)


async def _get(session: AsyncSession, transfer_id: uuid.UUID) -> TransferOut:
    row = (await session.execute(_transfers().where(Transfer.id == transfer_id))).one()
    return _out(*row)


async def list_transfers(
    session: AsyncSession,
    principal: Principal,
    direction: Literal["incoming", "outgoing"] | None,
    status: TransferStatus | None,
) -> list[TransferOut]:
    """Transfers out of or into the caller's school, newest first."""
    mine = {
        "incoming": Transfer.to_school_id == principal.school_id,
        "outgoing": Transfer.school_id == principal.school_id,
        None: or_(
            Transfer.to_school_id == principal.school_id, Transfer.school_id == principal.school_id
        ),
    }[direction]
    statement = _transfers().where(mine).order_by(Transfer.requested_at.desc()).limit(200)
    if status is not None:
        statement = statement.where(Transfer.status == status)
    return [_out(*row) for row in await session.execute(statement)]


async def _incoming_pending(
    session: AsyncSession, principal: Principal, transfer_id: uuid.UUID
) -> Transfer:
    transfer = await session.scalar(
        select(Transfer)
        .where(Transfer.id == transfer_id, Transfer.to_school_id == principal.school_id)
        .with_for_update()
    )
    if transfer is None:
        raise NotFound()
    if transfer.status is not TransferStatus.PENDING:
        raise ProblemError(409, "transfers.not_pending", kind="not-pending")
    return transfer


async def accept(
    session: AsyncSession, principal: Principal, transfer_id: uuid.UUID, class_id: uuid.UUID
) -> SchoolPupilOut:
    """Take the pupil: they join our school and the given class; the old enrolment is closed."""
    transfer = await _incoming_pending(session, principal, transfer_id)
    pupil = await session.get_one(Pupil, transfer.pupil_id)
    school_class = await structure.class_of_school(session, principal, class_id, "body.class_id")
    pupil.school_id = school_class.school_id
    if pupil.user_id is not None:
        # The pupil's own account moves too: its scope is the new school from now on.
        school = await session.get_one(School, school_class.school_id)
        await session.execute(
            update(User)
            .where(User.id == pupil.user_id)
            .values(
                school_id=school.id, province_id=school.province_id, academy_id=school.academy_id
            )
        )
    transfer.status = TransferStatus.ACCEPTED
    transfer.decided_by, transfer.decided_at = principal.user_id, datetime.now(UTC)
    await session.flush()
    return await structure.enrol(session, principal, pupil.id, school_class.id)


async def refuse(
    session: AsyncSession, principal: Principal, transfer_id: uuid.UUID, reason: str
) -> TransferOut:
    """Refuse an incoming transfer, saying why; the pupil stays where they are."""
    transfer = await _incoming_pending(session, principal, transfer_id)
    transfer.status = TransferStatus.REFUSED
    transfer.refusal_reason = reason
    transfer.decided_by, transfer.decided_at = principal.user_id, datetime.now(UTC)
    await session.flush()
    return await _get(session, transfer.id)

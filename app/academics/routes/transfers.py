"""Transfers of pupils between schools."""

from __future__ import annotations

import uuid
from typing import Literal

from fastapi import APIRouter, status

from app.academics import transfers
from app.academics.models import TransferStatus
from app.academics.schemas import AcceptIn, SchoolPupilOut, TransferIn, TransferOut, TransferRefusal
from app.accounts.guards import SchoolStaffPrincipal, duty
from app.core.db.session import SessionDep
from app.core.roles import Duty

router = APIRouter()


@router.post(
    "/transfers",
    operation_id="school-request-transfer",
    **duty(Duty.RECORDS),
    status_code=status.HTTP_201_CREATED,
)
async def request_transfer(
    new: TransferIn, principal: SchoolStaffPrincipal, session: SessionDep
) -> TransferOut:
    """Ask another school to take one of our pupils."""
    return await transfers.request_transfer(session, principal, new)


@router.get("/transfers", operation_id="school-transfers")
async def list_transfers(
    principal: SchoolStaffPrincipal,
    session: SessionDep,
    direction: Literal["incoming", "outgoing"] | None = None,
    status: TransferStatus | None = None,
) -> list[TransferOut]:
    """Transfers into or out of our school."""
    return await transfers.list_transfers(session, principal, direction, status)


@router.post(
    "/transfers/{transfer_id}/accept", operation_id="school-accept-transfer", **duty(Duty.RECORDS)
)
async def accept(
    transfer_id: uuid.UUID, body: AcceptIn, principal: SchoolStaffPrincipal, session: SessionDep
) -> SchoolPupilOut:
    """Accept an incoming transfer into one of our classes."""
    return await transfers.accept(session, principal, transfer_id, body.class_id)


@router.post(
    "/transfers/{transfer_id}/refuse", operation_id="school-refuse-transfer", **duty(Duty.RECORDS)
)
async def refuse(
    transfer_id: uuid.UUID,
    body: TransferRefusal,
    principal: SchoolStaffPrincipal,
    session: SessionDep,
) -> TransferOut:
    """Refuse an incoming transfer, with a reason."""
    return await transfers.refuse(session, principal, transfer_id, body.reason)

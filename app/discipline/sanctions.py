"""Sanctions: recorded by the school's discipline staff as the director or the discipline
council decided them, notified to the pupil and their parents, and read by them."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.security.principal import Principal
from app.discipline.incidents import school_incident
from app.discipline.ladder import SANCTION_NAMES, deciding_body
from app.discipline.models import Incident, IncidentPupil, Sanction
from app.discipline.schemas import PupilSanctionOut, SanctionIn, SanctionOut
from app.errors import Conflict, invalid
from app.family.audience import family_accounts
from app.messaging.models import NotificationCategory
from app.messaging.notifications import NotificationTexts, notify


async def record_sanction(
    session: AsyncSession, principal: Principal, incident_id: uuid.UUID, new: SanctionIn
) -> SanctionOut:
    """Record the sanction of a pupil involved in the incident, as its body decided it, and
    tell the pupil and their parents."""
    incident = await school_incident(session, principal, incident_id)
    involved = await session.scalar(
        select(IncidentPupil.pupil_id).where(
            IncidentPupil.incident_id == incident.id, IncidentPupil.pupil_id == new.pupil_id
        )
    )
    if involved is None:
        raise invalid("body.pupil_id", "not a pupil involved in this incident", "not_involved")
    taken = await session.scalar(
        select(Sanction.id).where(
            Sanction.incident_id == incident.id,
            Sanction.pupil_id == new.pupil_id,
            Sanction.kind == new.kind,
        )
    )
    if taken is not None:
        raise Conflict("discipline.sanction_exists")
    sanction = Sanction(
        school_id=incident.school_id,
        incident_id=incident.id,
        pupil_id=new.pupil_id,
        kind=new.kind,
        decided_by=deciding_body(new.kind),
        decided_on=new.decided_on,
        starts_on=new.starts_on,
        ends_on=new.ends_on,
        recorded_by=principal.user_id,
    )
    session.add(sanction)
    await session.flush()
    await session.refresh(sanction)
    await _tell_the_family(session, sanction)
    return SanctionOut.model_validate(sanction)


async def _tell_the_family(session: AsyncSession, sanction: Sanction) -> None:
    """The notice to the pupil and their parents: the kind of sanction and its dates; the
    details are for the meeting with the school."""
    name_fr, name_ar = SANCTION_NAMES[sanction.kind]
    period_fr = period_ar = ""
    if sanction.starts_on is not None:
        period_fr = f" à partir du {sanction.starts_on:%d/%m/%Y}"
        period_ar = f" ابتداء من {sanction.starts_on:%d/%m/%Y}"
    if sanction.ends_on is not None:
        period_fr += f" jusqu'au {sanction.ends_on:%d/%m/%Y}"
        period_ar += f" إلى غاية {sanction.ends_on:%d/%m/%Y}"
    await notify(
        session,
        await family_accounts(session, [sanction.pupil_id]),
        NotificationCategory.DISCIPLINE,
        NotificationTexts(
            title_ar="قرار تأديبي",
            title_fr="Décision disciplinaire",
            body_ar=f"{name_ar}{period_ar}. للمزيد، يرجى التواصل مع المؤسسة.",
            body_fr=f"{name_fr}{period_fr}. Pour en savoir plus, contactez l'établissement.",
        ),
        {"pupil_id": sanction.pupil_id, "sanction_id": sanction.id},
    )


async def pupil_sanctions(session: AsyncSession, pupil_id: uuid.UUID) -> list[PupilSanctionOut]:
    """The pupil's sanctions, latest first, with the date, kind and place of their incident."""
    rows = await session.execute(
        select(Sanction, Incident)
        .join(
            Incident,
            (Incident.id == Sanction.incident_id) & (Incident.school_id == Sanction.school_id),
        )
        .where(Sanction.pupil_id == pupil_id)
        .order_by(Sanction.decided_on.desc(), Sanction.id)
    )
    return [
        PupilSanctionOut.of(
            sanction,
            incident_on=incident.occurred_on,
            incident_kind=incident.kind,
            incident_place=incident.place,
        )
        for sanction, incident in rows
    ]

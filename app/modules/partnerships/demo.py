"""Demo partnerships: partners and agreements of the Rabat directorate and of Collège Ibn Rochd
(25001A), one of them ending within weeks, written through the partnership service."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.calendar import school_today
from app.accounts.models import User
from app.core.security.principal import Principal
from app.modules.partnerships import agreements as partnerships
from app.modules.partnerships import partners as partnership_partners
from app.modules.partnerships.models import (
    AgreementDomain,
    ContributionKind,
    ContributionParty,
    PartnerKind,
)
from app.modules.partnerships.schemas import AgreementAction, AgreementIn, ContributionIn, PartnerIn
from app.organisation.models import School

DIRECTORATE = "province.demo@men.gov.ma"
DIRECTOR = "director.demo@taalim.ma"
P, M = ContributionParty.PARTNER, ContributionParty.MINISTRY


def _money(party: ContributionParty, amount: str) -> ContributionIn:
    return ContributionIn(party=party, kind=ContributionKind.MONEY, amount=Decimal(amount))


def _in_kind(party: ContributionParty, what: str, value: str | None = None) -> ContributionIn:
    return ContributionIn(
        party=party,
        kind=ContributionKind.IN_KIND,
        description=what,
        amount=Decimal(value) if value else None,
    )


async def _partner(
    session: AsyncSession, principal: Principal, kind: PartnerKind, name: str, **fields: str
) -> uuid.UUID:
    new = PartnerIn.model_validate({"kind": kind, "name": name, **fields})
    return (await partnership_partners.create_partner(session, principal, new)).id


async def _signed(
    session: AsyncSession, principal: Principal, terms: AgreementIn, signed_on: date
) -> None:
    created = await partnerships.create_agreement(session, principal, terms)
    step = AgreementAction(action="activate", signed_on=signed_on)
    await partnerships.move_agreement(session, principal, created.id, step)


async def seed_partnerships(session: AsyncSession, users: dict[str, User]) -> None:
    """The directorate's conventions with a carrier, Enabel, the commune and the university,
    and Ibn Rochd's own with Fondation Zakoura."""
    directorate = Principal.acting_as(users[DIRECTORATE])
    school = Principal.acting_as(users[DIRECTOR])
    today = school_today()
    schools = dict(
        (
            await session.execute(
                select(School.code, School.id).where(School.code.in_(["25001A", "25002B"]))
            )
        ).all()
    )
    carrier = await _partner(
        session,
        directorate,
        PartnerKind.COMPANY,
        "Société Chérifienne de Transport Scolaire",
        ice="001234567000089",
        contact_name="Rachid El Amrani",
        phone="+212 537 68 12 40",
        email="contact@sct-scolaire.ma",
        address="Zone industrielle Takaddoum, Rabat",
    )
    enabel = await _partner(
        session,
        directorate,
        PartnerKind.FOREIGN_COOPERATION,
        "Coopération belge - Enabel",
        contact_name="Sophie Lambert",
        email="rabat@enabel.be",
        address="6, rue Jaafar Assadik, Agdal, Rabat",
    )
    commune = await _partner(
        session,
        directorate,
        PartnerKind.LOCAL_AUTHORITY,
        "Commune de Rabat",
        contact_name="Service des affaires sociales",
        phone="+212 537 70 05 55",
        address="Avenue Mohammed V, Rabat",
    )
    university = await _partner(
        session,
        directorate,
        PartnerKind.UNIVERSITY,
        "Université Mohammed V",
        contact_name="Pr. Amina Chraibi",
        email="partenariats@um5.ac.ma",
        address="Avenue des Nations Unies, Agdal, Rabat",
    )
    await _signed(
        session,
        directorate,
        AgreementIn(
            partner_id=carrier,
            title="Transport scolaire des élèves des quartiers périphériques",
            domain=AgreementDomain.SCHOOL_TRANSPORT,
            objectives="Deux circuits de ramassage matin et soir pour 160 élèves.",
            start_date=today - timedelta(days=330),
            end_date=today + timedelta(days=35),
            contributions=[
                _money(P, "450000"),
                _in_kind(M, "Aires de stationnement et accompagnateurs"),
            ],
            school_ids=[schools["25001A"], schools["25002B"]],
        ),
        today - timedelta(days=335),
    )
    await _signed(
        session,
        directorate,
        AgreementIn(
            partner_id=enabel,
            title="Accompagnement numérique des établissements de Rabat",
            domain=AgreementDomain.DIGITAL,
            objectives="Salles multimédia, ressources numériques et formation des enseignants.",
            start_date=today - timedelta(days=60),
            end_date=today + timedelta(days=700),
            contributions=[
                _money(P, "1200000"),
                _in_kind(P, "Tablettes et vidéoprojecteurs", "300000"),
                _in_kind(M, "Formateurs et salles de formation"),
            ],
            school_ids=[schools["25001A"], schools["25002B"]],
        ),
        today - timedelta(days=75),
    )
    await _signed(
        session,
        directorate,
        AgreementIn(
            partner_id=commune,
            title="Réhabilitation des sanitaires et de la cour",
            domain=AgreementDomain.INFRASTRUCTURE,
            start_date=today - timedelta(days=20),
            end_date=today + timedelta(days=160),
            contributions=[_money(P, "280000"), _money(M, "70000")],
            school_ids=[schools["25001A"]],
        ),
        today - timedelta(days=25),
    )
    await partnerships.create_agreement(
        session,
        directorate,
        AgreementIn(
            partner_id=university,
            title="Stages et tutorat des étudiants-enseignants",
            domain=AgreementDomain.TRAINING,
            start_date=today + timedelta(days=30),
            end_date=today + timedelta(days=395),
            contributions=[_in_kind(P, "Tutorat par les enseignants-chercheurs")],
            school_ids=[schools["25002B"]],
        ),
    )
    zakoura = await _partner(
        session,
        school,
        PartnerKind.NGO,
        "Fondation Zakoura",
        contact_name="Khadija Bennis",
        phone="+212 522 98 50 50",
        email="contact@zakoura.org",
        address="Casablanca",
    )
    await _signed(
        session,
        school,
        AgreementIn(
            partner_id=zakoura,
            title="Soutien scolaire et lutte contre le décrochage",
            domain=AgreementDomain.PEDAGOGICAL_SUPPORT,
            objectives="Cours de soutien en mathématiques et en français pour les élèves de 1AC.",
            start_date=today - timedelta(days=90),
            end_date=today + timedelta(days=240),
            contributions=[
                _money(P, "80000"),
                _in_kind(P, "Manuels et fournitures", "12000"),
                _in_kind(M, "Salles et encadrement le mercredi après-midi"),
            ],
        ),
        today - timedelta(days=95),
    )
    await partnerships.create_agreement(
        session,
        school,
        AgreementIn(
            partner_id=commune,
            title="Appui à la cantine scolaire",
            domain=AgreementDomain.SOCIAL_SUPPORT,
            start_date=today + timedelta(days=15),
            end_date=today + timedelta(days=210),
            contributions=[_money(P, "60000")],
        ),
    )

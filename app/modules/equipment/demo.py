"""Demo data of the didactic equipment: the laboratories and IT room of Collège Ibn Rochd
(25001A) with their history, a request delivered by the Rabat directorate and one still
waiting, and a request from École Al Wahda (25101C). Written through the services."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.calendar import school_today
from app.accounts.models import User
from app.core.security.principal import Principal
from app.modules.equipment import inventory as equipment
from app.modules.equipment import requests as equipment_requests
from app.modules.equipment.models import EquipmentCondition, MovementKind
from app.modules.equipment.schemas import (
    AllocateIn,
    AllocationLineIn,
    DeliverIn,
    MovementIn,
    RequestIn,
    RequestLineIn,
)
from app.organisation.reference import reference_id

DIRECTOR = "director.demo@taalim.ma"
DIRECTOR_OTHER = "director.other@taalim.ma"
PROVINCE = "province.demo@men.gov.ma"

# (article code, quantity, place, condition, days ago)
_RECEIVED = (
    ("OPT-MICRO", 12, "Laboratoire SVT 1", EquipmentCondition.GOOD, 400),
    ("OPT-LOUPE-BIN", 4, "Laboratoire SVT 1", EquipmentCondition.GOOD, 400),
    ("SVT-SQUEL", 1, "Laboratoire SVT 1", EquipmentCondition.WORN, 900),
    ("SVT-ROCHES", 3, "Laboratoire SVT 1", EquipmentCondition.GOOD, 400),
    ("VER-BECH-250", 40, "Laboratoire de physique-chimie", EquipmentCondition.NEW, 120),
    ("VER-TUB-ESS", 6, "Laboratoire de physique-chimie", EquipmentCondition.NEW, 120),
    ("PC-MULTI", 10, "Laboratoire de physique-chimie", EquipmentCondition.GOOD, 500),
    ("PC-BAL", 2, "Laboratoire de physique-chimie", EquipmentCondition.GOOD, 500),
    ("SEC-EXT", 2, "Laboratoire de physique-chimie", EquipmentCondition.GOOD, 300),
    ("INFO-PC", 15, "Salle informatique", EquipmentCondition.GOOD, 700),
    ("INFO-VP", 2, "Salle informatique", EquipmentCondition.GOOD, 700),
    ("INFO-IMPR", 1, "Salle informatique", EquipmentCondition.WORN, 900),
    ("MATH-GEOM", 6, "Magasin", EquipmentCondition.NEW, 60),
    ("GEO-MAROC", 8, "Magasin", EquipmentCondition.GOOD, 300),
    ("EPS-FOOT", 10, "Salle de sport", EquipmentCondition.GOOD, 200),
    ("EPS-BASKET", 8, "Salle de sport", EquipmentCondition.GOOD, 200),
)


def _item(code: str) -> uuid.UUID:
    return reference_id("equipment_item", code)


async def seed_equipment(session: AsyncSession, users: dict[str, User]) -> None:
    """Ibn Rochd's inventory and history, its requests, and one from Al Wahda."""
    director = Principal.acting_as(users[DIRECTOR])
    await _inventory(session, director)
    await _delivered_request(session, director, Principal.acting_as(users[PROVINCE]))
    await equipment_requests.submit_request(
        session,
        director,
        RequestIn(
            lines=[
                RequestLineIn(
                    item_id=_item("GEO-MONDE"), quantity=4, reason="Cartes abîmées en 3AC"
                ),
                RequestLineIn(item_id=_item("EPS-VOLLEY"), quantity=8, reason="Club de volley"),
            ],
            note="Besoins du deuxième semestre",
        ),
    )
    await equipment_requests.submit_request(
        session,
        Principal.acting_as(users[DIRECTOR_OTHER]),
        RequestIn(
            lines=[
                RequestLineIn(item_id=_item("PRIM-ABAQUE"), quantity=12, reason="Classes de 2AP"),
                RequestLineIn(item_id=_item("PRIM-SCIENCES"), quantity=2),
                RequestLineIn(item_id=_item("EPS-FOOT"), quantity=6),
            ],
            note="Équipement des classes du primaire",
        ),
    )


async def _inventory(session: AsyncSession, director: Principal) -> None:
    """Entries over the last years, then a move, a breakage and a write-off."""
    today = school_today()
    lines = {}
    for code, quantity, place, condition, days in _RECEIVED:
        entry = await equipment.record_movement(
            session,
            director,
            MovementIn(
                kind=MovementKind.RECEIVED,
                item_id=_item(code),
                quantity=quantity,
                location=place,
                condition=condition,
                occurred_on=today - timedelta(days=days),
            ),
        )
        assert entry.target is not None
        lines[code] = entry.target.line_id
    changes: tuple[tuple[MovementKind, str, int, str | None, str], ...] = (
        (MovementKind.MOVED, "OPT-MICRO", 4, "Laboratoire SVT 2", "Ouverture du 2e laboratoire"),
        (MovementKind.BROKEN, "VER-BECH-250", 3, None, "Casse pendant un TP de 3AC"),
        (MovementKind.BROKEN, "INFO-PC", 2, None, "Carte mère hors service"),
        (MovementKind.WRITTEN_OFF, "INFO-IMPR", 1, None, "Réformée : hors d'usage"),
    )
    for kind, code, quantity, target, note in changes:
        await equipment.record_movement(
            session,
            director,
            MovementIn(
                kind=kind,
                line_id=lines[code],
                quantity=quantity,
                location=target,
                occurred_on=today - timedelta(days=20),
                note=note,
            ),
        )


async def _delivered_request(
    session: AsyncSession, director: Principal, province: Principal
) -> None:
    """Asked, partly allocated by the directorate, delivered into the storeroom."""
    request = await equipment_requests.submit_request(
        session,
        director,
        RequestIn(
            lines=[
                RequestLineIn(item_id=_item("OPT-MICRO"), quantity=6, reason="Effectifs de 1AC"),
                RequestLineIn(
                    item_id=_item("INFO-VP"), quantity=3, reason="Salles sans projecteur"
                ),
            ],
            note="Rentrée scolaire",
        ),
    )
    given = {"OPT-MICRO": 4, "INFO-VP": 3}
    await equipment_requests.allocate(
        session,
        province,
        request.id,
        AllocateIn(
            lines=[
                AllocationLineIn(line_id=line.id, allocated_quantity=given[line.item.code])
                for line in request.lines
            ],
            comment="Dotation selon le budget de la direction",
        ),
    )
    await equipment_requests.deliver(session, province, request.id, DeliverIn(location="Magasin"))

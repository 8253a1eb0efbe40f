"""Demo integrated school projects (PEI): Collège Ibn Rochd (25001A) has an approved plan with
three axes, under way; École Al Wahda (25101C) is still drafting its own. Written through the
services the school and the directorate use."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.calendar import current_school_year
from app.accounts.models import User
from app.core.security.principal import Principal
from app.modules.school_projects import plan, projects
from app.modules.school_projects import steering as steering_projects
from app.modules.school_projects.models import ActionStatus
from app.modules.school_projects.schemas import (
    ActionIn,
    ActionPatch,
    AxisIn,
    IndicatorIn,
    IndicatorPatch,
    ObjectiveIn,
    ProjectIn,
)

# Al Wahda's teacher, whom the demo world creates with the school's classes.
WAHDA_TEACHER = "teacher.wahda@taalim.ma"


@dataclass(frozen=True, slots=True)
class DemoAction:
    title: str
    owner: str  # a demo login, or a label
    months: tuple[int, int]  # first and last month (9 = September … 6 = June)
    budget: str
    progress: int = 0


@dataclass(frozen=True, slots=True)
class DemoObjective:
    title: str
    actions: tuple[DemoAction, ...]
    indicator: tuple[str, str, str, str] | None = None  # name, unit, baseline, target
    measured: str | None = None  # the indicator's value at mid-year, once approved


IBN_ROCHD_AXES: tuple[tuple[str, str, tuple[DemoObjective, ...]], ...] = (
    (
        "Amélioration des apprentissages",
        "Les résultats en mathématiques et en français en 1AC sont en deçà de la moyenne "
        "provinciale.",
        (
            DemoObjective(
                "Réduire le taux de redoublement en 1AC",
                (
                    DemoAction(
                        "Cours de soutien en mathématiques pour les élèves en difficulté",
                        "teacher.demo@taalim.ma",
                        (10, 5),
                        "6000.00",
                        45,
                    ),
                    DemoAction(
                        "Tests diagnostiques de début d'année en 1AC",
                        "teacher.demo@taalim.ma",
                        (9, 10),
                        "800.00",
                        100,
                    ),
                ),
                ("Taux de redoublement en 1AC", "%", "17.50", "12.00"),
            ),
            DemoObjective(
                "Améliorer la maîtrise de la lecture en français",
                (
                    DemoAction(
                        "Club de lecture hebdomadaire et coin lecture en classe",
                        "teacher2.demo@taalim.ma",
                        (10, 6),
                        "4500.00",
                        30,
                    ),
                ),
                ("Élèves lisant un texte court de façon fluide", "%", "48.00", "65.00"),
            ),
        ),
    ),
    (
        "Lutte contre l'abandon scolaire",
        "Douze élèves ont quitté le collège l'an dernier, surtout des filles venant des douars.",
        (
            DemoObjective(
                "Réduire l'abandon scolaire des filles issues du milieu rural",
                (
                    DemoAction(
                        "Cellule de veille et d'écoute : suivi des absences répétées",
                        "director.demo@taalim.ma",
                        (9, 6),
                        "1500.00",
                        50,
                    ),
                    DemoAction(
                        "Soutien au transport scolaire avec la commune",
                        "Association des parents d'élèves",
                        (9, 6),
                        "12000.00",
                        60,
                    ),
                ),
                ("Taux d'abandon scolaire", "%", "4.20", "2.50"),
                measured="2.40",
            ),
        ),
    ),
    (
        "Vie scolaire et ouverture sur l'environnement",
        "Peu d'activités parascolaires ; la bibliothèque est sous-équipée.",
        (
            DemoObjective(
                "Développer les clubs éducatifs",
                (
                    DemoAction(
                        "Création d'un club environnement et d'un club numérique",
                        "director.demo@taalim.ma",
                        (11, 6),
                        "3500.00",
                        20,
                    ),
                    DemoAction(
                        "Journée portes ouvertes avec les partenaires du collège",
                        "Bureau de l'association sportive",
                        (4, 4),
                        "2000.00",
                    ),
                ),
                ("Élèves inscrits dans un club", "élèves", "40", "120"),
                measured="85",
            ),
        ),
    ),
)

AL_WAHDA_AXES: tuple[tuple[str, str, tuple[DemoObjective, ...]], ...] = (
    (
        "Maîtrise des apprentissages fondamentaux",
        "Les évaluations diagnostiques montrent des lacunes en lecture en 2AP.",
        (
            DemoObjective(
                "Améliorer la lecture en arabe en 2AP",
                (
                    DemoAction(
                        "Séances de remédiation en petits groupes (approche TaRL)",
                        WAHDA_TEACHER,
                        (11, 5),
                        "2500.00",
                    ),
                ),
                ("Élèves de 2AP lisant des mots simples", "%", "55.00", "80.00"),
            ),
        ),
    ),
)


def _month(year: int, month: int) -> date:
    """The first day of a month of the school year (September of `year` to June after)."""
    return date(year if month >= 9 else year + 1, month, 1)


def _end_of(year: int, month: int) -> date:
    first = _month(year, month)
    following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return date.fromordinal(following.toordinal() - 1)


async def _write_plan(
    session: AsyncSession,
    school: Principal,
    users: dict[str, User],
    title: str,
    diagnosis: str,
    axes: tuple[tuple[str, str, tuple[DemoObjective, ...]], ...],
) -> tuple[uuid.UUID, list[tuple[uuid.UUID, DemoAction]], list[tuple[uuid.UUID, str]]]:
    """The project, its axes, objectives, actions and indicators; the actions with their demo
    follow-up, and the indicators measured at mid-year."""
    year = await current_school_year(session)
    project = await projects.create_project(
        session, school, ProjectIn(title=title, diagnosis=diagnosis)
    )
    written = []
    measured = []
    for axis_title, axis_description, objectives in axes:
        axis = await plan.add(
            session,
            school,
            project.id,
            plan.AXES,
            None,
            AxisIn(title=axis_title, description=axis_description),
        )
        for demo in objectives:
            objective = await plan.add(
                session, school, project.id, plan.OBJECTIVES, axis.id, ObjectiveIn(title=demo.title)
            )
            for action in demo.actions:
                owner = users.get(action.owner)
                new = ActionIn(
                    title=action.title,
                    owner_user_id=owner.id if owner else None,
                    owner_label=None if owner else action.owner,
                    starts_on=_month(year, action.months[0]),
                    ends_on=_end_of(year, action.months[1]),
                    budget=Decimal(action.budget),
                )
                out = await plan.add(session, school, project.id, plan.ACTIONS, objective.id, new)
                written.append((out.id, action))
            if demo.indicator is not None:
                name, unit, baseline, target = demo.indicator
                indicator = IndicatorIn(
                    name=name, unit=unit, baseline=Decimal(baseline), target=Decimal(target)
                )
                added = await plan.add(
                    session, school, project.id, plan.INDICATORS, objective.id, indicator
                )
                if demo.measured is not None:
                    measured.append((added.id, demo.measured))
    return project.id, written, measured


async def seed_school_projects(session: AsyncSession, users: dict[str, User]) -> None:
    """Ibn Rochd's approved PEI with its follow-up under way, and Al Wahda's draft."""
    year = await current_school_year(session)
    people = dict(users)
    wahda_teacher = await session.scalar(select(User).where(User.username == WAHDA_TEACHER))
    if wahda_teacher is not None:
        people[WAHDA_TEACHER] = wahda_teacher
    director = Principal.acting_as(users["director.demo@taalim.ma"])
    project_id, actions, measured = await _write_plan(
        session,
        director,
        people,
        f"Projet d'établissement intégré {year}-{year + 1} : réussir au collège",
        "Taux de redoublement de 17,5 % en 1AC, abandon en hausse chez les filles du milieu "
        "rural, vie scolaire peu animée. Points forts : équipe stable, parents mobilisés.",
        IBN_ROCHD_AXES,
    )
    await projects.submit(session, director, project_id, "Projet validé par le conseil de gestion.")
    province = Principal.acting_as(users["province.demo@men.gov.ma"])
    await steering_projects.decide(
        session, province, project_id, "approve", "Projet cohérent avec le diagnostic."
    )
    for action_id, action in actions:
        if action.progress:
            status = ActionStatus.DONE if action.progress == 100 else ActionStatus.IN_PROGRESS
            await plan.update(
                session,
                director,
                project_id,
                plan.ACTIONS,
                action_id,
                ActionPatch(status=status, progress=action.progress),
            )
    for indicator_id, value in measured:
        await plan.update(
            session,
            director,
            project_id,
            plan.INDICATORS,
            indicator_id,
            IndicatorPatch(actual=Decimal(value)),
        )
    other = Principal.acting_as(users["director.other@taalim.ma"])
    await _write_plan(
        session,
        other,
        people,
        f"Projet d'établissement intégré {year}-{year + 1}",
        "Premier diagnostic en cours : lecture en 2AP, absentéisme en hiver.",
        AL_WAHDA_AXES,
    )

"""A few records for each back-office module, spread over the tree: school projects,
equipment requests, sport associations and websites in some schools; trainings and
partnerships of the academies; diagnostic tests of the directorates."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, time

from app.demo.calendar import first_day
from app.demo.synthetic.copying import Row, Table
from app.demo.synthetic.ids import id_space
from app.demo.synthetic.people import People
from app.demo.synthetic.shape import SchoolPlan
from app.modules.partnerships.partners import name_key

# One school in N has each kind of record.
PROJECT_EVERY, EQUIPMENT_EVERY, SPORT_EVERY, SITE_EVERY = 5, 7, 4, 3
AGREEMENT_SCHOOLS = 3  # schools of the academy an agreement names


_KINDS = (
    "project",
    "training",
    "equipment",
    "line",
    "diagnostic",
    "partner",
    "agreement",
    "association",
    "site",
)


class BackOffice:
    def __init__(self, people: People) -> None:
        self.people = people
        self.year = people.plan.year
        self.ids = {kind: id_space(people.plan.seed, kind) for kind in _KINDS}
        self.academies = sorted(
            {(d.academy_code, d.academy_id) for d in people.reference.directorates}
        )
        self.opened = datetime.combine(date(self.year, 10, 1), time(9), tzinfo=UTC)

    def _every(self, n: int) -> Iterator[SchoolPlan]:
        return (s for s in self.people.plan.schools if s.number % n == 0)

    def _director(self, school: SchoolPlan) -> uuid.UUID:
        return self.people.ids.director(school.number)

    def tables(self) -> list[Table]:
        return [
            Table(
                "school_projects",
                ("id", "school_id", "school_year", "status", "title", "created_by", "submitted_at"),
                self._projects(),
            ),
            Table(
                "training_programmes",
                ("id", "theme", "audience", "created_by", "owner_level", "academy_id"),
                self._trainings(),
            ),
            Table(
                "equipment_requests",
                ("id", "school_id", "status", "note", "submitted_by"),
                self._equipment_requests(),
            ),
            Table(
                "equipment_request_lines",
                ("id", "school_id", "request_id", "item_id", "quantity"),
                self._equipment_lines(),
            ),
            Table(
                "diagnostic_tests",
                (
                    "id",
                    "school_year",
                    "level_code",
                    "subject_id",
                    "kind",
                    "title",
                    "mastery_threshold",
                    "created_by",
                    "owner_level",
                    "province_id",
                    "academy_id",
                ),
                self._diagnostics(),
            ),
            Table(
                "partners",
                ("id", "kind", "name", "name_key", "created_by", "owner_level", "academy_id"),
                self._partners(),
            ),
            Table(
                "partnership_agreements",
                (
                    "id",
                    "partner_id",
                    "title",
                    "domain",
                    "start_date",
                    "end_date",
                    "status",
                    "signed_on",
                    "created_by",
                    "owner_level",
                    "academy_id",
                ),
                self._agreements(),
            ),
            Table(
                "partnership_agreement_schools",
                ("agreement_id", "school_id"),
                self._agreement_schools(),
            ),
            Table(
                "sport_associations",
                ("id", "school_id", "name", "president_id", "founded_on"),
                self._associations(),
            ),
            Table(
                "school_sites",
                ("id", "school_id", "state", "presentation_fr", "published_at"),
                self._sites(),
            ),
        ]

    def _projects(self) -> Iterator[Row]:
        for s in self._every(PROJECT_EVERY):
            title = f"Projet d'établissement {self.year}-{self.year + 1}"
            yield (
                self.ids["project"](s.number),
                s.id,
                self.year,
                "submitted",
                title,
                self._director(s),
                self.opened,
            )

    def _trainings(self) -> Iterator[Row]:
        for number, (_, academy_id) in enumerate(self.academies):
            staff = self.people.ids.academy_staff(number)
            theme = "Évaluation formative en classe"
            yield (self.ids["training"](number), theme, "teachers", staff, "academy", academy_id)

    def _equipment_requests(self) -> Iterator[Row]:
        for s in self._every(EQUIPMENT_EVERY):
            note = "Renouvellement du matériel de la salle informatique"
            yield (self.ids["equipment"](s.number), s.id, "submitted", note, self._director(s))

    def _equipment_lines(self) -> Iterator[Row]:
        items = self.people.reference.equipment_items
        for s in self._every(EQUIPMENT_EVERY):
            for line in range(min(2, len(items))):
                item = items[(s.number + line) % len(items)]
                number = s.number * 2 + line
                request = self.ids["equipment"](s.number)
                yield (self.ids["line"](number), s.id, request, item, 1 + s.number % 10)

    def _diagnostics(self) -> Iterator[Row]:
        maths = self.people.reference.subject_ids["MATH"]
        for number, d in enumerate(self.people.reference.directorates):
            yield (
                self.ids["diagnostic"](number),
                self.year,
                "1AC",
                maths,
                "diagnostic",
                "Test diagnostique de rentrée",
                60,
                self.people.ids.province_staff(number),
                "province",
                d.id,
                d.academy_id,
            )

    def _partners(self) -> Iterator[Row]:
        for number, (code, academy_id) in enumerate(self.academies):
            name = f"Association Tadamon {code}"
            staff = self.people.ids.academy_staff(number)
            yield (
                self.ids["partner"](number),
                "ngo",
                name,
                name_key(name),
                staff,
                "academy",
                academy_id,
            )

    def _agreements(self) -> Iterator[Row]:
        start = first_day(self.year)
        for number, (_, academy_id) in enumerate(self.academies):
            yield (
                self.ids["agreement"](number),
                self.ids["partner"](number),
                "Soutien scolaire et transport des élèves",
                "social_support",
                start,
                date(self.year + 3, 6, 30),
                "active",
                start,
                self.people.ids.academy_staff(number),
                "academy",
                academy_id,
            )

    def _agreement_schools(self) -> Iterator[Row]:
        for number, (_, academy_id) in enumerate(self.academies):
            schools = [
                s for s in self.people.plan.schools if s.directorate.academy_id == academy_id
            ]
            for s in schools[:AGREEMENT_SCHOOLS]:
                yield (self.ids["agreement"](number), s.id)

    def _associations(self) -> Iterator[Row]:
        for s in self._every(SPORT_EVERY):
            name = f"Association sportive scolaire {s.code}"
            founded = date(self.year - 5, 10, 1)
            yield (self.ids["association"](s.number), s.id, name, self._director(s), founded)

    def _sites(self) -> Iterator[Row]:
        for s in self._every(SITE_EVERY):
            text = "Bienvenue sur le site de notre établissement."
            yield (self.ids["site"](s.number), s.id, "published", text, self.opened)

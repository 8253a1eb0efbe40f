"""The marking rules of DOMAIN.md as pure functions: subject, semester and annual averages, the
collège certificate and the baccalaureate. Every result is rounded to 2 decimals, half up.

Semester averages are computed from the *rounded* subject averages, the figures the pupil and
the report card show, so anyone can check the arithmetic by hand.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def round_mark(value: Decimal) -> Decimal:
    """Two decimals, half up (12.345 → 12.35), as on Massar's report cards."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def subject_average(marks: Sequence[Decimal | None]) -> Decimal | None:
    """Mean of the marks present; tests the pupil missed (None) are left out; None if no mark."""
    present = [m for m in marks if m is not None]
    if not present:
        return None
    return round_mark(sum(present, Decimal(0)) / len(present))


def components_average(parts: Sequence[Decimal | None]) -> Decimal | None:
    """A primary subject marked by components: the mean of its components' (rounded)
    averages, each weighing the same whatever its number of tests; a component without a mark
    yet is left out. Tests on the whole subject, if any, count as one more part."""
    return subject_average(parts)


def parts_average(
    whole: Sequence[Decimal | None], components: Sequence[Sequence[Decimal | None]]
) -> Decimal | None:
    """A subject's average from its marks: those of tests on the whole subject, and those of
    each component's tests. Without components, the mean of the marks; with them, the mean of
    the (rounded) component averages, the whole subject's tests counting as one more part."""
    own = subject_average(whole)
    if not components:
        return own
    return components_average([own, *(subject_average(c) for c in components)])


@dataclass(frozen=True, slots=True)
class WeightedSubject:
    code: str
    average: Decimal | None
    coefficient: Decimal


@dataclass(frozen=True, slots=True)
class SemesterAverage:
    value: Decimal | None
    # Subjects left out because they have no average yet: the answer says so.
    left_out: tuple[str, ...]


def semester_average(subjects: Sequence[WeightedSubject]) -> SemesterAverage:
    """Subject averages weighted by their coefficients; subjects without an average left out."""
    counted = [s for s in subjects if s.average is not None]
    left_out = tuple(s.code for s in subjects if s.average is None)
    weight = sum((s.coefficient for s in counted), Decimal(0))
    if not counted or weight == 0:
        return SemesterAverage(None, left_out)
    total = sum((s.average * s.coefficient for s in counted if s.average is not None), Decimal(0))
    return SemesterAverage(round_mark(total / weight), left_out)


def annual_average(first: Decimal | None, second: Decimal | None) -> Decimal | None:
    """The year's average: the mean of the two semesters (one alone counts if the other is
    missing). Every level of the public system uses this rule for continuous assessment."""
    present = [s for s in (first, second) if s is not None]
    if not present:
        return None
    return round_mark(sum(present, Decimal(0)) / len(present))


def college_certificate(regional: Decimal, local: Decimal, continuous: Decimal) -> Decimal:
    """The 3AC certificate: (4 × regional exam + 3 × local exam + 3 × continuous) / 10."""
    return round_mark((4 * regional + 3 * local + 3 * continuous) / 10)


def baccalaureate(continuous: Decimal, regional: Decimal, national: Decimal) -> Decimal:
    """The bac: 25 % continuous assessment + 25 % regional exam (1BAC) + 50 % national (2BAC)."""
    return round_mark(
        Decimal("0.25") * continuous + Decimal("0.25") * regional + Decimal("0.5") * national
    )


def independent_baccalaureate(regional: Decimal, national: Decimal) -> Decimal:
    """The bac of an independent candidate (candidat libre), who has no continuous assessment:
    25 % regional exam + 75 % national exam. The ministry's bac rule for candidats libres, as
    the CNEE's candidate guide (دليل المترشحة والمترشح، امتحانات نيل شهادة البكالوريا) states
    it; docs/architecture.md, "Exams"."""
    return round_mark(Decimal("0.25") * regional + Decimal("0.75") * national)


# The primary certificate's weights: continuous assessment, the school's unified exam, the
# directorate's provincial exam (docs/architecture.md, "Exams", gives the source).
PRIMARY_WEIGHTS = (Decimal("0.5"), Decimal("0.25"), Decimal("0.25"))


def primary_certificate(continuous: Decimal, local: Decimal, provincial: Decimal) -> Decimal:
    """The 6AP certificate, out of 10: 50 % continuous + 25 % local exam + 25 % provincial."""
    weights = PRIMARY_WEIGHTS
    return round_mark(weights[0] * continuous + weights[1] * local + weights[2] * provincial)

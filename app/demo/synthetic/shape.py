"""The national shape of a synthetic load, planned in memory before any row is written: schools
spread over the academies and directorates, their classes and the teachers who take them.

Only the structure lives in memory (a few objects per class); pupils, marks and roll calls are
computed from it, row by row, as they are copied."""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from app.demo.synthetic.ids import id_space, stream
from app.organisation.models import Area, Cycle, Sector

# Share of the country's pupils by academy (2024-25 orders of magnitude): schools are drawn in
# these proportions, so the big academies have the most schools, as they do.
ACADEMY_WEIGHTS = {
    "CS": 19.0,
    "MS": 13.5,
    "RSK": 13.0,
    "FM": 12.5,
    "TTA": 10.5,
    "SM": 8.0,
    "BMK": 7.0,
    "OR": 6.5,
    "DT": 5.0,
    "GON": 1.5,
    "LSH": 1.2,
    "DOD": 0.5,
}


@dataclass(frozen=True, slots=True)
class SchoolKind:
    """A kind of school: its cycles, sector, share of all schools, its size relative to a
    public primary school, and how often it is rural."""

    cycles: tuple[Cycle, ...]
    sector: Sector
    share: float
    size: float
    rural: float


# About two thirds of schools are primary; private groups often span several cycles. Sizes
# give roughly 55 % of pupils in primary, 27 % in collège, 18 % in lycée.
SCHOOL_KINDS = (
    SchoolKind((Cycle.PRIMARY,), Sector.PUBLIC, 0.55, 1.0, 0.6),
    SchoolKind((Cycle.COLLEGE,), Sector.PUBLIC, 0.14, 2.2, 0.3),
    SchoolKind((Cycle.LYCEE,), Sector.PUBLIC, 0.10, 2.4, 0.15),
    SchoolKind((Cycle.PRIMARY,), Sector.PRIVATE, 0.09, 0.7, 0.05),
    SchoolKind((Cycle.PRIMARY, Cycle.COLLEGE), Sector.PRIVATE, 0.07, 1.0, 0.05),
    SchoolKind((Cycle.PRIMARY, Cycle.COLLEGE, Cycle.LYCEE), Sector.PRIVATE, 0.05, 1.3, 0.0),
)
RURAL_SIZE = 0.45  # a rural school is smaller than its urban counterpart
CYCLE_WEIGHT = {Cycle.PRIMARY: 0.6, Cycle.COLLEGE: 0.25, Cycle.LYCEE: 0.15}
CLASS_MAX = 40  # classes of about 30 to 40 pupils, never more
PUPILS_PER_TEACHER = 27
# The lycée streams most pupils follow, with their weights.
STREAM_WEIGHTS = {
    "TC": {"S": 4.0, "SF": 2.0, "LSH": 3.0, "T": 1.0},
    "1BAC": {"SE": 4.0, "SEF": 2.0, "LSH": 3.0, "SM": 1.0},
    "2BAC": {"SVT": 2.0, "SP": 2.0, "SPF": 1.0, "LET": 1.5, "SH": 1.5, "SMA": 0.5, "SEC": 0.5},
}


@dataclass(frozen=True, slots=True)
class Directorate:
    id: uuid.UUID
    code: str
    name_fr: str
    name_ar: str
    academy_id: uuid.UUID
    academy_code: str


@dataclass(frozen=True, slots=True)
class LevelRef:
    code: str
    cycle: Cycle
    rank: int


@dataclass(frozen=True, slots=True)
class Reference:
    """What migrations put in every database and the shape is drawn from."""

    directorates: Sequence[Directorate]
    levels: Sequence[LevelRef]
    streams: dict[str, dict[str, uuid.UUID]]  # level -> stream code -> id
    subjects: dict[tuple[str, uuid.UUID | None], tuple[uuid.UUID, ...]]  # (level, stream)
    subject_codes: dict[uuid.UUID, str]
    equipment_items: Sequence[uuid.UUID]

    @property
    def subject_ids(self) -> dict[str, uuid.UUID]:
        return {code: subject_id for subject_id, code in self.subject_codes.items()}


@dataclass(frozen=True, slots=True)
class Lesson:
    """A subject of a class and the teacher (global number) assigned to it."""

    subject_id: uuid.UUID
    teacher: int


@dataclass(slots=True)
class ClassPlan:
    number: int
    id: uuid.UUID
    school: SchoolPlan
    level: LevelRef
    stream_id: uuid.UUID | None
    name: str
    first_pupil: int
    size: int
    first_assignment: int = 0
    lessons: list[Lesson] = field(default_factory=list)

    def pupils(self) -> range:
        return range(self.first_pupil, self.first_pupil + self.size)


@dataclass(slots=True)
class SchoolPlan:
    number: int
    id: uuid.UUID
    code: str
    directorate: Directorate
    kind: SchoolKind
    area: Area
    pupils: int
    classes: list[ClassPlan] = field(default_factory=list)
    first_teacher: int = 0
    teachers: int = 0

    def teacher_numbers(self) -> range:
        return range(self.first_teacher, self.first_teacher + self.teachers)


@dataclass(frozen=True, slots=True)
class Plan:
    seed: int
    year: int
    schools: list[SchoolPlan]

    def classes(self) -> Iterator[ClassPlan]:
        for school in self.schools:
            yield from school.classes

    @property
    def pupil_count(self) -> int:
        return sum(s.pupils for s in self.schools)

    @property
    def teacher_count(self) -> int:
        return sum(s.teachers for s in self.schools)


def plan_country(reference: Reference, seed: int, year: int, schools: int, pupils: int) -> Plan:
    """Schools over the tree, pupils over the schools, classes and teachers in each school."""
    rng = stream(seed, "shape")
    school_id = id_space(seed, "school")
    places = _directorates_for(reference.directorates, schools, rng)
    plans = []
    for number, directorate in enumerate(places):
        kind = rng.choices(SCHOOL_KINDS, weights=[k.share for k in SCHOOL_KINDS])[0]
        area = Area.RURAL if rng.random() < kind.rural else Area.URBAN
        code = f"{number + 100001:06d}{_CYCLE_LETTER[kind.cycles[-1]]}"
        plans.append(SchoolPlan(number, school_id(number), code, directorate, kind, area, 0))
    _share_pupils(plans, pupils, rng)
    _plan_classes(plans, reference, seed, rng)
    _plan_teachers(plans, reference)
    return Plan(seed, year, plans)


_CYCLE_LETTER = {Cycle.PRIMARY: "P", Cycle.COLLEGE: "C", Cycle.LYCEE: "L"}


def _directorates_for(
    directorates: Sequence[Directorate], schools: int, rng: random.Random
) -> list[Directorate]:
    """Every directorate gets a school once there are enough of them; the rest follow the
    academies' weights."""
    if schools >= len(directorates):
        chosen = list(directorates)
        schools -= len(directorates)
    else:
        chosen = []
    weights = [ACADEMY_WEIGHTS.get(d.academy_code, 1.0) for d in directorates]
    chosen += rng.choices(directorates, weights=weights, k=schools)
    return chosen


def _share_pupils(plans: list[SchoolPlan], pupils: int, rng: random.Random) -> None:
    """Each school's pupils in proportion to its size, at least one each, summing to `pupils`."""
    sizes = [
        p.kind.size * (RURAL_SIZE if p.area is Area.RURAL else 1.0) * rng.uniform(0.6, 1.4)
        for p in plans
    ]
    spare = pupils - len(plans)
    total = sum(sizes)
    shares = [int(spare * s / total) for s in sizes]
    for index in range(spare - sum(shares)):
        shares[index % len(plans)] += 1
    for plan, share in zip(plans, shares, strict=True):
        plan.pupils = 1 + share


def _plan_classes(
    plans: list[SchoolPlan], reference: Reference, seed: int, rng: random.Random
) -> None:
    class_id = id_space(seed, "class")
    numbers = iter(range(10**12))
    first_pupil = 0
    for plan in plans:
        for level, count in _pupils_by_level(plan, reference.levels, rng):
            for stream_code, name, size in _split_level(level, count, reference, rng):
                number = next(numbers)
                stream_id = reference.streams[level.code][stream_code] if stream_code else None
                plan.classes.append(
                    ClassPlan(
                        number, class_id(number), plan, level, stream_id, name, first_pupil, size
                    )
                )
                first_pupil += size


def _pupils_by_level(
    plan: SchoolPlan, levels: Sequence[LevelRef], rng: random.Random
) -> list[tuple[LevelRef, int]]:
    mine = [level for level in levels if level.cycle in plan.kind.cycles]
    weights = [CYCLE_WEIGHT[level.cycle] * rng.uniform(0.85, 1.15) for level in mine]
    total = sum(weights)
    counts = [int(plan.pupils * w / total) for w in weights]
    for index in range(plan.pupils - sum(counts)):
        counts[index % len(mine)] += 1
    return [(level, count) for level, count in zip(mine, counts, strict=True) if count]


def _split_level(
    level: LevelRef, count: int, reference: Reference, rng: random.Random
) -> list[tuple[str | None, str, int]]:
    """A level's pupils in classes of at most 40: (stream code, class name, size)."""
    classes = max(1, -(-count // CLASS_MAX))
    sizes = [count // classes + (1 if i < count % classes else 0) for i in range(classes)]
    known = reference.streams.get(level.code, {})
    weights = {c: w for c, w in STREAM_WEIGHTS.get(level.code, {}).items() if c in known}
    if not known:
        return [(None, f"{level.code}-{i + 1}", size) for i, size in enumerate(sizes)]
    if not weights:
        weights = dict.fromkeys(known, 1.0)
    drawn = rng.choices(list(weights), weights=list(weights.values()), k=classes)
    seen: dict[str, int] = {}
    named: list[tuple[str | None, str, int]] = []
    for code, size in zip(sorted(drawn), sizes, strict=True):
        seen[code] = seen.get(code, 0) + 1
        named.append((code, f"{level.code}{code}-{seen[code]}", size))
    return named


def _plan_teachers(plans: list[SchoolPlan], reference: Reference) -> None:
    """About one teacher per 27 pupils, each taking a run of the school's (class, subject)
    pairs: in primary a class's subjects together (French apart, as schools do), in collège
    and lycée one subject across classes."""
    next_teacher = 0
    next_assignment = 0
    for plan in plans:
        pairs = [
            (_pair_order(c, subject, reference), c, subject)
            for c in plan.classes
            for subject in _subjects_of(c, reference)
        ]
        pairs.sort(key=lambda p: p[0])
        plan.teachers = max(1, min(len(pairs), round(plan.pupils / PUPILS_PER_TEACHER)))
        plan.first_teacher = next_teacher
        for index, (_, school_class, subject) in enumerate(pairs):
            teacher = next_teacher + index * plan.teachers // len(pairs)
            school_class.lessons.append(Lesson(subject, teacher))
        next_teacher += plan.teachers
        for school_class in plan.classes:
            school_class.first_assignment = next_assignment
            next_assignment += len(school_class.lessons)


def _subjects_of(school_class: ClassPlan, reference: Reference) -> tuple[uuid.UUID, ...]:
    return reference.subjects.get((school_class.level.code, school_class.stream_id), ())


def _pair_order(
    school_class: ClassPlan, subject: uuid.UUID, reference: Reference
) -> tuple[int, str, int]:
    code = reference.subject_codes[subject]
    if school_class.level.cycle is Cycle.PRIMARY:
        return (0, "FR" if code == "FR" else "", school_class.number)
    return (1, code, school_class.number)

"""What an API client may read: Massar's scopes, and the OneRoster 1.2 scope URIs that grant
them. Each scope names the fields of minors it opens (docs/oneroster.md has the table)."""

from __future__ import annotations

from enum import StrEnum


class ApiScope(StrEnum):
    # Names, Massar code, level and enrolments of pupils; the tree, classes and teachers.
    ROSTER_READ = "roster.read"
    # Birth date, sex and birthplace of pupils: personal data beyond the roster, never implied.
    ROSTER_DEMOGRAPHICS = "roster.demographics"
    # Published marks and their tests.
    RESULTS_READ = "results.read"
    # Absences and lateness: the pupil's id and Massar code, the lesson's date, start and
    # subject, the status and the justification's state; never names or the teacher's note.
    ATTENDANCE_READ = "attendance.read"
    # A document's check by its code, within the unit: the public answer and the pupil's
    # Massar code (a portal matches the paper to its applicant), nothing else of the pupil.
    DOCUMENTS_VERIFY = "documents.verify"


ONEROSTER_SCOPE_BASE = "https://purl.imsglobal.org/spec/or/v1p2/scope/"

# The OneRoster 1.2 scopes, by their URI's last segment, and the Massar scopes each needs.
ONEROSTER_SCOPES: dict[str, frozenset[ApiScope]] = {
    "roster-core.readonly": frozenset({ApiScope.ROSTER_READ}),
    "roster-demographics.readonly": frozenset({ApiScope.ROSTER_DEMOGRAPHICS}),
    "roster.readonly": frozenset({ApiScope.ROSTER_READ, ApiScope.ROSTER_DEMOGRAPHICS}),
    "gradebook.readonly": frozenset({ApiScope.RESULTS_READ}),
}


def scopes_named(name: str) -> frozenset[ApiScope] | None:
    """The Massar scopes a requested scope stands for: a short name, a OneRoster URI or its
    last segment; None when it names nothing known."""
    if name in ApiScope._value2member_map_:
        return frozenset({ApiScope(name)})
    return ONEROSTER_SCOPES.get(name.removeprefix(ONEROSTER_SCOPE_BASE))

"""The standard's shapes, for the contract. Every field may be left out when the client names
the ones it wants (`fields`), so none is required here; without `fields`, every field below
is present (null where Massar has no value).

The names are the standard's own, in its camelCase.
"""

# ruff: noqa: N815

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Status = Literal["active", "tobedeleted"]


class OneRosterShape(BaseModel):
    model_config = ConfigDict(extra="allow")

    sourcedId: str | None = None
    status: Status | None = None
    dateLastModified: str | None = Field(
        default=None, description="ISO 8601, UTC.", examples=["2026-12-06T13:20:00.000Z"]
    )


class GUIDRef(BaseModel):
    href: str
    sourcedId: str
    type: Literal["academicSession", "category", "class", "course", "lineItem", "org", "user"]


class OneRosterOrg(OneRosterShape):
    name: str | None = None
    type: Literal["national", "state", "district", "school"] | None = None
    identifier: str | None = None
    parent: GUIDRef | None = None
    children: list[GUIDRef] | None = None


class OneRosterAcademicSession(OneRosterShape):
    title: str | None = None
    type: Literal["schoolYear", "semester"] | None = None
    startDate: str | None = None
    endDate: str | None = None
    parent: GUIDRef | None = None
    schoolYear: str | None = None


class OneRosterCourse(OneRosterShape):
    title: str | None = None
    courseCode: str | None = None
    schoolYear: GUIDRef | None = None
    grades: list[str] | None = None
    subjects: list[str] | None = None
    subjectCodes: list[str] | None = None
    org: GUIDRef | None = None


class OneRosterClass(OneRosterShape):
    title: str | None = None
    classCode: str | None = None
    classType: Literal["homeroom", "scheduled"] | None = None
    course: GUIDRef | None = None
    school: GUIDRef | None = None
    terms: list[GUIDRef] | None = None
    grades: list[str] | None = None
    subjects: list[str] | None = None
    subjectCodes: list[str] | None = None


class OneRosterRole(BaseModel):
    roleType: Literal["primary", "secondary"]
    role: Literal["student", "teacher"]
    org: GUIDRef


class OneRosterUserId(BaseModel):
    type: str
    identifier: str


class OneRosterDemographics(BaseModel):
    """A pupil's data beyond the roster: only with `roster.demographics`."""

    birthDate: str | None = None
    sex: Literal["male", "female"] | None = None
    birthPlace: str | None = None


class OneRosterUser(OneRosterShape):
    enabledUser: Literal["true", "false"] | None = None
    username: str | None = None
    givenName: str | None = None
    familyName: str | None = None
    roles: list[OneRosterRole] | None = None
    identifier: str | None = None
    email: str | None = None
    grades: list[str] | None = None
    userIds: list[OneRosterUserId] | None = None
    metadata: OneRosterDemographics | None = None


class OneRosterEnrollment(OneRosterShape):
    user: GUIDRef | None = None
    class_: GUIDRef | None = Field(default=None, alias="class")
    school: GUIDRef | None = None
    role: Literal["student", "teacher"] | None = None
    primary: Literal["true", "false"] | None = None
    beginDate: str | None = None
    endDate: str | None = None


class OneRosterCategory(OneRosterShape):
    title: str | None = None


class OneRosterLineItem(OneRosterShape):
    title: str | None = None
    description: str | None = None
    assignDate: str | None = None
    dueDate: str | None = None
    class_: GUIDRef | None = Field(default=None, alias="class")
    school: GUIDRef | None = None
    category: GUIDRef | None = None
    gradingPeriod: GUIDRef | None = None
    resultValueMin: float | None = None
    resultValueMax: float | None = None


class OneRosterResult(OneRosterShape):
    lineItem: GUIDRef | None = None
    student: GUIDRef | None = None
    class_: GUIDRef | None = Field(default=None, alias="class")
    scoreStatus: (
        Literal["exempt", "fully graded", "not submitted", "partially graded", "submitted"] | None
    ) = None
    score: float | None = None
    scoreDate: str | None = None


class ImsxCodeMinorField(BaseModel):
    imsx_codeMinorFieldName: str
    imsx_codeMinorFieldValue: Literal[
        "invalid_filter_field", "invalid_selection_field", "invalid_sort_field", "invaliddata"
    ]


class ImsxCodeMinor(BaseModel):
    imsx_codeMinorField: list[ImsxCodeMinorField]


class ImsxStatusProblem(BaseModel):
    """A problem (RFC 9457) that carries the standard's status payload too."""

    type: str
    title: str
    status: int
    detail: str
    imsx_codeMajor: Literal["failure"]
    imsx_severity: Literal["error"]
    imsx_description: str
    imsx_CodeMinor: ImsxCodeMinor

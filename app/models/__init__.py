"""Every ORM table, imported here so that `Base.metadata` knows them all."""

from app.models.academics import (
    CurriculumUnit,
    Level,
    SchoolYear,
    Semester,
    Stream,
    Subject,
    SubjectCoefficient,
)
from app.models.accounts import AuthSession, GuardianLink, RefreshToken, User
from app.models.assessment import ClassTest, Mark
from app.models.attendance import AttendanceMark, AttendanceSheet
from app.models.classes import (
    Enrolment,
    Pupil,
    SchoolClass,
    TeacherProfile,
    TeachingAssignment,
    TimetableSlot,
)
from app.models.lessons import Lesson
from app.models.organisation import Academy, Province, School
from app.models.sync import SyncOperation

__all__ = [
    "Academy",
    "AttendanceMark",
    "AttendanceSheet",
    "AuthSession",
    "ClassTest",
    "CurriculumUnit",
    "Enrolment",
    "GuardianLink",
    "Lesson",
    "Level",
    "Mark",
    "Province",
    "Pupil",
    "RefreshToken",
    "School",
    "SchoolClass",
    "SchoolYear",
    "Semester",
    "Stream",
    "Subject",
    "SubjectCoefficient",
    "SyncOperation",
    "TeacherProfile",
    "TeachingAssignment",
    "TimetableSlot",
    "User",
]

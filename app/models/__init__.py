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
from app.models.announcements import Announcement
from app.models.assessment import ClassTest, Mark, MarkCorrection
from app.models.attendance import AttendanceMark, AttendanceSheet
from app.models.audit import AuditEntry
from app.models.classes import (
    Enrolment,
    Pupil,
    SchoolClass,
    TeacherProfile,
    TeachingAssignment,
    TimetableSlot,
)
from app.models.exams import ExamResult, ExamSession, ExamSubjectResult
from app.models.family import AccountCode, LinkAttempt, LinkCode, PupilContact
from app.models.justifications import Justification, JustifiedAbsence
from app.models.lessons import Lesson
from app.models.messages import Message, MessageThread
from app.models.mfa import MfaChallenge, MfaCredential, MfaRecoveryCode
from app.models.notifications import (
    Device,
    Notification,
    NotificationPreference,
    PushMessage,
)
from app.models.organisation import Academy, Province, School
from app.models.sports import (
    SportAssociation,
    SportAssociationDiscipline,
    SportCompetition,
    SportDiscipline,
    SportEntry,
    SportFixture,
    SportLicence,
    SportLicenceDiscipline,
    SportTeam,
    SportTeamMember,
)
from app.models.sync import SyncOperation
from app.models.transfers import Transfer

__all__ = [
    "Academy",
    "AccountCode",
    "Announcement",
    "AttendanceMark",
    "AttendanceSheet",
    "AuditEntry",
    "AuthSession",
    "ClassTest",
    "CurriculumUnit",
    "Device",
    "Enrolment",
    "ExamResult",
    "ExamSession",
    "ExamSubjectResult",
    "GuardianLink",
    "Justification",
    "JustifiedAbsence",
    "Lesson",
    "Level",
    "LinkAttempt",
    "LinkCode",
    "Mark",
    "MarkCorrection",
    "Message",
    "MessageThread",
    "MfaChallenge",
    "MfaCredential",
    "MfaRecoveryCode",
    "Notification",
    "NotificationPreference",
    "Province",
    "Pupil",
    "PupilContact",
    "PushMessage",
    "RefreshToken",
    "School",
    "SchoolClass",
    "SchoolYear",
    "Semester",
    "SportAssociation",
    "SportAssociationDiscipline",
    "SportCompetition",
    "SportDiscipline",
    "SportEntry",
    "SportFixture",
    "SportLicence",
    "SportLicenceDiscipline",
    "SportTeam",
    "SportTeamMember",
    "Stream",
    "Subject",
    "SubjectCoefficient",
    "SyncOperation",
    "TeacherProfile",
    "TeachingAssignment",
    "TimetableSlot",
    "Transfer",
    "User",
]

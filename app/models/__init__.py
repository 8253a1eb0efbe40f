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
from app.models.diagnostics import (
    DiagnosticCompetency,
    DiagnosticResult,
    DiagnosticTest,
    RemedialAttendance,
    RemedialGroup,
    RemedialGroupMember,
    RemedialSession,
)
from app.models.equipment import (
    EquipmentCategory,
    EquipmentItem,
    EquipmentMovement,
    EquipmentRequest,
    EquipmentRequestLine,
    InventoryLine,
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
from app.models.partnerships import (
    Agreement,
    AgreementContribution,
    AgreementDocument,
    AgreementSchool,
    Partner,
)
from app.models.school_projects import (
    ProjectAction,
    ProjectAxis,
    ProjectIndicator,
    ProjectObjective,
    ProjectReview,
    SchoolProject,
)
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
from app.models.trainings import (
    TrainingAttendance,
    TrainingProgramme,
    TrainingRegistration,
    TrainingSession,
)
from app.models.transfers import Transfer
from app.models.websites import SchoolSite, SiteEvent, SiteImage, SiteNews

__all__ = [
    "Academy",
    "AccountCode",
    "Agreement",
    "AgreementContribution",
    "AgreementDocument",
    "AgreementSchool",
    "Announcement",
    "AttendanceMark",
    "AttendanceSheet",
    "AuditEntry",
    "AuthSession",
    "ClassTest",
    "CurriculumUnit",
    "Device",
    "DiagnosticCompetency",
    "DiagnosticResult",
    "DiagnosticTest",
    "Enrolment",
    "EquipmentCategory",
    "EquipmentItem",
    "EquipmentMovement",
    "EquipmentRequest",
    "EquipmentRequestLine",
    "ExamResult",
    "ExamSession",
    "ExamSubjectResult",
    "GuardianLink",
    "InventoryLine",
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
    "Partner",
    "ProjectAction",
    "ProjectAxis",
    "ProjectIndicator",
    "ProjectObjective",
    "ProjectReview",
    "Province",
    "Pupil",
    "PupilContact",
    "PushMessage",
    "RefreshToken",
    "RemedialAttendance",
    "RemedialGroup",
    "RemedialGroupMember",
    "RemedialSession",
    "School",
    "SchoolClass",
    "SchoolProject",
    "SchoolSite",
    "SchoolYear",
    "Semester",
    "SiteEvent",
    "SiteImage",
    "SiteNews",
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
    "TrainingAttendance",
    "TrainingProgramme",
    "TrainingRegistration",
    "TrainingSession",
    "Transfer",
    "User",
]

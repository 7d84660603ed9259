"""All models, imported here so that Alembic and the app see every table."""

from .api import ApiToken, Scope
from .checkin import CheckIn
from .early_signs import SignSeen
from .erasure import Erasure
from .events import CANCELLED, GOING, WAITING, Event, GuestEcho, Signup
from .followup import Meeting, MeetingPlace, MeetingWith, SupportPlan, TrialOutcome, TrialPeriod
from .help import HelpReason, HelpRequest
from .learn import LessonProgress
from .people import (
    STAFF_ROLES,
    AuditEntry,
    Device,
    Follows,
    Permission,
    PictureCode,
    Region,
    Role,
    SignInLink,
    SupportLink,
    User,
    Workplace,
)
from .reminders import FAILED, QUEUED, SENDING, SENT, SKIPPED, LeftHome, PushSubscription, Reminder
from .schedule import Notice, Shift, ShiftRule
from .second_factor import Passkey, RecoveryCode, TotpFactor
from .sessions import UserSession
from .site import SiteSettings
from .tasks import (
    FULL,
    MASTERED,
    SHORT,
    Assignment,
    Checklist,
    ChecklistStep,
    ChecklistVersion,
    MasteryClaim,
    Run,
    StepDone,
    StepSupport,
)

__all__ = [
    "SignSeen",
    "Meeting",
    "MeetingPlace",
    "MeetingWith",
    "SupportPlan",
    "TrialOutcome",
    "TrialPeriod",
    "Passkey",
    "RecoveryCode",
    "TotpFactor",
    "ApiToken",
    "GuestEcho",
    "Scope",
    "FULL",
    "MASTERED",
    "SHORT",
    "MasteryClaim",
    "StepSupport",
    "Assignment",
    "Checklist",
    "ChecklistStep",
    "ChecklistVersion",
    "Run",
    "StepDone",
    "CANCELLED",
    "GOING",
    "WAITING",
    "Erasure",
    "Event",
    "Signup",
    "STAFF_ROLES",
    "AuditEntry",
    "Device",
    "Follows",
    "HelpReason",
    "HelpRequest",
    "LessonProgress",
    "Permission",
    "CheckIn",
    "PictureCode",
    "Region",
    "Role",
    "SignInLink",
    "Notice",
    "FAILED",
    "QUEUED",
    "SENDING",
    "SENT",
    "SKIPPED",
    "LeftHome",
    "PushSubscription",
    "Reminder",
    "Shift",
    "ShiftRule",
    "SiteSettings",
    "SupportLink",
    "User",
    "UserSession",
    "Workplace",
]

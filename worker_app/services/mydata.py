"""Everything the app stores about one worker, for the worker to read and to take along
(GDPR articles 15 and 20): one query per kind of data, whatever the amount."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import inspect, or_, select
from sqlalchemy.orm import Session, aliased

from ..models import (
    Assignment,
    AuditEntry,
    CheckIn,
    Device,
    Erasure,
    HelpRequest,
    LeftHome,
    LessonProgress,
    MasteryClaim,
    Meeting,
    Notice,
    PushSubscription,
    Reminder,
    Run,
    Shift,
    ShiftRule,
    SignInLink,
    SignSeen,
    Signup,
    StepDone,
    StepSupport,
    SupportLink,
    SupportPlan,
    TrialPeriod,
    User,
)

# Secrets are never shown, not even to their owner: a hash is of no use to the worker, and a
# download can be lost.
HIDDEN = {"password_hash", "secret_hash", "previous_secret_hash", "token_hash", "code_hash",
          "guest_secret_hash",
          # a push subscription's address and keys let anyone send to the phone
          "endpoint", "endpoint_hash", "p256dh", "auth"}

# Audit actions that are someone reading the worker's data (the rest are changes, or the
# security events below, which the page says in words of their own).
READS = {"worker.view", "api.read", "caseload.view", "event.attendees", "event.export", "user.view",
         "shift.view", "followup.view", "checkin.view"}
SECURITY = {"picture_code.locked", "device.reuse", "person.sign_out"}


@dataclass(frozen=True)
class Section:
    key: str  # the name in the download
    model: type
    rows: list[dict]


def _kinds(worker_id: int):
    """(key, model, statement) for each kind of data about the worker, in the page's order."""

    def by(model, column):
        return select(model).where(column == worker_id).order_by(model.id)

    own = aliased(Assignment)
    runs = (select(Run).join(own, Run.assignment_id == own.id)
            .where(own.worker_id == worker_id).order_by(Run.id))
    steps_done = (select(StepDone).join(Run, StepDone.run_id == Run.id)
                  .join(own, Run.assignment_id == own.id)
                  .where(own.worker_id == worker_id).order_by(StepDone.id))
    return [
        ("shifts", Shift, by(Shift, Shift.worker_id)),
        ("shift_rules", ShiftRule, by(ShiftRule, ShiftRule.worker_id)),
        ("assignments", Assignment, by(Assignment, Assignment.worker_id)),
        ("runs", Run, runs),
        ("steps_done", StepDone, steps_done),
        ("support_levels", StepSupport, by(StepSupport, StepSupport.worker_id)),
        ("mastery_claims", MasteryClaim, by(MasteryClaim, MasteryClaim.worker_id)),
        ("lessons", LessonProgress, by(LessonProgress, LessonProgress.worker_id)),
        ("events", Signup, by(Signup, Signup.worker_id)),
        ("help_requests", HelpRequest, by(HelpRequest, HelpRequest.worker_id)),
        # What the specialist wrote when she saw an early sign: shown to the worker too.
        ("signs_seen", SignSeen, by(SignSeen, SignSeen.worker_id)),
        ("check_ins", CheckIn, by(CheckIn, CheckIn.worker_id)),  # "Hvordan har du det på jobb?"
        # The follow-up record: every meeting and note about the worker, shared or not.
        ("meetings", Meeting, by(Meeting, Meeting.worker_id)),
        ("support_plan", SupportPlan, select(SupportPlan).where(SupportPlan.worker_id == worker_id)),
        ("trial_periods", TrialPeriod, by(TrialPeriod, TrialPeriod.worker_id)),
        ("reminders", Reminder, by(Reminder, Reminder.worker_id)),
        ("left_home", LeftHome, by(LeftHome, LeftHome.worker_id)),
        ("push_subscriptions", PushSubscription, by(PushSubscription, PushSubscription.user_id)),
        ("notices", Notice, by(Notice, Notice.user_id)),
        ("support_links", SupportLink, by(SupportLink, SupportLink.worker_id)),
        ("devices", Device, by(Device, Device.user_id)),
        ("sign_in_links", SignInLink, by(SignInLink, SignInLink.user_id)),
        ("audit", AuditEntry, by(AuditEntry, AuditEntry.worker_id)),
        ("erasure_requests", Erasure, by(Erasure, Erasure.person_id)),
    ]


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def row(obj) -> dict:
    """A row as plain JSON values: every column but the secrets."""
    return {c.key: _plain(getattr(obj, c.key)) for c in inspect(obj).mapper.column_attrs
            if c.key not in HIDDEN}


def everything(session: Session, worker: User) -> list[Section]:
    sections = [Section("person", User, [row(worker)])]
    for key, model, statement in _kinds(worker.id):
        sections.append(Section(key, model, [row(obj) for obj in session.scalars(statement)]))
    return sections


def who_saw(session: Session, worker: User, limit: int = 30) -> list[tuple[AuditEntry, str | None, str]]:
    """The latest entries of the audit log about the worker by someone else, each with its kind:
    "read", "change", or the security event's action. The worker's own sign-ins are left out:
    the page answers who else saw or changed something."""
    entries = session.execute(
        select(AuditEntry, User.name).outerjoin(User, AuditEntry.actor_id == User.id)
        .where(AuditEntry.worker_id == worker.id,
               or_(AuditEntry.actor_id.is_(None), AuditEntry.actor_id != worker.id))
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit)
    ).all()
    # One visit is one line: the worker page logs the page and its follow-up record as two reads.
    shown: list[tuple[AuditEntry, str | None, str]] = []
    for entry, name in entries:
        kind = (entry.action if entry.action in SECURITY else
                "read" if entry.action in READS else "change")
        last = shown[-1] if shown else None
        if (last and last[2] == kind == "read" and last[0].actor_id == entry.actor_id
                and abs((last[0].at - entry.at).total_seconds()) < 60):
            continue
        shown.append((entry, name, kind))
    return shown

"""Erasing a person (GDPR article 17), and the worker's request for it.

What goes and what stays, decided here once (a test fails when a table or a column of `user`
is added that this module does not name):
- Deleted: everything that is about the person — their shifts and repeat rules, checklists
  given to them with every run and tick, support levels, "Jeg kan dette nå", lesson progress,
  event sign-ups (a place they held goes to the waiting list first), help requests (their
  reasons included), early signs marked as seen (with the notes on them), check-ins ("Hvordan
  har du det på jobb?"), reminders, "Jeg har gått", notices, push subscriptions, support links
  (both ways), whom they follow or are followed by, phones, sessions, sign-in links, the
  picture code and their API tokens.
- Made anonymous: the person's own row. Name "Slettet person", no e-mail, password, region,
  workplace or settings, and a random pseudonym ("ID-…") that never changes. The row stays
  so that what others still need points at one stable someone.
- Kept, pointing at "Slettet person": the audit log (the law asks us to show who read what;
  the person's name in an entry's text is replaced by the pseudonym, and entries by or about
  them are marked with it), checklists a specialist wrote (the workers who use them need the
  steps; the author shows as "Slettet person"), events an organizer made (others are signed up
  to them), and marks on other people's data such as "handled by" on another worker's help
  request. Photos belong to checklist steps and events, which stay; no photo is a person's own.
- The record that the erasure was done: an `Erasure` row (who, when, how many rows per kind).
"""

from __future__ import annotations

import secrets

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session, joinedload

from ..models import (
    GOING,
    WAITING,
    ApiToken,
    Assignment,
    AuditEntry,
    CheckIn,
    Device,
    Erasure,
    Event,
    Follows,
    HelpRequest,
    LeftHome,
    LessonProgress,
    MasteryClaim,
    Notice,
    PictureCode,
    PushSubscription,
    Reminder,
    Role,
    Run,
    Shift,
    ShiftRule,
    SignInLink,
    SignSeen,
    Signup,
    StepDone,
    StepSupport,
    SupportLink,
    User,
    UserSession,
)
from ..models.erasure import ANSWERED, ASKED, DONE
from ..models.followup import Meeting, SupportPlan, TrialPeriod
from ..models.second_factor import Passkey, RecoveryCode, TotpFactor
from ..models.types import utcnow
from . import events as events_service
from .audit import record
from .auth import sign_out_everywhere
from .errors import Invalid, NotFound
from .offboarding import support_person_left

ERASED_NAME = "Slettet person"
ANSWER_MAX = 1000

# Every column of `user`: what erasing sets it to, or KEEP (not personal, or needed to keep the
# row working as "Slettet person").
KEEP = object()
USER_COLUMNS = {
    "id": KEEP, "role": KEEP, "created_at": KEEP, "session_version": KEEP,
    "calendar_version": KEEP, "deactivated_at": KEEP, "erased_at": KEEP, "pseudonym": KEEP,
    "name": ERASED_NAME, "region_id": None, "workplace_id": None, "email": None,
    "password_hash": None, "active": False, "locale": "nb", "text_size": "normal",
    "read_aloud": True, "checklist_mode": "step", "ready_minutes": None, "travel_minutes": None,
    "reminders_off": "", "calendar_alarms": True, "escalate_minutes": 10, "region_organizer": False,
    "phone": None, "reminders_chosen": "", "reminders_suggested": "", "reminders_suggested_by_id": None,
    "checkins_to_specialist": None,
}

# Columns naming a person that stay after the erasure and then point at "Slettet person".
KEPT_REFERENCES = {
    "audit_entry.actor_id", "audit_entry.worker_id", "checklist.owner_id", "event.created_by_id",
    "erasure.person_id", "erasure.answered_by_id", "erasure.done_by_id",
    "support_link.proposed_by_id", "sign_in_link.created_by_id", "help_request.seen_by_id",
    "help_request.handled_by_id", "lesson_progress.recommended_by_id",
    "lesson_progress.together_by_id", "signup.signed_up_by_id", "shift_rule.created_by_id",
    "assignment.pushed_by_id", "step_done.done_by_id", "step_support.set_by_id",
    "mastery_claim.decided_by_id", "shift.external_owner_id",
    "meeting.by_id", "support_plan.updated_by_id", "trial_period.created_by_id",
    "sign_seen.seen_by_id",
}


def _deletions(person_id: int):
    """(kind, statement) in an order the foreign keys allow; every kind is counted."""
    assignments = select(Assignment.id).where(Assignment.worker_id == person_id)
    runs = select(Run.id).where(Run.assignment_id.in_(assignments))
    shifts = select(Shift.id).where(Shift.worker_id == person_id)
    helps = select(HelpRequest.id).where(HelpRequest.worker_id == person_id)
    return [
        ("reminders", delete(Reminder).where(or_(
            Reminder.user_id == person_id, Reminder.worker_id == person_id,
            Reminder.shift_id.in_(shifts), Reminder.assignment_id.in_(assignments),
            Reminder.help_request_id.in_(helps)))),
        ("notices", delete(Notice).where(or_(
            Notice.user_id == person_id, Notice.worker_id == person_id, Notice.shift_id.in_(shifts)))),
        ("left_home", delete(LeftHome).where(or_(LeftHome.worker_id == person_id,
                                                 LeftHome.shift_id.in_(shifts)))),
        # Before help requests: "Ring meg" points at the one it made.
        ("check_ins", delete(CheckIn).where(CheckIn.worker_id == person_id)),
        ("help_requests", delete(HelpRequest).where(HelpRequest.worker_id == person_id)),
        # An early sign marked as seen, and the specialist's note on it, are about the worker.
        ("signs_seen", delete(SignSeen).where(SignSeen.worker_id == person_id)),
        # The follow-up record is about the worker: meetings, the visit plan, trial periods.
        ("meetings", delete(Meeting).where(Meeting.worker_id == person_id)),
        ("support_plan", delete(SupportPlan).where(SupportPlan.worker_id == person_id)),
        ("trial_periods", delete(TrialPeriod).where(TrialPeriod.worker_id == person_id)),
        ("steps_done", delete(StepDone).where(StepDone.run_id.in_(runs))),
        ("runs", delete(Run).where(Run.assignment_id.in_(assignments))),
        ("assignments", delete(Assignment).where(Assignment.worker_id == person_id)),
        ("support_levels", delete(StepSupport).where(StepSupport.worker_id == person_id)),
        ("mastery_claims", delete(MasteryClaim).where(MasteryClaim.worker_id == person_id)),
        ("lessons", delete(LessonProgress).where(LessonProgress.worker_id == person_id)),
        ("events", delete(Signup).where(Signup.worker_id == person_id)),
        ("shifts", delete(Shift).where(Shift.worker_id == person_id)),
        ("shift_rules", delete(ShiftRule).where(ShiftRule.worker_id == person_id)),
        ("push_subscriptions", delete(PushSubscription).where(PushSubscription.user_id == person_id)),
        ("sessions", delete(UserSession).where(UserSession.user_id == person_id)),
        ("devices", delete(Device).where(Device.user_id == person_id)),
        ("sign_in_links", delete(SignInLink).where(SignInLink.user_id == person_id)),
        ("picture_code", delete(PictureCode).where(PictureCode.user_id == person_id)),
        ("api_tokens", delete(ApiToken).where(ApiToken.owner_id == person_id)),
        ("second_factors", delete(Passkey).where(Passkey.user_id == person_id)),
        ("code_apps", delete(TotpFactor).where(TotpFactor.user_id == person_id)),
        ("recovery_codes", delete(RecoveryCode).where(RecoveryCode.user_id == person_id)),
        ("support_links", delete(SupportLink).where(or_(
            SupportLink.worker_id == person_id, SupportLink.supporter_id == person_id))),
        ("follows", delete(Follows).where(or_(
            Follows.worker_id == person_id, Follows.specialist_id == person_id))),
    ]


# Columns the deletions above remove rows by: with KEPT_REFERENCES, every foreign key to user.id.
DELETED_BY = {
    "reminder.user_id", "reminder.worker_id", "notice.user_id", "notice.worker_id",
    "left_home.worker_id", "help_request.worker_id", "assignment.worker_id",
    "step_support.worker_id", "mastery_claim.worker_id", "lesson_progress.worker_id",
    "signup.worker_id", "shift.worker_id", "shift_rule.worker_id", "push_subscription.user_id",
    "user_session.user_id", "device.user_id", "sign_in_link.user_id", "picture_code.user_id",
    "api_token.owner_id", "support_link.worker_id", "support_link.supporter_id",
    "follows.worker_id", "follows.specialist_id", "meeting.worker_id", "support_plan.worker_id",
    "trial_period.worker_id", "sign_seen.worker_id", "check_in.worker_id", "passkey.user_id",
    "totp_factor.user_id", "recovery_code.user_id",
}


def check_can_erase(session: Session, actor: User, person: User) -> None:
    if person.erased_at is not None:
        raise NotFound()
    if person.id == actor.id:
        raise Invalid(_l("Du kan ikke slette deg selv."), field="confirm")
    if person.role == Role.SPECIALIST and session.scalar(
            select(func.count()).select_from(Follows).where(Follows.specialist_id == person.id)):
        # The workers would lose their specialist without anyone noticing.
        raise Invalid(_l("Gi arbeidstakerne til en annen jobb-spesialist først."), field="confirm")


def erase(session: Session, actor: User, person: User) -> Erasure:
    """Erase the person now (an admin has confirmed). Returns the record of it."""
    check_can_erase(session, actor, person)
    now = utcnow()
    sign_out_everywhere(session, person)
    # A place the person held on a coming event goes to the first on the waiting list.
    for signup in session.scalars(
            select(Signup).join(Event, Event.id == Signup.event_id)
            .where(Signup.worker_id == person.id, Signup.state.in_((GOING, WAITING)),
                   Event.starts_at > now, Event.cancelled_at.is_(None))).all():
        events_service.leave(session, signup.event_id, signup.id, None)
    support_person_left(session, actor, person)  # before the links go
    counts = {}
    for kind, statement in _deletions(person.id):
        counts[kind] = session.execute(statement).rowcount or 0
    old_name = person.name
    pseudonym = _new_pseudonym(session)
    counts["audit_entries_marked"] = _mark_audit(session, person.id, old_name, pseudonym)
    for column, value in USER_COLUMNS.items():
        if value is not KEEP:
            setattr(person, column, value)
    person.erased_at, person.pseudonym = now, pseudonym
    person.deactivated_at = person.deactivated_at or now
    row = session.scalar(select(Erasure).where(Erasure.person_id == person.id, Erasure.state == ASKED)
                         .order_by(Erasure.id.desc()).limit(1)) or Erasure(person_id=person.id)
    row.state, row.done_by_id, row.done_at = DONE, actor.id, now
    row.counts = {kind: n for kind, n in counts.items() if n}
    session.add(row)
    record(session, actor, "user.erase", person if person.role == Role.WORKER else None,
           f"{pseudonym}: " + ", ".join(f"{k} {n}" for k, n in row.counts.items()))
    session.flush()
    return row


def _new_pseudonym(session: Session) -> str:
    while True:
        pseudonym = "ID-" + secrets.token_hex(4).upper()
        if session.scalar(select(User.id).where(User.pseudonym == pseudonym)) is None:
            return pseudonym


def _mark_audit(session: Session, person_id: int, name: str, pseudonym: str) -> int:
    """The audit log stays, without the name: entries by or about the person get the
    pseudonym in front, and the name in any entry's text becomes the pseudonym."""
    if name:
        session.execute(update(AuditEntry).where(AuditEntry.detail.contains(name, autoescape=True))
                        .values(detail=func.replace(AuditEntry.detail, name, pseudonym)))
    marked = session.execute(
        update(AuditEntry).where(or_(AuditEntry.actor_id == person_id, AuditEntry.worker_id == person_id))
        .values(detail=func.substr(f"[{pseudonym}] " + AuditEntry.detail, 1, 500)))
    return marked.rowcount or 0


def preview(session: Session, person: User) -> dict[str, int]:
    """How many rows of each kind erasing the person would delete, without deleting: for the
    confirm page. One query per kind."""
    counts = {}
    for kind, statement in _deletions(person.id):
        target = statement.table
        counts[kind] = session.scalar(
            select(func.count()).select_from(target).where(statement.whereclause)) or 0
    return {kind: n for kind, n in counts.items() if n}


# The worker's request ------------------------------------------------------------------------


def latest_request(session: Session, person: User) -> Erasure | None:
    return session.scalar(select(Erasure).where(Erasure.person_id == person.id)
                          .order_by(Erasure.id.desc()).limit(1))


def ask(session: Session, worker: User) -> Erasure:
    """The worker asks for everything to be deleted. Asking again while one waits is the same."""
    waiting = latest_request(session, worker)
    if waiting is not None and waiting.state == ASKED:
        return waiting
    row = Erasure(person_id=worker.id, state=ASKED, asked_at=utcnow())
    session.add(row)
    record(session, worker, "erasure.ask", worker)
    session.flush()
    return row


def get(session: Session, erasure_id: int) -> Erasure:
    row = session.get(Erasure, erasure_id)
    if row is None:
        raise NotFound()
    return row


def answer(session: Session, actor: User, row: Erasure, text: str) -> None:
    """An admin answers without erasing (for example: the law says we must keep something)."""
    text = (text or "").strip()
    if row.state != ASKED:
        raise Invalid(_l("Denne forespørselen er allerede behandlet."), field="answer")
    if not text:
        raise Invalid(_l("Skriv svaret til personen."), field="answer")
    if len(text) > ANSWER_MAX:
        raise Invalid(_l("Svaret er for langt."), field="answer")
    row.state, row.answer, row.answered_by_id, row.answered_at = ANSWERED, text, actor.id, utcnow()
    record(session, actor, "erasure.answer", row.person if row.person.role == Role.WORKER else None)
    session.flush()


def waiting_requests(session: Session) -> list[Erasure]:
    return list(session.scalars(select(Erasure).options(joinedload(Erasure.person))
                                .where(Erasure.state == ASKED).order_by(Erasure.asked_at)))


def handled(session: Session, limit: int = 100) -> list[Erasure]:
    """Done erasures and answered requests, newest first: the record admins can show."""
    return list(session.scalars(
        select(Erasure).options(joinedload(Erasure.person), joinedload(Erasure.done_by),
                                joinedload(Erasure.answered_by))
        .where(Erasure.state.in_((DONE, ANSWERED)))
        .order_by(func.coalesce(Erasure.done_at, Erasure.answered_at).desc()).limit(limit)))


def waiting_for_workers(session: Session, worker_ids: list[int]) -> set[int]:
    """Which of these workers wait for an erasure: their specialist is told on their pages."""
    if not worker_ids:
        return set()
    return set(session.scalars(select(Erasure.person_id).where(
        Erasure.person_id.in_(worker_ids), Erasure.state == ASKED)))

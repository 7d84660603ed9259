"""Recording reminders: each is a row with a unique key naming its moment, recorded once however
many senders run. `plan` records the moments that have come; services record the others as they
happen (a moved shift, a new task, a place on an event, a help request)."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from ...models import (
    GOING,
    QUEUED,
    Event,
    Follows,
    HelpRequest,
    LeftHome,
    Reminder,
    Shift,
    Signup,
    SupportLink,
    User,
)
from ...models.types import utcnow
from .kinds import LATE_LIMIT, moments, stamp


def insert_once(session: Session, rows: list[dict]) -> None:
    """Insert reminders whose key is not there yet; a key already there (another sender, an
    earlier run) is left alone. One statement."""
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    now = utcnow()
    values = [{"state": QUEUED, "outcome": "", "tries": 0, "pushed": 0, "created_at": now,
               "shift_id": None, "event_id": None, "assignment_id": None, "help_request_id": None,
               **row} for row in rows]
    session.execute(insert(Reminder).values(values).on_conflict_do_nothing(index_elements=["key"]))


def helper_ids(session: Session, worker_ids) -> dict[int, set[int]]:
    """Who is told when a worker has not left or is late: the worker's specialists and the
    support persons the worker gave "Si fra hvis jeg ikke har gått". Two queries."""
    worker_ids = list(worker_ids)
    helpers: dict[int, set[int]] = {w: set() for w in worker_ids}
    if not worker_ids:
        return helpers
    for worker_id, specialist_id in session.execute(
            select(Follows.worker_id, Follows.specialist_id).join(User, User.id == Follows.specialist_id)
            .where(Follows.worker_id.in_(worker_ids), User.active.is_(True))):
        helpers[worker_id].add(specialist_id)
    for worker_id, supporter_id in session.execute(
            select(SupportLink.worker_id, SupportLink.supporter_id)
            .where(SupportLink.worker_id.in_(worker_ids), SupportLink.confirmed_at.is_not(None),
                   SupportLink.notify_not_left.is_(True))):
        helpers[worker_id].add(supporter_id)
    return helpers


def plan(session: Session, now: datetime) -> None:
    """Record the moments that have come in the last few minutes: get ready, leave home, the
    escalation when "Jeg har gått" has not come, and events tomorrow."""
    since = now - LATE_LIMIT
    # Travel and get-ready are at most 240 minutes each; the escalation can come after the start.
    shifts = session.scalars(
        select(Shift).options(joinedload(Shift.worker))
        .where(Shift.cancelled_at.is_(None), Shift.starts_at > now - timedelta(hours=4),
               Shift.starts_at <= now + timedelta(minutes=481))
    ).all()
    rows: list[dict] = []
    escalate: list[Shift] = []
    for shift in shifts:
        worker = shift.worker
        if not worker.active:
            continue
        at = moments(shift, worker)
        for kind, moment in (("get_ready", at.get_ready), ("leave_home", at.leave_home)):
            if moment is not None and since < moment <= now and moment < shift.starts_at:
                rows.append({"key": f"{kind}:{shift.id}:{stamp(moment)}", "user_id": worker.id,
                             "worker_id": worker.id, "kind": kind, "shift_id": shift.id, "due_at": moment})
        if at.escalate is not None and since < at.escalate <= now and now < shift.ends_at:
            escalate.append(shift)
    if escalate:
        answered = set(session.scalars(select(LeftHome.shift_id).where(
            LeftHome.shift_id.in_([s.id for s in escalate]))))
        escalate = [s for s in escalate if s.id not in answered]
        helpers = helper_ids(session, {s.worker_id for s in escalate})
        for shift in escalate:
            due = moments(shift, shift.worker).escalate
            for helper in sorted(helpers[shift.worker_id]):
                rows.append({"key": f"not_left:{shift.id}:{helper}:{stamp(shift.starts_at)}",
                             "user_id": helper, "worker_id": shift.worker_id, "kind": "not_left",
                             "shift_id": shift.id, "due_at": due})
    for event_id, starts_at, worker_id in session.execute(
            select(Event.id, Event.starts_at, Signup.worker_id).join(Signup, Signup.event_id == Event.id)
            .where(Signup.state == GOING, Signup.worker_id.is_not(None), Event.cancelled_at.is_(None),
                   Event.starts_at > since + timedelta(days=1), Event.starts_at <= now + timedelta(days=1))):
        rows.append({"key": f"event_tomorrow:{event_id}:{worker_id}", "user_id": worker_id,
                     "worker_id": worker_id, "kind": "event_tomorrow", "event_id": event_id,
                     "due_at": starts_at - timedelta(days=1)})
    insert_once(session, rows)


def shift_changed(session: Session, shift: Shift, kind: str) -> None:
    """A shift moved or was cancelled: "Vakten er endret". Many changes before it is sent are
    one reminder (built from the shift as it is when sent)."""
    pending = session.scalar(select(Reminder).where(
        Reminder.shift_id == shift.id, Reminder.user_id == shift.worker_id, Reminder.state == QUEUED,
        Reminder.kind.in_(("shift_changed", "shift_cancelled"))))
    if pending is not None:
        pending.kind = kind
        session.flush()
        return
    now = utcnow()
    insert_once(session, [{"key": f"{kind}:{shift.id}:{now.isoformat()}:{secrets.token_hex(3)}",
                            "user_id": shift.worker_id, "worker_id": shift.worker_id, "kind": kind,
                            "shift_id": shift.id, "due_at": now}])


def new_task(session: Session, assignment) -> None:
    insert_once(session, [{"key": f"new_task:{assignment.id}", "user_id": assignment.worker_id,
                            "worker_id": assignment.worker_id, "kind": "new_task",
                            "assignment_id": assignment.id, "due_at": utcnow()}])


def event_place(session: Session, event_id: int, worker_id: int) -> None:
    now = utcnow()
    insert_once(session, [{"key": f"event_place:{event_id}:{worker_id}:{stamp(now)}", "user_id": worker_id,
                            "worker_id": worker_id, "kind": "event_place", "event_id": event_id,
                            "due_at": now}])


def help_asked(session: Session, request: HelpRequest) -> None:
    """A help request pushes at once to each specialist who follows the worker."""
    specialists = session.scalars(select(Follows.specialist_id).where(Follows.worker_id == request.worker_id))
    insert_once(session, [{"key": f"help:{request.id}:{sid}", "user_id": sid, "worker_id": request.worker_id,
                            "kind": "help", "help_request_id": request.id, "due_at": request.created_at}
                           for sid in specialists])

"""Pushing a checklist to workers: its draft is frozen and each worker gets it once, on a date,
on weekdays or on every shift. A worker who already has it on one of those days is named
(AlreadyGiven) until the caller says which one to keep; a pushed checklist can be withdrawn."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select
from sqlalchemy.orm import Session, joinedload

from ...models import (
    QUEUED,
    Assignment,
    Checklist,
    ChecklistVersion,
    Notice,
    Reminder,
    Run,
    User,
)
from ...models.types import utcnow
from .. import reminders
from ..audit import record
from ..errors import Conflict, Invalid, NotFound

KEEP, REPLACE = "keep", "replace"  # what to do when a worker already has the checklist then


class AlreadyGiven(Conflict):
    """Some of the workers already have this checklist on one of the chosen days."""

    def __init__(self, workers: list[User]):
        super().__init__(_l("Noen har fått denne oppgaven før, på en av de samme dagene."), field="on_clash")
        self.workers = workers


def _overlaps(old: Assignment, *, on_date: date | None, weekdays: list[int], every_shift: bool,
              today: date | None) -> bool:
    """Whether an active assignment falls on one of the days of a new one. A once-only
    assignment whose day is gone no longer counts."""
    if old.on_date is not None and today is not None and old.on_date < today:
        return False
    if every_shift or old.every_shift:
        return True
    old_days = {int(d) for d in old.weekdays} if old.on_date is None else set()
    if on_date is not None and not weekdays:
        return old.on_date == on_date or on_date.weekday() in old_days
    return bool(old_days & set(weekdays)) or (old.on_date is not None and old.on_date.weekday() in weekdays)


def push(session: Session, checklist: Checklist, *, workers: list[User], by: User,
         on_date: date | None = None, weekdays: list[int] | None = None,
         every_shift: bool = False, today: date | None = None,
         on_clash: str | None = None) -> list[Assignment]:
    """Freeze the draft and give it to each worker (a worker named twice gets it once): once on
    a date, on weekdays, or on every day the worker has a shift. With `today`, a date before it
    is refused. A worker who already has the checklist on one of the days raises AlreadyGiven,
    unless on_clash says to keep the one that is there (that worker gets nothing new) or to
    replace it (the old one ends; what was done in it stays)."""
    workers = list({worker.id: worker for worker in workers}.values())
    version = checklist.versions[-1]
    if not version.steps:
        raise Invalid(_l("En tom oppgave kan ikke sendes. Legg til minst ett steg."), field="steps")
    if not workers:
        raise Invalid(_l("Velg minst én arbeidstaker."), field="workers")
    weekdays = sorted(set(weekdays or []))
    if not weekdays and on_date is None and not every_shift:
        raise Invalid(_l("Velg en dato, noen ukedager eller hver vakt."), field="on_date")
    if on_date is not None and not weekdays and not every_shift and today is not None and on_date < today:
        raise Invalid(_l("Den dagen har vært. Velg i dag eller en dag som kommer."), field="on_date")
    clashes: dict[int, list[Assignment]] = {}
    for old in session.scalars(
            select(Assignment).join(ChecklistVersion, ChecklistVersion.id == Assignment.version_id)
            .where(ChecklistVersion.checklist_id == checklist.id, Assignment.ended_at.is_(None),
                   Assignment.worker_id.in_([w.id for w in workers]))):
        if _overlaps(old, on_date=on_date, weekdays=weekdays, every_shift=every_shift, today=today):
            clashes.setdefault(old.worker_id, []).append(old)
    if clashes and on_clash not in (KEEP, REPLACE):
        raise AlreadyGiven([w for w in workers if w.id in clashes])
    if on_clash == KEEP:
        workers = [w for w in workers if w.id not in clashes]
    elif on_clash == REPLACE:
        named = {w.id: w for w in workers}
        for old in (a for olds in clashes.values() for a in olds):
            old.ended_at = utcnow()
            record(session, by, "checklist.replace", named[old.worker_id], f"{checklist.title} #{old.id}")
    if version.published_at is None:
        version.published_at = utcnow()
    made = []
    for worker in workers:
        assignment = Assignment(version_id=version.id, worker_id=worker.id, pushed_by_id=by.id,
                                on_date=None if weekdays or every_shift else on_date,
                                weekdays="" if every_shift else "".join(str(d) for d in weekdays),
                                every_shift=every_shift)
        session.add(assignment)
        made.append(assignment)
        record(session, by, "checklist.push", worker, f"{checklist.title} v{version.number}")
    session.flush()
    for assignment in made:
        reminders.new_task(session, assignment)
    return made


def active_assignment(session: Session, assignment_id: int) -> Assignment:
    """A pushed checklist that is still given, with its checklist and worker: one query."""
    assignment = session.scalar(
        select(Assignment).options(joinedload(Assignment.version).joinedload(ChecklistVersion.checklist),
                                   joinedload(Assignment.worker))
        .where(Assignment.id == assignment_id, Assignment.ended_at.is_(None)))
    if assignment is None:
        raise NotFound()
    return assignment


def withdraw(session: Session, assignment: Assignment, by: User) -> bool:
    """Take a pushed checklist back: it leaves the worker's days at once, the worker is told on
    I dag, and the runs and ticked steps stay as the record of what was done. Returns whether
    any of it had been done."""
    assignment.ended_at = utcnow()
    started = session.scalar(select(Run.id).where(Run.assignment_id == assignment.id).limit(1)) is not None
    # A "new task" push not sent yet would point at what is gone.
    session.execute(delete(Reminder).where(Reminder.assignment_id == assignment.id, Reminder.state == QUEUED))
    session.add(Notice(user_id=assignment.worker_id, worker_id=assignment.worker_id,
                       kind="task_withdrawn", assignment_id=assignment.id))
    record(session, by, "checklist.withdraw", assignment.worker,
           f"{assignment.version.checklist.title} #{assignment.id}" + (" (started)" if started else ""))
    session.flush()
    return started

"""Doing a checklist: the worker's checklists for a day, today's run, ticking and undoing steps,
help on a step, and the runs page of the API."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache

from sqlalchemy import and_, bindparam, delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload, selectinload

from ...models import (
    Assignment,
    Checklist,
    ChecklistStep,
    ChecklistVersion,
    HelpRequest,
    Run,
    Shift,
    StepDone,
    User,
    Workplace,
)
from ...models.types import utcnow
from .. import reminders
from ..errors import NotFound
from ..locking import lock_row
from ..paging import Key, Page, keyset
from .fading import levels_for, shown_steps

# An assignment with its version, checklist and steps: one join and one extra query.
WITH_STEPS = joinedload(Assignment.version).options(
    joinedload(ChecklistVersion.checklist), selectinload(ChecklistVersion.steps))


@dataclass
class RunRow:
    run: Run
    checklist_id: int
    checklist_title: str
    version: int
    steps_done: int
    steps_total: int


_RUN_KEY = Key(Run.day, Run.id, read=lambda row: (row[0].day, row[0].id))  # rows of (Run, ...)


def runs_page(session: Session, worker: User, after: tuple | None, limit: int) -> Page:
    """The worker's runs, newest day first, with steps done and the number of steps: two queries."""
    done = (select(func.count(StepDone.id)).where(StepDone.run_id == Run.id)
            .correlate(Run).scalar_subquery())
    page = keyset(session, select(Run, Checklist.id, Checklist.title, ChecklistVersion.number,
                                  ChecklistVersion.id, done)
                  .join(Assignment, Assignment.id == Run.assignment_id)
                  .join(ChecklistVersion, ChecklistVersion.id == Assignment.version_id)
                  .join(Checklist, Checklist.id == ChecklistVersion.checklist_id)
                  .where(Assignment.worker_id == worker.id),
                  _RUN_KEY, after, limit,
                  descending=True, scalars=False)
    version_ids = {row[4] for row in page.items}
    totals = dict(session.execute(
        select(ChecklistStep.version_id, func.count()).where(ChecklistStep.version_id.in_(version_ids))
        .group_by(ChecklistStep.version_id)).all()) if version_ids else {}
    page.items = [RunRow(run, cid, title, number, steps_done, totals.get(vid, 0))
                  for run, cid, title, number, vid, steps_done in page.items]
    return page


@dataclass
class TodayTask:
    assignment: Assignment
    run: Run | None
    done: int

    @property
    def steps(self) -> list[ChecklistStep]:
        return self.assignment.version.steps

    @property
    def is_new(self) -> bool:
        return self.assignment.opened_at is None


def for_day(session: Session, worker: User, day: date, with_steps: bool = True) -> list[TodayTask]:
    """The worker's checklists for a day, with today's run and steps done: one query, and one
    more for the steps when asked (I dag shows only titles)."""
    from ..schedule import at_oslo

    rows = session.execute(_for_day_query(with_steps), {
        "worker_id": worker.id, "day": day,
        "start": at_oslo(day, time()), "end": at_oslo(day + timedelta(days=1), time())}).unique().all()
    works = bool(rows) and bool(rows[0].works)
    return [TodayTask(a, run, done if run else 0) for a, _works, run, done in rows
            if a.on_date == day or str(day.weekday()) in a.weekdays or (a.every_shift and works)]


def todays_assignment_for(session: Session, worker: User, checklist_id: int, day: date) -> Assignment | None:
    """The worker's assignment of this checklist for today, for the QR code at the workstation."""
    return next((t.assignment for t in for_day(session, worker, day, with_steps=False)
                 if t.assignment.version.checklist_id == checklist_id), None)


@cache
def _for_day_query(with_steps: bool):
    """Built once (every I dag and Oppgaver asks it; building a statement costs more than
    running it). Whether the worker has a shift that day, not cancelled and starting between
    :start and :end (for checklists that follow the shifts), today's run (one per assignment and
    day) and its steps done come with the assignments, as more columns: no queries of their own."""
    load = WITH_STEPS if with_steps else joinedload(Assignment.version).joinedload(
        ChecklistVersion.checklist)
    works = select(Shift.id).where(
        Shift.worker_id == bindparam("worker_id"), Shift.cancelled_at.is_(None),
        Shift.starts_at >= bindparam("start"), Shift.starts_at < bindparam("end")).exists()
    done = (select(func.count(StepDone.id)).where(StepDone.run_id == Run.id)
            .correlate(Run).scalar_subquery())
    return (select(Assignment, works.label("works"), Run, done.label("done"))
            .outerjoin(Run, and_(Run.assignment_id == Assignment.id, Run.day == bindparam("day"))).options(load)
            .where(Assignment.worker_id == bindparam("worker_id"), Assignment.ended_at.is_(None))
            .order_by(Assignment.id))


def assignment_of(session: Session, worker: User, assignment_id: int) -> Assignment:
    return assignment_and_leader(session, worker, assignment_id)[0]


@dataclass
class Leader:
    contact_name: str | None
    contact_phone: str


def assignment_and_leader(session: Session, worker: User, assignment_id: int,
                          now: datetime | None = None) -> tuple[Assignment, Leader | None]:
    """The worker's assignment with its steps, while it is given; and, when `now` is given, the leader to call at
    the workplace of the shift going on now (if it has a number): one query."""
    from ..schedule.oslo_time import LONGEST_SHIFT

    leader = None
    if now is not None:
        on_shift = (select(Shift.workplace_id).where(
            Shift.worker_id == worker.id, Shift.cancelled_at.is_(None), Shift.starts_at <= now,
            Shift.starts_at > now - LONGEST_SHIFT, Shift.ends_at > now)
            .order_by(Shift.starts_at).limit(1).scalar_subquery())
        leader = (select(func.coalesce(Workplace.contact_name, "") + "\n" + Workplace.contact_phone)
                  .where(Workplace.id == on_shift, Workplace.contact_phone.is_not(None),
                         Workplace.contact_phone != "").scalar_subquery())
    columns = [Assignment] if leader is None else [Assignment, leader]
    row = session.execute(select(*columns).options(WITH_STEPS)  # one taken back is gone
                          .where(Assignment.id == assignment_id, Assignment.ended_at.is_(None))).unique().first()
    if row is None or row[0].worker_id != worker.id:
        raise NotFound()
    name_phone = row[1] if leader is not None else None
    found = None
    if name_phone:
        name, phone = name_phone.split("\n", 1)
        found = Leader(name or None, phone)
    return row[0], found


def todays_run(session: Session, assignment: Assignment, day: date) -> Run | None:
    """The run of that day, if the worker has started it: for pages, which only read."""
    return session.scalar(select(Run).where(Run.assignment_id == assignment.id, Run.day == day))


def _lock(session: Session, assignment: Assignment) -> None:
    """Serialise changes to one assignment's runs (two phones at once); the first change also
    marks the assignment opened (no longer "Ny")."""
    lock_row(session, Assignment, assignment.id,
             opened_at=func.coalesce(Assignment.opened_at, utcnow()))


def open_run(session: Session, assignment: Assignment, day: date) -> Run:
    """Today's run of an assignment, started the first time. Two phones at once make one run."""
    _lock(session, assignment)
    run = todays_run(session, assignment, day)
    if run is None:
        try:
            with session.begin_nested():
                run = Run(assignment_id=assignment.id, day=day)
                session.add(run)
        except IntegrityError:
            run = todays_run(session, assignment, day)
    return run


def done_steps(session: Session, run: Run | None) -> set[int]:
    if run is None:
        return set()
    return set(session.scalars(select(StepDone.step_id).where(StepDone.run_id == run.id)))


def required_steps(session: Session, assignment: Assignment) -> list[ChecklistStep]:
    """The steps the worker must do: all but those mastered (fading support hides them). The
    same whoever ticks, the worker or a support person."""
    steps = assignment.version.steps
    return shown_steps(steps, levels_for(session, assignment.worker, [s.key for s in steps]))


def tick(session: Session, run: Run, step: ChecklistStep, by: User) -> None:
    """Mark a step done. Sending it twice, or from two phones at once, is the same as once.
    The run is finished when every required step is done (mastered steps are not required)."""
    if step.version_id != run.assignment.version_id:
        raise NotFound()
    _lock(session, run.assignment)
    try:
        with session.begin_nested():
            session.add(StepDone(run_id=run.id, step_id=step.id, done_by_id=by.id))
    except IntegrityError:
        pass  # already ticked
    required = {s.id for s in required_steps(session, run.assignment)}
    if run.finished_at is None and required <= done_steps(session, run):
        run.finished_at = utcnow()
    session.flush()


def undo(session: Session, run: Run, step: ChecklistStep) -> None:
    """Angre: the step is not done after all."""
    _lock(session, run.assignment)
    session.execute(delete(StepDone).where(StepDone.run_id == run.id, StepDone.step_id == step.id))
    run.finished_at = None
    session.flush()


def ask_help_on_step(session: Session, worker: User, step: ChecklistStep,
                     assignment: Assignment | None = None) -> HelpRequest:
    request = HelpRequest(worker_id=worker.id, reason="task", step_id=step.id,
                          assignment_id=assignment.id if assignment else None)
    session.add(request)
    session.flush()
    reminders.help_asked(session, request)
    return request

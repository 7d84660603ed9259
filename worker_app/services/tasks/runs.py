"""Doing a checklist: the worker's checklists for a day, today's run, ticking and undoing steps,
help on a step, and the runs page of the API."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache
from typing import NamedTuple

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
from ..locking import lock_row, savepoint
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


def for_day(session: Session, worker: User, day: date) -> list[TodayTask]:
    """The worker's checklists for a day with their steps, today's run and steps done: two
    queries (Oppgaver, a step page, the support person's view)."""
    rows = session.execute(_for_day_query(), _day_params(worker, day)).unique().all()
    works = bool(rows) and bool(rows[0].works)
    return [TodayTask(a, run, done if run else 0) for a, _works, run, done in rows if _given(a, day, works)]


class DayTask(NamedTuple):
    """A checklist of the day as I dag shows it: its title and picture, and whether it is new or
    finished today."""

    assignment_id: int
    checklist_id: int
    title: str
    pictogram: str
    is_new: bool
    finished: bool


def titles_for_day(session: Session, worker: User, day: date) -> list[DayTask]:
    """The worker's checklists for a day, titles only: one query, of rows rather than objects
    (I dag asks it on every visit)."""
    rows = session.connection().execute(_titles_query(), _day_params(worker, day)).all()
    works = bool(rows) and bool(rows[0].works)
    return [DayTask(r.id, r.checklist_id, r.title, r.pictogram, r.opened_at is None, r.finished_at is not None)
            for r in rows if _given(r, day, works)]


def todays_assignment_id(session: Session, worker: User, checklist_id: int, day: date) -> int | None:
    """The id of the worker's assignment of this checklist for today, for the QR code at the
    workstation."""
    return next((t.assignment_id for t in titles_for_day(session, worker, day)
                 if t.checklist_id == checklist_id), None)


def _given(assignment, day: date, works: bool) -> bool:
    """Whether an assignment (or a row with its columns) is given on the day."""
    return (assignment.on_date == day or str(day.weekday()) in assignment.weekdays
            or (assignment.every_shift and works))


def _day_params(worker: User, day: date) -> dict:
    from ..schedule import at_oslo

    return {"worker_id": worker.id, "day": day,
            "start": at_oslo(day, time()), "end": at_oslo(day + timedelta(days=1), time())}


def _works_that_day():
    """Whether the worker has a shift that day, not cancelled and starting between :start and
    :end (for checklists that follow the shifts)."""
    return select(Shift.id).where(
        Shift.worker_id == bindparam("worker_id"), Shift.cancelled_at.is_(None),
        Shift.starts_at >= bindparam("start"), Shift.starts_at < bindparam("end")).exists()


@cache
def _for_day_query():
    """Built once (building a statement costs more than running it). The shift that day,
    today's run (one per assignment and day) and its steps done come with the assignments, as
    more columns: no queries of their own."""
    done = (select(func.count(StepDone.id)).where(StepDone.run_id == Run.id)
            .correlate(Run).scalar_subquery())
    return (select(Assignment, _works_that_day().label("works"), Run, done.label("done"))
            .outerjoin(Run, and_(Run.assignment_id == Assignment.id, Run.day == bindparam("day")))
            .options(WITH_STEPS)
            .where(Assignment.worker_id == bindparam("worker_id"), Assignment.ended_at.is_(None))
            .order_by(Assignment.id))


@cache
def _titles_query():
    assignment, version, checklist, run = (Assignment.__table__, ChecklistVersion.__table__,
                                           Checklist.__table__, Run.__table__)
    return (select(assignment.c.id, assignment.c.on_date, assignment.c.weekdays, assignment.c.every_shift,
                   assignment.c.opened_at, version.c.checklist_id, checklist.c.title, checklist.c.pictogram,
                   run.c.finished_at, _works_that_day().label("works"))
            .join(version, version.c.id == assignment.c.version_id)
            .join(checklist, checklist.c.id == version.c.checklist_id)
            .outerjoin(run, and_(run.c.assignment_id == assignment.c.id, run.c.day == bindparam("day")))
            .where(assignment.c.worker_id == bindparam("worker_id"), assignment.c.ended_at.is_(None))
            .order_by(assignment.c.id))


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
            with savepoint(session):
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
        with savepoint(session):
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

"""Checklists: the specialist's library, pushing them to workers, and doing them step by step."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload, selectinload

from ..models import (
    FULL,
    MASTERED,
    SHORT,
    Assignment,
    Checklist,
    ChecklistStep,
    ChecklistVersion,
    HelpRequest,
    MasteryClaim,
    Run,
    Shift,
    StepDone,
    StepSupport,
    User,
    Workplace,
)
from ..models.types import utcnow
from . import reminders
from .audit import record
from .errors import Invalid, NotFound
from .limits import STEP_MAX, TITLE_MAX, TITLE_MIN
from .locking import lock_row
from .paging import Key, Page, keyset

# An assignment with its version, checklist and steps: one join and one extra query.
_WITH_STEPS = joinedload(Assignment.version).options(
    joinedload(ChecklistVersion.checklist), selectinload(ChecklistVersion.steps))


# The library --------------------------------------------------------------------------------


def clean_title(title: str) -> str:
    """A checklist's name, its spaces tidied; too short or too long is refused."""
    title = " ".join((title or "").split())
    if not TITLE_MIN <= len(title) <= TITLE_MAX:
        raise Invalid(_l("Skriv et navn på oppgaven."), field="title")
    return title


def create_checklist(session: Session, owner: User, title: str, pictogram: str = "1F4CB",
                     workplace_id: int | None = None) -> Checklist:
    title = clean_title(title)
    checklist = Checklist(title=title, pictogram=pictogram or "1F4CB", owner_id=owner.id,
                          workplace_id=workplace_id)
    checklist.versions.append(ChecklistVersion(number=1))
    session.add(checklist)
    record(session, owner, "checklist.create", None, title)
    session.flush()
    return checklist


@dataclass
class NewStep:
    text: str
    hint: str = ""
    pictogram: str = "1F4CB"


def create_with_steps(session: Session, owner: User, title: str, pictogram: str,
                      steps: list[NewStep]) -> Checklist:
    """A checklist and its steps as a draft, in one go: a bad step (its index in `field`) makes
    nothing."""
    title = clean_title(title)
    if not steps:
        raise Invalid(_l("En tom oppgave kan ikke sendes. Legg til minst ett steg."), field="steps")
    version = ChecklistVersion(number=1)
    for i, new in enumerate(steps):
        text, hint = _clean_step(new.text, new.hint, field=f"/steps/{i}/text")
        version.steps.append(ChecklistStep(position=i + 1, text=text, hint=hint, pictogram=new.pictogram))
    checklist = Checklist(title=title, pictogram=pictogram or "1F4CB", owner_id=owner.id, versions=[version])
    session.add(checklist)
    record(session, owner, "checklist.create", None, title)
    session.flush()
    return checklist


_CHECKLIST_KEY = Key(Checklist.id, read=lambda c: (c.id,))


def library_page(session: Session, owner: User, after: tuple | None, limit: int) -> Page:
    """The owner's checklists that are not archived, by id."""
    return keyset(session, select(Checklist).where(Checklist.owner_id == owner.id, Checklist.archived_at.is_(None)),
                  _CHECKLIST_KEY, after, limit)


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


def library(session: Session, owner: User) -> list[Checklist]:
    return list(session.scalars(
        select(Checklist).where(Checklist.owner_id == owner.id, Checklist.archived_at.is_(None))
        .order_by(Checklist.title)))


def get_checklist(session: Session, checklist_id: int) -> Checklist:
    checklist = session.scalar(select(Checklist).options(
        selectinload(Checklist.versions).selectinload(ChecklistVersion.steps))
        .where(Checklist.id == checklist_id))
    if checklist is None:
        raise NotFound()
    return checklist


def update_checklist(session: Session, checklist: Checklist, *, title: str, pictogram: str,
                     workplace_id: int | None) -> None:
    title = clean_title(title)
    checklist.title, checklist.workplace_id = title, workplace_id
    checklist.pictogram = pictogram or checklist.pictogram
    session.flush()


def copy_checklist(session: Session, checklist: Checklist, owner: User, title: str) -> Checklist:
    source = checklist.versions[-1]
    copied = Checklist(title=title[:TITLE_MAX], pictogram=checklist.pictogram, owner_id=owner.id,
                       workplace_id=checklist.workplace_id)
    copied.versions.append(ChecklistVersion(number=1, steps=[
        ChecklistStep(position=s.position, text=s.text, pictogram=s.pictogram, hint=s.hint,
                      photo=s.photo) for s in source.steps]))
    session.add(copied)
    session.flush()
    return copied


def archive_checklist(session: Session, checklist: Checklist) -> None:
    checklist.archived_at = utcnow()
    session.flush()


def draft(session: Session, checklist: Checklist) -> ChecklistVersion:
    """The version being edited: the newest if not yet pushed, else a new copy of it."""
    newest = checklist.versions[-1]
    if newest.published_at is None:
        return newest
    copy = ChecklistVersion(checklist_id=checklist.id, number=newest.number + 1)
    copy.steps = [ChecklistStep(key=s.key, position=s.position, text=s.text, pictogram=s.pictogram,
                                hint=s.hint, photo=s.photo) for s in newest.steps]
    session.add(copy)
    session.flush()
    session.refresh(checklist)
    return copy


def _clean_step(text: str, hint: str, field: str = "text") -> tuple[str, str]:
    text = " ".join((text or "").split())
    if not text:
        raise Invalid(_l("Skriv hva arbeidstakeren skal gjøre."), field=field)
    if len(text) > STEP_MAX or len(hint or "") > STEP_MAX:
        raise Invalid(_l("Et steg kan ha høyst %(n)s tegn. Del det i to steg.", n=STEP_MAX), field=field)
    return text, (hint or "").strip()


def add_step(session: Session, checklist: Checklist, *, text: str, pictogram: str,
             hint: str = "", photo: str | None = None) -> ChecklistStep:
    text, hint = _clean_step(text, hint)
    version = draft(session, checklist)
    step = ChecklistStep(position=len(version.steps) + 1, text=text, pictogram=pictogram or "1F4CB",
                         hint=hint, photo=photo)
    version.steps.append(step)
    session.flush()
    return step


def same_picture_as_before(steps: list[ChecklistStep]) -> set[int]:
    """Positions of steps that show the same picture as the step before: after "Ferdig" the
    screen would look as if nothing happened. A photo is the picture when there is one."""
    pictures = [step.photo or step.pictogram for step in steps]
    return {steps[i].position for i in range(1, len(steps)) if pictures[i] == pictures[i - 1]}


def _draft_step(session: Session, checklist: Checklist, position: int) -> tuple[ChecklistVersion, ChecklistStep]:
    version = draft(session, checklist)
    for step in version.steps:
        if step.position == position:
            return version, step
    raise NotFound()


def move_step(session: Session, checklist: Checklist, position: int, up: bool) -> None:
    """Move a step one place up or down: buttons, never drag-only."""
    version, step = _draft_step(session, checklist, position)
    other_position = position - 1 if up else position + 1
    other = next((s for s in version.steps if s.position == other_position), None)
    if other is not None:
        step.position, other.position = other.position, step.position
        version.steps.sort(key=lambda s: s.position)
    session.flush()


def delete_step(session: Session, checklist: Checklist, position: int) -> None:
    version, step = _draft_step(session, checklist, position)
    version.steps.remove(step)
    for later in version.steps:
        if later.position > position:
            later.position -= 1
    session.flush()


# Pushing to workers -------------------------------------------------------------------------


def push(session: Session, checklist: Checklist, *, workers: list[User], by: User,
         on_date: date | None = None, weekdays: list[int] | None = None,
         every_shift: bool = False) -> list[Assignment]:
    """Freeze the draft and give it to each worker (a worker named twice gets it once): once on
    a date, on weekdays, or on every day the worker has a shift."""
    workers = list({worker.id: worker for worker in workers}.values())
    version = checklist.versions[-1]
    if not version.steps:
        raise Invalid(_l("En tom oppgave kan ikke sendes. Legg til minst ett steg."), field="steps")
    if not workers:
        raise Invalid(_l("Velg minst én arbeidstaker."), field="workers")
    weekdays = sorted(set(weekdays or []))
    if not weekdays and on_date is None and not every_shift:
        raise Invalid(_l("Velg en dato, noen ukedager eller hver vakt."), field="on_date")
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


# Doing it -----------------------------------------------------------------------------------


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
    load = _WITH_STEPS if with_steps else joinedload(Assignment.version).joinedload(
        ChecklistVersion.checklist)
    # Whether the worker has a shift that day (for checklists that follow the shifts), today's
    # run (one per assignment and day) and its steps done come with the assignments, as more
    # columns: no queries of their own.
    done = (select(func.count(StepDone.id)).where(StepDone.run_id == Run.id)
            .correlate(Run).scalar_subquery())
    rows = session.execute(
        select(Assignment, _shift_on(worker, day).exists().label("works"), Run, done.label("done"))
        .outerjoin(Run, and_(Run.assignment_id == Assignment.id, Run.day == day)).options(load)
        .where(Assignment.worker_id == worker.id, Assignment.ended_at.is_(None))
        .order_by(Assignment.id)).unique().all()
    works = bool(rows) and bool(rows[0].works)
    return [TodayTask(a, run, done if run else 0) for a, _works, run, done in rows
            if a.on_date == day or str(day.weekday()) in a.weekdays or (a.every_shift and works)]


def todays_assignment_for(session: Session, worker: User, checklist_id: int, day: date) -> Assignment | None:
    """The worker's assignment of this checklist for today, for the QR code at the workstation."""
    return next((t.assignment for t in for_day(session, worker, day, with_steps=False)
                 if t.assignment.version.checklist_id == checklist_id), None)


def _shift_on(worker: User, day: date):
    """The worker's shifts that are not cancelled, starting on this (Oslo) day."""
    from .schedule import at_oslo

    start, end = at_oslo(day, time()), at_oslo(day + timedelta(days=1), time())
    return select(Shift.id).where(
        Shift.worker_id == worker.id, Shift.cancelled_at.is_(None),
        Shift.starts_at >= start, Shift.starts_at < end)


def assignment_of(session: Session, worker: User, assignment_id: int) -> Assignment:
    return assignment_and_leader(session, worker, assignment_id)[0]


@dataclass
class Leader:
    contact_name: str | None
    contact_phone: str


def assignment_and_leader(session: Session, worker: User, assignment_id: int,
                          now: datetime | None = None) -> tuple[Assignment, Leader | None]:
    """The worker's assignment with its steps; and, when `now` is given, the leader to call at
    the workplace of the shift going on now (if it has a number): one query."""
    leader = None
    if now is not None:
        on_shift = (select(Shift.workplace_id).where(
            Shift.worker_id == worker.id, Shift.cancelled_at.is_(None), Shift.starts_at <= now,
            Shift.ends_at > now).order_by(Shift.starts_at).limit(1).scalar_subquery())
        leader = (select(func.coalesce(Workplace.contact_name, "") + "\n" + Workplace.contact_phone)
                  .where(Workplace.id == on_shift, Workplace.contact_phone.is_not(None),
                         Workplace.contact_phone != "").scalar_subquery())
    columns = [Assignment] if leader is None else [Assignment, leader]
    row = session.execute(select(*columns).options(_WITH_STEPS)
                          .where(Assignment.id == assignment_id)).unique().first()
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


# Progress, for the specialist -----------------------------------------------------------------


@dataclass
class RunSummary:
    run: Run
    done: int
    ticked: dict[int, datetime] = field(default_factory=dict)  # step id -> when
    helped: set[int] = field(default_factory=set)  # step ids help was asked on that day

    @property
    def minutes(self) -> int | None:
        if self.run.finished_at is None:
            return None
        return max(1, round((self.run.finished_at - self.run.started_at).total_seconds() / 60))


@dataclass
class Progress:
    assignment: Assignment
    runs: list[RunSummary]  # newest first, at most 10


def progress_of(session: Session, worker: User, last: int = 10) -> list[Progress]:
    """Each active assignment with its last runs and steps done: three queries in all."""
    assignments = list(session.scalars(
        select(Assignment).options(_WITH_STEPS)
        .where(Assignment.worker_id == worker.id, Assignment.ended_at.is_(None))
        .order_by(Assignment.id)).unique())
    ids = [a.id for a in assignments]
    if not ids:
        return []
    newest = func.row_number().over(partition_by=Run.assignment_id,
                                    order_by=(Run.day.desc(), Run.id.desc())).label("n")
    recent = select(Run.id, newest).where(Run.assignment_id.in_(ids)).subquery()
    rows = session.execute(
        select(Run, func.count(StepDone.id))
        .join(recent, recent.c.id == Run.id).outerjoin(StepDone, StepDone.run_id == Run.id)
        .where(recent.c.n <= last).group_by(Run.id).order_by(Run.day.desc(), Run.id.desc())).all()
    by_assignment: dict[int, list[RunSummary]] = {i: [] for i in ids}
    summaries = {}
    for run, done in rows:
        summaries[run.id] = RunSummary(run, done)
        by_assignment[run.assignment_id].append(summaries[run.id])
    if summaries:
        for run_id, step_id, done_at in session.execute(
                select(StepDone.run_id, StepDone.step_id, StepDone.done_at)
                .where(StepDone.run_id.in_(summaries))):
            summaries[run_id].ticked[step_id] = done_at
        oldest = min(s.run.started_at for s in summaries.values())
        step_runs = {(s.run.day, step.id): s for s in summaries.values()
                     for step in next(a for a in assignments if a.id == s.run.assignment_id).version.steps}
        from .schedule import oslo

        for step_id, asked_at in session.execute(
                select(HelpRequest.step_id, HelpRequest.created_at).where(
                    HelpRequest.worker_id == worker.id, HelpRequest.step_id.is_not(None),
                    HelpRequest.created_at >= oldest - timedelta(days=1))):
            summary = step_runs.get((oslo(asked_at).date(), step_id))
            if summary:
                summary.helped.add(step_id)
    return [Progress(a, by_assignment[a.id]) for a in assignments]


def done_by_run(session: Session, run_ids: list[int]) -> dict[int, set[int]]:
    """The ticked steps of several runs: one query."""
    done: dict[int, set[int]] = {run_id: set() for run_id in run_ids}
    if run_ids:
        for run_id, step_id in session.execute(
                select(StepDone.run_id, StepDone.step_id).where(StepDone.run_id.in_(run_ids))):
            done[run_id].add(step_id)
    return done


# Fading support -------------------------------------------------------------------------------


def levels_for(session: Session, worker: User, keys: list[str]) -> dict[str, str]:
    """The worker's support level per step key (full when none is set): one query."""
    if not keys:
        return {}
    return dict(session.execute(select(StepSupport.step_key, StepSupport.level).where(
        StepSupport.worker_id == worker.id, StepSupport.step_key.in_(keys))).all())


def shown_steps(steps: list[ChecklistStep], levels: dict[str, str]) -> list[ChecklistStep]:
    return [s for s in steps if levels.get(s.key, FULL) != MASTERED]


def set_level(session: Session, by: User, worker: User, step_key: str, level: str) -> None:
    if level not in (FULL, SHORT, MASTERED):
        raise Invalid("Unknown level", field="level")
    support = session.scalar(select(StepSupport).where(
        StepSupport.worker_id == worker.id, StepSupport.step_key == step_key))
    support = support or StepSupport(worker_id=worker.id, step_key=step_key)
    support.level, support.set_by_id = level, by.id
    session.add(support)
    record(session, by, "step.support", worker, f"{step_key} {level}")
    session.flush()


def claim(session: Session, worker: User, step: ChecklistStep) -> MasteryClaim:
    """ "Jeg kan dette nå": one open claim per step."""
    open_claim = session.scalar(select(MasteryClaim).where(
        MasteryClaim.worker_id == worker.id, MasteryClaim.step_id == step.id,
        MasteryClaim.decided_at.is_(None)))
    if open_claim is None:
        open_claim = MasteryClaim(worker_id=worker.id, step_id=step.id)
        session.add(open_claim)
        session.flush()
    return open_claim


def open_claims(session: Session, worker: User) -> list[MasteryClaim]:
    return list(session.scalars(
        select(MasteryClaim).options(joinedload(MasteryClaim.step).joinedload(
            ChecklistStep.version).joinedload(ChecklistVersion.checklist))
        .where(MasteryClaim.worker_id == worker.id, MasteryClaim.decided_at.is_(None))
        .order_by(MasteryClaim.claimed_at)))


def decide(session: Session, by: User, claim_row: MasteryClaim, confirmed: bool) -> None:
    claim_row.decided_at, claim_row.decided_by_id, claim_row.confirmed = utcnow(), by.id, confirmed
    if confirmed:
        worker = session.get(User, claim_row.worker_id)
        set_level(session, by, worker, claim_row.step.key, MASTERED)

"""The follow-up record of a worker: meetings with the worker and the employer, the support
plan (how often the specialist means to visit), and the trial period (arbeidspraksis).

"Nothing about me without me": the worker sees the next meeting and every note marked as shared,
and "Se alt som er lagret om deg" holds every row. Staff reads are logged (followup.view)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from typing import NamedTuple

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session, aliased, joinedload

from ..models import (
    Meeting,
    MeetingPlace,
    MeetingWith,
    SupportPlan,
    TrialOutcome,
    TrialPeriod,
    User,
    Workplace,
)
from ..models.people import WorkplaceCard, first_name
from ..policy import Action, can
from . import limits, one_row
from .audit import record
from .errors import Invalid, NotAllowed
from .one_row import OneRow
from .paging import Key, Page, keyset
from .parsing import small_int
from .schedule import at_oslo, oslo, parse_date, parse_time


def _check(by: User, action: Action, worker: User) -> None:
    if not can(by, action, worker):
        raise NotAllowed()


def _limited(value: str, most: int, field: str) -> str:
    value = (value or "").strip()
    if len(value) > most:
        raise Invalid(_l("Skriv kortere, høyst %(n)s tegn.", n=most), field=field)
    return value


def _moment(day: str, clock: str, day_field: str, clock_field: str) -> datetime:
    return at_oslo(parse_date(day, day_field), parse_time(clock, clock_field))


# Meetings ------------------------------------------------------------------------------------


@dataclass
class MeetingInput:
    day: str
    time: str
    with_whom: str
    note: str = ""
    next_steps: str = ""
    shared: bool = True
    next_day: str = ""
    next_time: str = ""
    next_place: str = MeetingPlace.WORK.value


def add_meeting(session: Session, by: User, worker: User, data: MeetingInput, now: datetime) -> Meeting:
    """Record a meeting held. A next meeting must be later than now: a date in the past is
    refused, not stored as "next"."""
    _check(by, Action.RECORD_FOLLOW_UP, worker)
    held_at = _moment(data.day, data.time, "day", "time")
    if held_at > now:
        raise Invalid(_l("Møtet er ikke holdt ennå. Skriv det som neste møte."), field="day")
    try:
        with_whom = MeetingWith(data.with_whom)
    except ValueError:
        raise Invalid(_l("Velg hvem møtet var med."), field="with_whom") from None
    next_at, next_place = None, None
    if (data.next_day or "").strip() or (data.next_time or "").strip():
        next_at = _moment(data.next_day, data.next_time, "next_day", "next_time")
        if next_at <= now:
            raise Invalid(_l("Neste møte er i fortiden. Velg en dato og et klokkeslett fram i tid."),
                          field="next_day")
        if next_at > now + timedelta(days=limits.NEXT_MEETING_MAX_DAYS):
            raise Invalid(_l("Neste møte er mer enn ett år fram i tid. Sjekk datoen."), field="next_day")
        try:
            next_place = MeetingPlace(data.next_place or MeetingPlace.WORK.value).value
        except ValueError:
            raise Invalid(_l("Velg hvor neste møte er."), field="next_place") from None
    meeting = Meeting(
        worker_id=worker.id, by_id=by.id, held_at=held_at, with_whom=with_whom.value,
        note=_limited(data.note, limits.MEETING_NOTE_MAX, "note"),
        next_steps=_limited(data.next_steps, limits.MEETING_NOTE_MAX, "next_steps"),
        shared=bool(data.shared), next_at=next_at, next_place=next_place)
    session.add(meeting)
    session.flush()
    record(session, by, "meeting.create", worker, held_at.isoformat())
    return meeting


def meetings_of(session: Session, worker: User, *, shared_only: bool = False) -> list[Meeting]:
    """The worker's meetings, newest first, each with who held it: one query."""
    statement = (select(Meeting).options(joinedload(Meeting.by))
                 .where(Meeting.worker_id == worker.id)
                 .order_by(Meeting.held_at.desc(), Meeting.id.desc()))
    if shared_only:
        statement = statement.where(Meeting.shared.is_(True))
    return list(session.scalars(statement))


_MEETING_KEY = Key(Meeting.held_at, Meeting.id, read=lambda m: (m.held_at, m.id))


def meetings_page(session: Session, worker: User, after: tuple | None, limit: int, *,
                  shared_only: bool = False) -> Page:
    """One page of the worker's meetings, newest first, each with who held it: one query."""
    statement = select(Meeting).options(joinedload(Meeting.by)).where(Meeting.worker_id == worker.id)
    if shared_only:
        statement = statement.where(Meeting.shared.is_(True))
    return keyset(session, statement, _MEETING_KEY, after, limit, descending=True)


def next_meeting(meetings: list[Meeting], now: datetime) -> Meeting | None:
    """Of meetings newest first: the newest, when its next meeting is still to come (a meeting
    recorded later replaces the plan of an earlier one; my_job follows the same rule)."""
    latest = meetings[0] if meetings else None
    return latest if latest and latest.next_at and latest.next_at > now else None


def next_meetings(session: Session, workers: list[User], now: datetime) -> dict[int, Meeting]:
    """The planned next meeting of each of these workers (the newest meeting's, while it is to
    come: next_meeting's rule), by worker id, in one query: a support person's start page."""
    if not workers:
        return {}
    newest = func.row_number().over(partition_by=Meeting.worker_id,
                                    order_by=(Meeting.held_at.desc(), Meeting.id.desc())).label("n")
    latest = (select(Meeting.id, newest).where(Meeting.worker_id.in_([w.id for w in workers]))
              .subquery())
    rows = session.scalars(select(Meeting).join(latest, latest.c.id == Meeting.id)
                           .where(latest.c.n == 1, Meeting.next_at > now))
    return {meeting.worker_id: meeting for meeting in rows}


# The support plan ----------------------------------------------------------------------------


def plan_of(session: Session, worker: User) -> SupportPlan | None:
    return session.scalar(select(SupportPlan).where(SupportPlan.worker_id == worker.id))


def save_plan(session: Session, by: User, worker: User, *, visits_now: str, visits_next: str,
              next_from: str) -> SupportPlan:
    _check(by, Action.RECORD_FOLLOW_UP, worker)
    values = {"visits_now": _limited(visits_now, limits.PLAN_MAX, "visits_now"),
              "visits_next": _limited(visits_next, limits.PLAN_MAX, "visits_next"),
              "next_from": _limited(next_from, limits.PLAN_FROM_MAX, "next_from")}
    if values["next_from"] and not values["visits_next"]:
        raise Invalid(_l("Skriv hvor ofte du skal besøke da."), field="visits_next")
    plan = plan_of(session, worker) or SupportPlan(worker_id=worker.id)
    session.add(plan)
    for key, value in values.items():
        setattr(plan, key, value)
    plan.updated_by_id = by.id
    session.flush()
    record(session, by, "plan.update", worker)
    return plan


# The trial period ----------------------------------------------------------------------------


def trial_week(trial: TrialPeriod | None, today: date) -> int | None:
    """"Uke 2 av 4": the week of an open trial that is going on today, else None."""
    if trial is None or trial.outcome or today < trial.starts_on or today > trial.ends_on:
        return None
    return (today - trial.starts_on).days // 7 + 1


def current_trial(session: Session, worker: User) -> TrialPeriod | None:
    """The newest trial period (open or decided)."""
    return session.scalar(select(TrialPeriod).where(TrialPeriod.worker_id == worker.id)
                          .order_by(TrialPeriod.starts_on.desc(), TrialPeriod.id.desc()).limit(1))


def open_trials(session: Session, worker_ids: list[int]) -> dict[int, TrialPeriod]:
    """The open trial of each worker (for "Mine arbeidstakere"): one query."""
    if not worker_ids:
        return {}
    rows = session.scalars(select(TrialPeriod).where(
        TrialPeriod.worker_id.in_(worker_ids), TrialPeriod.outcome.is_(None))
        .order_by(TrialPeriod.starts_on, TrialPeriod.id))
    return {trial.worker_id: trial for trial in rows}


def save_trial(session: Session, by: User, worker: User, *, starts_on: str, weeks: str,
               evaluation_day: str = "", evaluation_time: str = "") -> TrialPeriod:
    """Start a trial period at the worker's workplace, or change the open one."""
    _check(by, Action.RECORD_FOLLOW_UP, worker)
    start = parse_date(starts_on, "starts_on")
    length = limits.TRIAL_WEEKS_DEFAULT if not (weeks or "").strip() else small_int(weeks.strip())
    if length is None or not 1 <= length <= limits.TRIAL_WEEKS_MAX:
        raise Invalid(_l("Skriv et antall uker fra 1 til %(n)s. Praksis kan vare høyst 6 måneder.",
                         n=limits.TRIAL_WEEKS_MAX), field="weeks")
    evaluation_at = None
    if (evaluation_day or "").strip() or (evaluation_time or "").strip():
        evaluation_at = _moment(evaluation_day, evaluation_time, "evaluation_day", "evaluation_time")
        if oslo(evaluation_at).date() < start:
            raise Invalid(_l("Evalueringen må være etter at praksisen har startet."),
                          field="evaluation_day")
    trial = session.scalar(select(TrialPeriod).where(
        TrialPeriod.worker_id == worker.id, TrialPeriod.outcome.is_(None)))
    is_new = trial is None
    if is_new:
        trial = TrialPeriod(worker_id=worker.id, created_by_id=by.id, workplace_id=worker.workplace_id)
        session.add(trial)
    trial.starts_on, trial.weeks, trial.evaluation_at = start, length, evaluation_at
    session.flush()
    record(session, by, "trial.create" if is_new else "trial.update", worker,
           f"{start.isoformat()}, {length}")
    return trial


def decide_trial(session: Session, by: User, worker: User, *, outcome: str, on: str) -> TrialPeriod:
    """The outcome of the open trial: fast ansatt, lengre praksis (then start a new one) or
    avsluttet, with its date."""
    _check(by, Action.RECORD_FOLLOW_UP, worker)
    trial = session.scalar(select(TrialPeriod).where(
        TrialPeriod.worker_id == worker.id, TrialPeriod.outcome.is_(None)))
    if trial is None:
        raise Invalid(_l("Det er ingen praksis-periode å avslutte."), field="outcome")
    try:
        result = TrialOutcome(outcome)
    except ValueError:
        raise Invalid(_l("Velg hvordan praksisen endte."), field="outcome") from None
    day = parse_date(on, "on")
    if day < trial.starts_on:
        raise Invalid(_l("Datoen er før praksisen startet."), field="on")
    trial.outcome, trial.outcome_on = result.value, day
    session.flush()
    record(session, by, "trial.outcome", worker, result.value)
    return trial


# What the worker sees ------------------------------------------------------------------------


class JobTrial(NamedTuple):
    starts_on: date
    weeks: int
    evaluation_at: datetime | None
    outcome: str | None

    @property
    def ends_on(self) -> date:
        return TrialPeriod.last_day(self.starts_on, self.weeks)


class JobMeeting(NamedTuple):
    next_at: datetime | None
    next_place: str | None


class JobSpecialist(NamedTuple):
    id: int
    name: str

    @property
    def first_name(self) -> str:
        return first_name(self.name)


@dataclass
class MyJob:
    workplace: WorkplaceCard | None
    trial: JobTrial | None
    trial_week: int | None
    next_meeting: JobMeeting | None
    next_with: JobSpecialist | None  # who the worker will meet
    # When the worker last began "Hvordan har du det på jobb?" (services/checkin.py): asked in
    # this query so that the I dag card costs no query of its own.
    last_checkin_at: datetime | None = None

    @property
    def anything(self) -> bool:
        return bool(self.workplace or self.trial_week or self.next_meeting
                    or (self.trial and not self.trial.outcome))


_PLACE, _TRIAL, _MEETING = len(WorkplaceCard._fields), len(JobTrial._fields), len(JobMeeting._fields)


def my_job(session: Session, worker: User, now: datetime) -> MyJob:
    """The workplace, the newest trial and the planned next meeting (with the specialist who
    planned it) of a worker, in one query: I dag shows them. Rows of the columns shown, not
    objects: I dag asks on every visit, and loading four objects cost more than the query."""
    return one_row.read(session, my_job_read(worker, now))


def my_job_read(worker: User, now: datetime) -> OneRow:
    """my_job as a read I dag runs together with its other one-row reads."""
    return OneRow(_my_job_query(), {"worker_id": worker.id}, lambda row: _my_job_from(row, now))


def _my_job_from(row: tuple | None, now: datetime) -> MyJob:
    if row is None:  # the worker's own row is the query's first table: only if she is gone
        return MyJob(None, None, None, None, None)
    row = row[1:]  # her id: the column that is never None
    trial_at, meeting_at, rest_at = _PLACE, _PLACE + _TRIAL, _PLACE + _TRIAL + _MEETING
    workplace = WorkplaceCard(*row[:trial_at]) if row[0] is not None else None
    trial = JobTrial(*row[trial_at:meeting_at]) if row[trial_at] is not None else None
    meeting = JobMeeting(*row[meeting_at:rest_at])
    specialist_id, specialist_name, last_checkin = row[rest_at:]
    planned = meeting.next_at is not None and meeting.next_at > now
    by = JobSpecialist(specialist_id, specialist_name) if planned and specialist_id is not None else None
    return MyJob(workplace, trial, trial_week(trial, oslo(now).date()), meeting if planned else None, by,
                 last_checkin)


@cache
def _my_job_query():
    # Built once: I dag asks it on every visit, and building a statement costs more than running
    # it (as schedule's and tasks' I dag statements).
    worker_id = bindparam("worker_id")
    latest_trial = (select(TrialPeriod.id).where(TrialPeriod.worker_id == worker_id)
                    .order_by(TrialPeriod.starts_on.desc(), TrialPeriod.id.desc())
                    .limit(1).scalar_subquery())
    latest_meeting = (select(Meeting.id).where(Meeting.worker_id == worker_id)
                      .order_by(Meeting.held_at.desc(), Meeting.id.desc()).limit(1).scalar_subquery())
    specialist, me = aliased(User), aliased(User)
    from .checkin import last_started

    columns = ([me.id] + WorkplaceCard.columns()
               + [getattr(TrialPeriod, name) for name in JobTrial._fields]
               + [getattr(Meeting, name) for name in JobMeeting._fields]
               + [specialist.id, specialist.name, last_started(worker_id)])
    return (select(*columns).select_from(me)
            .outerjoin(Workplace, Workplace.id == me.workplace_id)
            .outerjoin(TrialPeriod, TrialPeriod.id == latest_trial)
            .outerjoin(Meeting, Meeting.id == latest_meeting)
            .outerjoin(specialist, specialist.id == Meeting.by_id)
            .where(me.id == worker_id))


def staff_record(session: Session, by: User, worker: User) -> dict:
    """The follow-up record for the specialist's worker page (read through can(), logged)."""
    _check(by, Action.SEE_FOLLOW_UP, worker)
    record(session, by, "followup.view", worker)
    meetings = meetings_of(session, worker)
    return {"meetings": meetings, "plan": plan_of(session, worker),
            "trial": current_trial(session, worker)}



"""Progress, for the specialist: each assignment's last runs, steps ticked and help asked."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ...models import (
    Assignment,
    HelpRequest,
    Run,
    StepDone,
    User,
)
from .runs import WITH_STEPS


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
        select(Assignment).options(WITH_STEPS)
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
        from ..schedule import oslo

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

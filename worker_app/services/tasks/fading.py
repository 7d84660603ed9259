"""Fading support: the worker's support level per step (full, short, mastered), claims of
"Jeg kan dette nå" and the specialist's decision."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from ...models import (
    FULL,
    MASTERED,
    SHORT,
    ChecklistStep,
    ChecklistVersion,
    MasteryClaim,
    StepSupport,
    User,
)
from ...models.types import utcnow
from ..audit import record
from ..errors import Invalid


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

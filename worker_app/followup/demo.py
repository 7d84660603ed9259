"""Demo data of the job specialist's year for `flask seed-demo` (idempotent): a fadder at the
worker's workplace, a trial period that started this week and a meeting with a next one."""

from __future__ import annotations

from datetime import time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Meeting, TrialPeriod, User, Workplace
from ..models.types import utcnow
from ..services.schedule import at_oslo, oslo


def seed(session: Session, worker: User, specialist: User, place: Workplace) -> None:
    place.mentor_name = place.mentor_name or "Tone Fadder"
    place.address = place.address or "Strandkaien 1, Bergen"
    if session.scalar(select(Meeting.id).where(Meeting.worker_id == worker.id).limit(1)) is not None:
        return
    today = oslo(utcnow()).date()
    monday = today - timedelta(days=today.weekday())
    session.add(TrialPeriod(worker_id=worker.id, workplace_id=place.id, starts_on=monday, weeks=4,
                            created_by_id=specialist.id))
    held = at_oslo(today - timedelta(days=3), time(10, 0))
    session.add(Meeting(worker_id=worker.id, by_id=specialist.id, held_at=held, with_whom="both",
                        note="Ola trives på frokost-salen.", next_steps="Ola lærer å fylle på kaffen.",
                        shared=True, next_at=at_oslo(today + timedelta(days=4), time(10, 0)),
                        next_place="work"))
    session.flush()

"""Pushing a checklist to workers: its draft is frozen and each worker gets it once, on a date,
on weekdays or on every shift."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from ...models import (
    Assignment,
    Checklist,
    User,
)
from ...models.types import utcnow
from .. import reminders
from ..audit import record
from ..errors import Invalid


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

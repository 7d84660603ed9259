"""For integrations (the API): one shift, the shifts in a range page by page, and an
employer's roster upload (all or nothing, keyed by the employer's own ids)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from ...models import Shift, User
from ...models.types import utcnow
from ..audit import record
from ..errors import Conflict, Invalid, NotFound
from ..paging import Key, Page, keyset
from .notices import notify
from .oslo_time import LONGEST_SHIFT, check_span, clean_note
from .shifts import overlap_error

_SHIFT_KEY = Key(Shift.starts_at, Shift.id, read=lambda s: (s.starts_at, s.id))
MAX_RANGE_DAYS = 400


def get_shift(session: Session, shift_id: int) -> Shift:
    shift = session.scalar(select(Shift).options(joinedload(Shift.worker)).where(Shift.id == shift_id))
    if shift is None:
        raise NotFound()
    return shift


def shifts_between(session: Session, worker: User, start: datetime, end: datetime,
                   after: tuple | None = None, limit: int = 50) -> Page:
    """The worker's shifts (cancelled ones too) that overlap [start, end), in time order."""
    if end <= start:
        raise Invalid(_l("«to» må være etter «from»."), field="to")
    if end - start > timedelta(days=MAX_RANGE_DAYS):
        raise Invalid(_l("Høyst 400 dager om gangen."), field="to")
    return keyset(session, select(Shift).where(
        Shift.worker_id == worker.id, Shift.starts_at < end, Shift.ends_at > start,
        Shift.starts_at > start - LONGEST_SHIFT), _SHIFT_KEY, after, limit)


@dataclass
class RosterRow:
    external_id: str
    worker: User
    starts_at: datetime
    ends_at: datetime
    note: str = ""
    cancelled: bool = False


@dataclass
class RosterResult:
    shifts: list[tuple[str, Shift]]
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def upsert_roster(session: Session, *, by: User, source: str, rows: list[RosterRow],
                  existing: dict[str, Shift]) -> RosterResult:
    """Make or update each shift of an employer's roster, keyed by the employer's own id.

    All or nothing: the first bad row (its index in `field`) stops it before anything is written.
    Sending the same roster again changes nothing: a row equal to its shift is left alone.
    """
    seen: set[str] = set()
    spans: dict[int, list[tuple[datetime, datetime, int, str | None]]] = {}
    for i, row in enumerate(rows):
        if row.external_id in seen:
            raise Invalid(_l("Samme external_id er sendt to ganger."), field=f"/shifts/{i}/external_id")
        seen.add(row.external_id)
        row.starts_at, row.ends_at = check_span(row.starts_at, row.ends_at, field=f"/shifts/{i}/ends_at")
        row.note = clean_note(row.note, field=f"/shifts/{i}/note")
        if not row.cancelled:
            spans.setdefault(row.worker.id, []).append((row.starts_at, row.ends_at, i, row.external_id))
    _check_roster_overlaps(session, source, spans, replaced={s.id for s in existing.values()})

    result = RosterResult(shifts=[])
    changed: list[tuple[Shift, str]] = []
    for row in rows:
        shift = existing.get(row.external_id)
        note = row.note
        if shift is None:
            shift = Shift(worker_id=row.worker.id, workplace_id=row.worker.workplace_id, starts_at=row.starts_at,
                          ends_at=row.ends_at, note=note, external_source=source, external_id=row.external_id,
                          external_owner_id=by.id,
                          cancelled_at=utcnow() if row.cancelled else None)
            session.add(shift)
            result.created += 1
            record(session, by, "shift.create", row.worker, f"{source}:{row.external_id}")
        elif (shift.worker_id, shift.starts_at, shift.ends_at, shift.note, shift.cancelled_at is not None) == (
                row.worker.id, row.starts_at, row.ends_at, note, row.cancelled):
            result.unchanged += 1
        else:
            was_cancelled = shift.cancelled_at is not None
            if shift.worker_id != row.worker.id:
                # Given to someone else: the first worker is told it is off; for the new one it
                # is a new shift (new shifts send no notice).
                if not was_cancelled:
                    notify(session, shift, "shift_cancelled")
                shift.worker_id, shift.workplace_id = row.worker.id, row.worker.workplace_id
            elif row.cancelled and not was_cancelled:
                changed.append((shift, "shift_cancelled"))
            elif not row.cancelled:
                changed.append((shift, "shift_changed"))
            shift.starts_at, shift.ends_at, shift.note = row.starts_at, row.ends_at, note
            shift.changed_at = utcnow()
            shift.cancelled_at = (shift.cancelled_at or utcnow()) if row.cancelled else None
            shift.external_owner_id = by.id  # taken over (services/roster_keys.py)
            result.updated += 1
            record(session, by, "shift.update", row.worker, f"{source}:{row.external_id}")
        result.shifts.append((row.external_id, shift))
    try:
        session.flush()
    except IntegrityError:
        # Another upload of the same new shifts got there first (unique owner, source and id). The
        # request's error answer rolls the whole upload back.
        raise Conflict(_l("Vaktlisten ble sendt to ganger samtidig. Send den en gang til.")) from None
    for shift, kind in changed:
        notify(session, shift, kind)
    session.flush()
    return result


def _check_roster_overlaps(session: Session, source: str, spans: dict, replaced: set[int]) -> None:
    """No two live shifts of a worker at once: within the roster, and against shifts the roster
    doesn't replace (the ids of the shifts its rows update, whoever had them). One query."""
    if not spans:
        return
    first = min(s for rows in spans.values() for s, *_ in rows)
    last = max(e for rows in spans.values() for _, e, *_ in rows)
    others: dict[int, list[tuple[datetime, datetime, int]]] = {}
    for worker_id, start, end, shift_id in session.execute(
            select(Shift.worker_id, Shift.starts_at, Shift.ends_at, Shift.id)
            .where(Shift.worker_id.in_(spans), Shift.cancelled_at.is_(None),
                   Shift.starts_at < last, Shift.ends_at > first)):
        others.setdefault(worker_id, []).append((start, end, shift_id))
    for worker_id, rows in spans.items():
        kept = [(s, e) for s, e, shift_id in others.get(worker_id, []) if shift_id not in replaced]
        ordered = sorted(rows)
        for (start, end, i, _), later in zip(ordered, ordered[1:] + [None], strict=True):
            if later is not None and later[0] < end:
                raise overlap_error(later[0], f"/shifts/{later[2]}/starts_at")
            for other_start, other_end in kept:
                if start < other_end and other_start < end:
                    raise overlap_error(other_start, f"/shifts/{i}/starts_at")

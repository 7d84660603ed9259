""""Jeg har gått" and "Jeg blir sen": the worker's answer to a shift's reminders (also from the
notification, with a signed token), and the card on I dag that asks for it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from functools import cache
from typing import NamedTuple

from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, aliased

from ...models import (
    LeftHome,
    Shift,
    User,
    Workplace,
)
from ...models.people import WorkplaceCard
from ...models.types import utcnow
from .. import one_row
from ..errors import NotFound
from ..one_row import OneRow
from ..schedule import at_oslo, oslo
from ..schedule.oslo_time import LONGEST_SHIFT
from .kinds import LEFT_TOKEN_AGE, moments
from .recording import helper_ids, insert_once


def left_token(secret_key: str, worker_id: int, shift_id: int) -> str:
    """What the notification's "Jeg har gått" button sends: it names the worker and the shift."""
    return URLSafeTimedSerializer(secret_key, salt="left-home").dumps([worker_id, shift_id])


def read_left_token(secret_key: str, token: str) -> tuple[int, int]:
    try:
        worker_id, shift_id = URLSafeTimedSerializer(secret_key, salt="left-home").loads(
            token, max_age=LEFT_TOKEN_AGE)
        return int(worker_id), int(shift_id)
    except (BadSignature, ValueError, TypeError):
        raise NotFound() from None


def _own_shift(session: Session, worker: User, shift_id: int) -> Shift:
    shift = session.get(Shift, shift_id)
    if shift is None or shift.worker_id != worker.id:
        raise NotFound()
    return shift


def _answer(session: Session, shift: Shift) -> LeftHome:
    answer = session.scalar(select(LeftHome).where(LeftHome.shift_id == shift.id))
    if answer is None:
        answer = LeftHome(worker_id=shift.worker_id, shift_id=shift.id)
        session.add(answer)
    return answer


def mark_left(session: Session, worker: User, shift_id: int, via: str = "today") -> LeftHome:
    """Jeg har gått. A second tap counts once: the first time stays."""
    shift = _own_shift(session, worker, shift_id)
    answer = _answer(session, shift)
    if answer.left_at is None:
        answer.left_at, answer.via = utcnow(), via
    session.flush()
    return answer


def mark_late(session: Session, worker: User, shift_id: int) -> LeftHome:
    """Jeg blir sen: the same people as the escalation are told, once."""
    shift = _own_shift(session, worker, shift_id)
    answer = _answer(session, shift)
    if answer.late_at is None:
        answer.late_at = utcnow()
        helpers = helper_ids(session, [worker.id])[worker.id]
        insert_once(session, [{"key": f"late:{shift.id}:{helper}", "user_id": helper, "worker_id": worker.id,
                                "kind": "late", "shift_id": shift.id, "due_at": answer.late_at}
                               for helper in sorted(helpers)])
    session.flush()
    return answer


class DayShift(NamedTuple):
    """The shift of the now-card, as the row it is read as: I dag asks on every visit, and
    loading the shift, its workplace and its answer as objects cost more than the query."""
    id: int
    starts_at: datetime
    ends_at: datetime
    cancelled_at: datetime | None
    changed_at: datetime | None
    note: str
    workplace_id: int | None
    workplace: WorkplaceCard | None
    # Another shift of hers today has already ended: after it, I dag says so, never "fri i dag".
    earlier_today_ended: bool


class Answer(NamedTuple):
    """The shift's "Jeg har gått" or "Jeg blir sen", if given."""
    left_at: datetime | None
    late_at: datetime | None


_SHIFT = len(DayShift._fields) - 2  # the shift's own columns; then its workplace (a tuple), the flag
_PLACE = len(WorkplaceCard._fields)


def current_or_next_with_answer(session: Session, worker: User, now: datetime) -> tuple[DayShift | None, Answer | None]:
    """The shift going on now or the next one (as schedule.current_or_next), with its "Jeg har
    gått" answer if any: one query, whether there is a shift or not."""
    return one_row.read(session, current_or_next_read(worker, now))


def current_or_next_read(worker: User, now: datetime) -> OneRow:
    """current_or_next_with_answer as a read I dag runs together with its other one-row reads."""
    today = at_oslo(oslo(now).date(), time())
    return OneRow(_current_or_next_query(),
                  {"worker_id": worker.id, "now": now, "since": now - LONGEST_SHIFT, "today_start": today},
                  _shift_and_answer)


def _shift_and_answer(row: tuple | None) -> tuple[DayShift | None, Answer | None]:
    if row is None:
        return None, None
    place = WorkplaceCard(*row[_SHIFT:_SHIFT + _PLACE]) if row[_SHIFT] is not None else None
    answer_id, left_at, late_at, earlier_today_ended = row[_SHIFT + _PLACE:]
    return (DayShift(*row[:_SHIFT], place, bool(earlier_today_ended)),
            Answer(left_at, late_at) if answer_id is not None else None)


@cache
def _current_or_next_query():
    # Built once: I dag asks it on every visit, and building a statement costs more than
    # running it (see auth._session_user_query).
    ended = aliased(Shift)
    # Bounded on both sides by its start (an ended shift began before now), so the index reads
    # only today's shifts: bounded below alone, it read every shift to come, half a year of them.
    earlier_today_ended = select(ended.id).where(
        ended.worker_id == bindparam("worker_id"), ended.cancelled_at.is_(None),
        ended.starts_at >= bindparam("today_start"), ended.starts_at < bindparam("now"),
        ended.ends_at <= bindparam("now")).exists()
    columns = ([getattr(Shift, name) for name in DayShift._fields[:_SHIFT]]
               + WorkplaceCard.columns()
               + [LeftHome.id, LeftHome.left_at, LeftHome.late_at, earlier_today_ended.label("earlier_today_ended")])
    return (select(*columns)
            .outerjoin(Workplace, Workplace.id == Shift.workplace_id)
            .outerjoin(LeftHome, LeftHome.shift_id == Shift.id)
            .where(Shift.worker_id == bindparam("worker_id"), Shift.cancelled_at.is_(None),
                   Shift.ends_at > bindparam("now"), Shift.starts_at > bindparam("since"))
            .order_by(Shift.starts_at).limit(1))


@dataclass
class NowCard:
    """The top card of I dag: the next reminder and whether "Jeg har gått" is shown."""

    kind: str  # "get_ready", "leave_home", or "left" / "late" once answered
    at: datetime | None
    show_left_button: bool
    answer: Answer | None


def now_card(shift: DayShift | None, worker: User, answer: Answer | None, now: datetime) -> NowCard | None:
    """From get-ready time until the shift starts (and on the day, before that: the next moment)."""
    if shift is None or shift.cancelled_at is not None or now >= shift.starts_at:
        return None
    at = moments(shift, worker)
    opens = at.get_ready or at.leave_home
    # Another day's shift only once its window has opened: a shift just after midnight still
    # asks for "Jeg har gått" in the evening before.
    if oslo(shift.starts_at).date() != oslo(now).date() and (opens is None or now < opens):
        return None
    if answer is not None and (answer.left_at or answer.late_at):
        return NowCard("left" if answer.left_at else "late", answer.left_at or answer.late_at, False, answer)
    in_window = opens is not None and now >= opens
    if at.leave_home is not None and (now >= (at.get_ready or at.leave_home) or at.get_ready is None):
        return NowCard("leave_home", at.leave_home, in_window, answer)
    return NowCard("get_ready", at.get_ready, in_window, answer)

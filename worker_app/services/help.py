"""Help requests: a worker asks, the specialists who follow them answer."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.orm import Session, joinedload

from ..models import Follows, HelpReason, HelpRequest, User
from ..models.types import utcnow
from . import reminders
from .audit import record
from .errors import Invalid, NotFound
from .paging import Key, Page, keyset


def ask(session: Session, worker: User, reason: str) -> HelpRequest:
    try:
        reason = HelpReason(reason)
    except ValueError:
        raise Invalid(_l("Velg hva som er galt."), field="reason") from None
    request = HelpRequest(worker_id=worker.id, reason=reason.value)
    session.add(request)
    session.flush()
    reminders.help_asked(session, request)
    return request


def latest_of_worker(session: Session, worker: User, limit: int = 5) -> list[HelpRequest]:
    from .people import _HELP_STEP

    return list(session.scalars(
        select(HelpRequest).options(_HELP_STEP)
        .where(HelpRequest.worker_id == worker.id)
        .order_by(HelpRequest.created_at.desc(), HelpRequest.id.desc())
        .limit(limit)
    ))


def mark_seen(session: Session, worker: User, by: User) -> None:
    """A specialist who follows the worker opened the worker's page: the open requests not seen
    yet are seen now, by them (the worker's receipt says so)."""
    if by.id not in set(session.scalars(select(Follows.specialist_id).where(Follows.worker_id == worker.id))):
        return
    session.execute(update(HelpRequest).where(
        HelpRequest.worker_id == worker.id, HelpRequest.seen_at.is_(None), HelpRequest.handled_at.is_(None))
        .values(seen_at=utcnow(), seen_by_id=by.id).execution_options(synchronize_session=False))
    session.flush()


def receipt(session: Session, request_id: int) -> HelpRequest | None:
    """A help request with who saw or handled it and the step it was asked from: one query, the
    same for the receipt page and its polled block. Whose it is, the policy decides."""
    return session.scalar(select(HelpRequest).options(
        joinedload(HelpRequest.seen_by), joinedload(HelpRequest.handled_by), _step_and_checklist())
        .where(HelpRequest.id == request_id))


def _step_and_checklist():
    from .people import _HELP_STEP

    return _HELP_STEP


def mark_handled(session: Session, request: HelpRequest, by: User) -> HelpRequest:
    if request.handled_at is None:
        request.handled_at = utcnow()
        request.handled_by_id = by.id
        if request.seen_at is None:
            request.seen_at, request.seen_by_id = request.handled_at, by.id
        record(session, by, "help.handled", request.worker, request.reason)
        session.flush()
    return request


_HELP_KEY = Key(HelpRequest.created_at, HelpRequest.id, read=lambda r: (r.created_at, r.id))


def requests_page(session: Session, worker_ids, handled: bool, after: tuple | None, limit: int) -> Page:
    """Help requests of the workers in worker_ids (a subquery from the policy), newest first."""
    return keyset(session, select(HelpRequest).where(
        HelpRequest.worker_id.in_(worker_ids),
        HelpRequest.handled_at.is_not(None) if handled else HelpRequest.handled_at.is_(None)),
        _HELP_KEY, after, limit, descending=True)


def get(session: Session, request_id: int) -> HelpRequest:
    row = session.scalar(select(HelpRequest).options(joinedload(HelpRequest.worker))
                         .where(HelpRequest.id == request_id))
    if row is None:
        raise NotFound()
    return row

"""Help requests: a worker asks, the specialists who follow them answer."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import HelpReason, HelpRequest, User
from ..models.types import utcnow
from .audit import record
from .errors import Invalid


def ask(session: Session, worker: User, reason: str) -> HelpRequest:
    try:
        reason = HelpReason(reason)
    except ValueError:
        raise Invalid(_l("Velg hva som er galt."), field="reason") from None
    request = HelpRequest(worker_id=worker.id, reason=reason.value)
    session.add(request)
    session.commit()
    return request


def latest_of_worker(session: Session, worker: User, limit: int = 5) -> list[HelpRequest]:
    from .people import _HELP_STEP

    return list(session.scalars(
        select(HelpRequest).options(_HELP_STEP)
        .where(HelpRequest.worker_id == worker.id)
        .order_by(HelpRequest.created_at.desc(), HelpRequest.id.desc())
        .limit(limit)
    ))


def mark_handled(session: Session, request: HelpRequest, by: User) -> HelpRequest:
    if request.handled_at is None:
        request.handled_at = utcnow()
        request.handled_by_id = by.id
        record(session, by, "help.handled", request.worker, request.reason)
        session.commit()
    return request

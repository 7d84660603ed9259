"""Notices: the worker, and each support person allowed to see shifts, is told when a shift
changes or is cancelled; the unread ones are shown on their pages."""

from __future__ import annotations

from functools import cache

from sqlalchemy import and_, bindparam, select
from sqlalchemy.orm import Session, joinedload

from ...models import Notice, Permission, Shift, SupportLink, User
from ...models.types import utcnow


def notify(session: Session, shift: Shift, kind: str) -> None:
    """The worker, and each support person the worker lets see shifts, get a notice."""
    for user_id in told_about(session, shift.worker_id):
        session.add(Notice(user_id=user_id, worker_id=shift.worker_id, kind=kind, shift=shift))
    from .. import reminders  # imported here: reminders reads the schedule's time helpers

    reminders.shift_changed(session, shift, kind)


def told_about(session: Session, worker_id: int) -> list[int]:
    """Who is told about the worker's shifts: the worker, and each support person allowed."""
    supporters = session.scalars(
        select(SupportLink.supporter_id).where(
            SupportLink.worker_id == worker_id, SupportLink.confirmed_at.is_not(None),
            getattr(SupportLink, Permission.SEE_SHIFTS.value).is_(True))
    ).all()
    return [worker_id, *supporters]


def unread_notices(session: Session, user: User, limit: int = 5) -> list[Notice]:
    return list(session.scalars(_unread_query(limit), {"user_id": user.id}))


@cache
def _unread_query(limit: int):
    # Built once per limit: I dag asks it on every visit, and building a statement costs more
    # than running it (see auth._session_user_query).
    from ...models import Assignment, ChecklistVersion

    return (select(Notice).options(joinedload(Notice.shift), joinedload(Notice.event), joinedload(Notice.rule),
                                   joinedload(Notice.worker),
                                   joinedload(Notice.assignment).joinedload(Assignment.version)
                                   .joinedload(ChecklistVersion.checklist))
            .where(Notice.user_id == bindparam("user_id"), Notice.read_at.is_(None))
            .order_by(Notice.created_at.desc()).limit(limit))


def mark_notices_read(session: Session, user: User) -> None:
    for notice in session.scalars(
        select(Notice).where(and_(Notice.user_id == user.id, Notice.read_at.is_(None)))
    ):
        notice.read_at = utcnow()
    session.flush()

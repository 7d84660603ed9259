"""Notices: the worker, and each support person allowed to see shifts, is told when a shift
changes or is cancelled; the unread ones are shown on their pages."""

from __future__ import annotations

from functools import cache

from sqlalchemy import Row, and_, bindparam, select
from sqlalchemy.orm import Session

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


def unread_notices(session: Session, user: User, limit: int = 5) -> list[Row]:
    """The newest unread notices of a person, as flat rows: `kind`, `worker_id`, and what the
    notice is about (`shift_starts_at`/`shift_ends_at`, `event_title`/`event_starts_at`,
    `rule_weekdays`/`rule_ends_on`, `checklist_title`/`on_date`); the columns of what it is not
    about are None. Rows, not objects: I dag asks this on every visit, and loading five related
    objects per notice cost more than the rest of the page's reads together."""
    return session.connection().execute(_unread_query(limit), {"user_id": user.id}).all()


@cache
def _unread_query(limit: int):
    # Built once per limit (see auth._session_user_query).
    from ...models import Assignment, Checklist, ChecklistVersion, Event, ShiftRule

    notice, shift, event, rule = (Notice.__table__, Shift.__table__, Event.__table__, ShiftRule.__table__)
    assignment, version, checklist = Assignment.__table__, ChecklistVersion.__table__, Checklist.__table__
    return (select(notice.c.kind, notice.c.worker_id,
                   shift.c.starts_at.label("shift_starts_at"), shift.c.ends_at.label("shift_ends_at"),
                   event.c.title.label("event_title"), event.c.starts_at.label("event_starts_at"),
                   rule.c.weekdays.label("rule_weekdays"), rule.c.ends_on.label("rule_ends_on"),
                   checklist.c.title.label("checklist_title"), assignment.c.on_date,
                   notice.c.assignment_id)
            .select_from(notice)
            .outerjoin(shift, shift.c.id == notice.c.shift_id)
            .outerjoin(event, event.c.id == notice.c.event_id)
            .outerjoin(rule, rule.c.id == notice.c.rule_id)
            .outerjoin(assignment, assignment.c.id == notice.c.assignment_id)
            .outerjoin(version, version.c.id == assignment.c.version_id)
            .outerjoin(checklist, checklist.c.id == version.c.checklist_id)
            .where(notice.c.user_id == bindparam("user_id"), notice.c.read_at.is_(None))
            .order_by(notice.c.created_at.desc()).limit(limit))


def mark_notices_read(session: Session, user: User) -> None:
    for notice in session.scalars(
        select(Notice).where(and_(Notice.user_id == user.id, Notice.read_at.is_(None)))
    ):
        notice.read_at = utcnow()
    session.flush()

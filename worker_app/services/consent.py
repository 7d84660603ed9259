"""What a worker shares with support persons. The worker decides; the specialist only proposes."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select
from sqlalchemy.orm import Session, joinedload

from ..models import Notice, Permission, Role, SupportLink, User
from ..models.types import utcnow
from .audit import record
from .errors import Invalid, NotFound


def propose_support_link(
    session: Session,
    *,
    worker: User,
    supporter: User,
    relation: str,
    permissions: list[Permission],
    proposed_by: User,
) -> SupportLink:
    """A specialist suggests a support person; nothing is shared until the worker says yes."""
    if worker.role != Role.WORKER or supporter.role != Role.SUPPORT:
        raise Invalid(_l("Velg en arbeidstaker og en støtteperson."), field="supporter")
    if not permissions:
        raise Invalid(_l("Velg minst én ting støttepersonen kan se."), field="permissions")
    link = session.scalar(
        select(SupportLink).where(
            SupportLink.worker_id == worker.id, SupportLink.supporter_id == supporter.id
        )
    ) or SupportLink(worker_id=worker.id, supporter_id=supporter.id)
    link.relation = relation.strip()[:80]
    for permission in Permission:
        setattr(link, permission.value, permission in permissions)
    # A changed proposal must be agreed to again.
    link.confirmed_at = None
    link.proposed_by_id = proposed_by.id
    session.add(link)
    session.flush()
    record(session, proposed_by, "support.propose", worker, f"{supporter.name}: "
           + ", ".join(p.value for p in permissions))
    session.flush()
    return link


def links_of_worker(session: Session, worker: User) -> list[SupportLink]:
    return list(
        session.scalars(
            select(SupportLink)
            .options(joinedload(SupportLink.supporter))
            .where(SupportLink.worker_id == worker.id)
            .order_by(SupportLink.id)
        )
    )


def _own_link(session: Session, worker: User, link_id: int) -> SupportLink:
    link = session.get(SupportLink, link_id)
    if link is None or link.worker_id != worker.id:
        raise NotFound()
    return link


def confirm(session: Session, worker: User, link_id: int,
            shown: list[str] | None = None) -> SupportLink:
    """Say yes to exactly what the worker was shown; a proposal changed meanwhile is refused."""
    link = _own_link(session, worker, link_id)
    if shown is not None and sorted(shown) != sorted(p.value for p in link.permissions()):
        raise Invalid(_l("Spørsmålet er endret. Les det en gang til."), field="answer")
    link.confirmed_at = utcnow()
    session.flush()
    return link


def decline(session: Session, worker: User, link_id: int) -> None:
    """The worker says no: the proposal is gone."""
    link = _own_link(session, worker, link_id)
    _forget_notices(session, link)
    session.delete(link)
    session.flush()


def _forget_notices(session: Session, link: SupportLink) -> None:
    """Withdrawing means the data is gone: the support person's notices about this worker."""
    session.execute(delete(Notice).where(Notice.user_id == link.supporter_id,
                                         Notice.worker_id == link.worker_id))


def stop_permission(session: Session, worker: User, link_id: int, permission: Permission) -> bool:
    """The worker stops one permission. With none left the link is deleted. True if deleted."""
    link = _own_link(session, worker, link_id)
    setattr(link, permission.value, False)
    if permission is Permission.SEE_SHIFTS:
        _forget_notices(session, link)
    if permission is Permission.NOTIFY_NOT_LEFT:
        session.execute(delete(Notice).where(Notice.user_id == link.supporter_id, Notice.worker_id == link.worker_id,
                                             Notice.kind.in_(("not_left", "late"))))
    if not link.permissions():
        if link.confirmed_at is not None:
            # An early sign for the worker's specialist ("En støtteperson er ikke koblet til lenger").
            record(session, worker, "support.end", worker, f"link {link.id}")
        session.delete(link)
        session.flush()
        return True
    session.flush()
    return False

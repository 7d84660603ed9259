"""What a worker shares with support persons. The worker decides; the specialist only proposes."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from ..models import Permission, Role, SupportLink, User
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
    session.commit()
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


def confirm(session: Session, worker: User, link_id: int) -> SupportLink:
    link = _own_link(session, worker, link_id)
    link.confirmed_at = utcnow()
    session.commit()
    return link


def decline(session: Session, worker: User, link_id: int) -> None:
    """The worker says no: the proposal is gone."""
    session.delete(_own_link(session, worker, link_id))
    session.commit()


def stop_permission(session: Session, worker: User, link_id: int, permission: Permission) -> bool:
    """The worker stops one permission. With none left the link is deleted. True if deleted."""
    link = _own_link(session, worker, link_id)
    setattr(link, permission.value, False)
    if not link.permissions():
        session.delete(link)
        session.commit()
        return True
    session.commit()
    return False

"""The open sign-in links of the people on a worker page, and ending one before it is used.

A link is open while it is unused, not revoked and not expired. A new link ends the older
open ones (services/auth.py), so there is mostly one; a lost or wrongly sent link can be
ended at once instead of staying valid for 7 days."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from ..models import Role, SignInLink, User
from ..models.types import utcnow
from ..policy import linkable_user_ids
from .audit import record
from .errors import NotFound


def open_links(session: Session, viewer: User, people: list[User]) -> dict[int, list[SignInLink]]:
    """Open links by person, of the people given whose links the viewer may make and end.
    One query, whatever the number of people."""
    ids = [person.id for person in people]
    if not ids:
        return {}
    now = utcnow()
    found: dict[int, list[SignInLink]] = {}
    for link in session.scalars(
            select(SignInLink).options(joinedload(SignInLink.created_by))
            .where(SignInLink.user_id.in_(ids), SignInLink.user_id.in_(linkable_user_ids(viewer)),
                   SignInLink.used_at.is_(None), SignInLink.revoked_at.is_(None), SignInLink.expires_at > now)
            .order_by(SignInLink.created_at.desc(), SignInLink.id.desc())):
        found.setdefault(link.user_id, []).append(link)
    return found


def get(session: Session, link_id: int) -> SignInLink:
    link = session.get(SignInLink, link_id)
    if link is None:
        raise NotFound()
    return link


def revoke(session: Session, link: SignInLink, by: User) -> bool:
    """End a link before it is used: it then answers as a used link. False when it had ended
    already (used, revoked or expired); nothing changes then."""
    now = utcnow()
    if link.used_at is not None or link.revoked_at is not None or link.expires_at <= now:
        return False
    link.revoked_at = now
    person = link.user
    record(session, by, "signin_link.revoke", person if person.role == Role.WORKER else None,
           f"{person.name}: made {link.created_at:%Y-%m-%d %H:%M} UTC")
    session.flush()
    return True

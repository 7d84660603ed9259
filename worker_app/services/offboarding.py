"""Off-boarding: an admin deactivates and reactivates a person, signs anyone out everywhere,
and a specialist's caseload is handed to another specialist in one step."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from ..models import Follows, Role, SupportLink, User
from ..models.types import utcnow
from .audit import record, record_each
from .auth import sign_out_everywhere
from .errors import Invalid, NotFound


def _about(person: User) -> User | None:
    """The worker an audit entry is about: the person when a worker (so "who saw what" shows it)."""
    return person if person.role == Role.WORKER else None


def deactivate(session: Session, actor: User, person: User) -> None:
    """End every way in at once (sessions, phones, API tokens, open sign-in links, the calendar
    address) and refuse every new one (each sign-in path checks `active`). Nothing is deleted:
    shifts, checklists and the audit log stay as history."""
    if person.erased_at is not None:
        raise NotFound()
    if person.id == actor.id:
        raise Invalid(_l("Du kan ikke deaktivere deg selv."))
    if not person.active:
        return
    person.active = False
    person.deactivated_at = utcnow()
    sign_out_everywhere(session, person)
    record(session, actor, "user.deactivate", _about(person), f"user {person.id}")
    support_person_left(session, actor, person)
    session.flush()


def support_person_left(session: Session, actor: User, person: User) -> None:
    """An early sign for the specialist of each worker this support person helped: the support
    person has left (deactivated or erased)."""
    if person.role != Role.SUPPORT:
        return
    workers = session.scalars(select(User).join(SupportLink, SupportLink.worker_id == User.id).where(
        SupportLink.supporter_id == person.id, SupportLink.confirmed_at.is_not(None))).all()
    if workers:
        record_each(session, actor, "support.end", workers, f"support person {person.id}")


def reactivate(session: Session, actor: User, person: User) -> None:
    """The person may sign in again, but gets nothing back by themselves: the ended sessions,
    phones and tokens stay ended, so a worker needs a new sign-in link and staff their password."""
    if person.erased_at is not None:
        raise NotFound()
    if person.active:
        return
    person.active = True
    person.deactivated_at = None
    record(session, actor, "user.reactivate", _about(person), f"user {person.id}")
    session.flush()


def sign_out(session: Session, actor: User, person: User) -> None:
    """"Logg ut overalt" for someone else, written to the audit log."""
    sign_out_everywhere(session, person)
    record(session, actor, "user.sign_out_everywhere", _about(person), f"user {person.id}")
    session.flush()


def other_specialists(session: Session, specialist: User) -> list[User]:
    """Who can take over a caseload: the other active specialists."""
    return list(session.scalars(
        select(User).where(User.role == Role.SPECIALIST, User.id != specialist.id,
                           User.active.is_(True), User.erased_at.is_(None)).order_by(User.name)))


def hand_over(session: Session, actor: User, old: User, new_id: int | None) -> list[User]:
    """Every worker the old specialist follows is followed by the new one instead, in one step.
    The workers' support links, shifts and history are the workers' and stay as they are.
    Returns the workers handed over."""
    if old.role != Role.SPECIALIST:
        raise NotFound()
    new = session.get(User, new_id) if new_id else None
    if new is None or new.id == old.id or new.role != Role.SPECIALIST or not new.active:
        raise Invalid(_l("Velg en annen jobb-spesialist."), field="specialist")
    workers = list(session.scalars(
        select(User).join(Follows, Follows.worker_id == User.id)
        .where(Follows.specialist_id == old.id).order_by(User.name)))
    already = set(session.scalars(select(Follows.worker_id).where(Follows.specialist_id == new.id)))
    ids = [w.id for w in workers]
    if ids:
        # The ones the new specialist already follows just lose the old one; the rest move over.
        session.execute(delete(Follows).where(Follows.specialist_id == old.id,
                                              Follows.worker_id.in_(already)))
        session.execute(update(Follows).where(Follows.specialist_id == old.id)
                        .values(specialist_id=new.id))
    for worker in workers:
        record(session, actor, "caseload.handover", worker,
               f"from user {old.id} to user {new.id}")
    session.flush()
    return workers

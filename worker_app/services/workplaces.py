"""Workplaces of a region, managed by its job specialists; new workers made by a specialist."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..models import Follows, Role, User, Workplace
from ..policy import Action, can, forget_cached_relations, managed_worker_ids, managed_workplaces
from . import limits
from .audit import record
from .errors import Invalid, NotAllowed, NotFound
from .site import PHONE

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
DEFAULT_PICTOGRAM = "1F3E2"


@dataclass
class WorkplaceInput:
    name: str
    address: str = ""
    pictogram: str = DEFAULT_PICTOGRAM
    photo: str | None = None  # a stored photo's name; None keeps the one there is
    remove_photo: bool = False
    leader_name: str = ""
    leader_phone: str = ""
    leader_email: str = ""
    mentor_name: str = ""
    mentor_phone: str = ""
    notes: str = ""


def visible(session: Session, user: User) -> list[Workplace]:
    """The workplaces the user manages (their region's), by name: one query."""
    return list(session.scalars(
        select(Workplace).where(managed_workplaces(user)).order_by(Workplace.name, Workplace.id)))


def get(session: Session, user: User, workplace_id: int) -> Workplace:
    workplace = session.get(Workplace, workplace_id)
    if workplace is None:
        raise NotFound()
    if not can(user, Action.MANAGE_WORKPLACES, workplace):
        raise NotAllowed()
    return workplace


def workers_at(session: Session, user: User, workplace: Workplace) -> list[User]:
    """The workers at a workplace whom the user follows (or all, for an admin): one query."""
    return list(session.scalars(
        select(User).where(User.workplace_id == workplace.id, User.role == Role.WORKER,
                           User.id.in_(managed_worker_ids(user))).order_by(User.name)))


def same_name(session: Session, user: User, name: str, ignore_id: int | None = None) -> list[Workplace]:
    """Other workplaces of the user's region with this name: a warning, not a refusal (two shops
    of one chain can share a name)."""
    return list(session.scalars(
        select(Workplace).where(managed_workplaces(user),
                                func.lower(Workplace.name) == name.strip().lower(),
                                Workplace.id != (ignore_id or -1))))


def _text(value: str, most: int, field: str, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise Invalid(_l("Skriv navnet på arbeidsplassen."), field=field)
    if len(value) > most:
        raise Invalid(_l("Skriv kortere, høyst %(n)s tegn.", n=most), field=field)
    return value


def _phone(value: str, field: str) -> str:
    value = (value or "").strip()
    if value and not PHONE.match(value):
        raise Invalid(_l("Skriv et telefonnummer med sifre, for eksempel +47 912 34 567."), field=field)
    return value


def save(session: Session, user: User, data: WorkplaceInput, workplace: Workplace | None = None) -> Workplace:
    """Create or change a workplace; a new one belongs to the specialist's region."""
    if workplace is not None and not can(user, Action.MANAGE_WORKPLACES, workplace):
        raise NotAllowed()
    if workplace is None and not can(user, Action.MANAGE_WORKPLACES):
        raise NotAllowed()
    name = _text(data.name, limits.WORKPLACE_NAME_MAX, "name", required=True)
    email = _text(data.leader_email, limits.EMAIL_MAX, "leader_email")
    if email and not EMAIL.match(email):
        raise Invalid(_l("Skriv en e-post-adresse, for eksempel leder@butikken.no."), field="leader_email")
    values = {
        "name": name,
        "address": _text(data.address, limits.ADDRESS_MAX, "address"),
        "contact_name": _text(data.leader_name, limits.PERSON_NAME_MAX, "leader_name") or None,
        "contact_phone": _phone(data.leader_phone, "leader_phone") or None,
        "contact_email": email or None,
        "mentor_name": _text(data.mentor_name, limits.PERSON_NAME_MAX, "mentor_name") or None,
        "mentor_phone": _phone(data.mentor_phone, "mentor_phone") or None,
        "notes": _text(data.notes, limits.WORKPLACE_NOTES_MAX, "notes"),
        "pictogram": data.pictogram or DEFAULT_PICTOGRAM,
    }
    is_new = workplace is None
    if is_new:
        workplace = Workplace(region_id=user.region_id)
        session.add(workplace)
    for key, value in values.items():
        setattr(workplace, key, value)
    if data.photo:
        workplace.photo = data.photo
    elif data.remove_photo:
        workplace.photo = None
    session.flush()
    record(session, user, "workplace.create" if is_new else "workplace.update", None,
           f"{workplace.id}: {workplace.name}")
    return workplace


def create_worker(session: Session, specialist: User, *, name: str, workplace_id: int | None) -> User:
    """A new worker in the specialist's region, followed by them at once. The worker signs in
    with a link the specialist then makes (no password)."""
    if not can(specialist, Action.CREATE_WORKER):
        raise NotAllowed()
    name = (name or "").strip()
    if not name:
        raise Invalid(_l("Skriv navnet på arbeidstakeren."), field="name")
    if len(name) > limits.PERSON_NAME_MAX:
        raise Invalid(_l("Skriv kortere, høyst %(n)s tegn.", n=limits.PERSON_NAME_MAX), field="name")
    workplace = _workplace_choice(session, specialist, workplace_id, "workplace")
    worker = User(name=name, role=Role.WORKER.value, region_id=specialist.region_id,
                  workplace_id=workplace.id if workplace else None)
    session.add(worker)
    session.flush()
    session.add(Follows(specialist_id=specialist.id, worker_id=worker.id))
    session.flush()
    forget_cached_relations()
    record(session, specialist, "user.create", worker, f"{worker.name} ({Role.WORKER.value})")
    return worker


def set_workplace(session: Session, by: User, worker: User, workplace_id: int | None) -> None:
    if not can(by, Action.RECORD_FOLLOW_UP, worker):
        raise NotAllowed()
    workplace = _workplace_choice(session, by, workplace_id, "workplace")
    worker.workplace_id = workplace.id if workplace else None
    session.flush()
    record(session, by, "worker.workplace", worker, workplace.name if workplace else "")


def _workplace_choice(session: Session, user: User, workplace_id: int | None, field: str) -> Workplace | None:
    if not workplace_id:
        return None
    workplace = session.get(Workplace, workplace_id)
    if workplace is None or not can(user, Action.MANAGE_WORKPLACES, workplace):
        raise Invalid(_l("Velg en arbeidsplass fra listen."), field=field)
    return workplace

"""Reaching a worker and being reached: her own phone number (for the helpers' "Ring Ola"),
the reminder settings her specialist suggests (she decides), and the escalations a specialist
reads on her own pages ("Ola har ikke trykket «Jeg har gått»", "Ola blir sen")."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from ..models import Follows, Notice, User
from ..models.types import utcnow
from .audit import record
from .errors import Invalid, NotFound
from .limits import PHONE_MAX
from .reminders import WORKER_KINDS, suggestions
from .site import readable_number

# A Norwegian mobile number: 8 digits starting with 4 or 9, with or without +47 / 0047.
MOBILE = re.compile(r"^(?:\+47|0047)?([49]\d{7})$")
ALERT_KINDS = ("not_left", "late")
ALERTS_MAX = 50  # on one page; the oldest unseen ones wait


# The worker's phone number --------------------------------------------------------------------


def normalise_mobile(raw: str | None) -> str | None:
    """ "900 12 345", "+47 900-12-345" -> "90012345"; empty -> None; anything else is refused,
    like the guest form's number (spaces and dashes are allowed while typing)."""
    text = (raw or "").strip()
    if not text:
        return None
    match = MOBILE.match(re.sub(r"[\s.-]", "", text)) if len(text) <= PHONE_MAX else None
    if match is None:
        raise Invalid(_l("Skriv et norsk mobil-nummer med 8 sifre, for eksempel 912 34 567."), field="phone")
    return match.group(1)


def set_phone(session: Session, worker: User, raw: str | None, *, by: User) -> None:
    worker.phone = normalise_mobile(raw)
    record(session, by, "worker.phone", worker, "set" if worker.phone else "removed")
    session.flush()


def readable(phone: str) -> str:
    """ "90012345" -> "900 12 345"."""
    return readable_number(phone)


def tel(phone: str) -> str:
    return f"tel:+47{phone}"


# Suggested reminder settings --------------------------------------------------------------------


def suggest(session: Session, worker: User, on: dict[str, bool], *, by: User) -> None:
    """The specialist's suggestion for each of the worker's kinds. It applies to the kinds the
    worker has not set herself; hers stay (reminders.is_on)."""
    worker.reminders_suggested = " ".join(
        f"{kind}:{'on' if on.get(kind, True) else 'off'}" for kind in WORKER_KINDS)
    worker.reminders_suggested_by_id = by.id
    record(session, by, "worker.reminders_suggested", worker, worker.reminders_suggested)
    session.flush()


def from_specialist(worker: User) -> set[str]:
    """The kinds whose setting now is the specialist's suggestion, not the worker's own tap."""
    chosen = set((worker.reminders_chosen or "").split())
    return {kind for kind in suggestions(worker) if kind not in chosen}


def suggested_by(session: Session, worker: User) -> User | None:
    if worker.reminders_suggested_by_id is None or not from_specialist(worker):
        return None
    return session.get(User, worker.reminders_suggested_by_id)


# Escalations on the specialist's pages -----------------------------------------------------------


def alerts_for(session: Session, specialist: User, worker_id: int | None = None) -> dict[int, list[Notice]]:
    """The specialist's unseen escalations, by worker, newest first: one query, for workers she
    still follows (one worker's for the worker page)."""
    query = (select(Notice).options(joinedload(Notice.shift), joinedload(Notice.worker))
             .where(Notice.user_id == specialist.id, Notice.kind.in_(ALERT_KINDS), Notice.read_at.is_(None),
                    Notice.worker_id.in_(select(Follows.worker_id).where(Follows.specialist_id == specialist.id))))
    if worker_id is not None:
        query = query.where(Notice.worker_id == worker_id)
    found: dict[int, list[Notice]] = {}
    for notice in session.scalars(query.order_by(Notice.created_at.desc(), Notice.id.desc()).limit(ALERTS_MAX)):
        found.setdefault(notice.worker_id, []).append(notice)
    return found


def mark_seen(session: Session, specialist: User, notice_id: int) -> Notice:
    notice = session.get(Notice, notice_id)
    if notice is None or notice.user_id != specialist.id or notice.kind not in ALERT_KINDS:
        raise NotFound()
    if notice.read_at is None:
        notice.read_at = utcnow()
    session.flush()
    return notice

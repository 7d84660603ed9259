"""Whose roster key a shift is. An employer's roster names its shifts by its own ids; the key
is (owner, source, external id), the owner being the person whose token sends the roster.

So one sender can't block another's ids, nor learn that an id exists: the shifts another owner
keyed are invisible to a sender, unless they are shifts of workers the sender manages anyway
(follows, or an admin). Those are taken over: a new specialist who follows the workers now
(after a caseload is handed over) sends the employer's roster as before, and the old shifts
are updated in place and become theirs, with no duplicate and no conflict."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from ..models import Shift, User
from ..policy import managed_worker_ids


def existing(session: Session, sender: User, source: str, external_ids: list[str]) -> dict[str, Shift]:
    """The shift each external id names for this sender: its own key first, else another
    owner's key on a worker the sender manages (the oldest, if several). One query."""
    if not external_ids:
        return {}
    rows = session.scalars(
        select(Shift).options(joinedload(Shift.worker))
        .where(Shift.external_source == source, Shift.external_id.in_(external_ids),
               (Shift.external_owner_id == sender.id) | Shift.worker_id.in_(managed_worker_ids(sender)))
        .order_by(Shift.id)).all()
    found: dict[str, Shift] = {}
    for shift in rows:
        mine = shift.external_owner_id == sender.id
        if shift.external_id not in found or (mine and found[shift.external_id].external_owner_id != sender.id):
            found[shift.external_id] = shift
    return found

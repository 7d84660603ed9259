"""The phones a person gets reminders on: Web Push subscriptions."""

from __future__ import annotations

import hashlib

from flask_babel import gettext as _
from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from ...models import (
    PushSubscription,
    User,
)
from ..errors import Invalid


def _hash(endpoint: str) -> str:
    return hashlib.sha256(endpoint.encode()).hexdigest()


def subscribe(session: Session, user: User, data: dict, device_id: int | None) -> PushSubscription:
    """Save this device's subscription (the browser's PushSubscription.toJSON())."""
    endpoint = str(data.get("endpoint") or "")
    keys = data.get("keys") if isinstance(data.get("keys"), dict) else {}
    p256dh, auth = str(keys.get("p256dh") or ""), str(keys.get("auth") or "")
    if not endpoint.startswith(("https://", "http://")) or len(endpoint) > 2000 \
            or not p256dh or not auth or len(p256dh) > 200 or len(auth) > 100:
        raise Invalid(_("Varsler kunne ikke slås på."), field="endpoint")
    row = session.scalar(select(PushSubscription).where(PushSubscription.endpoint_hash == _hash(endpoint)))
    if row is None:
        row = PushSubscription(endpoint=endpoint, endpoint_hash=_hash(endpoint))
        session.add(row)
    # A device given to someone else: the subscription now belongs to who signed in.
    row.user_id, row.p256dh, row.auth, row.device_id = user.id, p256dh, auth, device_id
    row.failures, row.wait_until = 0, None
    session.flush()
    return row


def unsubscribe(session: Session, user: User, endpoint: str) -> None:
    session.execute(delete(PushSubscription).where(PushSubscription.user_id == user.id,
                                                   PushSubscription.endpoint_hash == _hash(endpoint or "")))


def forget_devices(session: Session, user: User, *, device_id: int | None = None,
                   subscription_ids: list[int] | None = None, everywhere: bool = False) -> None:
    """Signing out removes this device's subscriptions (all of them: everywhere)."""
    where = [PushSubscription.user_id == user.id]
    if not everywhere:
        mine = []
        if device_id is not None:
            mine.append(PushSubscription.device_id == device_id)
        if subscription_ids:
            mine.append(PushSubscription.id.in_(subscription_ids))
        if not mine:
            return
        where.append(or_(*mine))
    session.execute(delete(PushSubscription).where(*where))


def device_count(session: Session, user: User) -> int:
    return session.scalar(select(func.count()).select_from(PushSubscription)
                          .where(PushSubscription.user_id == user.id)) or 0

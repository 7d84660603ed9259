"""Sending: a sender claims due reminders, then delivers each one as Web Push, within quiet
hours and the worker's daily budget, handling every answer of a push service."""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from flask import current_app
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, joinedload

from ...models import (
    QUEUED,
    SENDING,
    SENT,
    SKIPPED,
    LeftHome,
    Notice,
    PushSubscription,
    Reminder,
    Role,
    Shift,
    User,
)
from ...models.reminders import FAILED
from ..schedule import OSLO, oslo
from .kinds import CRITICAL, DAILY_BUDGET, LATE_LIMIT, MAX_TRIES, QUIET_FROM, QUIET_TO, TIMED, is_on, moments
from .messages import message, topic
from .recording import helper_ids


def claim(session: Session, now: datetime, batch: int = 100) -> str:
    """Take up to `batch` due reminders for this sender, and return its claim token.

    PostgreSQL: the due rows are locked FOR UPDATE SKIP LOCKED, so a sender running at the same
    time takes other rows instead of waiting for these. SQLite: one UPDATE statement, which
    holds the database's single write lock from reading the rows to marking them. Either way
    the state check means a row is claimed by one sender only."""
    token = secrets.token_hex(8)
    due = (select(Reminder.id).where(Reminder.state == QUEUED, Reminder.due_at <= now)
           .order_by(Reminder.due_at, Reminder.id).limit(batch))
    if session.get_bind().dialect.name == "postgresql":
        ids = list(session.scalars(due.with_for_update(skip_locked=True)))
        where = Reminder.id.in_(ids)
    else:
        where = Reminder.id.in_(due.scalar_subquery())
    session.execute(update(Reminder).where(where, Reminder.state == QUEUED)
                    .values(state=SENDING, claim=token, tries=Reminder.tries + 1)
                    .execution_options(synchronize_session=False))
    session.flush()
    return token


@dataclass
class PushResult:
    status: int  # the push service's HTTP status; 0 when it could not be reached
    retry_after: int | None = None


PushFn = Callable[[PushSubscription, bytes, dict, int], PushResult]


def _vapid(app) -> tuple[str, str, str] | None:
    private, public = app.config.get("VAPID_PRIVATE_KEY"), app.config.get("VAPID_PUBLIC_KEY")
    if not private or not public:
        return None
    return private, public, app.config.get("VAPID_SUBJECT") or "mailto:drift@arbeidsdagen.invalid"


def web_push(subscription: PushSubscription, data: bytes, headers: dict, ttl: int) -> PushResult:
    """Encrypt (RFC 8291, aes128gcm) and send with a VAPID signature (RFC 8292)."""
    import requests
    from pywebpush import WebPushException, webpush

    keys = _vapid(current_app)
    if keys is None:
        return PushResult(0)
    private, _public, subject = keys
    try:
        response = webpush({"endpoint": subscription.endpoint,
                            "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth}},
                           data=data, vapid_private_key=private, vapid_claims={"sub": subject},
                           ttl=ttl, headers=headers, timeout=10)
        return PushResult(response.status_code)
    except WebPushException as error:
        response = error.response
        if response is None:
            return PushResult(0)
        retry = response.headers.get("Retry-After")
        return PushResult(response.status_code, int(retry) if retry and retry.isdigit() else None)
    except (requests.RequestException, OSError, ValueError):
        return PushResult(0)



def _in_quiet_hours(moment: datetime) -> bool:
    hour = oslo(moment).hour
    return hour >= QUIET_FROM or hour < QUIET_TO


def _quiet_ends(moment: datetime) -> datetime:
    local = oslo(moment)
    day = local.date() if local.hour < QUIET_TO else local.date() + timedelta(days=1)
    return datetime.combine(day, time(QUIET_TO), tzinfo=OSLO).astimezone(UTC)


def _day_start(moment: datetime) -> datetime:
    return datetime.combine(oslo(moment).date(), time(), tzinfo=OSLO).astimezone(UTC)


def pushes_today(session: Session, user_id: int, now: datetime) -> int:
    return session.scalar(select(func.count()).select_from(Reminder).where(
        Reminder.user_id == user_id, Reminder.state == SENT, Reminder.pushed > 0,
        Reminder.sent_at >= _day_start(now))) or 0


def _critical_ahead(session: Session, worker: User, now: datetime) -> int:
    """Shift-critical pushes still to come today: the budget keeps room for them."""
    end = _day_start(now) + timedelta(days=1)
    count = 0
    for shift in session.scalars(select(Shift).where(
            Shift.worker_id == worker.id, Shift.cancelled_at.is_(None), Shift.starts_at > now,
            Shift.starts_at < end + timedelta(hours=9))):
        at = moments(shift, worker)
        for kind, moment in (("get_ready", at.get_ready), ("leave_home", at.leave_home)):
            if moment is not None and now < moment < end and is_on(worker, kind):
                count += 1
    return count


def _still_chosen(session: Session, helper_id: int, worker_id: int) -> bool:
    """The escalation goes only to whom the worker chose, checked again when it is sent."""
    return helper_id in helper_ids(session, [worker_id])[worker_id]


def _why_not(session: Session, r: Reminder, now: datetime) -> str | None:
    """Why this reminder must not go now (a reason to skip), or None."""
    user = r.user
    if not user.active:
        return "inactive"
    if not is_on(user, r.kind):
        return "off"
    if r.kind in TIMED and now - r.due_at > LATE_LIMIT:
        return "too_late"
    shift = r.shift
    if r.kind in ("get_ready", "leave_home", "not_left", "late", "shift_changed") and (
            shift is None or shift.cancelled_at is not None):
        return "cancelled"
    if r.kind in ("get_ready", "leave_home") and getattr(moments(shift, r.worker), r.kind) != r.due_at:
        return "moved"  # its new moment is its own reminder
    if r.kind == "not_left":
        answer = session.scalar(select(LeftHome).where(LeftHome.shift_id == shift.id))
        if answer is not None and (answer.left_at or answer.late_at):
            return "left"
        if moments(shift, r.worker).escalate != r.due_at:
            return "moved"
    if r.kind in ("not_left", "late") and not _still_chosen(session, r.user_id, r.worker_id):
        return "not_chosen"
    if r.kind == "help" and r.user_id not in helper_ids(session, [r.worker_id])[r.worker_id]:
        return "not_chosen"
    return None


def _to_worker(session: Session, r: Reminder, now: datetime) -> str | None:
    """Quiet hours and the daily budget, for the worker's own reminders: 'quiet' to wait until
    07:00, 'budget' to skip, None to send."""
    if r.user.role != Role.WORKER:
        return None
    if _in_quiet_hours(now):
        # Get ready and leave home come only because a shift starts soon: they always go. A
        # change goes at once only for a shift starting before the quiet hours end.
        starts_then = r.kind in ("get_ready", "leave_home") or (
            r.shift is not None and r.kind in CRITICAL and r.shift.starts_at < _quiet_ends(now))
        if not starts_then:
            return "quiet"
    used = pushes_today(session, r.user_id, now)
    if r.kind in ("get_ready", "leave_home"):
        return "budget" if used >= DAILY_BUDGET else None
    # Everything else leaves room for the day's own get-ready and leave-home moments.
    return "budget" if used + _critical_ahead(session, r.user, now) >= DAILY_BUDGET else None



def _ttl(r: Reminder, now: datetime) -> int:
    """How long the push service keeps it for a phone that is off: until the shift starts for
    shift moments, a day for the rest."""
    if r.kind in TIMED and r.shift is not None:
        return max(60, int((r.shift.starts_at - now).total_seconds()))
    return 24 * 3600


def _urgency(r: Reminder) -> str:
    return "high" if r.kind in CRITICAL | {"not_left", "late", "help"} else "normal"


def _notice_for_helper(session: Session, r: Reminder) -> None:
    """Support persons see it on their start page too, also without a subscribed phone."""
    if r.kind in ("not_left", "late") and r.user.role == Role.SUPPORT:
        session.add(Notice(user_id=r.user_id, worker_id=r.worker_id, kind=r.kind, shift_id=r.shift_id))


def deliver(session: Session, token: str, now: datetime, push: PushFn | None = None,
            secret_key: str | None = None) -> dict[str, int]:
    """Send each reminder this sender claimed; every error of a push service is handled here
    (gone: drop the device; too big: send less; busy or down: wait and try again)."""
    no_keys = push is None and _vapid(current_app) is None
    push = push or web_push
    secret_key = secret_key or current_app.config["SECRET_KEY"]
    counts: dict[str, int] = {}
    claimed = session.scalars(
        select(Reminder).options(joinedload(Reminder.user), joinedload(Reminder.worker),
                                 joinedload(Reminder.shift))
        .where(Reminder.claim == token, Reminder.state == SENDING).order_by(Reminder.due_at, Reminder.id)
    ).all()
    for r in claimed:
        outcome = _why_not(session, r, now)
        if outcome is None:
            _notice_for_helper(session, r)
            outcome = _to_worker(session, r, now)
        if outcome == "quiet":
            r.state, r.claim, r.due_at, r.outcome = QUEUED, None, _quiet_ends(now), "quiet"
        elif outcome is not None:
            r.state, r.outcome = SKIPPED, outcome
        elif no_keys:
            # No VAPID keys set: recorded, shown on the pages and in the calendar, not pushed.
            r.state, r.outcome = SKIPPED, "no_keys"
        else:
            _push_to_devices(session, r, now, push, secret_key)
        counts[r.outcome or r.state] = counts.get(r.outcome or r.state, 0) + 1
        session.flush()
    return counts


def _push_to_devices(session: Session, r: Reminder, now: datetime, push: PushFn, secret_key: str) -> None:
    every = session.scalars(select(PushSubscription).where(PushSubscription.user_id == r.user_id)).all()
    if not every:
        r.state, r.outcome, r.sent_at = SENT, "no_device", now
        return
    devices = [d for d in every if d.wait_until is None or d.wait_until <= now]
    data = message(session, r, secret_key)
    headers = {"Urgency": _urgency(r), "Topic": topic(r)}
    ttl = _ttl(r, now)
    retry = len(devices) < len(every)  # a device the push service asked us to wait for
    for device in devices:
        body = json.dumps(data, ensure_ascii=False).encode()
        result = push(device, body, headers, ttl)
        if result.status == 413:
            # Too big for this push service: the words only, the page opens on a tap.
            small = {k: data[k] for k in ("kind", "title", "url", "tag") if k in data}
            result = push(device, json.dumps(small, ensure_ascii=False).encode(), headers, ttl)
        if 200 <= result.status < 300:
            r.pushed += 1
            device.last_ok_at, device.failures, device.wait_until = now, 0, None
        elif result.status in (404, 410):
            session.delete(device)  # the push service says the subscription is gone
        elif result.status == 429 or result.status >= 500 or result.status == 0:
            device.failures += 1
            wait = result.retry_after or 60 * 2 ** min(device.failures - 1, 6)
            device.wait_until = now + timedelta(seconds=min(wait, 3600))
            retry = True
        else:
            device.failures += 1
            if device.failures >= 5:
                session.delete(device)
    if r.pushed:
        r.state, r.outcome, r.sent_at = SENT, "pushed", now
    elif retry and r.tries < MAX_TRIES and not (r.kind in TIMED and now - r.due_at > LATE_LIMIT):
        # Tried again by the next run (the due time stays: it names the moment).
        r.state, r.claim, r.outcome = QUEUED, None, "retry"
    else:
        r.state, r.outcome, r.sent_at = FAILED, "push_failed", now

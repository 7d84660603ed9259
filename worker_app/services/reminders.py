"""Reminders: the few moments the app speaks up, and sending them as Web Push.

A reminder is a row with a unique key naming its moment, so it is recorded once however many
senders run. `plan` records the moments that have come (from shift start, travel and get-ready
minutes); services record the others as they happen (a moved shift, a new task, a place on an
event, a help request). A sender `claim`s due rows (FOR UPDATE SKIP LOCKED on PostgreSQL; on
SQLite the one UPDATE statement holds the database's single write lock), its command commits
the claim, then `deliver` sends each one. A claimed row is never claimed again, so nothing is
sent twice, even when a sender dies half-way.

What is sent is built when it is sent, from the shift as it is then: a shift moved after its
reminder was recorded sends the new time, a cancelled one sends nothing.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session, joinedload

from .. import pictograms
from ..models import (
    GOING,
    QUEUED,
    SENDING,
    SENT,
    SKIPPED,
    Event,
    Follows,
    HelpRequest,
    LeftHome,
    Notice,
    PushSubscription,
    Reminder,
    Role,
    Shift,
    Signup,
    SupportLink,
    User,
)
from ..models.reminders import FAILED
from ..models.types import utcnow
from .errors import Invalid, NotFound
from .schedule import OSLO, oslo

# The kinds a worker can turn off in Innstillinger, one tap each ("shift_changed" covers a
# cancelled shift too), and those a helper (specialist or support person) can.
WORKER_KINDS = ("get_ready", "leave_home", "shift_changed", "new_task", "event_tomorrow", "event_place")
HELPER_KINDS = ("not_left", "late", "help")
# Shift-critical: sent in quiet hours when the shift itself starts then. The day's budget keeps
# room for the moments of the day's shifts first (get ready, leave home).
CRITICAL = {"get_ready", "leave_home", "shift_changed", "shift_cancelled"}
# About a shift at a fixed moment: not worth sending this long after the moment.
TIMED = {"get_ready", "leave_home", "not_left"}
DAILY_BUDGET = 6
QUIET_FROM, QUIET_TO = 22, 7  # Oslo hours
LATE_LIMIT = timedelta(minutes=15)
# Without travel minutes the app does not guess when to leave: only "Gjør deg klar", 1 hour before.
DEFAULT_GET_READY = timedelta(hours=1)
MAX_TRIES = 3
LEFT_TOKEN_AGE = 2 * 24 * 3600


def kind_of(kind: str) -> str:
    """The switch in Innstillinger that a kind belongs to."""
    return "shift_changed" if kind == "shift_cancelled" else kind


def is_on(user: User, kind: str) -> bool:
    """The person's own tap wins; for a kind she has not set, her specialist's suggestion."""
    kind = kind_of(kind)
    if kind not in (user.reminders_chosen or "").split():
        suggested = suggestions(user).get(kind)
        if suggested is not None:
            return suggested
    return kind not in (user.reminders_off or "").split()


def suggestions(user: User) -> dict[str, bool]:
    """The specialist's suggested on/off per kind (services/reach.py writes it)."""
    pairs = (token.partition(":") for token in (user.reminders_suggested or "").split())
    return {kind: value == "on" for kind, _sep, value in pairs if kind in WORKER_KINDS}


def set_kind(session: Session, user: User, kind: str, on: bool) -> None:
    if kind not in WORKER_KINDS + HELPER_KINDS and kind != "calendar_alarms":
        raise Invalid(_("Velg en av varslene."), field="kind")
    if kind == "calendar_alarms":
        user.calendar_alarms = on
    else:
        off = set((user.reminders_off or "").split())
        off = off - {kind} if on else off | {kind}
        user.reminders_off = " ".join(sorted(off))
        user.reminders_chosen = " ".join(sorted({*(user.reminders_chosen or "").split(), kind}))
    session.flush()


def kinds_for(user: User) -> tuple[str, ...]:
    if user.role == Role.WORKER:
        return WORKER_KINDS
    if user.role == Role.SUPPORT:
        return ("not_left", "late")
    if user.role == Role.SPECIALIST:
        return HELPER_KINDS
    return ()


# The moments of a shift ---------------------------------------------------------------------


@dataclass
class Moments:
    get_ready: datetime | None
    leave_home: datetime | None
    escalate: datetime | None  # leave-home time + the worker's margin


def moments(shift: Shift, worker: User) -> Moments:
    if worker.travel_minutes is None:
        return Moments(shift.starts_at - DEFAULT_GET_READY, None, None)
    leave = shift.starts_at - timedelta(minutes=worker.travel_minutes)
    ready = leave - timedelta(minutes=worker.ready_minutes) if worker.ready_minutes else None
    margin = worker.escalate_minutes if worker.escalate_minutes is not None else 10
    return Moments(ready, leave, leave + timedelta(minutes=margin))


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M")


# Recording ----------------------------------------------------------------------------------


def _insert_once(session: Session, rows: list[dict]) -> None:
    """Insert reminders whose key is not there yet; a key already there (another sender, an
    earlier run) is left alone. One statement."""
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    now = utcnow()
    values = [{"state": QUEUED, "outcome": "", "tries": 0, "pushed": 0, "created_at": now,
               "shift_id": None, "event_id": None, "assignment_id": None, "help_request_id": None,
               **row} for row in rows]
    session.execute(insert(Reminder).values(values).on_conflict_do_nothing(index_elements=["key"]))


def helper_ids(session: Session, worker_ids) -> dict[int, set[int]]:
    """Who is told when a worker has not left or is late: the worker's specialists and the
    support persons the worker gave "Si fra hvis jeg ikke har gått". Two queries."""
    worker_ids = list(worker_ids)
    helpers: dict[int, set[int]] = {w: set() for w in worker_ids}
    if not worker_ids:
        return helpers
    for worker_id, specialist_id in session.execute(
            select(Follows.worker_id, Follows.specialist_id).join(User, User.id == Follows.specialist_id)
            .where(Follows.worker_id.in_(worker_ids), User.active.is_(True))):
        helpers[worker_id].add(specialist_id)
    for worker_id, supporter_id in session.execute(
            select(SupportLink.worker_id, SupportLink.supporter_id)
            .where(SupportLink.worker_id.in_(worker_ids), SupportLink.confirmed_at.is_not(None),
                   SupportLink.notify_not_left.is_(True))):
        helpers[worker_id].add(supporter_id)
    return helpers


def plan(session: Session, now: datetime) -> None:
    """Record the moments that have come in the last few minutes: get ready, leave home, the
    escalation when "Jeg har gått" has not come, and events tomorrow."""
    since = now - LATE_LIMIT
    # Travel and get-ready are at most 240 minutes each; the escalation can come after the start.
    shifts = session.scalars(
        select(Shift).options(joinedload(Shift.worker))
        .where(Shift.cancelled_at.is_(None), Shift.starts_at > now - timedelta(hours=4),
               Shift.starts_at <= now + timedelta(minutes=481))
    ).all()
    rows: list[dict] = []
    escalate: list[Shift] = []
    for shift in shifts:
        worker = shift.worker
        if not worker.active:
            continue
        at = moments(shift, worker)
        for kind, moment in (("get_ready", at.get_ready), ("leave_home", at.leave_home)):
            if moment is not None and since < moment <= now and moment < shift.starts_at:
                rows.append({"key": f"{kind}:{shift.id}:{_stamp(moment)}", "user_id": worker.id,
                             "worker_id": worker.id, "kind": kind, "shift_id": shift.id, "due_at": moment})
        if at.escalate is not None and since < at.escalate <= now and now < shift.ends_at:
            escalate.append(shift)
    if escalate:
        answered = set(session.scalars(select(LeftHome.shift_id).where(
            LeftHome.shift_id.in_([s.id for s in escalate]))))
        escalate = [s for s in escalate if s.id not in answered]
        helpers = helper_ids(session, {s.worker_id for s in escalate})
        for shift in escalate:
            due = moments(shift, shift.worker).escalate
            for helper in sorted(helpers[shift.worker_id]):
                rows.append({"key": f"not_left:{shift.id}:{helper}:{_stamp(shift.starts_at)}",
                             "user_id": helper, "worker_id": shift.worker_id, "kind": "not_left",
                             "shift_id": shift.id, "due_at": due})
    for event_id, starts_at, worker_id in session.execute(
            select(Event.id, Event.starts_at, Signup.worker_id).join(Signup, Signup.event_id == Event.id)
            .where(Signup.state == GOING, Signup.worker_id.is_not(None), Event.cancelled_at.is_(None),
                   Event.starts_at > since + timedelta(days=1), Event.starts_at <= now + timedelta(days=1))):
        rows.append({"key": f"event_tomorrow:{event_id}:{worker_id}", "user_id": worker_id,
                     "worker_id": worker_id, "kind": "event_tomorrow", "event_id": event_id,
                     "due_at": starts_at - timedelta(days=1)})
    _insert_once(session, rows)


def shift_changed(session: Session, shift: Shift, kind: str) -> None:
    """A shift moved or was cancelled: "Vakten er endret". Many changes before it is sent are
    one reminder (built from the shift as it is when sent)."""
    pending = session.scalar(select(Reminder).where(
        Reminder.shift_id == shift.id, Reminder.user_id == shift.worker_id, Reminder.state == QUEUED,
        Reminder.kind.in_(("shift_changed", "shift_cancelled"))))
    if pending is not None:
        pending.kind = kind
        session.flush()
        return
    now = utcnow()
    _insert_once(session, [{"key": f"{kind}:{shift.id}:{now.isoformat()}:{secrets.token_hex(3)}",
                            "user_id": shift.worker_id, "worker_id": shift.worker_id, "kind": kind,
                            "shift_id": shift.id, "due_at": now}])


def new_task(session: Session, assignment) -> None:
    _insert_once(session, [{"key": f"new_task:{assignment.id}", "user_id": assignment.worker_id,
                            "worker_id": assignment.worker_id, "kind": "new_task",
                            "assignment_id": assignment.id, "due_at": utcnow()}])


def event_place(session: Session, event_id: int, worker_id: int) -> None:
    now = utcnow()
    _insert_once(session, [{"key": f"event_place:{event_id}:{worker_id}:{_stamp(now)}", "user_id": worker_id,
                            "worker_id": worker_id, "kind": "event_place", "event_id": event_id,
                            "due_at": now}])


def help_asked(session: Session, request: HelpRequest) -> None:
    """A help request pushes at once to each specialist who follows the worker."""
    specialists = session.scalars(select(Follows.specialist_id).where(Follows.worker_id == request.worker_id))
    _insert_once(session, [{"key": f"help:{request.id}:{sid}", "user_id": sid, "worker_id": request.worker_id,
                            "kind": "help", "help_request_id": request.id, "due_at": request.created_at}
                           for sid in specialists])


# "Jeg har gått" and "Jeg blir sen" ------------------------------------------------------------


def left_token(secret_key: str, worker_id: int, shift_id: int) -> str:
    """What the notification's "Jeg har gått" button sends: it names the worker and the shift."""
    return URLSafeTimedSerializer(secret_key, salt="left-home").dumps([worker_id, shift_id])


def read_left_token(secret_key: str, token: str) -> tuple[int, int]:
    try:
        worker_id, shift_id = URLSafeTimedSerializer(secret_key, salt="left-home").loads(
            token, max_age=LEFT_TOKEN_AGE)
        return int(worker_id), int(shift_id)
    except (BadSignature, ValueError, TypeError):
        raise NotFound() from None


def _own_shift(session: Session, worker: User, shift_id: int) -> Shift:
    shift = session.get(Shift, shift_id)
    if shift is None or shift.worker_id != worker.id:
        raise NotFound()
    return shift


def _answer(session: Session, shift: Shift) -> LeftHome:
    answer = session.scalar(select(LeftHome).where(LeftHome.shift_id == shift.id))
    if answer is None:
        answer = LeftHome(worker_id=shift.worker_id, shift_id=shift.id)
        session.add(answer)
    return answer


def mark_left(session: Session, worker: User, shift_id: int, via: str = "today") -> LeftHome:
    """Jeg har gått. A second tap counts once: the first time stays."""
    shift = _own_shift(session, worker, shift_id)
    answer = _answer(session, shift)
    if answer.left_at is None:
        answer.left_at, answer.via = utcnow(), via
    session.flush()
    return answer


def mark_late(session: Session, worker: User, shift_id: int) -> LeftHome:
    """Jeg blir sen: the same people as the escalation are told, once."""
    shift = _own_shift(session, worker, shift_id)
    answer = _answer(session, shift)
    if answer.late_at is None:
        answer.late_at = utcnow()
        helpers = helper_ids(session, [worker.id])[worker.id]
        _insert_once(session, [{"key": f"late:{shift.id}:{helper}", "user_id": helper, "worker_id": worker.id,
                                "kind": "late", "shift_id": shift.id, "due_at": answer.late_at}
                               for helper in sorted(helpers)])
    session.flush()
    return answer


def current_or_next_with_answer(session: Session, worker: User, now: datetime) -> tuple[Shift | None, LeftHome | None]:
    """The shift going on now or the next one (as schedule.current_or_next), with its "Jeg har
    gått" answer if any: one query, whether there is a shift or not."""
    row = session.execute(
        select(Shift, LeftHome).outerjoin(LeftHome, LeftHome.shift_id == Shift.id)
        .options(joinedload(Shift.workplace))
        .where(Shift.worker_id == worker.id, Shift.cancelled_at.is_(None), Shift.ends_at > now)
        .order_by(Shift.starts_at).limit(1)
    ).first()
    return (row[0], row[1]) if row else (None, None)


@dataclass
class NowCard:
    """The top card of I dag: the next reminder and whether "Jeg har gått" is shown."""

    kind: str  # "get_ready", "leave_home", or "left" / "late" once answered
    at: datetime | None
    show_left_button: bool
    answer: LeftHome | None


def now_card(shift: Shift | None, worker: User, answer: LeftHome | None, now: datetime) -> NowCard | None:
    """From get-ready time until the shift starts (and on the day, before that: the next moment)."""
    if shift is None or shift.cancelled_at is not None or now >= shift.starts_at:
        return None
    at = moments(shift, worker)
    opens = at.get_ready or at.leave_home
    # Another day's shift only once its window has opened: a shift just after midnight still
    # asks for "Jeg har gått" in the evening before.
    if oslo(shift.starts_at).date() != oslo(now).date() and (opens is None or now < opens):
        return None
    if answer is not None and (answer.left_at or answer.late_at):
        return NowCard("left" if answer.left_at else "late", answer.left_at or answer.late_at, False, answer)
    in_window = opens is not None and now >= opens
    if at.leave_home is not None and (now >= (at.get_ready or at.leave_home) or at.get_ready is None):
        return NowCard("leave_home", at.leave_home, in_window, answer)
    return NowCard("get_ready", at.get_ready, in_window, answer)


# Devices ------------------------------------------------------------------------------------


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


# Sending ------------------------------------------------------------------------------------


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


def _topic(reminder: Reminder) -> str:
    """RFC 8030 Topic: a newer message about the same thing replaces one still waiting on the
    push service (at most 32 URL-safe base64 characters)."""
    subject = reminder.shift_id or reminder.event_id or reminder.assignment_id or reminder.help_request_id
    digest = hashlib.sha256(f"{kind_of(reminder.kind)}:{subject}:{reminder.user_id}".encode()).digest()
    return base64.urlsafe_b64encode(digest[:24]).decode()


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
    # Last: a helper who turned the push off still reads the notice on her page.
    if not is_on(user, r.kind):
        return "off"
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


def message(session: Session, r: Reminder, secret_key: str) -> dict:
    """The notification, in the recipient's language: title, words, pictogram, where a tap goes."""
    with force_locale(r.user.locale or "nb"):
        return _message(session, r, secret_key)


def _icon(name: str) -> str:
    return f"/static/vendor/openmoji/{pictograms.code(name)}.svg"


def _message(session: Session, r: Reminder, secret_key: str) -> dict:
    from ..timewords import clock, day_words

    shift, worker = r.shift, r.worker
    data: dict = {"kind": r.kind, "tag": _topic(r), "url": "/"}
    if r.kind in ("get_ready", "leave_home"):
        at = moments(shift, worker)
        starts = _("Vakten begynner kl. %(time)s.", time=clock(shift.starts_at))
        if r.kind == "get_ready":
            leave = (" " + _("Gå hjemme-fra kl. %(time)s.", time=clock(at.leave_home))) if at.leave_home else ""
            data.update(title=_("Gjør deg klar"), body=starts + leave, icon=_icon("get_ready"))
        else:
            data.update(title=_("Gå hjemme-fra nå"), body=starts, icon=_icon("leave_home"),
                        actions=[{"action": "left", "title": _("Jeg har gått")}],
                        left_url="/reminders/left", left_token=left_token(secret_key, worker.id, shift.id))
    elif r.kind == "shift_changed":
        data.update(title=_("Vakten er endret"), icon=_icon("changed"), url="/shifts",
                    body=_("Vakten er nå %(day)s kl. %(time)s.", day=day_words(shift.starts_at),
                           time=clock(shift.starts_at)))
    elif r.kind == "shift_cancelled":
        data.update(title=_("Vakten er endret"), icon=_icon("changed"), url="/shifts",
                    body=_("Vakten %(day)s er avlyst.", day=day_words(shift.starts_at)))
    elif r.kind == "new_task":
        from ..models import Assignment, ChecklistVersion

        assignment = session.get(Assignment, r.assignment_id)
        title = session.get(ChecklistVersion, assignment.version_id).checklist.title if assignment else ""
        data.update(title=_("Du har fått en ny oppgave"), body=title, icon=_icon("tasks"),
                    url=f"/tasks/{r.assignment_id}")
    elif r.kind in ("event_tomorrow", "event_place"):
        event = session.get(Event, r.event_id)
        if r.kind == "event_tomorrow":
            data.update(title=_("I morgen: %(title)s", title=event.title), icon=_icon("events"),
                        body=_("Det begynner kl. %(time)s.", time=clock(event.starts_at)))
        else:
            data.update(title=_("Du har fått plass"), icon=_icon("going"),
                        body=_("%(title)s, %(day)s.", title=event.title, day=day_words(event.starts_at)))
        data["url"] = f"/events/{r.event_id}"
    elif r.kind in ("not_left", "late"):
        starts = _("Vakten begynner kl. %(time)s.", time=clock(shift.starts_at))
        title = (_("%(name)s har ikke trykket «Jeg har gått».", name=worker.first_name) if r.kind == "not_left"
                 else _("%(name)s blir sen.", name=worker.first_name))
        data.update(title=title, body=starts, icon=_icon("late" if r.kind == "late" else "leave_home"),
                    url=_helper_url(r))
    elif r.kind == "help":
        from ..help.views import reason_labels

        request = session.get(HelpRequest, r.help_request_id)
        data.update(title=_("%(name)s trenger hjelp", name=worker.first_name), icon=_icon("help"),
                    body=reason_labels().get(request.reason, "") if request else "", url=_helper_url(r))
    return data


def _helper_url(r: Reminder) -> str:
    if r.user.role == Role.SUPPORT:
        # The start page has the notice with "Ring Ola" (the worker's I dag needs another permission).
        return "/support" if r.kind in ("not_left", "late") else f"/support/workers/{r.worker_id}"
    return f"/staff/workers/{r.worker_id}"


def _ttl(r: Reminder, now: datetime) -> int:
    """How long the push service keeps it for a phone that is off: until the shift starts for
    shift moments, a day for the rest."""
    if r.kind in TIMED and r.shift is not None:
        return max(60, int((r.shift.starts_at - now).total_seconds()))
    return 24 * 3600


def _urgency(r: Reminder) -> str:
    return "high" if r.kind in CRITICAL | {"not_left", "late", "help"} else "normal"


def _notice_for_helper(session: Session, r: Reminder, now: datetime) -> None:
    """Support persons and specialists see it on their own pages too (with "Ring Ola"), also
    without a subscribed phone or with the push turned off."""
    if r.kind in ("not_left", "late") and r.user.role in (Role.SUPPORT, Role.SPECIALIST):
        session.add(Notice(user_id=r.user_id, worker_id=r.worker_id, kind=r.kind, shift_id=r.shift_id,
                           created_at=now))


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
        if outcome in (None, "off"):
            _notice_for_helper(session, r, now)
        if outcome is None:
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
    headers = {"Urgency": _urgency(r), "Topic": _topic(r)}
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

"""Early signs on "Mine arbeidstakere": calm flags for the job specialist, each with its reason
and the date it is about. Never a score, and never shown to the worker or a support person.

Each sign is one small rule in RULES. A `ColumnSign` adds correlated subqueries (one value per
worker) to one shared query, so all of them together cost one SQL query for the whole caseload,
however many workers, shifts or help requests there are. A `QuerySign` runs a query of its own
(one per caseload, never one per worker). The seen marks come with the shared query: one in
all, for the rules here.

A specialist can mark a sign as seen, with a note. It stays hidden until a sign of the same kind
with a later date appears.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import Session

from ..models import Assignment, AuditEntry, HelpRequest, LeftHome, Run, Shift, SignSeen, User, UserSession
from ..models.types import utcnow
from . import checkin
from .audit import record
from .errors import Invalid, NotAllowed
from .limits import SIGN_NOTE_MAX
from .schedule import at_oslo, oslo

# How far back a sign looks, and its thresholds: written once, named in the reasons.
NOT_LEFT_DAYS, NOT_LEFT_TIMES = 14, 2
LATE_DAYS = 14
HELP_DAYS, HELP_USUAL_WEEKS, HELP_AT_LEAST = 7, 8, 3
CHECKLIST_GRACE = timedelta(minutes=30)  # the shift began this long ago and no checklist opened
SIGN_IN_DAYS = 7
SUPPORT_ENDED_DAYS = 14
SUPPORT_ENDED = "support.end"  # the audit action written when a support person's link ends


@dataclass(frozen=True)
class Flag:
    kind: str
    reason: str
    on: date


@dataclass(frozen=True)
class Moment:
    """The time the signs are computed at: now (UTC) and today in Oslo."""

    now: datetime

    @property
    def today(self) -> date:
        return oslo(self.now).date()

    @property
    def day_starts(self) -> datetime:
        return at_oslo(self.today, time(0))

    def ago(self, days: int) -> datetime:
        return self.now - timedelta(days=days)


Found = tuple[str, date] | None


@dataclass(frozen=True)
class ColumnSign:
    """`columns(at)` are subqueries correlated on User.id; `read(values, at)` turns the values
    into (reason, date), or None when there is no sign."""

    kind: str
    columns: Callable[[Moment], list]
    read: Callable[[tuple, Moment], Found]


@dataclass(frozen=True)
class QuerySign:
    """A sign with its own query for the whole caseload: {worker_id: (reason, date)}."""

    kind: str
    fetch: Callable[[Session, list[int], User, Moment], dict[int, tuple[str, date]]]


def _scalar(statement):
    return statement.correlate(User).scalar_subquery()


def _day(moment: datetime | None) -> date | None:
    return oslo(moment).date() if moment is not None else None


# "Jeg har gått" not tapped (and not "Jeg blir sen" either) on two shifts in two weeks.
def _not_left_columns(at: Moment):
    untapped = (Shift.worker_id == User.id, Shift.cancelled_at.is_(None),
                Shift.starts_at >= at.ago(NOT_LEFT_DAYS), Shift.starts_at < at.now,
                ~exists().where(LeftHome.shift_id == Shift.id,
                                or_(LeftHome.left_at.is_not(None), LeftHome.late_at.is_not(None))))
    return [_scalar(select(func.count(Shift.id)).where(*untapped)),
            _scalar(select(func.max(Shift.starts_at)).where(*untapped))]


def _not_left_read(values, at: Moment) -> Found:
    count, last = values
    if (count or 0) < NOT_LEFT_TIMES:
        return None
    return ngettext("«Jeg har gått» er ikke trykket på %(num)s vakt de siste %(days)s dagene.",
                    "«Jeg har gått» er ikke trykket på %(num)s vakter de siste %(days)s dagene.",
                    count, days=NOT_LEFT_DAYS), _day(last)


# Late: "Jeg blir sen" tapped, or "Jeg har gått" tapped after the shift had begun.
def _late_columns(at: Moment):
    since = at.ago(LATE_DAYS)
    return [
        _scalar(select(func.max(LeftHome.late_at)).where(LeftHome.worker_id == User.id,
                                                         LeftHome.late_at >= since)),
        _scalar(select(func.max(LeftHome.left_at)).join(Shift, Shift.id == LeftHome.shift_id)
                .where(LeftHome.worker_id == User.id, LeftHome.left_at >= since,
                       LeftHome.left_at > Shift.starts_at)),
    ]


def _late_read(values, at: Moment) -> Found:
    said_late, left_late = values
    if said_late is None and left_late is None:
        return None
    if left_late is None or (said_late is not None and said_late >= left_late):
        return _("Trykket «Jeg blir sen»."), _day(said_late)
    return _("Trykket «Jeg har gått» etter at vakten hadde begynt."), _day(left_late)


# More help requests than usual: in the last 7 days at least 3, and more than twice the weekly
# average of the 8 weeks before.
def _help_columns(at: Moment):
    recent = at.ago(HELP_DAYS)
    before = recent - timedelta(weeks=HELP_USUAL_WEEKS)
    mine = HelpRequest.worker_id == User.id
    return [
        _scalar(select(func.count(HelpRequest.id)).where(mine, HelpRequest.created_at >= recent)),
        _scalar(select(func.count(HelpRequest.id)).where(mine, HelpRequest.created_at >= before,
                                                         HelpRequest.created_at < recent)),
        _scalar(select(func.max(HelpRequest.created_at)).where(mine, HelpRequest.created_at >= recent)),
    ]


def _help_read(values, at: Moment) -> Found:
    recent, before, last = values
    usual = (before or 0) / HELP_USUAL_WEEKS
    if (recent or 0) < HELP_AT_LEAST or recent <= 2 * usual:
        return None
    return _("%(num)s hjelpe-meldinger de siste %(days)s dagene. Vanlig er %(usual)s i uka "
             "(snitt for de %(weeks)s ukene før).", num=recent, days=HELP_DAYS,
             usual=format_decimal(usual, "0.#"), weeks=HELP_USUAL_WEEKS), _day(last)


# Today's checklist not opened on a shift day: a shift began at least 30 minutes ago today, a
# checklist is given for today, and none of today's checklists was opened.
def _checklist_columns(at: Moment):
    today = at.today
    began = exists().where(Shift.worker_id == User.id, Shift.cancelled_at.is_(None),
                           Shift.starts_at >= at.day_starts, Shift.starts_at <= at.now - CHECKLIST_GRACE)
    given = exists().where(Assignment.worker_id == User.id, Assignment.ended_at.is_(None),
                           or_(Assignment.on_date == today,
                               Assignment.weekdays.contains(str(today.weekday())),
                               Assignment.every_shift.is_(True)))
    opened = exists().where(Run.assignment_id == Assignment.id, Assignment.worker_id == User.id,
                            Run.day == today)
    # Plain EXISTS columns of the signs query, so each is correlated on that query's worker (an
    # EXISTS nested in a scalar SELECT would correlate on that SELECT and see every worker).
    return [and_(began, given, ~opened)]


def _checklist_read(values, at: Moment) -> Found:
    if not values[0]:
        return None
    return _("Dagens sjekkliste er ikke åpnet. Vakten har begynt."), at.today


# No sign-in for 7 days on a worker with shifts (one in the last 7 days or the next 7).
def _sign_in_columns(at: Moment):
    return [
        _scalar(select(func.max(UserSession.created_at)).where(UserSession.user_id == User.id)),
        User.created_at,
        exists().where(
            Shift.worker_id == User.id, Shift.cancelled_at.is_(None),
            Shift.starts_at >= at.ago(SIGN_IN_DAYS), Shift.starts_at < at.now + timedelta(days=SIGN_IN_DAYS)),
    ]


def _sign_in_read(values, at: Moment) -> Found:
    last, created, has_shifts = values
    since = last or created
    if not has_shifts or since is None or since > at.ago(SIGN_IN_DAYS):
        return None
    if last is None:
        return _("Har ikke logget inn ennå, og har vakter."), _day(created)
    return _("Har ikke logget inn på %(days)s dager, og har vakter.", days=SIGN_IN_DAYS), _day(last)


# A support person's link ended (the worker stopped it, or the support person left).
def _support_columns(at: Moment):
    return [_scalar(select(func.max(AuditEntry.at)).where(
        AuditEntry.worker_id == User.id, AuditEntry.action == SUPPORT_ENDED,
        AuditEntry.at >= at.ago(SUPPORT_ENDED_DAYS)))]


def _support_read(values, at: Moment) -> Found:
    if values[0] is None:
        return None
    return _("En støtteperson er ikke koblet til lenger."), _day(values[0])


# "Hvordan har du det på jobb?" answered worse than the time before (only what she shares: the
# caseload is her specialist's).
def _checkin_read(values, at: Moment) -> Found:
    newest, before, on = values
    if newest is None or before is None or newest >= before:
        return None
    return _("Svarene på «Hvordan har du det på jobb?» er dårligere enn sist."), _day(on)


RULES: list[ColumnSign | QuerySign] = [
    ColumnSign("not_left", _not_left_columns, _not_left_read),
    ColumnSign("late", _late_columns, _late_read),
    ColumnSign("help_more", _help_columns, _help_read),
    ColumnSign("checkin_worse", lambda at: checkin.trend_columns(User), _checkin_read),
    ColumnSign("checklist", _checklist_columns, _checklist_read),
    ColumnSign("sign_in", _sign_in_columns, _sign_in_read),
    ColumnSign("support_ended", _support_columns, _support_read),
]

# What each kind is called where the specialist marks it as seen (and in the worker's download).
KIND_LABELS = {
    "not_left": _l("«Jeg har gått» ikke trykket"),
    "late": _l("Sen"),
    "help_more": _l("Flere hjelpe-meldinger enn vanlig"),
    "checklist": _l("Dagens sjekkliste ikke åpnet"),
    "sign_in": _l("Ikke logget inn"),
    "support_ended": _l("Støtteperson ikke koblet til lenger"),
    "checkin_worse": _l("«Hvordan har du det på jobb?» dårligere"),
}


def _seen_column(kind: str):
    """The latest sign date of this kind marked as seen, for the worker."""
    return _scalar(select(func.max(SignSeen.sign_on)).where(SignSeen.worker_id == User.id,
                                                             SignSeen.kind == kind))


def _found(session: Session, viewer: User, worker_ids: list[int], at: Moment) -> dict[int, list[Flag]]:
    """Every sign of the workers not yet seen: one query for the column signs and the seen
    marks of every kind, and one per QuerySign."""
    flags: dict[int, list[Flag]] = {w: [] for w in worker_ids}
    if not worker_ids:
        return flags
    column_signs = [(rule, rule.columns(at)) for rule in RULES if isinstance(rule, ColumnSign)]
    kinds = [rule.kind for rule in RULES]
    statement = select(User.id, *(_seen_column(kind) for kind in kinds),
                       *(c for _rule, cols in column_signs for c in cols)).where(User.id.in_(worker_ids))
    seen: dict[tuple[int, str], date] = {}
    for row in session.execute(statement):
        worker_id, values = row[0], row[1 + len(kinds):]
        seen.update({(worker_id, kind): on for kind, on in zip(kinds, row[1:1 + len(kinds)], strict=True) if on})
        start = 0
        for rule, cols in column_signs:
            found = rule.read(tuple(values[start:start + len(cols)]), at)
            start += len(cols)
            if found is not None:
                flags[worker_id].append(Flag(rule.kind, found[0], found[1] or at.today))
    for rule in RULES:
        if isinstance(rule, QuerySign):
            for worker_id, (reason, on) in rule.fetch(session, worker_ids, viewer, at).items():
                if worker_id in flags:
                    flags[worker_id].append(Flag(rule.kind, reason, on))
    return {w: [f for f in found if seen.get((w, f.kind), date.min) < f.on] for w, found in flags.items()}


def flags_for(session: Session, viewer: User, workers: list[User],
              now: datetime | None = None) -> dict[int, list[Flag]]:
    """The signs not yet seen, for the workers the viewer may see signs of (the others get
    none): newest first. One query for the whole list (and one per QuerySign)."""
    from ..policy import Action, can

    at = Moment(now or utcnow())
    found = _found(session, viewer, [w.id for w in workers if can(viewer, Action.SEE_EARLY_SIGNS, w)], at)
    return {w.id: sorted(found.get(w.id, []), key=lambda f: f.on, reverse=True) for w in workers}


def mark_seen(session: Session, viewer: User, worker: User, kind: str, note: str,
              now: datetime | None = None) -> SignSeen | None:
    """The specialist has seen the worker's sign of this kind; the note is hers. None when the
    sign is not there (any more): someone else marked it, or it went away by itself."""
    from ..policy import Action, can

    if not can(viewer, Action.SEE_EARLY_SIGNS, worker):
        raise NotAllowed()
    note = (note or "").strip()
    if len(note) > SIGN_NOTE_MAX:
        raise Invalid(_l("Skriv kortere, høyst %(n)s tegn.", n=SIGN_NOTE_MAX), field="note")
    flag = next((f for f in flags_for(session, viewer, [worker], now).get(worker.id, [])
                 if f.kind == kind), None)
    if flag is None:
        return None
    seen = SignSeen(kind=kind, worker_id=worker.id, sign_on=flag.on, seen_by_id=viewer.id,
                    seen_at=now or utcnow(), note=note)
    session.add(seen)
    record(session, viewer, "sign.seen", worker, f"{kind} {flag.on.isoformat()}")
    session.flush()
    return seen


# The pictogram beside each kind of sign on the caseload.
PICTOGRAMS = {"not_left": "not_left", "late": "late", "help_more": "help", "checklist": "tasks",
              "sign_in": "lock", "support_ended": "support", "checkin_worse": "check_in"}

"""Who may do what: every permission decision in the app goes through can().

Views, templates and the API ask can(user, action, thing). The relations it needs (which workers a
specialist follows, which support links a support person has) are loaded once per request.
"""

from __future__ import annotations

from enum import StrEnum

from flask import g, has_app_context
from sqlalchemy import and_, case, false, func, or_, select, true

from .extensions import db
from .models import (
    STAFF_ROLES,
    ApiToken,
    Checklist,
    Event,
    Follows,
    HelpRequest,
    Permission,
    Role,
    Signup,
    SupportLink,
    User,
    Workplace,
)


class Action(StrEnum):
    USE_WORKER_APP = "use_worker_app"  # the worker's own pages
    USE_SUPPORT_APP = "use_support_app"  # the support person's start page
    USE_STAFF_APP = "use_staff_app"  # staff: the staff pages (their layout), signed in with a password
    SEE_CASELOAD = "see_caseload"  # "Mine arbeidstakere"
    VIEW_WORKER = "view_worker"  # staff: a worker's page
    SEE_EARLY_SIGNS = "see_early_signs"  # her specialist: early signs on Mine arbeidstakere, marked seen
    SEE_SHIFTS = "see_shifts"
    SEE_TASKS = "see_tasks"
    TICK_TASKS = "tick_tasks"
    SIGN_UP_EVENTS = "sign_up_events"  # sign a worker up or off an event
    MANAGE_EVENTS = "manage_events"  # organizers: the organizer pages, making events
    MANAGE_EVENT = "manage_event"  # one event: see who comes, export, edit, cancel
    USE_LIBRARY = "use_library"  # job specialists: the checklist library
    EDIT_CHECKLIST = "edit_checklist"  # a checklist's owner (or an admin)
    MANAGE_SHARING = "manage_sharing"  # the worker's own "Hvem ser hva?"
    PROPOSE_SUPPORT = "propose_support"
    MANAGE_SHIFTS = "manage_shifts"  # enter, move and cancel a worker's shifts; travel minutes
    FADE_SUPPORT = "fade_support"  # a worker's support level per step; "Jeg kan dette nå" decided
    RENEW_CALENDAR = "renew_calendar"  # staff: a new secret calendar address for a worker
    PUSH_CHECKLIST = "push_checklist"  # give a checklist to a worker
    FOLLOW_LESSONS = "follow_lessons"  # see lesson progress, recommend, mark done together
    MAKE_SIGN_IN_LINK = "make_sign_in_link"
    SIGN_OUT_EVERYWHERE = "sign_out_everywhere"
    HAND_OVER_CASELOAD = "hand_over_caseload"  # a specialist's workers to another specialist
    HANDLE_HELP = "handle_help"
    ASK_FOR_HELP = "ask_for_help"
    SEE_HELP_RECEIPT = "see_help_receipt"  # the worker's own help request: arrived, seen
    MANAGE_USERS = "manage_users"
    EDIT_SAFETY_NUMBER = "edit_safety_number"
    READ_AUDIT_LOG = "read_audit_log"
    MANAGE_API_TOKENS = "manage_api_tokens"  # staff: their own tokens for integrations
    SEE_OTHERS_API_TOKENS = "see_others_api_tokens"  # admin: everyone's live tokens
    SEE_EVENTS = "see_events"  # staff: the programme's coming events, without who comes
    SEE_EVENT = "see_event"  # a worker: an event open to them, or one they are signed up to
    CALL_WORKER = "call_worker"  # see (and, staff: enter) the worker's own phone number
    # The job specialist's year (issue 16): workplaces of the region, new workers, follow-up.
    MANAGE_WORKPLACES = "manage_workplaces"  # list, create, edit the region's workplaces
    CREATE_WORKER = "create_worker"  # a specialist: a new worker in their region, followed at once
    SEE_FOLLOW_UP = "see_follow_up"  # meetings, plan, trial: the worker's own, or their specialist
    RECORD_FOLLOW_UP = "record_follow_up"  # write meetings, plan, trial, set the workplace
    # A support person: the worker's next meeting with the specialist, on their start page. It
    # rides on the worker's "se vaktene dine" (when the worker is where): no new permission.
    SEE_NEXT_MEETING = "see_next_meeting"
    MANAGE_SECOND_FACTOR = "manage_second_factor"  # staff: their own passkeys, code app, codes
    RESET_SECOND_FACTOR = "reset_second_factor"  # admin: another staff member lost every factor
    # "Hvordan har du det på jobb?": the worker's own answers; others only as she decides.
    SEE_CHECKINS = "see_checkins"


# Support persons get these only through a confirmed link that grants the permission.
_SUPPORT_PERMISSIONS = {
    Action.SEE_SHIFTS: Permission.SEE_SHIFTS,
    Action.SEE_TASKS: Permission.SEE_TASKS,
    Action.TICK_TASKS: Permission.TICK_TASKS,
    Action.SIGN_UP_EVENTS: Permission.SIGN_UP_EVENTS,
    Action.SEE_NEXT_MEETING: Permission.SEE_SHIFTS,
}


def followed_worker_ids(user: User) -> frozenset[int]:
    return _cached(user, "followed", lambda: frozenset(
        db.session.scalars(select(Follows.worker_id).where(Follows.specialist_id == user.id))
    ))


def knows_followed(user: User, worker_ids) -> None:
    """The caseload's own query has just read whom the specialist follows (all of them): the
    policy uses that, rather than asking again."""
    if has_app_context():
        g.setdefault("_policy_cache", {})[(user.id, "followed")] = frozenset(worker_ids)


def support_links_of(user: User) -> dict[int, SupportLink]:
    """The support person's links, by worker id."""
    return _cached(user, "links", lambda: {
        link.worker_id: link
        for link in db.session.scalars(
            select(SupportLink).where(SupportLink.supporter_id == user.id)
        )
    })


def signed_up_event_ids(user: User) -> frozenset[int]:
    """Events the worker has a sign-up on, in any state."""
    return _cached(user, "signed_up", lambda: frozenset(
        db.session.scalars(select(Signup.event_id).where(Signup.worker_id == user.id))))


def _cached(user: User, name: str, load):
    if not has_app_context():
        return load()
    cache = g.setdefault("_policy_cache", {})
    key = (user.id, name)
    if key not in cache:
        cache[key] = load()
    return cache[key]


def forget_cached_relations() -> None:
    """Call after changing follows or support links within the same request."""
    if has_app_context():
        g.pop("_policy_cache", None)


def can(user, action: Action | str, thing=None) -> bool:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    action = Action(action)
    role = user.role

    if action is Action.USE_WORKER_APP:
        return role == Role.WORKER
    if action is Action.USE_SUPPORT_APP:
        return role == Role.SUPPORT
    if action is Action.USE_STAFF_APP:
        return role in STAFF_ROLES
    if action is Action.SEE_CASELOAD:
        return role == Role.SPECIALIST
    if action is Action.ASK_FOR_HELP:
        return role == Role.WORKER
    if action in (Action.MANAGE_USERS, Action.EDIT_SAFETY_NUMBER, Action.READ_AUDIT_LOG):
        return role == Role.ADMIN
    if action is Action.MANAGE_API_TOKENS:
        # Your own tokens; an admin may also turn off anyone's (a leaked token, a person gone).
        return role in STAFF_ROLES and (
            thing is None or (isinstance(thing, ApiToken) and (thing.owner_id == user.id or role == Role.ADMIN)))
    if action is Action.SEE_OTHERS_API_TOKENS:
        return role == Role.ADMIN
    if action is Action.SEE_EVENTS:
        return role in STAFF_ROLES
    if action is Action.MANAGE_SECOND_FACTOR:
        return role in STAFF_ROLES
    if action is Action.RESET_SECOND_FACTOR:
        return (role == Role.ADMIN and isinstance(thing, User) and thing.role in STAFF_ROLES
                and thing.id != user.id)
    if action is Action.SEE_EVENT:
        # The rule of visible_events(), for one event.
        return role == Role.WORKER and isinstance(thing, Event) and (
            (not thing.invite_only and thing.region_id in (None, user.region_id))
            or thing.id in signed_up_event_ids(user))
    if action is Action.MANAGE_EVENTS:
        return role in (Role.ORGANIZER, Role.ADMIN)
    if action is Action.MANAGE_WORKPLACES:
        # A specialist manages the workplaces of their own region (the rule of managed_workplaces()).
        if role not in (Role.SPECIALIST, Role.ADMIN):
            return False
        return thing is None or (isinstance(thing, Workplace) and (
            role == Role.ADMIN or thing.region_id == user.region_id))
    if action is Action.CREATE_WORKER:
        return role == Role.SPECIALIST
    if action is Action.MANAGE_EVENT:
        # The rule of managed_events(), for one event.
        return isinstance(thing, Event) and (role == Role.ADMIN or (role == Role.ORGANIZER and (
            thing.created_by_id == user.id
            or (user.region_organizer and user.region_id is not None and thing.region_id == user.region_id))))
    if action is Action.USE_LIBRARY:
        return role in (Role.SPECIALIST, Role.ADMIN)
    if action is Action.EDIT_CHECKLIST:
        return isinstance(thing, Checklist) and (role == Role.ADMIN or thing.owner_id == user.id)

    if action is Action.HANDLE_HELP:
        return isinstance(thing, HelpRequest) and _manages(user, thing.worker_id)
    if action is Action.SEE_HELP_RECEIPT:
        return role == Role.WORKER and isinstance(thing, HelpRequest) and thing.worker_id == user.id

    if action is Action.MAKE_SIGN_IN_LINK:
        # Not for a deactivated person: the link would be refused when used.
        return isinstance(thing, User) and thing.active and _may_link(user, thing)

    if action is Action.SIGN_OUT_EVERYWHERE:
        # Yourself; anyone, by an admin (off-boarding, a stolen laptop); or a worker whose
        # phone is lost, by their specialist.
        return isinstance(thing, User) and (
            thing.id == user.id or role == Role.ADMIN or _may_link(user, thing)
        )
    if action is Action.HAND_OVER_CASELOAD:
        # An admin, or the specialist herself (leaving, or a long leave).
        return isinstance(thing, User) and thing.role == Role.SPECIALIST and (
            role == Role.ADMIN or thing.id == user.id)

    # The rest are about one worker's data.
    if not isinstance(thing, User) or thing.role != Role.WORKER:
        return False
    worker = thing

    if action is Action.MANAGE_SHARING:
        return user.id == worker.id
    if action is Action.CALL_WORKER:
        # Her own number: the specialists who follow her, and a support person only while the
        # worker lets them be told "Si fra hvis jeg ikke har gått".
        if role == Role.SUPPORT:
            link = support_links_of(user).get(worker.id)
            return link is not None and link.allows(Permission.NOTIFY_NOT_LEFT)
        return user.id == worker.id or (role == Role.SPECIALIST and worker.id in followed_worker_ids(user))
    if action is Action.SEE_EARLY_SIGNS:
        # Never the worker or a support person: a calm note for the specialist, not a score.
        return role == Role.SPECIALIST and worker.id in followed_worker_ids(user)
    if action is Action.SEE_FOLLOW_UP:
        return user.id == worker.id or _manages(user, worker.id)
    if action is Action.SEE_CHECKINS:
        # Nobody but the worker by default: a support person through the link's own permission,
        # the specialists who follow her once she said yes (an admin does not see them).
        if user.id == worker.id:
            return True
        if role == Role.SUPPORT:
            link = support_links_of(user).get(worker.id)
            return link is not None and link.allows(Permission.SEE_WELLBEING)
        return (role == Role.SPECIALIST and worker.id in followed_worker_ids(user)
                and worker.checkins_to_specialist is True)
    if action is Action.RECORD_FOLLOW_UP:
        return _manages(user, worker.id)
    if action in (Action.VIEW_WORKER, Action.PROPOSE_SUPPORT, Action.MANAGE_SHIFTS,
                  Action.FADE_SUPPORT, Action.RENEW_CALENDAR, Action.PUSH_CHECKLIST,
                  Action.FOLLOW_LESSONS):
        return _manages(user, worker.id)
    if action in _SUPPORT_PERMISSIONS:
        if user.id == worker.id:
            return True
        if role == Role.SUPPORT:
            link = support_links_of(user).get(worker.id)
            return link is not None and link.allows(_SUPPORT_PERMISSIONS[action])
        if action in (Action.TICK_TASKS, Action.SIGN_UP_EVENTS):
            return False
        return _manages(user, worker.id)
    return False


def managed_worker_ids(user: User):
    """The rule of _manages() as a SQL condition on a worker id column: for lists (the API)."""
    if user.role == Role.ADMIN:
        return select(User.id).where(User.role == Role.WORKER)
    if user.role == Role.SPECIALIST:
        return select(Follows.worker_id).where(Follows.specialist_id == user.id)
    return select(User.id).where(false())


def visible_checkin_workers(user: User):
    """The rule of can(user, SEE_CHECKINS, worker) as a SQL condition on a worker id column."""
    if user.role == Role.WORKER:
        return select(User.id).where(User.id == user.id)
    if user.role == Role.SUPPORT:
        return select(SupportLink.worker_id).where(
            SupportLink.supporter_id == user.id, SupportLink.confirmed_at.is_not(None),
            SupportLink.see_wellbeing.is_(True))
    if user.role == Role.SPECIALIST:
        return (select(Follows.worker_id).join(User, User.id == Follows.worker_id)
                .where(Follows.specialist_id == user.id, User.checkins_to_specialist.is_(True)))
    return select(User.id).where(false())


def linkable_user_ids(user: User):
    """The rule of _may_link() as a SQL condition on a user id column: the people whose sign-in
    links someone may make, see and end (the worker page lists their open links)."""
    if user.role == Role.ADMIN:
        return select(User.id).where(User.role.in_((Role.WORKER, Role.SUPPORT)))
    if user.role != Role.SPECIALIST:
        return select(User.id).where(false())
    followed = select(Follows.worker_id).where(Follows.specialist_id == user.id)
    # A support person: only when the specialist follows every worker they help.
    supporters = (select(SupportLink.supporter_id).group_by(SupportLink.supporter_id)
                  .having(func.sum(case((SupportLink.worker_id.in_(followed), 0), else_=1)) == 0))
    return followed.union(supporters)


def managed_workplaces(user: User):
    """The rule of can(user, MANAGE_WORKPLACES, workplace) as a SQL condition on Workplace."""
    if user.role == Role.ADMIN:
        return true()
    if user.role != Role.SPECIALIST:
        return false()
    if user.region_id is None:
        return Workplace.region_id.is_(None)
    return Workplace.region_id == user.region_id


def visible_events(user: User):
    """The rule of can(user, SEE_EVENT, event) as a SQL condition on Event: open events for
    everyone or the worker's region, and any event the worker is signed up to."""
    if user.role != Role.WORKER:
        return false()
    own = select(Signup.event_id).where(Signup.worker_id == user.id)
    return or_(
        and_(Event.invite_only.is_(False), or_(Event.region_id.is_(None), Event.region_id == user.region_id)),
        Event.id.in_(own),
    )


def managed_events(user: User):
    """The rule of can(user, MANAGE_EVENT, event) as a SQL condition on Event: an organizer's
    own events, and a region organizer's region's too; every event for an admin."""
    if user.role == Role.ADMIN:
        return true()
    if user.role != Role.ORGANIZER:
        return false()
    own = Event.created_by_id == user.id
    if user.region_organizer and user.region_id is not None:
        return or_(own, Event.region_id == user.region_id)
    return own


def _manages(user: User, worker_id: int) -> bool:
    """A specialist who follows the worker, or an admin."""
    if user.role == Role.ADMIN:
        return True
    return user.role == Role.SPECIALIST and worker_id in followed_worker_ids(user)


def _may_link(user: User, target: User) -> bool:
    """Who may make a sign-in link (or end the devices) for someone without a password."""
    if target.role == Role.WORKER:
        return _manages(user, target.id)
    if target.role == Role.SUPPORT:
        if user.role == Role.ADMIN:
            return True
        if user.role != Role.SPECIALIST:
            return False
        # Signing in as a support person shows what every worker they help has shared. So a
        # specialist may do it only when they follow every one of those workers.
        helped = set(db.session.scalars(
            select(SupportLink.worker_id).where(SupportLink.supporter_id == target.id)))
        return bool(helped) and helped <= followed_worker_ids(user)
    return False

"""People: a specialist's workers, and the admin's list of users."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from ..models import (
    STAFF_ROLES,
    ChecklistStep,
    ChecklistVersion,
    Follows,
    HelpRequest,
    Role,
    SupportLink,
    User,
)
from .audit import record, record_each
from .auth import hash_password
from .errors import Invalid, NotFound
from .paging import Key, Page, keyset

# A help request asked from a checklist step, with the step and its checklist's title.
_HELP_STEP = joinedload(HelpRequest.step).joinedload(ChecklistStep.version).joinedload(
    ChecklistVersion.checklist)


@dataclass
class CaseloadRow:
    worker: User
    open_help: list[HelpRequest]
    erasure_asked: bool = False  # the worker asked for everything to be deleted: tell her specialist
    flags: list = field(default_factory=list)  # early signs not yet seen (services/early_signs)
    # The newest "Hvordan har du det på jobb?" she shares with her specialists (or None).
    checkin: object | None = None


def caseload(session: Session, specialist: User, log: bool = True,
             now: datetime | None = None) -> list[CaseloadRow]:
    """One row per followed worker with their open help requests, early signs and newest shared
    check-in, the rows with a sign not yet seen first (each part by name): the same few queries
    however many workers."""
    from ..models import CheckIn
    from ..models.erasure import ASKED, Erasure
    from ..policy import knows_followed
    from .checkin import latest_shared_id
    from .early_signs import flags_for

    asked = select(Erasure.id).where(Erasure.person_id == User.id, Erasure.state == ASKED).exists()
    # The newest shared check-in comes with the same query (the rule of can(SEE_CHECKINS) for a
    # specialist who follows the worker: she said yes).
    triples = session.execute(
        select(User, asked, CheckIn).join(Follows, Follows.worker_id == User.id)
        .outerjoin(CheckIn, CheckIn.id == latest_shared_id(User))
        .where(Follows.specialist_id == specialist.id).order_by(User.name)).all()
    workers = [worker for worker, _asked, _checkin in triples]
    knows_followed(specialist, [w.id for w in workers])  # can() then needs no query of its own
    open_help: dict[int, list[HelpRequest]] = {w.id: [] for w in workers}
    if workers:
        for req in session.scalars(
            select(HelpRequest).options(_HELP_STEP)
            .where(HelpRequest.worker_id.in_(open_help), HelpRequest.handled_at.is_(None))
            .order_by(HelpRequest.created_at)
        ):
            open_help[req.worker_id].append(req)
    flags = flags_for(session, specialist, workers, now)
    if log:
        # The list shows each worker's name, open help requests ("syk"), early signs and newest
        # shared check-in: one entry each, naming the signs shown.
        record_each(session, specialist, "caseload.view", workers, details={
            w: "signs: " + ", ".join(f.kind for f in shown) for w, shown in flags.items() if shown})
    rows = [CaseloadRow(w, open_help[w.id], bool(was_asked), flags.get(w.id, []), checkin)
            for w, was_asked, checkin in triples]
    return sorted(rows, key=lambda row: not row.flags)  # stable: by name within each part


def set_region_organizer(session: Session, admin: User, organizer: User, on: bool) -> None:
    """An organizer sees only the events they made; a region organizer also every event of
    their region (they need a region for that)."""
    if organizer.region_organizer != on:
        organizer.region_organizer = on
        record(session, admin, "user.region_organizer", organizer, "on" if on else "off")
    session.flush()


def workers_helped_by(session: Session, supporter: User) -> list[User]:
    """The workers a support person has a link to (confirmed or not): one query."""
    return list(session.scalars(
        select(User).join(SupportLink, SupportLink.worker_id == User.id)
        .where(SupportLink.supporter_id == supporter.id).order_by(User.name)))


def followed_workers(session: Session, specialist: User) -> list[User]:
    return list(session.scalars(
        select(User).join(Follows, Follows.worker_id == User.id)
        .where(Follows.specialist_id == specialist.id).order_by(User.name)))


def get_user(session: Session, user_id: int, role: Role | None = None) -> User:
    user = session.get(User, user_id)
    # An erased person is only "Slettet person" in records that point at them: no page opens them.
    if user is None or user.erased_at is not None or (role is not None and user.role != role):
        raise NotFound()
    return user


def users_by_id(session: Session, ids: set[int]) -> dict[int, User]:
    """Several people at once, by id: one query."""
    if not ids:
        return {}
    return {u.id: u for u in session.scalars(select(User).where(User.id.in_(ids)))}


def workers_by_id(session: Session, ids: list[int]) -> list[User]:
    """The workers of a list of ids, in its order, each once: one query. An id that is not a
    worker is a NotFound."""
    wanted = list(dict.fromkeys(ids))
    found = users_by_id(session, set(wanted))
    workers = [found.get(i) for i in wanted]
    if any(w is None or w.role != Role.WORKER for w in workers):
        raise NotFound()
    return workers


def support_persons_of(session: Session, worker_ids: list[int]) -> list[User]:
    return list(session.scalars(
        select(User).join(SupportLink, SupportLink.supporter_id == User.id)
        .where(SupportLink.worker_id.in_(worker_ids)).distinct().order_by(User.name)
    ))


def workers_supported_by(session: Session, supporter: User) -> list[SupportLink]:
    return list(session.scalars(
        select(SupportLink).options(joinedload(SupportLink.worker))
        .where(SupportLink.supporter_id == supporter.id, SupportLink.confirmed_at.is_not(None))
        .order_by(SupportLink.id)
    ))


def all_users(session: Session) -> list[User]:
    return list(session.scalars(
        select(User).options(selectinload(User.region)).where(User.erased_at.is_(None))
        .order_by(User.role, User.name)
    ))


def specialists(session: Session) -> list[User]:
    return list(session.scalars(
        select(User).where(User.role == Role.SPECIALIST, User.erased_at.is_(None)).order_by(User.name)
    ))


def specialist_ids_of(session: Session, worker: User) -> set[int]:
    return set(session.scalars(select(Follows.specialist_id).where(Follows.worker_id == worker.id)))


def save_user(
    session: Session,
    *,
    actor: User,
    user: User | None,
    name: str,
    role: str,
    email: str = "",
    password: str = "",
    region_id: int | None = None,
    specialist_ids: list[int] | None = None,
) -> User:
    """Create or change a user. Staff need an e-mail; workers and support persons have none."""
    try:
        role = Role(role)
    except ValueError:
        raise Invalid(_l("Velg en rolle."), field="role") from None
    email = email.strip().lower()
    is_new = user is None
    if role in STAFF_ROLES:
        if not email:
            raise Invalid(_l("Ansatte trenger en e-post-adresse."), field="email")
        taken = session.scalar(
            select(User.id).where(func.lower(User.email) == email, User.id != (user.id if user else -1))
        )
        if taken:
            raise Invalid(_l("Denne e-post-adressen er allerede i bruk."), field="email")
        if is_new and not password:
            raise Invalid(_l("Skriv et passord for den nye brukeren."), field="password")
    role_changed = user is not None and user.role != role.value
    user = user or User()
    user.name = name.strip()
    user.role = role.value
    if role_changed:
        # A new role must not ride on old devices or sessions: sign the person out everywhere.
        from .auth import sign_out_everywhere

        sign_out_everywhere(session, user)
    user.region_id = region_id
    if role in STAFF_ROLES:
        user.email = email
        if password:
            user.password_hash = hash_password(password)
            if not is_new and not role_changed:
                # A new password ends the sessions and API tokens the old one opened.
                from .auth import sign_out_everywhere

                sign_out_everywhere(session, user)
    else:
        user.email = None
        user.password_hash = None
    session.add(user)
    session.flush()
    if role == Role.WORKER and specialist_ids is not None:
        session.execute(delete(Follows).where(Follows.worker_id == user.id))
        for sid in set(specialist_ids):
            session.add(Follows(specialist_id=sid, worker_id=user.id))
    record(session, actor, "user.create" if is_new else "user.update",
           user if role == Role.WORKER else None, f"{user.name} ({role.value})")
    session.flush()
    return user


_WORKER_KEY = Key(User.id, read=lambda u: (u.id,))


def workers_page(session: Session, worker_ids, after: tuple | None, limit: int) -> Page:
    """Workers among worker_ids (a subquery from the policy), by id, with their workplace."""
    return keyset(session, select(User).options(joinedload(User.workplace))
                  .where(User.role == Role.WORKER, User.id.in_(worker_ids)), _WORKER_KEY, after, limit)

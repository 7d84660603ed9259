"""People, who follows whom, what a worker shares, and how devices sign in."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import NamedTuple

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .types import UTCDateTime, utcnow


class Role(StrEnum):
    WORKER = "worker"
    SUPPORT = "support"
    SPECIALIST = "specialist"
    ORGANIZER = "organizer"
    ADMIN = "admin"


STAFF_ROLES = (Role.SPECIALIST, Role.ORGANIZER, Role.ADMIN)


class Region(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)


class Workplace(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(160))
    region_id: Mapped[int | None] = mapped_column(ForeignKey("region.id"))
    # An OpenMoji code, e.g. "1F3E8" for a hotel.
    pictogram: Mapped[str] = mapped_column(String(40), default="1F3E2")
    # The leader at the workplace ("Ring lederen" calls contact_phone).
    contact_name: Mapped[str | None] = mapped_column(String(160))
    contact_phone: Mapped[str | None] = mapped_column(String(40))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    address: Mapped[str] = mapped_column(String(300), default="", server_default="")
    photo: Mapped[str | None] = mapped_column(String(40))  # a stored photo's name (services/photos)
    # The colleague mentor (fadder).
    mentor_name: Mapped[str | None] = mapped_column(String(160))
    mentor_phone: Mapped[str | None] = mapped_column(String(40))
    notes: Mapped[str] = mapped_column(Text, default="", server_default="")  # the workplace's tasks
    created_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=utcnow)

    region: Mapped[Region | None] = relationship()


class WorkplaceCard(NamedTuple):
    """What a worker's pages show of her workplace (I dag's now-card and job card, Jobben min),
    read as columns: I dag asks on every visit, and the row's object cost more than the query."""

    id: int
    name: str
    pictogram: str
    photo: str | None
    address: str
    contact_name: str | None
    contact_phone: str | None
    mentor_name: str | None

    @classmethod
    def columns(cls) -> list:
        """The columns to select, in this tuple's order."""
        return [getattr(Workplace, name) for name in cls._fields]


class Follows(db.Model):
    """A job specialist follows a worker."""

    specialist_id: Mapped[int] = mapped_column(ForeignKey("user.id"), primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("user.id"), primary_key=True, index=True)


def first_name(name: str | None) -> str:
    """How the app greets and names a person: the first word of the name."""
    return name.split()[0] if name else ""


class User(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(160))
    role: Mapped[str] = mapped_column(String(20), index=True)
    region_id: Mapped[int | None] = mapped_column(ForeignKey("region.id"))
    workplace_id: Mapped[int | None] = mapped_column(ForeignKey("workplace.id"))
    # Staff only: workers and support persons never have a password.
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Raised by "sign out everywhere": every session carries it in its id.
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Off-boarding: when an admin deactivated the person (active is then False), and when the
    # person was erased. An erased person's row stays as "Slettet person" with a pseudonym, so
    # the audit log and what they wrote still point at one stable someone.
    deactivated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    pseudonym: Mapped[str | None] = mapped_column(String(20), unique=True, index=True)

    # Settings the person chooses (Innstillinger).
    locale: Mapped[str] = mapped_column(String(5), default="nb")
    text_size: Mapped[str] = mapped_column(String(10), default="normal")
    read_aloud: Mapped[bool] = mapped_column(Boolean, default=True)
    checklist_mode: Mapped[str] = mapped_column(String(10), default="step")

    # Workers: minutes to get ready and to travel, for "Gå hjemme-fra kl. …". None: not set.
    ready_minutes: Mapped[int | None] = mapped_column(Integer)
    travel_minutes: Mapped[int | None] = mapped_column(Integer)
    # Raised to renew the secret calendar-feed address; the address is an HMAC of it.
    calendar_version: Mapped[int] = mapped_column(Integer, default=1)
    # Reminders: the kinds the person turned off (space-separated), alarms in the calendar feed,
    # and (workers) minutes after leave-home time before the chosen helpers are told.
    reminders_off: Mapped[str] = mapped_column(String(200), default="")
    calendar_alarms: Mapped[bool] = mapped_column(Boolean, default=True)
    escalate_minutes: Mapped[int] = mapped_column(Integer, default=10)
    # Organizers: an admin may let one see and manage every event of their region, not only
    # the events they made themselves.
    region_organizer: Mapped[bool] = mapped_column(Boolean, default=False)
    # Workers: the kinds the worker set herself in Innstillinger (her tap always wins), and the
    # specialist's suggestion for the rest ("get_ready:on leave_home:off ...") and who made it.
    reminders_chosen: Mapped[str] = mapped_column(String(200), default="")
    reminders_suggested: Mapped[str] = mapped_column(String(300), default="")
    # A plain id, no foreign key: SQLite can add a key to "user" only by copying the table, and
    # a person is never deleted, only erased (the row stays), so the id always names someone.
    reminders_suggested_by_id: Mapped[int | None] = mapped_column(Integer)
    # Workers: their own mobile number, 8 digits (services/reach.py), entered by the specialist;
    # shown only to whom policy's CALL_WORKER allows.
    phone: Mapped[str | None] = mapped_column(String(20))
    # Workers: may the specialists who follow her see her answers to "Hvordan har du det på
    # jobb?" None: not asked yet (she is asked at her first check-in); nothing is shared before.
    checkins_to_specialist: Mapped[bool | None] = mapped_column(Boolean)

    region: Mapped[Region | None] = relationship()
    workplace: Mapped[Workplace | None] = relationship()

    # Flask-Login protocol, written out so that session_version is part of the id.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def first_name(self) -> str:
        return first_name(self.name)


class Permission(StrEnum):
    """What a worker can let a support person see or do."""

    SEE_SHIFTS = "see_shifts"
    SEE_TASKS = "see_tasks"
    TICK_TASKS = "tick_tasks"
    SIGN_UP_EVENTS = "sign_up_events"
    # "Si fra hvis jeg ikke har gått": told when the worker has not left home in time.
    NOTIFY_NOT_LEFT = "notify_not_left"
    # The answers to "Hvordan har du det på jobb?" (issue 16): asked afresh, never carried over.
    SEE_WELLBEING = "see_wellbeing"


class SupportLink(db.Model):
    """A support person helps a worker, with only the permissions the worker agreed to.

    A specialist proposes the link; it does nothing until the worker says yes
    (confirmed_at). The worker can stop each permission at any time.
    """

    __table_args__ = (UniqueConstraint("worker_id", "supporter_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    supporter_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    # How the worker knows them, e.g. "mor", "miljøarbeider", "fadder".
    relation: Mapped[str] = mapped_column(String(80), default="")
    see_shifts: Mapped[bool] = mapped_column(Boolean, default=False)
    see_tasks: Mapped[bool] = mapped_column(Boolean, default=False)
    tick_tasks: Mapped[bool] = mapped_column(Boolean, default=False)
    sign_up_events: Mapped[bool] = mapped_column(Boolean, default=False)
    notify_not_left: Mapped[bool] = mapped_column(Boolean, default=False)
    see_wellbeing: Mapped[bool] = mapped_column(Boolean, default=False)
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    worker: Mapped[User] = relationship(foreign_keys=[worker_id])
    supporter: Mapped[User] = relationship(foreign_keys=[supporter_id])

    def permissions(self) -> list[Permission]:
        return [p for p in Permission if getattr(self, p.value)]

    def allows(self, permission: Permission) -> bool:
        return self.confirmed_at is not None and bool(getattr(self, permission.value))


class SignInLink(db.Model):
    """A single-use link that signs a device in. Only the hash of the token is kept."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Ended by staff before it was used (services/sign_in_links.py): it answers as used.
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])


class Device(db.Model):
    """A remembered device. The cookie holds id and secret; only the secret's hash is kept."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    secret_hash: Mapped[str] = mapped_column(String(64))
    label: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Wrong picture codes in a row on this phone. Kept here, not in the cookie: an old copy of
    # the cookie must not give fresh tries.
    code_tries: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # The secret before the last rotation, and when it was rotated: an old secret presented again
    # (after a short grace for two tabs at once) means a copied cookie.
    previous_secret_hash: Mapped[str | None] = mapped_column(String(64))
    rotated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reuse_detected_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reuse_told_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the worker was told

    user: Mapped[User] = relationship()


class PictureCode(db.Model):
    """Three pictures out of nine that unlock the app on a shared phone (argon2 hash)."""

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AuditEntry(db.Model):
    """Staff read or changed a worker's data. Admins can read this log."""

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    # Indexed: the admin's audit page filters by the person who read or changed something.
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    action: Mapped[str] = mapped_column(String(60))
    worker_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    detail: Mapped[str] = mapped_column(Text, default="")

    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])
    worker: Mapped[User | None] = relationship(foreign_keys=[worker_id])

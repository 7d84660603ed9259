"""The audit log: every read of a worker's data, every change, and the security events (sign-ins,
sign-in links used, picture-code locks, one person signing another out) leave a line here.

An entry names the one person it concerns (`worker_id`). A read of many workers at once (the
caseload, an attendee list, an API list) writes one entry per worker, in one INSERT: the
worker's question "who saw that I was sick?" is then one indexed lookup, the same query as the
admin's filter by worker, and the worker's own "who saw what" page needs no list parsing.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import event, func, insert, select
from sqlalchemy.orm import Session, aliased, joinedload
from sqlalchemy.sql.util import find_tables

from ..models import AuditEntry, User
from ..models.types import utcnow
from .paging import Key, Page, keyset

PAGE_SIZE = 50


def record(session: Session, actor: User | None, action: str, worker: User | None,
           detail: str = "") -> None:
    """Add an entry; the request's one commit saves it together with what it describes."""
    session.add(AuditEntry(
        actor_id=actor.id if actor else None,
        action=action,
        worker_id=worker.id if worker else None,
        detail=detail[:500],
    ))


def record_each(session: Session, actor: User | None, action: str, workers, detail: str = "",
                details: dict[int, str] | None = None) -> None:
    """One entry per worker (each once), in one INSERT whatever their number (the ORM would send
    one per row). With no worker at all, one entry naming none: the read is still on record.

    The INSERT waits for the commit (`_write_pending`): a list page writes its entries after it
    has rendered, so the database's write lock (all of SQLite's) is held for the INSERT and the
    commit only, not while the page renders. `details` gives some workers a detail of their own."""
    ids = list(dict.fromkeys(w.id for w in workers if w is not None)) or [None]
    now = utcnow()
    details = details or {}
    session.info.setdefault(_PENDING, []).extend(
        {"at": now, "actor_id": actor.id if actor else None, "action": action, "worker_id": worker_id,
         "detail": details.get(worker_id, detail)[:500]} for worker_id in ids)


_PENDING = "audit.pending"


@event.listens_for(Session, "before_commit")
def _write_pending(session: Session) -> None:
    rows = session.info.pop(_PENDING, None)
    if rows:
        session.execute(insert(AuditEntry), rows)


@event.listens_for(Session, "do_orm_execute")
def _write_before_reading(state) -> None:
    # Code that reads the log in the same transaction sees what it wrote (early signs read it).
    if state.session.info.get(_PENDING) and AuditEntry.__table__ in find_tables(
            state.statement, include_aliases=True):
        _write_pending(state.session)


@event.listens_for(Session, "after_rollback")
def _drop_pending(session: Session) -> None:
    # What was rolled back was not done: its reads were refused (a 403) or failed.
    session.info.pop(_PENDING, None)


def masked_email(secret_key: str, email: str) -> str:
    """An e-mail that is no account is someone's address, maybe mistyped: kept only as a keyed
    hash, so that many tries on one address can still be seen as one."""
    digest = hmac.new(secret_key.encode(), email.strip().lower().encode(), hashlib.sha256).hexdigest()
    return f"e-mail#{digest[:12]}"


def login(session: Session, secret_key: str, email: str, user: User | None, address: str) -> None:
    """A staff sign-in: `user` when it worked, None when refused. Never the password; an e-mail
    that is no account only masked."""
    if user is not None:
        record(session, user, "login.ok", user, f"from {address}")
        return
    account = session.scalar(select(User).where(func.lower(User.email) == (email or "").strip().lower()))
    if account is not None:
        record(session, None, "login.failed", account, f"from {address}")
    else:
        record(session, None, "login.failed", None,
               f"{masked_email(secret_key, email or '')} is no account, from {address}")


# The admin's page ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Filter:
    worker: str = ""  # a part of the name of the person an entry concerns
    person: str = ""  # a part of the name of the person who did it


def _like(text: str) -> str:
    escaped = text.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


_KEY = Key(AuditEntry.at, AuditEntry.id, read=lambda e: (e.at, e.id))


def page(session: Session, wanted: Filter = Filter(), after: tuple[datetime, int] | None = None,
         limit: int = PAGE_SIZE) -> Page:
    """One page of entries, newest first, filtered by name parts: one query whatever the size
    of the log (keyset paging: page 1,000 costs what page 1 does)."""
    stmt = select(AuditEntry).options(joinedload(AuditEntry.actor), joinedload(AuditEntry.worker))
    if wanted.worker.strip():
        subject = aliased(User)
        stmt = stmt.where(AuditEntry.worker_id.in_(
            select(subject.id).where(subject.name.ilike(_like(wanted.worker), escape="\\"))))
    if wanted.person.strip():
        actor = aliased(User)
        stmt = stmt.where(AuditEntry.actor_id.in_(
            select(actor.id).where(actor.name.ilike(_like(wanted.person), escape="\\"))))
    return keyset(session, stmt, _KEY, after, limit, descending=True)


def format_after(key: tuple[datetime, int] | None) -> str | None:
    """The key of the last entry shown, for the "Eldre" link."""
    return f"{key[0].isoformat()}_{key[1]}" if key else None


def parse_after(text: str | None) -> tuple[datetime, int] | None:
    """The "Eldre" link's key back; anything else is the first page."""
    moment, _, entry_id = (text or "").rpartition("_")
    try:
        key = (datetime.fromisoformat(moment), int(entry_id))
    except ValueError:
        return None
    if key[0].tzinfo is None or not 0 < key[1] < 2**63:
        return None
    return key

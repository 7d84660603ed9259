"""The audit log: staff reading or changing a worker's data leaves a line here."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from ..models import AuditEntry, User

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


def page(session: Session, number: int = 1) -> tuple[list[AuditEntry], int]:
    """One page of entries, newest first, and the number of pages."""
    total = session.scalar(select(func.count()).select_from(AuditEntry)) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    number = min(max(1, number), pages)
    entries = session.scalars(
        select(AuditEntry)
        .options(joinedload(AuditEntry.actor), joinedload(AuditEntry.worker))
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(PAGE_SIZE)
        .offset((number - 1) * PAGE_SIZE)
    )
    return list(entries), pages

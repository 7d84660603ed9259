"""API tokens: made, shown once, stored hashed, used, revoked."""

from __future__ import annotations

import secrets
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from ..models import STAFF_ROLES, ApiToken, Scope, User
from ..models.types import utcnow
from .audit import record
from .auth import hash_token
from .errors import Invalid

PREFIX = "wa_"
# Writing the last-used time on every call would turn each read into a write.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def create(session: Session, owner: User, name: str, scopes: list[str]) -> tuple[ApiToken, str]:
    """A new token and its secret. The secret is returned here once and never again."""
    name = " ".join((name or "").split())
    if not 2 <= len(name) <= 80:
        raise Invalid(_l("Skriv et navn på 2 til 80 tegn, for eksempel navnet på systemet."), field="name")
    chosen = sorted(set(scopes or []))
    if not chosen or any(s not in Scope._value2member_map_ for s in chosen):
        raise Invalid(_l("Velg minst én tilgang."), field="scopes")
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(owner_id=owner.id, name=name, token_hash=hash_token(secret),
                     hint=secret[: len(PREFIX) + 6], scopes=" ".join(chosen))
    session.add(token)
    record(session, owner, "api_token.create", None, f"{name}: {token.scopes}")
    session.flush()
    return token, secret


def of_owner(session: Session, owner: User) -> list[ApiToken]:
    return list(session.scalars(
        select(ApiToken).where(ApiToken.owner_id == owner.id)
        .order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc(), ApiToken.id.desc())))


def live_of_others(session: Session, owner: User) -> list[ApiToken]:
    """Everyone else's tokens that still work, with their owners: for an admin."""
    return list(session.scalars(
        select(ApiToken).options(joinedload(ApiToken.owner))
        .where(ApiToken.owner_id != owner.id, ApiToken.revoked_at.is_(None))
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())))


def get(session: Session, token_id: int) -> ApiToken | None:
    return session.get(ApiToken, token_id)


def revoke(session: Session, token: ApiToken, by: User) -> None:
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        record(session, by, "api_token.revoke", None, token.name)
        session.flush()


def authenticate(session: Session, secret: str) -> ApiToken | None:
    """The live token with this secret, its owner loaded; None if unknown, revoked, or the owner
    is no longer active staff."""
    if not secret.startswith(PREFIX) or len(secret) > 100:
        return None
    token = session.scalar(select(ApiToken).options(joinedload(ApiToken.owner))
                           .where(ApiToken.token_hash == hash_token(secret)))
    if token is None or token.revoked_at is not None:
        return None
    if not token.owner.active or token.owner.role not in STAFF_ROLES:
        return None
    now = utcnow()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        token.last_used_at = now
        session.flush()
    return token

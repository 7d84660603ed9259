"""Signing in: staff passwords, single-use sign-in links, remembered devices, picture codes."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerifyMismatchError
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from ..models import STAFF_ROLES, ApiToken, Device, PictureCode, Role, SignInLink, User
from ..models.types import utcnow
from .errors import Invalid, SignInLinkInvalid
from .parsing import small_int

# argon2id with the library's defaults (RFC 9106 low-memory profile).
_hasher = PasswordHasher()
# Verified against when the e-mail is unknown, so both paths cost the same time.
_DUMMY_HASH = _hasher.hash("not-a-real-password")

MIN_PASSWORD_LENGTH = 10
PICTURE_CODE_LENGTH = 3


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise Invalid(
            _l("Passordet må ha minst %(n)s tegn.", n=MIN_PASSWORD_LENGTH), field="password"
        )
    return _hasher.hash(password)


def authenticate_staff(session: Session, email: str, password: str) -> User | None:
    user = session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    stored = user.password_hash if user and user.password_hash else _DUMMY_HASH
    try:
        _hasher.verify(stored, password)
    except (VerifyMismatchError, InvalidHashError):
        return None
    if user is None or not user.active or user.role not in STAFF_ROLES:
        return None
    if _hasher.check_needs_rehash(stored):
        user.password_hash = _hasher.hash(password)
        session.commit()
    return user


# Sign-in links -------------------------------------------------------------------------------


def make_sign_in_link(
    session: Session, user: User, created_by: User | None, lifetime: timedelta
) -> tuple[SignInLink, str]:
    """Return the link row and the token; only the token's hash is stored."""
    if user.role not in (Role.WORKER, Role.SUPPORT):
        raise Invalid("Sign-in links are for workers and support persons.")
    token = secrets.token_urlsafe(32)
    _end_open_links(session, user)  # a new link ends the older unused ones: one live link at a time
    link = SignInLink(
        user_id=user.id,
        token_hash=hash_token(token),
        created_by_id=created_by.id if created_by else None,
        expires_at=utcnow() + lifetime,
    )
    session.add(link)
    session.commit()
    return link, token


def _end_open_links(session: Session, user: User) -> None:
    session.execute(
        update(SignInLink)
        .where(SignInLink.user_id == user.id, SignInLink.used_at.is_(None),
               SignInLink.expires_at > utcnow())
        .values(expires_at=utcnow())
    )


def check_sign_in_link(session: Session, token: str, now: datetime | None = None) -> SignInLink:
    """The usable link for this token, or SignInLinkInvalid saying why not."""
    now = now or utcnow()
    if not token or len(token) > 100:
        raise SignInLinkInvalid("unknown")
    link = session.scalar(select(SignInLink).where(SignInLink.token_hash == hash_token(token)))
    if link is None or not link.user.active:
        raise SignInLinkInvalid("unknown")
    if link.used_at is not None:
        raise SignInLinkInvalid("used")
    if link.expires_at <= now:
        raise SignInLinkInvalid("expired")
    return link


def use_sign_in_link(
    session: Session, token: str, device_label: str, device_lifetime: timedelta
) -> tuple[User, Device, str]:
    """Spend the link once and remember this device. Returns the user, device and its secret."""
    link = check_sign_in_link(session, token)
    now = utcnow()
    # Conditional update: of two simultaneous uses, only one can win.
    spent = session.execute(
        update(SignInLink)
        .where(SignInLink.id == link.id, SignInLink.used_at.is_(None))
        .values(used_at=now)
    )
    if spent.rowcount != 1:
        session.rollback()
        raise SignInLinkInvalid("used")
    device, secret = _new_device(session, link.user, device_label, device_lifetime)
    session.commit()
    return link.user, device, secret


# Remembered devices --------------------------------------------------------------------------


def _new_device(session: Session, user: User, label: str, lifetime: timedelta):
    secret = secrets.token_urlsafe(32)
    now = utcnow()
    device = Device(
        user_id=user.id,
        secret_hash=hash_token(secret),
        label=label[:120],
        created_at=now,
        last_seen_at=now,
        expires_at=now + lifetime,
    )
    session.add(device)
    session.flush()
    return device, secret


def device_cookie_value(device: Device, secret: str) -> str:
    return f"{device.id}.{secret}"


def restore_device(
    session: Session, cookie: str, lifetime: timedelta
) -> tuple[User, Device, str] | None:
    """Sign a remembered device back in, rotating its secret. None if the cookie is no good."""
    raw_id, _, secret = (cookie or "").partition(".")
    device_id = small_int(raw_id)
    if device_id is None or not secret or len(secret) > 100:
        return None
    # Always the row as it is now: a device may just have been signed out.
    device = session.get(Device, device_id, populate_existing=True)
    now = utcnow()
    if (
        device is None
        or device.revoked_at is not None
        or device.expires_at <= now
        or not hmac.compare_digest(device.secret_hash, hash_token(secret))
        or not device.user.active
    ):
        return None
    new_secret = secrets.token_urlsafe(32)
    # Only if no other request rotated it meanwhile (two tabs at once): one of them wins.
    rotated = session.execute(
        update(Device)
        .where(Device.id == device.id, Device.secret_hash == hash_token(secret))
        .values(secret_hash=hash_token(new_secret), last_seen_at=now, expires_at=now + lifetime)
    )
    if rotated.rowcount != 1:
        session.rollback()
        return None
    session.commit()
    session.refresh(device)
    return device.user, device, new_secret


def forget_device(session: Session, device_id: int | None) -> None:
    if device_id is None:
        return
    session.execute(
        update(Device)
        .where(Device.id == device_id, Device.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    session.commit()


def sign_out_everywhere(session: Session, user: User) -> None:
    """End every session and device of this person, every sign-in link not yet used, and their
    API tokens (a token made by whoever had the account must not outlive this, nor act with
    the rights of a role the person no longer has)."""
    user.session_version += 1
    # The calendar address gets a new secret: whoever holds the old one no longer sees the shifts.
    user.calendar_version += 1
    session.execute(
        update(ApiToken).where(ApiToken.owner_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    _end_open_links(session, user)
    session.execute(
        update(Device)
        .where(Device.user_id == user.id, Device.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    session.commit()


def active_devices(session: Session, user: User) -> list[Device]:
    return list(
        session.scalars(
            select(Device)
            .where(Device.user_id == user.id, Device.revoked_at.is_(None), Device.expires_at > utcnow())
            .order_by(Device.last_seen_at.desc())
        )
    )


# Picture codes -------------------------------------------------------------------------------


def _code_string(choice: list[str]) -> str:
    # The order of the three pictures does not matter: a set is easier to remember.
    return "-".join(sorted(choice))


def set_picture_code(session: Session, user: User, choice: list[str], allowed: list[str]) -> None:
    if len(set(choice)) != PICTURE_CODE_LENGTH or not set(choice) <= set(allowed):
        raise Invalid(_l("Velg 3 bilder."), field="pictures")
    code = session.get(PictureCode, user.id) or PictureCode(user_id=user.id)
    code.code_hash = _hasher.hash(_code_string(choice))
    code.created_at = utcnow()
    session.add(code)
    session.commit()


def remove_picture_code(session: Session, user: User) -> None:
    code = session.get(PictureCode, user.id)
    if code:
        session.delete(code)
        session.commit()


def has_picture_code(session: Session, user: User) -> bool:
    return session.get(PictureCode, user.id) is not None


def check_picture_code(session: Session, user: User, choice: list[str]) -> bool:
    code = session.get(PictureCode, user.id)
    if code is None:
        return True
    try:
        return _hasher.verify(code.code_hash, _code_string(choice))
    except (VerifyMismatchError, InvalidHashError):
        return False

"""Signing in: staff passwords, single-use sign-in links, remembered devices, picture codes."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta
from functools import cache
from typing import NamedTuple

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerifyMismatchError
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, func, or_, select, update
from sqlalchemy.orm import Session

from ..models import STAFF_ROLES, ApiToken, Device, PictureCode, Role, SignInLink, SiteSettings, User, UserSession
from ..models.site import SITE_SETTINGS_ID
from ..models.types import utcnow
from .errors import DeviceReused, Invalid, NotFound, SignInLinkInvalid
from .parsing import small_int

# argon2id with the library's defaults (RFC 9106 low-memory profile).
_hasher = PasswordHasher()
# Verified against when the e-mail is unknown, so both paths cost the same time.
_DUMMY_HASH = _hasher.hash("not-a-real-password")

MIN_PASSWORD_LENGTH = 10
# Two requests from one phone at once both present the same secret; the slower one finds it
# rotated. Within this time that is taken for such a race, not for a copied cookie.
REUSE_GRACE = timedelta(seconds=30)
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
        session.flush()
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
    session.flush()
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
    if link.used_at is not None or link.revoked_at is not None:
        raise SignInLinkInvalid("used")
    if link.expires_at <= now:
        raise SignInLinkInvalid("expired")
    return link


def sign_in_link_owner(session: Session, token: str) -> int | None:
    """Whom a link (used, expired or not) is for: its rate limit counts per person."""
    if not token or len(token) > 100:
        return None
    return session.scalar(select(SignInLink.user_id).where(SignInLink.token_hash == hash_token(token)))


def use_sign_in_link(
    session: Session, token: str, device_label: str, device_lifetime: timedelta
) -> tuple[User, Device, str]:
    """Spend the link once and remember this device. Returns the user, device and its secret."""
    link = check_sign_in_link(session, token)
    now = utcnow()
    # Conditional update: of two simultaneous uses, only one can win.
    spent = session.execute(
        update(SignInLink)
        .where(SignInLink.id == link.id, SignInLink.used_at.is_(None), SignInLink.revoked_at.is_(None))
        .values(used_at=now)
    )
    if spent.rowcount != 1:
        raise SignInLinkInvalid("used")
    device, secret = _new_device(session, link.user, device_label, device_lifetime)
    session.flush()
    return link.user, device, secret


# Sessions ------------------------------------------------------------------------------------


def open_session(session: Session, user: User, device_id: int | None = None) -> str:
    """A new server-side session; returns the random id the signed cookie carries."""
    token = secrets.token_urlsafe(32)
    session.add(UserSession(user_id=user.id, token_hash=hash_token(token), device_id=device_id))
    session.flush()
    return token


@cache
def _session_user_query():
    # Built once: every request asks it, and building a statement costs more than running it.
    # A half session (the second factor due, not yet passed) is no session here. The safety
    # number's row comes along: every page shows it, and one round trip is cheaper than two.
    return (select(User, UserSession.second_factor_at, *SiteSettings.safety_columns())
            .join(UserSession, UserSession.user_id == User.id)
            .outerjoin(SiteSettings, SiteSettings.id == SITE_SETTINGS_ID)
            .where(User.id == bindparam("user_id"), User.active.is_(True),
                   User.session_version == bindparam("version"),
                   UserSession.token_hash == bindparam("token_hash"), UserSession.ended_at.is_(None),
                   or_(UserSession.second_factor_due.is_(False), UserSession.second_factor_at.is_not(None))))


class LiveSession(NamedTuple):
    user: User
    second_factor_passed: bool
    safety: tuple  # the safety number's columns (SiteSettings.safety_columns); all None until saved


def session_user(session: Session, user_id: int, version: int, token: str | None) -> User | None:
    """The person of a live session, in one query; None once it has been ended."""
    found = live_session(session, user_id, version, token)
    return found.user if found else None


def live_session(session: Session, user_id: int, version: int, token: str | None) -> LiveSession | None:
    """The person of a live session, whether it passed a second factor, and the site settings,
    in one query. A half session (password right, the second factor due and not passed) is no
    session here."""
    if not token or len(token) > 100:
        return None
    row = session.execute(_session_user_query(), {
        "user_id": user_id, "version": version, "token_hash": hash_token(token)}).first()
    return LiveSession(row[0], row[1] is not None, tuple(row[2:])) if row else None


def end_session(session: Session, token: str | None) -> None:
    if token:
        session.execute(update(UserSession)
                        .where(UserSession.token_hash == hash_token(token), UserSession.ended_at.is_(None))
                        .values(ended_at=utcnow()))


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
    if device is None or device.revoked_at is not None or device.expires_at <= now:
        return None
    presented = hash_token(secret)
    if not hmac.compare_digest(device.secret_hash, presented):
        if device.previous_secret_hash and hmac.compare_digest(device.previous_secret_hash, presented):
            _old_secret_again(session, device, now)
        return None
    if not device.user.active:
        return None
    new_secret = secrets.token_urlsafe(32)
    # Only if no other request rotated it meanwhile (two tabs at once): one of them wins.
    rotated = session.execute(
        update(Device)
        .where(Device.id == device.id, Device.secret_hash == presented)
        .values(secret_hash=hash_token(new_secret), previous_secret_hash=presented, rotated_at=now,
                last_seen_at=now, expires_at=now + lifetime)
    )
    if rotated.rowcount != 1:
        return None
    session.refresh(device)
    return device.user, device, new_secret


def _old_secret_again(session: Session, device: Device, now: datetime) -> None:
    """The secret before the last rotation came back. Within the grace it is the same phone's
    second request; after it, two browsers hold the cookie and one of them is a copy: neither
    can be told from the other, so the device is signed out and its owner told."""
    if device.rotated_at is not None and now - device.rotated_at <= REUSE_GRACE:
        return
    session.execute(update(Device).where(Device.id == device.id)
                    .values(revoked_at=now, reuse_detected_at=now))
    session.execute(update(UserSession).where(UserSession.device_id == device.id,
                                              UserSession.ended_at.is_(None)).values(ended_at=now))
    from .audit import record

    owner = device.user
    record(session, None, "device.reuse", owner if owner.role == Role.WORKER else None,
           f"device {device.id}")
    session.flush()
    raise DeviceReused()


def take_reuse_warning(session: Session, user: User) -> bool:
    """Whether a phone of this person was signed out for a copied cookie since they were last
    told; telling them once is enough."""
    told = session.execute(
        update(Device).where(Device.user_id == user.id, Device.reuse_detected_at.is_not(None),
                             Device.reuse_told_at.is_(None)).values(reuse_told_at=utcnow()))
    return told.rowcount > 0


def device_kind(label: str) -> str:
    """What kind of device a browser's user agent names, in words a person knows."""
    if "iPhone" in label:
        return "iphone"
    if "iPad" in label:
        return "ipad"
    if "Android" in label:
        return "android_tablet" if "Mobile" not in label else "android"
    return "computer"


def sign_out_device(session: Session, user: User, device_id: int) -> None:
    """The person signs one of their own phones or computers out ("Logg ut denne")."""
    device = session.get(Device, device_id)
    if device is None or device.user_id != user.id:
        raise NotFound()
    forget_device(session, device.id)
    session.execute(update(UserSession).where(UserSession.device_id == device.id,
                                              UserSession.ended_at.is_(None)).values(ended_at=utcnow()))


def forget_device(session: Session, device_id: int | None) -> None:
    if device_id is None:
        return
    session.execute(
        update(Device)
        .where(Device.id == device_id, Device.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    session.flush()


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
        update(UserSession).where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )
    session.execute(
        update(Device)
        .where(Device.user_id == user.id, Device.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    session.flush()


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
    session.flush()


def remove_picture_code(session: Session, user: User) -> None:
    code = session.get(PictureCode, user.id)
    if code:
        session.delete(code)
        session.flush()


def wrong_picture_code(session: Session, device_id: int | None) -> int:
    """Count a wrong try on this phone; returns the tries in a row so far."""
    device = session.get(Device, device_id) if device_id is not None else None
    if device is None:
        return 10**6  # no phone to count on: as if every try were used
    session.execute(update(Device).where(Device.id == device.id)
                    .values(code_tries=Device.code_tries + 1))
    session.refresh(device)
    return device.code_tries


def right_picture_code(session: Session, device_id: int | None) -> None:
    if device_id is not None:
        session.execute(update(Device).where(Device.id == device_id, Device.code_tries != 0)
                        .values(code_tries=0))


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

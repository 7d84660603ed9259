"""The staff second factor: what a person has, the half session between the password and the
second step, a TOTP code app, single-use recovery codes, and an admin's reset. Passkeys are in
passkeys.py."""

from __future__ import annotations

import base64
import secrets
import time
from dataclasses import dataclass
from datetime import timedelta

import pyotp
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from ..models import STAFF_ROLES, Passkey, RecoveryCode, TotpFactor, User, UserSession
from ..models.types import utcnow
from .audit import record
from .auth import hash_token
from .errors import Invalid, NotFound

RECOVERY_CODES = 10
HALF_SESSION_LIFETIME = timedelta(minutes=15)
# 10 characters of 31 that can't be mistaken for each other (no 0/o, 1/l/i): about 50 random
# bits, so a plain SHA-256 of the code can't be guessed back.
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
ISSUER = "Arbeidsdagen"


@dataclass
class Factors:
    passkeys: list[Passkey]
    totp: bool
    recovery_left: int

    @property
    def any(self) -> bool:
        return bool(self.passkeys) or self.totp


def factors(session: Session, user: User) -> Factors:
    passkeys = list(session.scalars(select(Passkey).where(Passkey.user_id == user.id).order_by(Passkey.id)))
    totp = session.scalar(select(TotpFactor.confirmed_at).where(TotpFactor.user_id == user.id))
    left = session.scalar(select(func.count()).select_from(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))) or 0
    return Factors(passkeys, totp is not None, left)


def has_second_factor(session: Session, user: User) -> bool:
    return factors(session, user).any


# The half session ------------------------------------------------------------------------------


def session_row(session: Session, token: str | None) -> UserSession | None:
    if not token or len(token) > 100:
        return None
    return session.scalar(select(UserSession).where(UserSession.token_hash == hash_token(token),
                                                    UserSession.ended_at.is_(None)))


def require_second_step(session: Session, token: str) -> None:
    """The password was right and the person has a second factor: until it is passed, this
    session opens no page but the second step."""
    session.execute(update(UserSession).where(UserSession.token_hash == hash_token(token))
                    .values(second_factor_due=True))


def pending_user(session: Session, token: str | None) -> User | None:
    """The person of a half session (password right, second factor not yet passed); a half
    session left waiting longer than HALF_SESSION_LIFETIME needs the password again."""
    row = session_row(session, token)
    if row is None or not row.second_factor_due or row.second_factor_at is not None:
        return None
    if row.created_at <= utcnow() - HALF_SESSION_LIFETIME:
        return None
    user = session.get(User, row.user_id)
    return user if user and user.active and user.role in STAFF_ROLES else None


def pass_second_factor(session: Session, token: str | None) -> None:
    if token:
        session.execute(update(UserSession).where(UserSession.token_hash == hash_token(token),
                                                  UserSession.ended_at.is_(None))
                        .values(second_factor_at=utcnow()))


def signed_in(session: Session, user: User, token: str | None, method: str) -> None:
    """The second factor was passed in this session."""
    pass_second_factor(session, token)
    record(session, user, "second_factor.sign_in", None, method)
    session.flush()


def failed(session: Session, user: User, method: str) -> None:
    record(session, user, "second_factor.failed", None, method)
    session.flush()


# TOTP ------------------------------------------------------------------------------------------


def _aead(secret_key: str) -> AESGCM:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
               info=b"worker_app totp secret").derive(secret_key.encode())
    return AESGCM(key)


def _encrypt(secret: str, secret_key: str, user_id: int) -> str:
    nonce = secrets.token_bytes(12)
    sealed = _aead(secret_key).encrypt(nonce, secret.encode(), str(user_id).encode())
    return base64.urlsafe_b64encode(nonce + sealed).decode()


def _decrypt(stored: str, secret_key: str, user_id: int) -> str:
    raw = base64.urlsafe_b64decode(stored.encode())
    return _aead(secret_key).decrypt(raw[:12], raw[12:], str(user_id).encode()).decode()


def start_totp(session: Session, user: User, secret_key: str) -> None:
    """A new code-app secret, not counted until a code confirms it."""
    row = session.get(TotpFactor, user.id)
    if row is not None and row.confirmed_at is not None:
        raise Invalid(_l("Du har allerede en kode-app. Fjern den først."))
    if row is None:
        row = TotpFactor(user_id=user.id)
        session.add(row)
    row.secret_encrypted = _encrypt(pyotp.random_base32(), secret_key, user.id)
    row.created_at = utcnow()
    row.last_step = 0
    session.flush()


def pending_totp_secret(session: Session, user: User, secret_key: str) -> str | None:
    """The secret to show while it is not confirmed; once confirmed, it is never shown again."""
    row = session.get(TotpFactor, user.id)
    if row is None or row.confirmed_at is not None:
        return None
    return _decrypt(row.secret_encrypted, secret_key, user.id)


def totp_uri(secret: str, user: User) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email or user.name, issuer_name=ISSUER)


def _matching_step(secret: str, code: str, after: int, now: float) -> int | None:
    """The 30-second step (this one, or one either side for a slow clock) whose code this is,
    if it is later than `after`."""
    code = "".join(code.split())
    if len(code) != 6 or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    for step in (current - 1, current, current + 1):
        if step > after and secrets.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def confirm_totp(session: Session, user: User, code: str, secret_key: str,
                 now: float | None = None) -> bool:
    row = session.get(TotpFactor, user.id)
    if row is None or row.confirmed_at is not None:
        raise NotFound()
    step = _matching_step(_decrypt(row.secret_encrypted, secret_key, user.id), code, 0,
                          time.time() if now is None else now)
    if step is None:
        return False
    row.confirmed_at = utcnow()
    row.last_step = step
    record(session, user, "second_factor.enrol", None, "totp")
    session.flush()
    return True


def check_totp(session: Session, user: User, code: str, secret_key: str,
               now: float | None = None) -> bool:
    """A code from the confirmed app, taken once: the same code again (or an older one) fails."""
    row = session.get(TotpFactor, user.id)
    if row is None or row.confirmed_at is None:
        return False
    step = _matching_step(_decrypt(row.secret_encrypted, secret_key, user.id), code, row.last_step,
                          time.time() if now is None else now)
    if step is None:
        return False
    # Conditional: of two requests with the same code at once, only one wins.
    taken = session.execute(update(TotpFactor).where(TotpFactor.user_id == user.id,
                                                     TotpFactor.last_step < step)
                            .values(last_step=step))
    session.refresh(row)
    return taken.rowcount == 1


def remove_totp(session: Session, user: User) -> None:
    row = session.get(TotpFactor, user.id)
    if row is None:
        raise NotFound()
    was_confirmed = row.confirmed_at is not None
    session.delete(row)
    if was_confirmed:
        record(session, user, "second_factor.remove", None, "totp")
    session.flush()


# Recovery codes --------------------------------------------------------------------------------


def _normal_code(code: str) -> str:
    return "".join(ch for ch in code.lower() if ch.isalnum())


def new_recovery_codes(session: Session, user: User) -> list[str]:
    """Ten new single-use codes; the old ones end. Only their hashes are kept."""
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
        session.add(RecoveryCode(user_id=user.id, code_hash=hash_token(_normal_code(raw))))
    record(session, user, "second_factor.new_codes", None, f"{RECOVERY_CODES} codes")
    session.flush()
    return codes


def use_recovery_code(session: Session, user: User, code: str) -> bool:
    normal = _normal_code(code or "")
    if len(normal) != 10:
        return False
    used = session.execute(update(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.code_hash == hash_token(normal),
        RecoveryCode.used_at.is_(None)).values(used_at=utcnow()))
    if used.rowcount != 1:
        return False
    record(session, user, "second_factor.recovery_code", None, "")
    session.flush()
    return True


# Losing every factor ---------------------------------------------------------------------------


def reset(session: Session, admin: User, person: User) -> None:
    """An admin clears a person's second factor (every passkey, the code app, the recovery
    codes) and ends their sessions: they sign in with the password and enrol again."""
    for model in (Passkey, TotpFactor, RecoveryCode):
        session.execute(delete(model).where(model.user_id == person.id))
    person.session_version += 1
    session.execute(update(UserSession).where(UserSession.user_id == person.id,
                                              UserSession.ended_at.is_(None)).values(ended_at=utcnow()))
    record(session, admin, "second_factor.reset", None, f"user {person.id}")
    session.flush()

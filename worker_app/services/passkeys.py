"""Passkeys (WebAuthn, with py_webauthn) as a staff second factor: register one, sign in with
one. Challenges live on the server-side session row: single use, with an expiry."""

from __future__ import annotations

import base64
import json
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.orm import Session
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import bytes_to_base64url
from webauthn.helpers.exceptions import InvalidAuthenticationResponse, InvalidRegistrationResponse
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    AuthenticatorTransport,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from ..models import Passkey, User, UserSession
from ..models.types import utcnow
from .audit import record
from .errors import Invalid, NotAllowed, NotFound
from .second_factor import ISSUER, session_row

CHALLENGE_LIFETIME = timedelta(minutes=5)
PASSKEY_NAME_MAX = 60


def _store_challenge(session: Session, token: str, kind: str, challenge: bytes) -> None:
    row = session_row(session, token)
    if row is None:
        raise NotAllowed()
    row.challenge = bytes_to_base64url(challenge)
    row.challenge_kind = kind
    row.challenge_expires_at = utcnow() + CHALLENGE_LIFETIME
    session.flush()


def _take_challenge(session: Session, token: str | None, kind: str) -> bytes:
    """The session's challenge, used up now: whatever the answer, it can't be used again."""
    row = session_row(session, token)
    if row is None or row.challenge is None or row.challenge_kind != kind:
        raise Invalid(_l("Prøv en gang til."), field="challenge")
    challenge, expires = row.challenge, row.challenge_expires_at
    taken = session.execute(update(UserSession).where(UserSession.id == row.id,
                                                      UserSession.challenge == challenge)
                            .values(challenge=None, challenge_kind=None, challenge_expires_at=None))
    if taken.rowcount != 1 or expires is None or expires <= utcnow():
        raise Invalid(_l("Det tok for lang tid. Prøv en gang til."), field="challenge")
    return base64.urlsafe_b64decode(challenge + "=" * (-len(challenge) % 4))


def _descriptors(passkeys: list[Passkey]) -> list[PublicKeyCredentialDescriptor]:
    out = []
    for key in passkeys:
        transports = []
        for name in filter(None, key.transports.split()):
            try:
                transports.append(AuthenticatorTransport(name))
            except ValueError:
                continue
        out.append(PublicKeyCredentialDescriptor(id=_b64decode(key.credential_id), transports=transports or None))
    return out


def _b64decode(value: str) -> bytes:
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))


def registration_options(session: Session, user: User, token: str, rp_id: str) -> str:
    existing = list(session.scalars(select(Passkey).where(Passkey.user_id == user.id)))
    options = generate_registration_options(
        rp_id=rp_id, rp_name=ISSUER, user_id=str(user.id).encode(), user_name=user.email or user.name,
        user_display_name=user.name, exclude_credentials=_descriptors(existing),
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.PREFERRED,
            user_verification=UserVerificationRequirement.REQUIRED),
    )
    _store_challenge(session, token, "register", options.challenge)
    return options_to_json(options)


def _credential(raw: str) -> dict:
    try:
        data = json.loads(raw)
    except (TypeError, ValueError):
        data = None
    if not isinstance(data, dict) or not isinstance(data.get("id"), str) or len(data["id"]) > 1400:
        raise Invalid(_l("Passnøkkelen svarte ikke riktig. Prøv en gang til."), field="credential")
    return data


def register_passkey(session: Session, user: User, token: str | None, credential: str, name: str,
                     rp_id: str, origin: str) -> Passkey:
    name = " ".join((name or "").split())
    if not name or len(name) > PASSKEY_NAME_MAX or any(ord(c) < 0x20 for c in name):
        raise Invalid(_l("Gi passnøkkelen et navn på høyst %(n)s tegn.", n=PASSKEY_NAME_MAX), field="name")
    data = _credential(credential)
    challenge = _take_challenge(session, token, "register")
    try:
        verified = verify_registration_response(
            credential=data, expected_challenge=challenge, expected_rp_id=rp_id,
            expected_origin=origin, require_user_verification=True)
    except (InvalidRegistrationResponse, ValueError, KeyError, TypeError) as problem:
        raise Invalid(_l("Passnøkkelen svarte ikke riktig. Prøv en gang til."), field="credential") from problem
    credential_id = bytes_to_base64url(verified.credential_id)
    if session.scalar(select(Passkey.id).where(Passkey.credential_id == credential_id)):
        raise Invalid(_l("Denne passnøkkelen er lagt til fra før."), field="credential")
    transports = data.get("response", {}).get("transports") or []
    key = Passkey(
        user_id=user.id, credential_id=credential_id, public_key=verified.credential_public_key,
        sign_count=verified.sign_count, name=name,
        transports=" ".join(t for t in transports if isinstance(t, str))[:120],
        backup_eligible=verified.credential_device_type == "multi_device",
        backed_up=verified.credential_backed_up,
    )
    session.add(key)
    record(session, user, "second_factor.enrol", None, f"passkey {name}")
    session.flush()
    return key


def authentication_options(session: Session, user: User, token: str, rp_id: str) -> str:
    passkeys = list(session.scalars(select(Passkey).where(Passkey.user_id == user.id)))
    if not passkeys:
        raise NotFound()
    options = generate_authentication_options(
        rp_id=rp_id, allow_credentials=_descriptors(passkeys),
        user_verification=UserVerificationRequirement.REQUIRED)
    _store_challenge(session, token, "login", options.challenge)
    return options_to_json(options)


def check_passkey(session: Session, user: User, token: str | None, credential: str,
                  rp_id: str, origin: str) -> Passkey:
    """The passkey answer for this session's challenge, by one of this person's own passkeys."""
    data = _credential(credential)
    challenge = _take_challenge(session, token, "login")
    key = session.scalar(select(Passkey).where(Passkey.credential_id == data["id"],
                                               Passkey.user_id == user.id))
    if key is None:  # unknown, or someone else's: the same answer
        raise Invalid(_l("Denne passnøkkelen kjenner vi ikke."), field="credential")
    try:
        verified = verify_authentication_response(
            credential=data, expected_challenge=challenge, expected_rp_id=rp_id, expected_origin=origin,
            credential_public_key=key.public_key, credential_current_sign_count=key.sign_count,
            require_user_verification=True)
    except (InvalidAuthenticationResponse, ValueError, KeyError, TypeError) as problem:
        raise Invalid(_l("Passnøkkelen svarte ikke riktig. Prøv en gang til."), field="credential") from problem
    key.sign_count = verified.new_sign_count
    key.backed_up = verified.credential_backed_up
    key.last_used_at = utcnow()
    session.flush()
    return key


def remove_passkey(session: Session, user: User, passkey_id: int) -> None:
    key = session.get(Passkey, passkey_id)
    if key is None or key.user_id != user.id:
        raise NotFound()
    session.delete(key)
    record(session, user, "second_factor.remove", None, f"passkey {key.name}")
    session.flush()

"""A push service of our own on 127.0.0.1, for tests without the internet.

It takes the real Web Push request (RFC 8030), checks the VAPID signature (RFC 8292) and
decrypts the body (RFC 8291, aes128gcm) with the subscription's private key, as a browser's
push service and the browser would together.
"""

from __future__ import annotations

import base64
import json
import os
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def vapid_keys() -> tuple[str, str]:
    """A VAPID key pair as the app's settings hold it: raw private key, uncompressed public point."""
    key = ec.generate_private_key(ec.SECP256R1())
    private = b64url(key.private_numbers().private_value.to_bytes(32, "big"))
    public = b64url(key.public_key().public_bytes(serialization.Encoding.X962,
                                                  serialization.PublicFormat.UncompressedPoint))
    return private, public


@dataclass
class Browser:
    """One subscribed browser: its keys, as PushManager.subscribe() makes them."""

    key: ec.EllipticCurvePrivateKey = field(default_factory=lambda: ec.generate_private_key(ec.SECP256R1()))
    auth: bytes = field(default_factory=lambda: os.urandom(16))

    @property
    def p256dh(self) -> str:
        return b64url(self.key.public_key().public_bytes(serialization.Encoding.X962,
                                                         serialization.PublicFormat.UncompressedPoint))

    def decrypt(self, body: bytes) -> dict:
        return json.loads(http_ece.decrypt(body, private_key=self.key, auth_secret=self.auth, version="aes128gcm"))


@dataclass
class Received:
    path: str
    headers: dict
    body: bytes
    claims: dict


class PushService:
    def __init__(self, status: int = 201, delay: float = 0.0):
        self.received: list[Received] = []
        self.status, self.delay = status, delay
        self.lock = threading.Lock()
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - the http.server name
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                claims = service.check_vapid(self.headers.get("Authorization", ""),
                                             f"http://127.0.0.1:{service.port}")
                if service.delay:
                    time.sleep(service.delay)
                with service.lock:
                    service.received.append(Received(self.path, {k.lower(): v for k, v in self.headers.items()},
                                                      body, claims))
                self.send_response(service.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_port
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def endpoint(self, name: str) -> str:
        return f"http://127.0.0.1:{self.port}/push/{name}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)

    @staticmethod
    def check_vapid(authorization: str, audience: str) -> dict:
        """RFC 8292: 'vapid t=<JWT>, k=<public key>'; the JWT is ES256-signed by that key."""
        scheme, _, params = authorization.partition(" ")
        assert scheme.lower() == "vapid", authorization
        parts = dict(p.strip().split("=", 1) for p in params.split(","))
        header, payload, signature = parts["t"].split(".")
        public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(parts["k"]))
        raw = unb64url(signature)
        der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
        try:
            public.verify(der, f"{header}.{payload}".encode(), ec.ECDSA(hashes.SHA256()))
        except InvalidSignature:
            raise AssertionError("VAPID signature does not verify") from None
        claims = json.loads(unb64url(payload))
        assert json.loads(unb64url(header))["alg"] == "ES256"
        assert claims["aud"] == audience and claims["exp"] > time.time() and claims["sub"].startswith("mailto:")
        claims["k"] = parts["k"]
        return claims

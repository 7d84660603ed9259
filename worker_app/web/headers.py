"""Security and cache headers on every answer (and a rotated device cookie)."""

from __future__ import annotations

from flask import current_app, g, request

from .signin import set_device_cookie

CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "media-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])


def after_request(response):
    if getattr(g, "set_device_cookie", None):
        set_device_cookie(response, g.set_device_cookie)
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if current_app.config["ENV_NAME"] == "production":
        # Production is HTTPS only (check_production): browsers must never try plain http.
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    if request.endpoint == "static":
        if request.args.get("v"):
            headers["Cache-Control"] = "public, max-age=31536000, immutable"
    elif "Cache-Control" not in headers:
        # Personal pages: never kept by a shared cache. (No ETag: every page carries a CSRF
        # token signed with the time, so its bytes change every second.)
        headers["Cache-Control"] = "private, no-cache"
    return response

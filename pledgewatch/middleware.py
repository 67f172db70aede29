"""Security headers on every response (pages, errors, admin, static files); for django-axes,
the client address failed log-ins are counted against and the page a locked-out editor sees.

Django 5.2 has no Content Security Policy of its own. The policy is a setting shaped like
Django 6.0's `SECURE_CSP` (directive -> sources), so moving to the built-in middleware later
is a matter of deleting this one.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def policy_header(directives: dict[str, list[str]]) -> str:
    return "; ".join(
        " ".join([name, *sources]) if sources else name for name, sources in directives.items()
    )


class SecurityHeadersMiddleware:
    """Adds the CSP, Permissions-Policy and the framing/sniffing headers to every response.

    Listed first in MIDDLEWARE so it also wraps responses that never reach a view:
    WhiteNoise's static files, CSRF failures, 404s and SecurityMiddleware's redirects.
    A view that sets one of these headers itself keeps its own value.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.headers = {
            "Content-Security-Policy": policy_header(settings.SECURE_CSP),
            "Permissions-Policy": ", ".join(
                f"{feature}=({' '.join(allow)})"
                for feature, allow in settings.PERMISSIONS_POLICY.items()
            ),
            "X-Content-Type-Options": "nosniff",
            "X-Frame-Options": settings.X_FRAME_OPTIONS,
            "Referrer-Policy": settings.SECURE_REFERRER_POLICY,
            "Cross-Origin-Opener-Policy": settings.SECURE_CROSS_ORIGIN_OPENER_POLICY,
        }

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        for name, value in self.headers.items():
            response.headers.setdefault(name, value)
        return response


def axes_client_ip(request: HttpRequest) -> str:
    """The address that failed log-ins are counted against.

    Behind TRUSTED_PROXY_COUNT reverse proxies, the address the outermost of them saw (it
    appends it to X-Forwarded-For); the entries left of it are whatever the client claimed
    and would let an attacker pick a fresh address for every guess.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = [
        part.strip() for part in request.headers.get("X-Forwarded-For", "").split(",") if part
    ]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def axes_lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    from axes.helpers import get_client_username

    return render(
        request,
        "registration/locked_out.html",
        {
            "username": get_client_username(request, credentials) or "",
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "minutes": max(1, round(settings.AXES_COOLOFF_TIME.total_seconds() / 60)),
        },
        status=429,
    )

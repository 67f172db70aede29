"""Per-client limits on anonymous API traffic."""

from __future__ import annotations

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle


class AnonymousReaderThrottle(AnonRateThrottle):
    """AnonRateThrottle at settings.API_ANON_RATE (e.g. "120/min"), read per request: DRF's
    own reads its rates once, at import, so an overridden setting would go unseen. Counted in
    Django's configured cache, per client address (REST_FRAMEWORK["NUM_PROXIES"])."""

    def get_rate(self) -> str | None:
        return settings.API_ANON_RATE

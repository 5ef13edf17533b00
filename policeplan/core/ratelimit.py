"""A per-client limit on public form submissions, counted in the shared cache.

Fixed one-minute windows per client address and scope, counted in the "shared" cache (the
database by default, Redis when REDIS_URL is set) with an atomic add-then-increment, so the
limit holds however many web processes there are: 20 a minute means 20.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    # REMOTE_ADDR is the proxy's address behind a load balancer: configure the proxy to pass
    # the client address through (the web server sets REMOTE_ADDR from it).
    return request.META.get("REMOTE_ADDR", "unknown")


def allow(request: HttpRequest, scope: str, limit: int | None = None) -> bool:
    """Count one attempt; False once the client has used its allowance this minute."""
    limit = limit or settings.SUBMISSION_RATE_LIMIT
    window = int(time.time() // 60)
    key = f"ratelimit:{scope}:{client_address(request)}:{window}"
    cache = caches["shared"]
    if cache.add(key, 1, timeout=90):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=90)
        return True
    return count <= limit

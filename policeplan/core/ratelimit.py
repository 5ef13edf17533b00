"""Limits on public form submissions, counted in the shared cache.

Fixed windows (a minute for any public form, an hour for event registrations) per client
address, and per email address where a form makes us send an email. Counts live in the
"shared" cache (the database by default, Redis when REDIS_URL is set) with an atomic
add-then-increment, so a limit holds however many web processes there are: 20 a minute
means 20.
"""

from __future__ import annotations

import time
import unicodedata

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

MINUTE = 60
HOUR = 60 * 60
DAY = 24 * HOUR
# Of the hourly allowance for sending email to one address, how many hours' worth a day.
DAILY_HOURS = 2


def client_address(request: HttpRequest) -> str:
    # REMOTE_ADDR is the proxy's address behind a load balancer: configure the proxy to pass
    # the client address through (the web server sets REMOTE_ADDR from it).
    return request.META.get("REMOTE_ADDR", "unknown")


def _digest(value: str) -> str:
    """A keyed hash: counts are kept (in the database, by default) without the client's
    address or email address."""
    return salted_hmac("policeplan.ratelimit", value, algorithm="sha256").hexdigest()


def _count(key: str, window_seconds: int) -> int:
    """Count one attempt in this window for `key`; the number so far, this one included."""
    cache = caches["shared"]
    window = int(time.time() // window_seconds)
    key = f"ratelimit:{key}:{window}"
    timeout = window_seconds + 30
    if cache.add(key, 1, timeout=timeout):
        return 1
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=timeout)
        return 1


def allow(
    request: HttpRequest, scope: str, limit: int | None = None, window_seconds: int = MINUTE
) -> bool:
    """Count one attempt; False once the client has used its allowance for this window."""
    limit = limit or settings.SUBMISSION_RATE_LIMIT
    return _count(f"{scope}:client:{_digest(client_address(request))}", window_seconds) <= limit


def email_identity(email: str) -> str:
    """One name for every spelling of a mailbox: case, spaces, Unicode forms and +tags
    ("Ann+x@Example.org" is ann@example.org; dots do not count at Gmail)."""
    address = unicodedata.normalize("NFKC", email).strip().casefold()
    local, _, domain = address.rpartition("@")
    local = local.split("+", 1)[0]
    domain = domain.rstrip(".")
    if domain in {"gmail.com", "googlemail.com"}:
        local, domain = local.replace(".", ""), "gmail.com"
    return f"{local}@{domain}"


def allow_email(email: str, scope: str, limit: int, window_seconds: int = HOUR) -> bool:
    """Count one email we would send to this address; False past its allowance."""
    return _count(f"{scope}:email:{_digest(email_identity(email))}", window_seconds) <= limit

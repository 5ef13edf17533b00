"""The pages every public consultation form answers with when it turns a submission away."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from policeplan.core.ratelimit import HOUR, MINUTE


def spam(request: HttpRequest) -> HttpResponse:
    """The hidden field was filled in: software, not a person."""
    return render(request, "consultations/refused.html", status=400)


def _wait(seconds: int) -> str:
    if seconds >= 24 * HOUR:
        return "a day"
    return "an hour" if seconds >= HOUR else "a minute"


def too_many(request: HttpRequest, *, window_seconds: int = MINUTE) -> HttpResponse:
    """The client used up its submissions for this minute (or hour)."""
    response = render(
        request, "consultations/too_many.html", {"wait": _wait(window_seconds)}, status=429
    )
    response["Retry-After"] = str(window_seconds)
    return response


def too_many_for_address(request: HttpRequest, *, window_seconds: int = HOUR) -> HttpResponse:
    """Too many registrations for one email address. The same page whether or not the address
    is registered for anything: it says only that we will not send it more email for now."""
    response = render(
        request,
        "consultations/too_many_for_address.html",
        {"wait": _wait(window_seconds)},
        status=429,
    )
    response["Retry-After"] = str(window_seconds)
    return response

"""The pages every public consultation form answers with when it turns a submission away."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def spam(request: HttpRequest) -> HttpResponse:
    """The hidden field was filled in: software, not a person."""
    return render(request, "consultations/refused.html", status=400)


def too_many(request: HttpRequest) -> HttpResponse:
    """The client used up its submissions for this minute."""
    return render(request, "consultations/too_many.html", status=429)

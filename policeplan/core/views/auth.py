from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate, login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST, require_safe

from policeplan.core.forms import SignInForm


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(candidate, {request.get_host()}, request.is_secure()):
        return candidate
    return "/staff/"


def sign_in(request: HttpRequest) -> HttpResponse:
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(
            request,
            email=form.cleaned_data["email"].lower(),
            password=form.cleaned_data["password"],
        )
        if getattr(request, "axes_locked_out", False):
            return lockout_response(request)
        if user is not None:
            login(request, user)
            return redirect(_next_url(request))
        form.add_error(None, "The email address or password is not right")
    return render(
        request, "core/sign_in.html", {"form": form, "next": _next_url(request)}, status=200
    )


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("core:signed-out")


@require_safe
def signed_out(request: HttpRequest) -> HttpResponse:
    return render(request, "core/signed_out.html")


def lockout_response(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """Shown (status 429) once an account and address have failed too many times."""
    from django.conf import settings

    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "core/locked_out.html", {"minutes": minutes}, status=429)

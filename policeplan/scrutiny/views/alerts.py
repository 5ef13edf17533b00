"""Email alerts for a body's new meetings and papers: ask, confirm, unsubscribe. No account.

Asking sends one email (the confirmation link), limited per client and per address, so the
form cannot mail anyone at volume; the page says the same whether or not the address was
already subscribed. Confirming and unsubscribing are POSTs (a mail scanner that follows links
changes nothing); the unsubscribe URL also takes the one-click POST that mail programs send
(RFC 8058), which carries no CSRF token.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from policeplan.consultations.views import refusals
from policeplan.core import ratelimit
from policeplan.scrutiny import forms, selectors, services

SECTION = "scrutiny"


@never_cache
def subscribe(request: HttpRequest, slug: str) -> HttpResponse:
    body = selectors.committee_by_slug(slug=slug)
    form = forms.SubscribeForm(request.POST or None)
    if request.method == "POST":
        if form.is_spam():
            return refusals.spam(request)
        if form.is_valid():
            if not ratelimit.allow(request, "alerts"):
                return refusals.too_many(request)
            if not ratelimit.allow(
                request,
                "alerts-hourly",
                settings.REGISTRATION_LIMIT_PER_CLIENT,
                window_seconds=ratelimit.HOUR,
            ):
                return refusals.too_many(request, window_seconds=ratelimit.HOUR)
            if not ratelimit.allow(
                request,
                "alerts-daily",
                settings.REGISTRATION_LIMIT_PER_CLIENT * ratelimit.DAILY_HOURS,
                window_seconds=ratelimit.DAY,
            ):
                return refusals.too_many(request, window_seconds=ratelimit.DAY)
            email = form.cleaned_data["email"]
            if not ratelimit.allow_email(
                email, "alerts", settings.REGISTRATION_LIMIT_PER_EMAIL
            ) or not ratelimit.allow_email(
                email,
                "alerts-daily",
                settings.REGISTRATION_LIMIT_PER_EMAIL * ratelimit.DAILY_HOURS,
                window_seconds=ratelimit.DAY,
            ):
                return _too_many_for_address(request)
            services.subscription_request(committee=body, email=form.cleaned_data["email"])
            return render(
                request,
                "scrutiny/alerts_sent.html",
                {"committee": body, "email": form.cleaned_data["email"], "section": SECTION},
            )
    return render(
        request,
        "scrutiny/alerts.html",
        {"committee": body, "form": form, "section": SECTION},
    )


def _too_many_for_address(request: HttpRequest) -> HttpResponse:
    """The same page whether or not the address is subscribed: only that we will not send
    it more email for now."""
    response = render(request, "scrutiny/alerts_too_many.html", {"section": SECTION}, status=429)
    response["Retry-After"] = str(ratelimit.HOUR)
    return response


@never_cache
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    subscription = selectors.subscription_by_token(token=token)
    done = False
    if subscription is not None and request.method == "POST":
        # None when the link is more than 7 days old: the page says it has expired.
        subscription = services.subscription_confirm(token=token)
        done = subscription is not None
    return render(
        request,
        "scrutiny/alerts_confirm.html",
        {"subscription": subscription, "done": done, "section": SECTION},
        status=200 if subscription is not None else 404,
    )


@csrf_exempt
@never_cache
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    subscription = selectors.subscription_by_token(token=token, include_cancelled=True)
    done = False
    if subscription is not None and request.method == "POST":
        services.subscription_cancel(token=token)
        done = True
    return render(
        request,
        "scrutiny/alerts_unsubscribe.html",
        {"subscription": subscription, "done": done, "section": SECTION},
        status=200 if subscription is not None else 404,
    )

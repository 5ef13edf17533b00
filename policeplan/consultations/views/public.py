"""Public consultation pages: the hub, each consultation, its events, and withdrawal."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from policeplan.consultations import forms, selectors, services
from policeplan.consultations.views import refusals
from policeplan.core import ratelimit


@require_safe
def hub(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "consultations/hub.html",
        {"groups": selectors.consultations_public(), "section": "consult"},
    )


@require_safe
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = selectors.consultation_for_viewer(slug=slug, user=request.user)
    return render(
        request,
        "consultations/detail.html",
        {
            "consultation": consultation,
            "status": consultation.status(),
            "now": timezone.now(),
            "section": "consult",
            **selectors.consultation_page(consultation=consultation),
        },
    )


_REGISTERED = "consultations.registered"
_REGISTERED_SECONDS = 60 * 60


@never_cache
def event(request: HttpRequest, slug: str, event_id: int) -> HttpResponse:
    consultation = selectors.consultation_for_viewer(slug=slug, user=request.user)
    item = selectors.event_public(consultation=consultation, event_id=event_id)
    form = forms.RegistrationForm(request.POST or None)
    if request.method == "POST":
        if form.is_spam():
            return refusals.spam(request)
        if form.is_valid():
            # Each registration sends an email: limit them per client, and per address so
            # the form cannot mail anyone at volume. Counted before looking anything up, so a
            # refusal says nothing about who is registered.
            if not ratelimit.allow(request, "register"):
                return refusals.too_many(request)
            if not ratelimit.allow(
                request,
                "register-hourly",
                settings.REGISTRATION_LIMIT_PER_CLIENT,
                window_seconds=ratelimit.HOUR,
            ):
                return refusals.too_many(request, window_seconds=ratelimit.HOUR)
            if not ratelimit.allow_email(
                form.cleaned_data["email"], "register", settings.REGISTRATION_LIMIT_PER_EMAIL
            ):
                return refusals.too_many_for_address(request)
            try:
                services.registration_create(
                    event=item,
                    name=form.cleaned_data["name"],
                    email=form.cleaned_data["email"],
                    access_needs=form.cleaned_data["access_needs"],
                )
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                # The confirmation is reached by a signed link, so booking sets no session.
                # The page says the same whatever the status, and whether the address was
                # already booked: the email to that address says which.
                done = signing.dumps([item.pk], salt=_REGISTERED)
                target = reverse("consultations:registered", args=[slug, item.pk])
                return redirect(f"{target}?{urlencode({'done': done})}")
    return render(
        request,
        "consultations/event.html",
        {
            "consultation": consultation,
            "event": item,
            "form": form,
            "places_left": max(item.capacity - item.confirmed, 0),  # type: ignore[attr-defined]
            "boroughs": selectors.performance.borough_names(),
            "section": "consult",
        },
    )


@never_cache
@require_safe
def registered(request: HttpRequest, slug: str, event_id: int) -> HttpResponse:
    consultation = selectors.consultation_for_viewer(slug=slug, user=request.user)
    item = selectors.event_public(consultation=consultation, event_id=event_id)
    try:
        done: list[Any] = signing.loads(
            request.GET.get("done", ""), salt=_REGISTERED, max_age=_REGISTERED_SECONDS
        )
    except (signing.BadSignature, ValueError, TypeError):
        done = []
    if len(done) != 1 or done[0] != item.pk:
        return redirect("consultations:event", slug=slug, event_id=item.pk)
    return render(
        request,
        "consultations/registered.html",
        {
            "consultation": consultation,
            "event": item,
            "section": "consult",
        },
    )


@never_cache
def cancel(request: HttpRequest, token: str) -> HttpResponse:
    registration = selectors.registration_by_token(token=token)
    cancelled = False
    if registration is not None and request.method == "POST":
        registration = services.registration_cancel(token=token)
        cancelled = True
    return render(
        request,
        "consultations/cancel.html",
        {"registration": registration, "cancelled": cancelled, "section": "consult"},
        status=200 if registration is not None else 404,
    )


NOT_FOUND = (
    "We could not find a response with that reference and email address or withdrawal code. "
    "Check them: the reference looks like PCP-7KQ2-M9XD, and the email address is the one "
    "you gave with your response (or, if you gave none, the withdrawal code shown when you "
    "sent it, like 3JQK-9MXP-T4WZ)."
)


@never_cache
def withdraw(request: HttpRequest) -> HttpResponse:
    form = forms.ReferenceForm(request.POST or None)
    confirm = None
    done = None
    if request.method == "POST":
        if form.is_spam():
            return refusals.spam(request)
        if form.is_valid():
            if not ratelimit.allow(request, "withdraw"):
                return refusals.too_many(request)
            reference = form.cleaned_data["reference"]
            email = form.cleaned_data["email"]
            if request.POST.get("confirm") == "yes":
                done = services.response_withdraw(reference=reference, email=email)
            else:
                confirm = selectors.response_for_withdrawal(reference=reference, email=email)
            if done is None and confirm is None:
                # One message whether the reference is unknown or the email is wrong.
                form.add_error("reference", NOT_FOUND)
    return render(
        request,
        "consultations/withdraw.html",
        {
            "form": form,
            "confirm": confirm,
            "done": done,
            "email": form.cleaned_data.get("email", "")
            if form.is_bound and form.is_valid()
            else "",
            "contacts": [
                c
                for group in ("open", "closed")
                for c in selectors.consultations_public()[group]
                if c.contact_email
            ],
            "section": "consult",
        },
    )

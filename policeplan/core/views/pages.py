"""The site's standing pages: accessibility statement, privacy notice, cookies, contact."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_safe

from policeplan.core import selectors
from policeplan.core.access import require
from policeplan.core.forms import AuditFilterForm
from policeplan.core.roles import Perm


@require_safe
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/pages/accessibility.html")


@require_safe
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "core/pages/privacy.html")


@require_safe
def cookies(request: HttpRequest) -> HttpResponse:
    from policeplan.core.cookies import service_cookies

    return render(request, "core/pages/cookies.html", {"cookies": service_cookies()})


@require_safe
def contact(request: HttpRequest) -> HttpResponse:
    return render(request, "core/pages/contact.html")


@require(Perm.VIEW_AUDIT)
@require_safe
def audit(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    events = selectors.audit_events(**{k: v for k, v in filters.items() if v})
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "core/audit.html", {"form": form, "page": page, "section": "audit"})


@requires_csrf_token
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "403_csrf.html", status=403)

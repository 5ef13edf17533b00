from __future__ import annotations

import sys

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string

from policeplan.core.faults import database_unreachable

# How long a client is asked to wait while the database cannot be reached.
RETRY_AFTER_SECONDS = 30


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """A request Django refuses before any view (a suspicious operation, an upload's name
    too long to hold, too many fields). No context processors and no database: the page
    must not depend on what the request may have broken."""
    return HttpResponse(
        render_to_string("400.html", {"service_name": "Police and Crime Plan"}), status=400
    )


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    """Every unhandled error, wherever it was raised (a view, a template, the session or any
    middleware): 503 with Retry-After while the database is unreachable, else 500.

    Neither page uses context processors or the request: the database may be what failed.
    """
    if database_unreachable(sys.exc_info()[1]):
        if request.path.startswith("/api/"):  # the API answers in JSON, as its errors do
            response: HttpResponse = JsonResponse(
                {"detail": "Sorry, the service is unavailable. Try again later."}, status=503
            )
        else:
            response = HttpResponse(
                render_to_string("503.html", {"service_name": "Police and Crime Plan"}),
                status=503,
            )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response
    return HttpResponse(
        render_to_string("500.html", {"service_name": "Police and Crime Plan"}), status=500
    )

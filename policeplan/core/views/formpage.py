"""The one shape of a staff form page, shared by the apps."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from policeplan.core.govuk import apply_validation_error
from policeplan.core.uploads import refusal


def form_page(
    request: HttpRequest,
    *,
    form: Any,
    heading: str,
    back: str,
    save: Callable[[], Any],
    done: Callable[[Any], str],
    message: str,
    caption: str = "",
    button: str = "Save",
    enctype: str | None = None,
    section: str = "consultations",
) -> HttpResponse:
    """A staff form page: valid input goes to the service; its errors come back as GOV.UK
    errors; nothing is half-written because each service is one transaction."""
    if refused := refusal(request):
        # An upload stopped while it streamed: say so on the form's file field.
        file_fields = [n for n, f in form.fields.items() if isinstance(f, forms.FileField)]
        form.add_error(file_fields[0] if file_fields else None, refused)
    elif request.method == "POST" and form.is_valid():
        try:
            result = save()
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, message)
            return redirect(done(result))
    return render(
        request,
        "consultations/staff/form.html",
        {
            "form": form,
            "heading": heading,
            "caption": caption,
            "back": back,
            "button": button,
            "enctype": enctype,
            "section": section,
        },
    )

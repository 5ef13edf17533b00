"""Local priorities: the public roll-up (every borough's priorities for a year and how each is
going), a borough's decision with the evidence it was agreed on, the download, and the staff
workbench (the evidence pack made now from the figures held, and the form to record what the
borough agreed)."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from policeplan.core.access import require
from policeplan.core.csvsafe import to_csv
from policeplan.core.govuk import GovukDateField, GovukForm, apply_validation_error
from policeplan.core.roles import Perm
from policeplan.estates.selectors import borough_by_slug
from policeplan.plans.localpriorities import config, selectors, services

YEARS = range(2000, 2101)


def _year(value: int) -> int:
    if value not in YEARS:
        raise Http404("Not a year")
    return value


def _asked_year(request: HttpRequest) -> int:
    asked = request.GET.get("year", "")
    if not asked:
        return selectors.current_year()
    if not (asked.isascii() and asked.isdigit() and len(asked) == 4):
        raise Http404("Not a year")
    return _year(int(asked))


@require_safe
def roll_up(request: HttpRequest) -> HttpResponse:
    year = _asked_year(request)
    agreed = {r.borough_id: r for r in selectors.agreed(year=year)}
    figures = selectors.menu_figures(kind="rolling_12") if agreed else {}
    rows = [
        (
            area,
            agreed.get(area.pk),
            selectors.review(agreed[area.pk], figures=figures) if area.pk in agreed else [],
        )
        for area in selectors.force_boroughs()
    ]
    return render(
        request,
        "plans/public/local_roll_up.html",
        {
            "year": year,
            "year_label": f"{year}-{str(year + 1)[2:]}",
            "rows": rows,
            "years": selectors.years_agreed(),
            "menu": config.menu(),
            "section": "boroughs",
        },
    )


@require_safe
def borough_year(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    area = borough_by_slug(slug)
    record = selectors.record_get(borough=area, year=_year(year))
    return render(
        request,
        "plans/public/local_borough.html",
        {
            "borough": area,
            "record": record,
            "pack": record.evidence,
            "review": selectors.review(record),
            "section": "boroughs",
        },
    )


@require_safe
def roll_up_csv(request: HttpRequest) -> HttpResponse:
    year = _asked_year(request)
    found = list(selectors.agreed(year=year))
    wide = max([3, *(len(r.chosen_titles) for r in found)])  # every priority, however many
    header = [
        "borough",
        "borough_code",
        "year",
        *(f"priority_{n}" for n in range(1, wide + 1)),
        "mandatory",
        "council",
        "commander",
        "partnership",
        "agreed_on",
        "evidence_sha256",
    ]
    rows = []
    for r in found:
        titles = [*r.chosen_titles, *([""] * wide)][:wide]
        rows.append(
            [
                r.borough.name,
                r.borough.code,
                r.year_label,
                *titles,
                "; ".join(r.mandatory),
                r.council,
                r.commander,
                r.partnership,
                r.agreed_on.isoformat(),
                r.evidence_sha256,
            ]
        )
    response = HttpResponse(to_csv(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="local-priorities-{year}.csv"'
    return response


class RecordForm(GovukForm, forms.Form):
    chosen = forms.MultipleChoiceField(
        label="The priorities agreed",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose the priorities the borough agreed"},
    )
    council = forms.CharField(
        label="Agreed for the council by",
        max_length=200,
        error_messages={"required": "Say who agreed it for the council"},
    )
    commander = forms.CharField(
        label="Agreed by the borough (BCU) commander",
        max_length=200,
        error_messages={"required": "Name the commander who agreed it"},
    )
    partnership = forms.CharField(
        label="Agreed by the community safety partnership",
        max_length=200,
        error_messages={"required": "Name the partnership"},
    )
    agreed_on = GovukDateField(label="Agreed on")

    def __init__(self, *args: Any, menu: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["chosen"]
        field.choices = [(c.slug, c.title) for c in menu.candidates]  # type: ignore[attr-defined]
        field.help_text = f"Choose {menu.choose}."


@require(Perm.EDIT_PLANS)
@require_safe
def staff_list(request: HttpRequest) -> HttpResponse:
    year = _asked_year(request)
    agreed = {r.borough_id: r for r in selectors.agreed(year=year)}
    return render(
        request,
        "plans/staff/local_list.html",
        {
            "year": year,
            "year_label": f"{year}-{str(year + 1)[2:]}",
            "rows": [(a, agreed.get(a.pk)) for a in selectors.force_boroughs()],
            "section": "staff",
        },
    )


@require(Perm.EDIT_PLANS)
def workbench(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    area = borough_by_slug(slug)
    year = _year(year)
    menu = config.menu()
    if menu is None:
        raise Http404("No menu of local priorities is configured")
    record = selectors.agreed_for(borough=area, year=year)
    initial = (
        {
            "chosen": record.chosen,
            "council": record.council,
            "commander": record.commander,
            "partnership": record.partnership,
            "agreed_on": record.agreed_on,
        }
        if record
        else {"agreed_on": datetime.date.today()}
    )
    form = RecordForm(
        request.POST if request.method == "POST" else None, initial=initial, menu=menu
    )
    # Recorded already (another tab, another officer): say so, never a silent page.
    already = request.method == "POST" and record is not None
    if request.method == "POST" and not already and form.is_valid():
        try:
            services.local_priorities_record(
                user=request.user, borough=area, year=year, **form.cleaned_data
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                f"{area.name}’s local priorities for {year}-{str(year + 1)[2:]} recorded, "
                "with the evidence they were agreed on.",
            )
            return redirect("plans:local-borough", slug=slug, year=year)
    return render(
        request,
        "plans/staff/local_workbench.html",
        {
            "borough": area,
            "year": year,
            "year_label": f"{year}-{str(year + 1)[2:]}",
            "pack": selectors.evidence_pack(borough=area, year=year),
            "record": record,
            "already": already,
            "form": form,
            "section": "staff",
        },
    )

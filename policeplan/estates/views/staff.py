"""Staff pages for the estate: the register of buildings with their hours, adding and
changing a building, recording new opening hours (or a closure) from a date, importing the
register from a spreadsheet or from data.police.uk, pledges, disposals and the strategy."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from policeplan.core.access import require
from policeplan.core.govuk import apply_validation_error
from policeplan.core.roles import Perm
from policeplan.core.uploads import refusal, upload_limit
from policeplan.estates import forms, hours, police_uk, selectors, services
from policeplan.estates.estate_sheet import ESTATE
from policeplan.estates.models import Disposal, Pledge
from policeplan.performance.models import Area

SECTION = "estate-staff"
MAX_LOCATIONS_BYTES = 20 * 1024 * 1024


def _today() -> Any:
    return timezone.now().astimezone(hours.LONDON).date()


@require(Perm.MANAGE_ESTATE)
@require_safe
def register(request: HttpRequest) -> HttpResponse:
    today = _today()
    every = list(selectors.buildings())
    return render(
        request,
        "estates/staff/register.html",
        {
            "rows": [(b, selectors.schedule_on(b, today)) for b in every],
            "pledges": selectors.pledges(),
            "disposals": list(selectors.disposals()),
            "strategy": list(selectors.strategy_documents()),
            "partnerships": sorted(selectors.partnerships().values(), key=lambda p: p.borough.name),
            "section": SECTION,
        },
    )


@require(Perm.MANAGE_ESTATE)
@require_safe
def register_csv(request: HttpRequest) -> HttpResponse:
    """The register in the layout the import reads: change it and send it back."""
    today = _today()
    records = []
    for b in selectors.buildings():
        schedule = selectors.schedule_on(b, today)
        records.append(
            {
                "reference": b.reference,
                "name": b.name,
                "address": b.address,
                "postcode": b.postcode,
                "borough": b.borough.name,
                "latitude": b.latitude,
                "longitude": b.longitude,
                "kind": b.kind,
                "status": b.status,
                "step_free": b.step_free,
                "services": b.services,
                "hours": schedule.hours if schedule else "",
                "hours_from": schedule.starts_on if schedule else None,
            }
        )
    response = HttpResponse(
        ESTATE.file_text(records).encode(), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="estate-register.csv"'
    return response


def _building_form(request: HttpRequest, initial: dict | None = None) -> forms.BuildingForm:
    return forms.BuildingForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        boroughs=Area.objects.filter(pk__in=[a.pk for a in selectors.boroughs()]).order_by("name"),
    )


@require(Perm.MANAGE_ESTATE)
def building_new(request: HttpRequest) -> HttpResponse:
    form = _building_form(request)
    reference_error = ""
    if request.method == "POST" and form.is_valid():
        reference = " ".join(request.POST.get("reference", "").split())[:60]
        if not reference:
            reference_error = "Enter the office’s reference for the building"
        else:
            try:
                building = services.building_save(
                    user=request.user, data=form.building_data(), reference=reference
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, f"{building.name} added to the register.")
                return redirect("estates:staff-building", pk=building.pk)
    return render(
        request,
        "estates/staff/building.html",
        {
            "form": form,
            "building": None,
            "reference_error": reference_error,
            "reference": request.POST.get("reference", "")[:60],
            "section": SECTION,
        },
    )


@require(Perm.MANAGE_ESTATE)
def building_edit(request: HttpRequest, pk: int) -> HttpResponse:
    building = selectors.building_get(pk=pk)
    initial = {
        "name": building.name,
        "address": building.address,
        "postcode": building.postcode,
        "borough": building.borough,
        "latitude": building.latitude,
        "longitude": building.longitude,
        "kind": building.kind,
        "status": building.status,
        "step_free": "" if building.step_free is None else ("yes" if building.step_free else "no"),
        "services": "\n".join(building.services),
    }
    form = _building_form(request, initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.building_save(user=request.user, data=form.building_data(), building=building)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, f"{building.name} saved.")
            return redirect("estates:staff-building", pk=building.pk)
    return render(
        request,
        "estates/staff/building.html",
        {
            "form": form,
            "building": building,
            "schedules": list(building.schedules.all()),
            "hours_form": forms.HoursForm(),
            "today": _today(),
            "section": SECTION,
        },
    )


@require(Perm.MANAGE_ESTATE)
def building_hours(request: HttpRequest, pk: int) -> HttpResponse:
    building = selectors.building_get(pk=pk)
    form = forms.HoursForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            done = services.schedule_record(
                user=request.user, building=building, **form.cleaned_data
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                "Opening hours recorded."
                if done
                else "Those are already the hours from that date.",
            )
            return redirect("estates:staff-building", pk=building.pk)
    return render(
        request,
        "estates/staff/hours.html",
        {"form": form, "building": building, "section": SECTION},
    )


@require(Perm.MANAGE_ESTATE)
@upload_limit(ESTATE.max_bytes)
def import_csv(request: HttpRequest) -> HttpResponse:
    posted = request.method == "POST"
    form = forms.FileForm(request.POST if posted else None, request.FILES if posted else None)
    if refused := refusal(request):
        form.is_valid()
        form.errors["file"] = form.error_class([refused])
    elif posted and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = services.estate_import(user=request.user, data=upload.read(), name=upload.name)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                "Nothing changed: the file matches the register."
                if result.nothing
                else f"Imported: {result.created} buildings added, {result.changed} changed, "
                f"{result.schedules} new opening hours.",
            )
            return redirect("estates:staff-register")
    return render(
        request,
        "estates/staff/import.html",
        {"form": form, "columns": ESTATE.headers, "section": SECTION},
    )


@require(Perm.MANAGE_ESTATE)
@upload_limit(MAX_LOCATIONS_BYTES)
def import_police_uk(request: HttpRequest) -> HttpResponse:
    posted = request.method == "POST"
    form = forms.LocationsFileForm(
        request.POST if posted else None, request.FILES if posted else None
    )
    skipped: list[str] = []
    if refused := refusal(request):
        form.is_valid()
        form.errors["file"] = form.error_class([refused])
    elif posted and form.is_valid():
        upload = form.cleaned_data["file"]
        name = selectors_name(upload.name)
        try:
            locations = police_uk.read_locations_bytes(
                upload.read(police_uk.MAX_BYTES + 1), where=name
            )
            result = services.police_uk_import(
                user=request.user, locations=locations, source=f"data.police.uk ({name})"
            )
        except police_uk.LocationsError as error:
            form.add_error("file", str(error))
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                f"Imported from data.police.uk: {result.created} buildings added, "
                f"{result.changed} changed, {len(result.skipped)} left out.",
            )
            skipped = result.skipped
            if not skipped:
                return redirect("estates:staff-register")
    return render(
        request,
        "estates/staff/import_police_uk.html",
        {"form": form, "skipped": skipped, "section": SECTION},
    )


def selectors_name(given: str | None) -> str:
    from policeplan.core.uploads import safe_display_name

    return safe_display_name(given or "", limit=80)


def _simple(
    request: HttpRequest, form: Any, save: Any, template: str, title: str, done: str
) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, done)
            return redirect("estates:staff-register")
    return render(request, template, {"form": form, "title": title, "section": SECTION})


def _post(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


@require(Perm.MANAGE_ESTATE)
def pledge_new(request: HttpRequest) -> HttpResponse:
    return _simple(
        request,
        forms.PledgeForm(_post(request)),
        lambda data: services.pledge_save(user=request.user, data=data),
        "estates/staff/form.html",
        "Record a pledge",
        "Pledge recorded.",
    )


@require(Perm.MANAGE_ESTATE)
def pledge_edit(request: HttpRequest, pk: int) -> HttpResponse:
    pledge = Pledge.objects.filter(pk=pk, archived_at__isnull=True).first()
    if pledge is None:
        raise Http404("No such pledge")
    initial = {k: getattr(pledge, k) for k in forms.PledgeForm.base_fields}
    return _simple(
        request,
        forms.PledgeForm(_post(request), initial=initial),
        lambda data: services.pledge_save(user=request.user, data=data, pledge=pledge),
        "estates/staff/form.html",
        "Change a pledge",
        "Pledge saved.",
    )


def _disposal_form(request: HttpRequest, initial: dict | None = None) -> forms.DisposalForm:
    return forms.DisposalForm(_post(request), initial=initial, buildings=selectors.buildings())


@require(Perm.MANAGE_ESTATE)
def disposal_new(request: HttpRequest) -> HttpResponse:
    return _simple(
        request,
        _disposal_form(request),
        lambda data: services.disposal_save(user=request.user, data=data),
        "estates/staff/form.html",
        "Record a disposal",
        "Disposal recorded.",
    )


@require(Perm.MANAGE_ESTATE)
def disposal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    disposal = Disposal.objects.filter(pk=pk, archived_at__isnull=True).first()
    if disposal is None:
        raise Http404("No such disposal")
    initial = {k: getattr(disposal, k) for k in forms.DisposalForm.base_fields}
    return _simple(
        request,
        _disposal_form(request, initial),
        lambda data: services.disposal_save(user=request.user, data=data, disposal=disposal),
        "estates/staff/form.html",
        "Change a disposal",
        "Disposal saved.",
    )


@require(Perm.MANAGE_ESTATE)
@upload_limit(20 * 1024 * 1024)
def strategy_new(request: HttpRequest) -> HttpResponse:
    posted = request.method == "POST"
    form = forms.StrategyForm(request.POST if posted else None, request.FILES if posted else None)
    if refused := refusal(request):
        form.is_valid()
        form.errors["file"] = form.error_class([refused])
        return render(
            request,
            "estates/staff/form.html",
            {
                "form": form,
                "title": "Add an estates strategy document",
                "multipart": True,
                "section": SECTION,
            },
        )
    response = _simple(
        request,
        form,
        lambda data: services.strategy_document_add(
            user=request.user,
            title=data["title"],
            published_on=data["published_on"],
            summary=data["summary"],
            upload=data["file"],
        ),
        "estates/staff/form.html",
        "Add an estates strategy document",
        "Document added.",
    )
    if isinstance(response, HttpResponse) and response.status_code == 200:
        return render(
            request,
            "estates/staff/form.html",
            {
                "form": form,
                "title": "Add an estates strategy document",
                "multipart": True,
                "section": SECTION,
            },
        )
    return response


@require(Perm.MANAGE_ESTATE)
@upload_limit(2 * 1024 * 1024)
def partnerships_import(request: HttpRequest) -> HttpResponse:
    posted = request.method == "POST"
    form = forms.LookupFileForm(request.POST if posted else None, request.FILES if posted else None)
    if refused := refusal(request):
        form.is_valid()
        form.errors["file"] = form.error_class([refused])
    elif posted and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            changed = services.partnerships_import(
                user=request.user, data=upload.read(), name=upload.name or ""
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, f"Partnerships imported: {changed} added or renamed.")
            return redirect("estates:staff-register")
    return render(
        request,
        "estates/staff/form.html",
        {
            "form": form,
            "title": "Import the community safety partnerships",
            "multipart": True,
            "section": SECTION,
        },
    )


@require(Perm.MANAGE_ESTATE)
def partnership_edit(request: HttpRequest, slug: str) -> HttpResponse:
    from policeplan.estates.models import Partnership

    area = selectors.borough_by_slug(slug)
    partnership = Partnership.objects.filter(borough=area).first()
    if partnership is None:
        raise Http404("No partnership recorded for this borough: import them first")
    initial = {k: getattr(partnership, k) for k in forms.PartnershipForm.base_fields}
    return _simple(
        request,
        forms.PartnershipForm(_post(request), initial=initial),
        lambda data: services.partnership_save(
            user=request.user, partnership=partnership, data=data
        ),
        "estates/staff/form.html",
        f"{area.name}: community safety partnership",
        "Partnership saved.",
    )

"""Staff pages for bringing data in: the catalogue, uploads, each import's progress, and the
caveats that measures computed from the data must show."""

from __future__ import annotations

import re
import shutil
import tempfile
import uuid
from pathlib import Path, PurePosixPath
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from policeplan.core import jobs
from policeplan.core.access import require
from policeplan.core.roles import Perm
from policeplan.core.uploads import refusal, upload_limit
from policeplan.performance import caveats as caveat_services
from policeplan.performance import concepts as concept_services
from policeplan.performance import selectors, tasks
from policeplan.performance.forms import (
    CAVEAT_DATASETS,
    CROSSWALK_SOURCES,
    MAX_FIGURES_BYTES,
    MAX_UPLOAD_BYTES,
    CategoryMappingForm,
    CaveatForm,
    FiguresForm,
    UploadForm,
)
from policeplan.plans import selectors as plan_selectors


@require(Perm.IMPORT_DATA)
@require_safe
def catalogue(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "performance/catalogue.html",
        {
            "coverage": selectors.coverage_all(),
            "imports": selectors.imports_recent(),
            "geography": selectors.geography_summary(),
            "section": "data",
        },
    )


def _stored_name(upload: Any, index: int) -> str:
    """A name the server makes for an upload (its number and its checked suffix); the name
    it came with is kept only as data."""
    suffix = PurePosixPath(upload.name).suffix.lower()
    if not re.fullmatch(r"\.[a-z0-9]{1,10}", suffix):
        suffix = ""
    return f"{index:03d}{suffix}"


def _store(upload: Any, folder: Path, index: int) -> Path:
    """Save an upload in a local folder of this process, under the name the server makes."""
    target = folder / _stored_name(upload, index)
    with target.open("xb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    return target


def _store_for_worker(upload: Any, prefix: str, index: int) -> str:
    """Save an upload in the file storage (which the workers share, wherever they run: no
    shared disk assumed); its name in the storage."""
    from django.core.files.storage import default_storage

    return default_storage.save(f"{prefix}/{_stored_name(upload, index)}", upload)


@upload_limit(MAX_UPLOAD_BYTES)
@require(Perm.IMPORT_DATA)
def upload(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    if refused := refusal(request):
        form.add_error("uploads", refused)
    elif request.method == "POST" and form.is_valid():
        # The import services bring DuckDB and the importers: loaded when first used.
        from policeplan.performance import services

        prefix = f"imports/{uuid.uuid4().hex}"
        uploads = form.cleaned_data["uploads"]
        stored = [_store_for_worker(upload, prefix, i) for i, upload in enumerate(uploads)]
        names = [upload.name for upload in uploads]
        data_import = services.data_import_create(
            user=request.user,
            kind=form.cleaned_data["kind"],
            paths=[],
            stored=stored,
            names=names,
            source="Uploaded: " + ", ".join(names),
            upload_dir=prefix,
        )
        jobs.enqueue(tasks.run_data_import, data_import.pk)
        return redirect("performance:import", pk=data_import.pk)
    return render(request, "performance/upload.html", {"form": form, "section": "data"})


@require(Perm.IMPORT_DATA)
@require_safe
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    data_import = selectors.data_import_detail(pk=pk)
    return render(
        request, "performance/import.html", {"data_import": data_import, "section": "data"}
    )


@require(Perm.IMPORT_DATA)
@require_safe
def import_status(request: HttpRequest, pk: int) -> JsonResponse:
    data_import = selectors.data_import_detail(pk=pk)
    return JsonResponse(
        {
            "status": data_import.status,
            "status_label": data_import.get_status_display(),
            "progress": data_import.progress,
            "stage": data_import.stage,
            "finished": data_import.is_finished,
        }
    )


@require(Perm.IMPORT_DATA)
@require_safe
def caveats(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "performance/caveats.html",
        {
            "caveats": selectors.caveats_all(),
            "dataset_labels": dict(CAVEAT_DATASETS),
            "section": "data",
        },
    )


@require(Perm.IMPORT_DATA)
def caveat_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Add a caveat (no pk) or change one."""
    caveat = selectors.caveat_get(pk=pk) if pk is not None else None
    form = CaveatForm(request.POST or None, instance=caveat)
    if request.method == "POST" and form.is_valid():
        saved = caveat_services.caveat_save(
            user=request.user, data=form.cleaned_data, caveat=caveat
        )
        verb = "added" if caveat is None else "changed"
        messages.success(request, f"The caveat ‘{saved.title}’ has been {verb}.")
        return redirect("performance:caveats")
    return render(
        request,
        "plans/staff/form.html",
        {
            "form": form,
            "heading": "Add a caveat" if caveat is None else f"Change the caveat ‘{caveat.title}’",
            "back": reverse("performance:caveats"),
            "section": "data",
        },
    )


@require(Perm.IMPORT_DATA)
def caveat_remove(request: HttpRequest, pk: int) -> HttpResponse:
    caveat = selectors.caveat_get(pk=pk)
    if request.method == "POST":
        caveat_services.caveat_remove(user=request.user, caveat=caveat)
        messages.success(request, f"The caveat ‘{caveat.title}’ has been removed.")
        return redirect("performance:caveats")
    return render(
        request,
        "performance/caveat_remove.html",
        {"caveat": caveat, "back": reverse("performance:caveats"), "section": "data"},
    )


@upload_limit(MAX_FIGURES_BYTES)
@require(Perm.IMPORT_DATA)
def figures_upload(request: HttpRequest) -> HttpResponse:
    """Figures for a measure reported elsewhere, from a CSV: all or nothing."""
    measures = plan_selectors.measures_reported_elsewhere()
    form = FiguresForm(request.POST or None, request.FILES or None, measures=measures)
    if refused := refusal(request):
        form.add_error("upload", refused)
    elif request.method == "POST" and form.is_valid():
        # Reading figures brings DuckDB and the warehouse: loaded when first used.
        from policeplan.performance import figures as figure_services
        from policeplan.warehouse.errors import FileRejected

        # Read in this request: a folder of this process's own, removed afterwards.
        folder = Path(tempfile.mkdtemp(prefix="policeplan-figures-"))
        try:
            target = _store(form.cleaned_data["upload"], folder, 0)
            stored = figure_services.measure_figures_import(
                user=request.user,
                lineage=form.cleaned_data["measure"],
                path=target,
                name=form.cleaned_data["upload"].name,
            )
        except FileRejected as error:
            form.add_error("upload", f"{error}. Nothing was changed.")
        else:
            title = dict(form.fields["measure"].choices)[form.cleaned_data["measure"]]  # type: ignore[attr-defined]
            messages.success(request, f"{stored:,} figures for ‘{title}’ have been stored.")
            return redirect("dashboards:measure", lineage=form.cleaned_data["measure"])
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    return render(
        request,
        "performance/figures.html",
        {"form": form, "measures": measures, "section": "data"},
    )


@require(Perm.IMPORT_DATA)
@require_safe
def crosswalk(request: HttpRequest) -> HttpResponse:
    """The crosswalk: which source names each concept stands for, and when they were in use."""
    return render(
        request,
        "performance/crosswalk.html",
        {
            "rows": selectors.crosswalk_rows(),
            "source_labels": dict(CROSSWALK_SOURCES),
            "section": "data",
        },
    )


@require(Perm.IMPORT_DATA)
def crosswalk_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Add a mapping (no pk) or change one; the measures counting its concepts are then
    recomputed."""
    mapping = selectors.category_mapping(pk=pk) if pk is not None else None
    form = CategoryMappingForm(request.POST or None, instance=mapping)
    if request.method == "POST" and form.is_valid():
        try:
            saved, touched = concept_services.category_mapping_save(
                user=request.user, data=form.cleaned_data, mapping=mapping
            )
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
        else:
            jobs.enqueue(tasks.recompute_concepts, sorted(touched))
            verb = "added" if mapping is None else "changed"
            messages.success(
                request,
                f"The mapping of ‘{saved.source_name}’ to {saved.concept.name} has been {verb}. "
                "The measures counting it are being recomputed.",
            )
            return redirect("performance:crosswalk")
    return render(
        request,
        "plans/staff/form.html",
        {
            "form": form,
            "heading": "Add a name to the crosswalk"
            if mapping is None
            else f"Change the mapping of ‘{mapping.source_name}’",
            "back": reverse("performance:crosswalk"),
            "section": "data",
        },
    )

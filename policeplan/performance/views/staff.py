"""Staff pages for bringing data in: the catalogue, uploads, and each import's progress."""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render

from policeplan.core import jobs
from policeplan.core.access import require
from policeplan.core.roles import Perm
from policeplan.performance import selectors, services
from policeplan.performance.forms import UploadForm


@require(Perm.IMPORT_DATA)
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


@require(Perm.IMPORT_DATA)
def upload(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        folder = Path(settings.UPLOAD_ROOT) / uuid.uuid4().hex
        folder.mkdir(parents=True)
        paths = []
        for index, upload in enumerate(form.cleaned_data["uploads"]):
            target = folder / f"{index:03d}" / Path(upload.name).name
            target.parent.mkdir()
            with target.open("wb") as handle:
                for chunk in upload.chunks():
                    handle.write(chunk)
            paths.append(target)
        data_import = services.data_import_create(
            user=request.user,
            kind=form.cleaned_data["kind"],
            paths=paths,
            source="Uploaded: " + ", ".join(Path(p).name for p in paths),
            upload_dir=str(folder),
        )
        jobs.enqueue_data_import(data_import.pk)
        return redirect("performance:import", pk=data_import.pk)
    return render(request, "performance/upload.html", {"form": form, "section": "data"})


@require(Perm.IMPORT_DATA)
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    data_import = selectors.data_import_detail(pk=pk)
    return render(
        request, "performance/import.html", {"data_import": data_import, "section": "data"}
    )


@require(Perm.IMPORT_DATA)
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

"""Human documentation for the API, built from its OpenAPI document."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from policeplan.api.v1 import api


@require_safe
def docs(request: HttpRequest) -> HttpResponse:
    schema = api.get_openapi_schema(path_prefix="/api/v1")
    operations = [
        {
            "method": method.upper(),
            "path": path,
            "summary": op.get("summary", ""),
            "parameters": [
                {
                    "name": p["name"],
                    "in": p["in"],
                    "required": p.get("required", False),
                    "description": p.get("description", "") or p.get("schema", {}).get("title", ""),
                }
                for p in op.get("parameters", [])
            ],
        }
        for path, methods in schema["paths"].items()
        for method, op in methods.items()
    ]
    return render(
        request,
        "api/docs.html",
        {"operations": operations, "info": schema["info"], "section": "api"},
    )

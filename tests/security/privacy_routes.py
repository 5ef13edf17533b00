"""Every URL of the consultation and analysis apps, from the URL resolver (so a new route is
walked by the privacy tests without anyone remembering to add it), filled in with the ids of
a test's objects."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, reverse

NAMESPACES = ("consultations", "analysis")


@dataclass(frozen=True)
class Route:
    name: str  # namespace:name
    kwargs: tuple[str, ...]


def routes(namespaces: tuple[str, ...] = NAMESPACES) -> list[Route]:
    out: list[Route] = []

    def walk(patterns: list, namespace: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, p.namespace or namespace)
            elif isinstance(p, URLPattern) and p.name and namespace in namespaces:
                out.append(Route(f"{namespace}:{p.name}", tuple(p.pattern.converters)))

    walk(get_resolver().url_patterns, "")
    return out


def url_for(route: Route, values: dict[str, object]) -> str | None:
    """The route's URL with the test's ids, or None when the test has no value for one."""
    if any(k not in values for k in route.kwargs):
        return None
    return reverse(route.name, kwargs={k: values[k] for k in route.kwargs})


def body_text(response) -> str:
    """What a person gets from a response: the page, the CSV, or every cell of a workbook."""
    kind = response.get("Content-Type", "")
    if "spreadsheetml" in kind:
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(response.content), read_only=True)
        return "\n".join(
            str(cell)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for cell in row
            if cell is not None
        )
    if "pdf" in kind:
        return response.content.decode("latin-1")
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")

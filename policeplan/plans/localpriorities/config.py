"""The menu of volume-crime priorities and the mandatory set: configuration, one file per
geography (`<geography>.toml` beside this module)."""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

HERE = Path(__file__).parent


@dataclass(frozen=True)
class Candidate:
    slug: str
    title: str
    concepts: tuple[str, ...]
    note: str = ""


@dataclass(frozen=True)
class Menu:
    choose: int  # how many volume-crime priorities each borough chooses
    similar: int  # how many most similar boroughs the evidence compares with
    candidates: tuple[Candidate, ...]
    mandatory: tuple[str, ...]

    def candidate(self, slug: str) -> Candidate | None:
        return next((c for c in self.candidates if c.slug == slug), None)


@functools.lru_cache(maxsize=4)
def _load(name: str) -> Menu | None:
    path = HERE / f"{name}.toml"
    if not path.is_file():
        return None
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return Menu(
        choose=int(data.get("choose", 2)),
        similar=int(data.get("similar", 3)),
        candidates=tuple(
            Candidate(c["slug"], c["title"], tuple(c["concepts"]), c.get("note", ""))
            for c in data["menu"]
        ),
        mandatory=tuple(data.get("mandatory", {}).get("titles", [])),
    )


def menu() -> Menu | None:
    """This office's menu, or None where its geography has none."""
    return _load(settings.GEOGRAPHY)

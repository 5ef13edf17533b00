"""Theme engines: suggest a codeframe from free text, and assign themes to each text.

Plain Python with no Django import (like `policeplan.warehouse`), so analysts can run it
from the command line and tests can run it without a database. Every engine has the same
interface (`Engine`); `engine_named()` picks one by name, so another (sentence embeddings,
an LLM endpoint) can be added by configuration.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True)
class SuggestedTheme:
    label: str  # short and readable, from the words that mark the theme out
    description: str
    example_indexes: list[int]  # the texts that show the theme best, most typical first
    share: float  # of all texts, those whose strongest theme this is
    members: list[int] = field(default_factory=list)  # those texts' indexes


@dataclass(frozen=True)
class Assignment:
    theme: str
    confidence: float  # 0 to 1


@dataclass
class Example:
    text: str
    themes: set[str] = field(default_factory=set)


def normal(text: str) -> str:
    """A text as compared for sameness: lower case, runs of spaces as one."""
    return " ".join(text.lower().split())


def choose(
    row: Sequence[float], names: Sequence[str], threshold: float, floor: float
) -> list[Assignment]:
    """One text's themes from its per-theme probabilities: every theme at or above the
    threshold, and the most likely one when it reaches the floor, most likely first."""
    chosen = [j for j, p in enumerate(row) if p >= threshold]
    best = max(range(len(row)), key=lambda j: row[j])
    if best not in chosen and row[best] >= floor:
        chosen.append(best)
    chosen.sort(key=lambda j: -row[j])
    return [Assignment(names[j], round(float(row[j]), 3)) for j in chosen]


class Engine(Protocol):
    name: str

    def suggest(self, texts: Sequence[str], *, count: int = 8) -> list[SuggestedTheme]: ...

    def fit(self, examples: Sequence[Example]) -> None: ...

    def assign(self, texts: Sequence[str]) -> list[list[Assignment]]: ...


def engine_named(name: str = "tfidf", **options: object) -> Engine:
    """The engine called `name`: 'tfidf' (the default, offline on the CPU), 'embeddings'
    (sentence embeddings from a local model; needs the 'embeddings' extra), or any class
    given as 'package.module:ClassName' that has the Engine interface (an LLM endpoint, say),
    so another engine is added by configuration, not by changing this code."""
    if name == "tfidf":
        from policeplan.textanalysis.tfidf import TfidfEngine

        return TfidfEngine(**options)  # type: ignore[arg-type]
    if name == "embeddings":
        from policeplan.textanalysis.embeddings import EmbeddingEngine

        return EmbeddingEngine(**options)  # type: ignore[arg-type]
    if ":" in name:
        import importlib

        module, _, attribute = name.partition(":")
        try:
            engine_class = getattr(importlib.import_module(module), attribute)
        except (ImportError, AttributeError) as error:
            raise ValueError(f"Cannot load the engine '{name}': {error}") from None
        engine = engine_class(**options)
        for method in ("suggest", "fit", "assign"):
            if not callable(getattr(engine, method, None)):
                raise ValueError(f"The engine '{name}' has no {method}() method")
        return engine
    raise ValueError(
        f"Unknown engine '{name}'. Available: tfidf, embeddings, or 'package.module:ClassName'"
    )

"""Single-line text: a name or title never holds a line break, a control character or an
invisible text-direction mark.

A line break in a title reached an email's Subject and the send failed; a right-to-left
override (U+202E) makes a title read differently from what it is. Forms refuse them on every
one-line field with an error naming it (`SingleLineMixin`).
"""

from __future__ import annotations

import unicodedata
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

# Marks and overrides that change the order text is shown in (Unicode bidi controls).
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)


def bad_character(value: str) -> str | None:
    """The first character a single line may not hold, or None."""
    for ch in value:
        if ch in BIDI_CONTROLS or unicodedata.category(ch) in ("Cc", "Zl", "Zp"):
            return ch
    return None


def single_line_validator(label: str) -> Any:
    def validate(value: Any) -> None:
        if isinstance(value, str) and bad_character(value) is not None:
            raise ValidationError(
                f"{label} must be on one line, without line breaks, control characters "
                "or text-direction marks",
                code="single_line",
            )

    return validate


class SingleLineMixin(forms.BaseForm):
    """Every text field shown as a one-line input refuses what `bad_character` finds."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if isinstance(field, forms.CharField) and not isinstance(field.widget, forms.Textarea):
                label = str(field.label or name.replace("_", " ").capitalize())
                field.validators.append(single_line_validator(label))

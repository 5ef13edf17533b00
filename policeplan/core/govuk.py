"""The typed layer between Django forms and the GOV.UK Frontend macros.

`field_spec(bound_field)` says which GOV.UK component renders a field and with which
parameters (label, hint, value, items, error message); templates call the macro it names
through `core/macros/forms.html`. `error_summary(form)` builds the error summary whose links
move focus to each field in error. Forms mix in `GovukForm` for GOV.UK-style messages.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any, Literal

from django import forms
from django.core import validators

Component = Literal[
    "input",
    "password-input",
    "textarea",
    "character-count",
    "select",
    "radios",
    "checkboxes",
    "file-upload",
    "date-input",
]


@dataclass(frozen=True)
class FieldSpec:
    component: Component
    params: dict[str, Any] = field(default_factory=dict)


class GovukDateWidget(forms.MultiWidget):
    """Day, month and year boxes, as the GOV.UK date input pattern asks."""

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(
            widgets={"day": forms.TextInput, "month": forms.TextInput, "year": forms.TextInput},
            attrs=attrs,
        )

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        return [None, None, None]


class GovukDateField(forms.MultiValueField):
    """A date entered as day, month and year, with GOV.UK error messages. Its year is from
    1900 to 2200 (`YEARS`): year 9999 is a typing slip, and a date past 9999 breaks
    date arithmetic (an overdue check, a calendar feed's end) far from the form."""

    widget = GovukDateWidget
    YEARS = (1900, 2200)

    def __init__(self, **kwargs: Any) -> None:
        fields = (
            forms.IntegerField(min_value=1, max_value=31),
            forms.IntegerField(min_value=1, max_value=12),
            forms.IntegerField(min_value=self.YEARS[0], max_value=self.YEARS[1]),
        )
        super().__init__(fields=fields, require_all_fields=False, **kwargs)

    def clean(self, value: Any) -> datetime.date | None:
        parts = [str(v).strip() if v is not None else "" for v in (value or ["", "", ""])]
        label = (self.label or "date").lower()
        if not any(parts):
            if self.required:
                raise forms.ValidationError(f"Enter the {label}", code="required")
            return None
        if not all(parts):
            missing = [n for n, v in zip(("day", "month", "year"), parts, strict=True) if not v]
            raise forms.ValidationError(
                f"The {label} must include a {' and '.join(missing)}", code="incomplete"
            )
        try:
            day, month, year = (int(p) for p in parts)
            if len(parts[2]) != 4:
                raise ValueError
            found = datetime.date(year, month, day)
        except ValueError:
            raise forms.ValidationError(
                f"The {label} must be a real date", code="invalid"
            ) from None
        first, last = self.YEARS
        if not first <= year <= last:
            raise forms.ValidationError(
                f"The {label} must be in a year from {first} to {last}", code="year"
            )
        return found

    def compress(self, data_list: list[Any]) -> Any:  # pragma: no cover - clean() overrides
        return None


LONG_TEXT = 100_000  # characters: the most any text box takes (about 40 pages of A4)


class GovukForm(forms.BaseForm):
    """Mix into a form to get GOV.UK-style required messages ('Enter …' / 'Select …')."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        default = str(forms.Field.default_error_messages["required"])
        for f in self.fields.values():
            if isinstance(f, forms.CharField) and f.max_length is None:
                # No text box takes more than a long report: a megabyte pasted into one would
                # be slow on every page that shows it, and more than an import takes back.
                f.max_length = LONG_TEXT
                f.validators.append(validators.MaxLengthValidator(LONG_TEXT))
            if str(f.error_messages.get("required")) != default:
                continue  # the form chose its own message
            label = str(f.label or "").strip()
            verb = "Select" if isinstance(f, forms.ChoiceField) else "Enter"
            f.error_messages["required"] = f"{verb} {label[:1].lower()}{label[1:]}"


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _error(bf: forms.BoundField) -> dict[str, str] | None:
    return {"text": " ".join(str(e) for e in bf.errors)} if bf.errors else None


def _items(bf: forms.BoundField, selected: set[str]) -> list[dict[str, Any]]:
    items = []
    for value, text in bf.field.choices:  # type: ignore[attr-defined]
        item: dict[str, Any] = {"value": _text(value), "text": str(text)}
        if _text(value) in selected:
            item["checked"] = True
            item["selected"] = True
        items.append(item)
    return items


def field_spec(bf: forms.BoundField, overrides: dict[str, Any] | None = None) -> FieldSpec:
    """The GOV.UK component and parameters for one bound field."""
    widget = bf.field.widget
    label_text = str(bf.label)
    label: dict[str, Any] = {"text": label_text}
    base: dict[str, Any] = {"name": bf.html_name, "errorMessage": _error(bf)}
    if bf.help_text:
        base["hint"] = {"text": str(bf.help_text)}
    value = bf.value()
    component: Component

    if isinstance(widget, GovukDateWidget):
        parts = value if isinstance(value, list | tuple) else widget.decompress(value)
        names = ("day", "month", "year")
        component = "date-input"
        base.update(
            id=bf.auto_id,
            namePrefix=bf.html_name,
            fieldset={"legend": {"text": label_text, "classes": "govuk-fieldset__legend--s"}},
            items=[
                {
                    "name": n,
                    "label": n.capitalize(),
                    "value": _text(p),
                    "classes": "govuk-input--width-4" if n == "year" else "govuk-input--width-2",
                    "id": f"{bf.auto_id}_{n}",
                    "inputmode": "numeric",
                }
                for n, p in zip(names, parts, strict=True)
            ],
        )
        # namePrefix joins with '-' in the macro; Django's MultiWidget joins with '_'.
        for item in base["items"]:
            item["name"] = f"{bf.html_name}_{item['name']}"
        base.pop("namePrefix")
    elif isinstance(widget, forms.CheckboxSelectMultiple):
        component = "checkboxes"
        selected = {_text(v) for v in (value or [])}
        base.update(
            idPrefix=bf.auto_id,
            fieldset={"legend": {"text": label_text, "classes": "govuk-fieldset__legend--s"}},
            items=_items(bf, selected),
        )
    elif isinstance(widget, forms.RadioSelect):  # after checkboxes: Django subclasses it
        component = "radios"
        base.update(
            idPrefix=bf.auto_id,
            fieldset={"legend": {"text": label_text, "classes": "govuk-fieldset__legend--s"}},
            items=_items(bf, {_text(value)}),
        )
    elif isinstance(widget, forms.CheckboxInput):
        component = "checkboxes"
        base.update(
            idPrefix=bf.auto_id,
            items=[{"value": "on", "text": label_text, "checked": bool(value)}],
        )
    elif isinstance(widget, forms.Select):
        component = "select"
        base.update(id=bf.auto_id, label=label, items=_items(bf, {_text(value)}))
    elif isinstance(widget, forms.FileInput):
        component = "file-upload"
        base.update(id=bf.auto_id, label=label)
        if getattr(widget, "allow_multiple_selected", False):
            base["multiple"] = True
    elif isinstance(widget, forms.Textarea):
        max_length = getattr(bf.field, "max_length", None)
        component = "character-count" if max_length else "textarea"
        base.update(
            id=bf.auto_id, label=label, value=_text(value), rows=widget.attrs.get("rows", 8)
        )
        if max_length:
            base["maxlength"] = max_length
    elif isinstance(widget, forms.PasswordInput):
        component = "password-input"
        base.update(id=bf.auto_id, label=label, autocomplete=widget.attrs.get("autocomplete"))
    else:
        component = "input"
        input_type = getattr(widget, "input_type", "text")
        base.update(id=bf.auto_id, label=label, value=_text(value))
        if input_type == "email":
            base.update(type="email", autocomplete="email", spellcheck=False)
        elif input_type == "number" or isinstance(
            bf.field, forms.DecimalField | forms.IntegerField
        ):
            base.update(
                inputmode="decimal"
                if isinstance(bf.field, forms.DecimalField | forms.FloatField)
                else "numeric"
            )
            base.update(classes="govuk-input--width-10")
            base.update(spellcheck=False)
        if widget.attrs.get("autocomplete"):
            base["autocomplete"] = widget.attrs["autocomplete"]
        if widget.attrs.get("class"):
            base["classes"] = widget.attrs["class"]
    for key, extra in (overrides or {}).items():
        if isinstance(extra, dict) and isinstance(base.get(key), dict):
            base[key] = {**base[key], **extra}
        else:
            base[key] = extra
    return FieldSpec(component=component, params={k: v for k, v in base.items() if v is not None})


def _first_input_id(bf: forms.BoundField) -> str:
    widget = bf.field.widget
    if isinstance(widget, GovukDateWidget):
        return f"{bf.auto_id}_day"
    return str(bf.auto_id)


def error_summary(form: forms.BaseForm | None) -> dict[str, Any] | None:
    """Parameters for govukErrorSummary, or None when the form has no errors."""
    if form is None or not form.errors:
        return None
    items: list[dict[str, str]] = [{"text": str(e)} for e in form.non_field_errors()]
    for name, errors in form.errors.items():
        if name == "__all__":
            continue
        bf = form[name]
        items += [{"text": str(e), "href": f"#{_first_input_id(bf)}"} for e in errors]
    return {"titleText": "There is a problem", "errorList": items}


class LinesField(forms.CharField):
    """A list of values typed one per line."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value: Any) -> Any:
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        if isinstance(value, list):
            return value
        return [line.strip() for line in str(value or "").splitlines() if line.strip()]


def error_summary_many(forms_: list[forms.BaseForm]) -> dict[str, Any] | None:
    """One error summary for a page that holds several forms."""
    items: list[dict[str, str]] = []
    for form in forms_:
        summary = error_summary(form)
        if summary:
            items += summary["errorList"]
    return {"titleText": "There is a problem", "errorList": items} if items else None


def apply_validation_error(form: forms.BaseForm, error: Any) -> None:
    """Show a service's ValidationError on the form: on its field when it names one the form
    has, else at the top (in the error summary)."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)

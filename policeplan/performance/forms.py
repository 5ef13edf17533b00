from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from policeplan.core.govuk import GovukForm, LinesField
from policeplan.performance.models import CategoryMapping, Caveat, Concept, ImportKind

MAX_UPLOAD_BYTES = 500 * 1024 * 1024
MAX_FIGURES_BYTES = 20 * 1024 * 1024
ALLOWED = {".csv", ".zip", ".parquet", ".geojson", ".json"}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        items = [item for item in (data if isinstance(data, list | tuple) else [data]) if item]
        if not items:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return []
        return [single(item, initial) for item in items]


class UploadForm(GovukForm, forms.Form):
    kind = forms.ChoiceField(
        label="What are you importing?", choices=ImportKind.choices, widget=forms.RadioSelect
    )
    uploads = MultipleFileField(
        label="Files",
        help_text="CSV files, a zip archive such as a data.police.uk monthly download, or a "
        "GeoJSON file of boundaries. You can choose several files.",
        error_messages={"required": "Select one or more files to import"},
    )

    def clean_uploads(self) -> list[Any]:
        files = self.cleaned_data["uploads"]
        for upload in files:
            suffix = "." + upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
            if suffix not in ALLOWED:
                raise forms.ValidationError(
                    f"{upload.name} must be a CSV, Parquet, zip or GeoJSON file"
                )
            if upload.size > MAX_UPLOAD_BYTES:
                raise forms.ValidationError(f"{upload.name} must be smaller than 500MB")
        return files


CAVEAT_DATASETS = [
    ("street", "data.police.uk street-level crime"),
    ("outcomes", "data.police.uk outcomes"),
    ("stop_search", "Stop and search"),
    ("mps_crime", "MPS recorded crime"),
    ("pas", "Public Attitude Survey"),
]


class CaveatForm(GovukForm, forms.ModelForm):
    dataset = forms.ChoiceField(
        label="Which data does it concern?",
        choices=CAVEAT_DATASETS,
        widget=forms.RadioSelect,
        error_messages={"required": "Select which data the caveat concerns"},
    )
    effective_from = forms.RegexField(
        label="First month it applies to",
        regex=r"^\d{4}-(0[1-9]|1[0-2])$",
        help_text="As year and month, for example 2024-02",
        error_messages={
            "required": "Enter the first month it applies to",
            "invalid": "Enter the month as year and month, like 2024-02",
        },
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}),
    )
    categories = LinesField(
        label="Only for these categories (optional)",
        required=False,
        help_text="One per line, as the measures name them (for example DOMESTIC ABUSE or "
        "Violence and sexual offences). Leave empty for every measure of this data.",
    )

    class Meta:
        model = Caveat
        fields = ["dataset", "effective_from", "title", "text", "categories", "is_series_break"]
        labels = {
            "title": "Short title",
            "text": "What readers need to know",
            "is_series_break": "Figures before and after this month are not comparable",
        }
        help_texts = {"title": "Shown on charts, for example 'New recording system'"}
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}
        error_messages = {
            "title": {"required": "Enter a short title"},
            "text": {"required": "Enter what readers need to know"},
        }


class FiguresForm(GovukForm, forms.Form):
    """Upload the figures of a measure reported elsewhere."""

    measure = forms.ChoiceField(
        label="Which measure are these figures for?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the measure these figures are for"},
    )
    upload = forms.FileField(
        label="CSV file",
        help_text="Columns: area_code, period_type (month, quarter, financial_year or "
        "rolling_12), last_month (like 2024-03), numerator, base (empty for a count).",
        error_messages={"required": "Select the CSV file of figures"},
    )

    def __init__(self, *args: Any, measures: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["measure"].choices = [  # type: ignore[attr-defined]
            (str(m["lineage"]), m["title"]) for m in measures
        ]

    def clean_upload(self) -> Any:
        upload = self.cleaned_data["upload"]
        if not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError(f"{upload.name} must be a CSV file")
        if upload.size > MAX_FIGURES_BYTES:
            raise forms.ValidationError(f"{upload.name} must be smaller than 20MB")
        return upload


CROSSWALK_SOURCES = [
    ("mps_crime", "MPS recorded crime"),
    ("street", "data.police.uk street-level crime"),
    ("outcomes", "data.police.uk outcomes"),
    ("stop_search", "Stop and search"),
    ("pas", "Public Attitude Survey"),
]
MONTH_REGEX = r"^\d{4}-(0[1-9]|1[0-2])$"
# Recorded-crime categories predate data.police.uk (2010) but not the MPS's own series (2008);
# a month before 2000 or beyond next year is a typing slip, never a real period of use.
EARLIEST_YEAR = 2000
# The category schemes each source has; a source not listed has one scheme (blank).
SCHEMES: dict[str, tuple[str, ...]] = {"mps_crime": ("current", "old")}


class CategoryMappingForm(GovukForm, forms.ModelForm):
    source = forms.ChoiceField(
        label="Which source uses the name?",
        choices=CROSSWALK_SOURCES,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the source that uses the name"},
    )
    concept = forms.ModelChoiceField(
        label="Concept it stands for",
        queryset=Concept.objects.order_by("name"),
        empty_label="Choose a concept",
        error_messages={"required": "Choose the concept the name stands for"},
    )
    in_use_from = forms.RegexField(
        label="First month in use",
        help_text="As year and month, for example 2023-04",
        error_messages={
            "required": "Enter the first month the name was in use",
            "invalid": "Enter the month as year and month, like 2023-04",
        },
        regex=MONTH_REGEX,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}),
    )
    in_use_to = forms.RegexField(
        label="Last month in use (optional)",
        required=False,
        help_text="Leave blank while the source still uses the name",
        error_messages={"invalid": "Enter the month as year and month, like 2023-07"},
        regex=MONTH_REGEX,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}),
    )

    class Meta:
        model = CategoryMapping
        fields = [
            "source",
            "scheme",
            "source_name",
            "concept",
            "in_use_from",
            "in_use_to",
            "reference",
        ]
        labels = {
            "scheme": "Category scheme (optional)",
            "source_name": "Name as the source writes it",
            "reference": "Where the dates come from (optional)",
        }
        help_texts = {
            "scheme": "For MPS recorded crime: current or old. Blank for other sources.",
            "source_name": "For example RES BURGLARY OF A HOME",
        }
        error_messages = {"source_name": {"required": "Enter the name as the source writes it"}}

    def clean_scheme(self) -> str:
        scheme = (self.cleaned_data.get("scheme") or "").strip().lower()
        source = self.data.get(self.add_prefix("source"), "")
        allowed = SCHEMES.get(source, ())
        if allowed and scheme not in allowed:
            raise forms.ValidationError(
                f"Enter the category scheme as {' or '.join(allowed)}"
                f" (the {dict(CROSSWALK_SOURCES)[source]} schemes)"
            )
        if not allowed and scheme:
            raise forms.ValidationError("Leave the category scheme blank for this source")
        return scheme

    def _month_in_range(self, field: str, month: str) -> None:
        year = int(month[:4])
        latest = timezone.localdate().year + 1
        if not EARLIEST_YEAR <= year <= latest:
            self.add_error(field, f"Enter a month from {EARLIEST_YEAR}-01 to {latest}-12")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("in_use_from"), data.get("in_use_to")
        for field, month in (("in_use_from", start), ("in_use_to", end)):
            if month:
                self._month_in_range(field, month)
        if self.errors:
            return data
        if start and end and end < start:
            self.add_error(
                "in_use_to", "The last month in use must be the same as or after the first"
            )
        return data

    def validate_unique(self) -> None:
        """The service checks the name is not mapped twice (whatever its case)."""


class CommentaryForm(GovukForm, forms.Form):
    text = forms.CharField(
        label="Commentary",
        max_length=10_000,
        help_text="What the figures show and why, in plain English. You can use Markdown: "
        "**bold**, lists and [links](https://www.example.org). A policy officer must approve it "
        "before it is published; changing approved commentary makes it a draft again.",
        widget=forms.Textarea(attrs={"rows": 12}),
        error_messages={
            "required": "Enter the commentary",
            "max_length": "Commentary must be 10,000 characters or fewer",
        },
    )

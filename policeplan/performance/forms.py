from __future__ import annotations

from typing import Any

from django import forms

from policeplan.core.govuk import GovukForm
from policeplan.performance.models import ImportKind

MAX_UPLOAD_BYTES = 500 * 1024 * 1024
ALLOWED = {".csv", ".zip", ".parquet"}


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
        help_text="CSV files, or a zip archive such as a data.police.uk monthly download. "
        "You can choose several files.",
        error_messages={"required": "Select one or more files to import"},
    )

    def clean_uploads(self) -> list[Any]:
        files = self.cleaned_data["uploads"]
        for upload in files:
            suffix = "." + upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
            if suffix not in ALLOWED:
                raise forms.ValidationError(f"{upload.name} must be a CSV, Parquet or zip file")
            if upload.size > MAX_UPLOAD_BYTES:
                raise forms.ValidationError(f"{upload.name} must be smaller than 500MB")
        return files

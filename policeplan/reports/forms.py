from __future__ import annotations

from typing import Any

from django import forms

from policeplan.core.govuk import GovukForm
from policeplan.reports.kinds import ReportKind

TEXT_HELP = "You can use Markdown: **bold**, lists and [links](https://www.example.org)."


class ReportForm(GovukForm, forms.Form):
    kind = forms.ChoiceField(
        label="Kind of report",
        choices=ReportKind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the kind of report",
            "invalid_choice": "Choose the kind of report",
        },
    )
    period_key = forms.CharField(
        label="Period",
        max_length=20,
        help_text="For a quarterly update, the financial year and quarter: 2025-26-Q2 is July "
        "to September 2025. For an annual report, the financial year: 2023-24. For a "
        "committee pack, the year and month: 2026-03. The period must have ended.",
        error_messages={
            "required": "Enter the period the report covers",
            "max_length": "Enter the period like 2025-26-Q2, 2023-24 or 2026-03",
        },
    )
    plan_version: forms.ModelChoiceField = forms.ModelChoiceField(
        label="Plan it reports on",
        queryset=None,
        empty_label=None,
        error_messages={
            "required": "Choose the plan it reports on",
            "invalid_choice": "Choose a published final plan",
        },
    )

    def __init__(self, *args: Any, versions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["plan_version"].queryset = versions  # type: ignore[attr-defined]


class TextsForm(GovukForm, forms.Form):
    foreword = forms.CharField(
        label="Foreword",
        required=False,
        max_length=20_000,
        help_text="An introduction to the report. " + TEXT_HELP,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    functions = forms.CharField(
        label="How the office exercised its functions in the year",
        required=False,
        max_length=50_000,
        help_text="Required in an annual report (s.12 of the Police Reform and Social "
        "Responsibility Act 2011). " + TEXT_HELP,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    national_priorities = forms.CharField(
        label="The force's contribution to national policing priorities",
        required=False,
        max_length=50_000,
        help_text="Required in an annual report (Specified Information Order, as amended in "
        "2021). " + TEXT_HELP,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    inspection = forms.CharField(
        label="The latest inspection (PEEL) findings",
        required=False,
        max_length=50_000,
        help_text="Required in an annual report. " + TEXT_HELP,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    complaints = forms.CharField(
        label="How complaints are handled",
        required=False,
        max_length=50_000,
        help_text="Required in an annual report. " + TEXT_HELP,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args: Any, annual: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not annual:
            for name in ("functions", "national_priorities", "inspection", "complaints"):
                del self.fields[name]

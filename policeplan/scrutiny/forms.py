"""Forms for scrutiny pages, public and staff, rendered as GOV.UK components."""

from __future__ import annotations

from typing import Any

from django import forms

from policeplan.core import dates
from policeplan.core.forms import HoneypotMixin, PublicEmailField
from policeplan.core.formtimes import DateTimesMixin, combine, time_field
from policeplan.core.govuk import GovukDateField, GovukForm
from policeplan.core.singleline import SingleLineMixin
from policeplan.scrutiny.models import (
    ActionStatus,
    AgendaItem,
    BodyFormat,
    BodyKind,
    Meeting,
    MeetingStatus,
    Member,
    MemberRole,
    Officer,
    Presence,
    Recommendation,
)

PAPER_MAX_BYTES = 50 * 1024 * 1024


def _text(rows: int = 4) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class CommitteeForm(SingleLineMixin, GovukForm, forms.Form):
    name = forms.CharField(label="Name", max_length=200)
    slug = forms.SlugField(
        label="Web address name",
        max_length=80,
        help_text="Lower-case letters, numbers and hyphens, for example police-and-crime-panel",
    )
    kind = forms.ChoiceField(
        label="Kind of body", choices=BodyKind.choices, widget=forms.RadioSelect
    )
    description = forms.CharField(label="What it does", required=False, widget=_text())
    contact_email = forms.EmailField(label="Contact email address", required=False)


class MemberForm(SingleLineMixin, GovukForm, forms.Form):
    name = forms.CharField(label="Name", max_length=200)
    role = forms.ChoiceField(label="Role", choices=MemberRole.choices, widget=forms.RadioSelect)
    affiliation = forms.CharField(
        label="Party, council or organisation", max_length=200, required=False
    )
    term_from = GovukDateField(label="Term starts")
    term_to = GovukDateField(label="Term ends", required=False)
    user: forms.ModelChoiceField = forms.ModelChoiceField(
        label="Staff account",
        queryset=None,
        required=False,
        empty_label="No staff account",
        help_text="A committee member's account sees this body's papers before they are published.",
    )

    def __init__(self, *args: Any, accounts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["user"]
        field.queryset = accounts

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("term_from"), data.get("term_to")
        if start and end and end < start:
            self.add_error("term_to", "The term must end on or after the day it starts")
        return data


class OfficerForm(SingleLineMixin, GovukForm, forms.Form):
    name = forms.CharField(label="Name", max_length=200)
    job_title = forms.CharField(label="Job title", max_length=200)


class MeetingForm(SingleLineMixin, DateTimesMixin):
    pairs = (("starts_at", "Starts"), ("ends_at", "Ends"))

    title = forms.CharField(
        label="Title", max_length=200, required=False, help_text="Leave blank for the body’s name"
    )
    starts_at_date = GovukDateField(label="Date")
    starts_at_time = time_field("Start time")
    ends_at_date = GovukDateField(label="End date", required=False)
    ends_at_time = forms.CharField(
        label="End time",
        required=False,
        max_length=5,
        help_text="24-hour clock, for example 20:30. Leave blank if not known",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}),
    )
    status = forms.ChoiceField(
        label="Status", choices=MeetingStatus.choices, widget=forms.RadioSelect
    )
    venue = forms.CharField(label="Venue address", required=False, widget=_text(3))
    online_link = forms.URLField(label="Link to join or watch online", required=False)
    webcast_link = forms.URLField(label="Webcast link", required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        end_time = data.get("ends_at_time")
        if end_time and not data.get("ends_at_date") and data.get("starts_at_date"):
            # An end time alone: the meeting ends on the day it starts.
            ends_at = combine(data["starts_at_date"], end_time)
            if ends_at is None:
                self.add_error("ends_at_time", "Enter a time like 09:30 or 18:00")
            else:
                data["ends_at"] = ends_at
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at_time", "The meeting must end after it starts")
        return data

    def data_for_service(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "title": d["title"],
            "starts_at": d["starts_at"],
            "ends_at": d.get("ends_at"),
            "venue": d["venue"],
            "online_link": d["online_link"],
            "webcast_link": d["webcast_link"],
            "status": d["status"],
        }


class ExemptMixin(SingleLineMixin, GovukForm, forms.Form):
    exempt = forms.BooleanField(label="Exempt: withhold it from the public", required=False)
    exempt_reason = forms.CharField(
        label="Why it is exempt",
        max_length=300,
        required=False,
        help_text="Shown to the public in its place, for example 'Information about an "
        "individual (Local Government Act 1972, Schedule 12A, paragraph 1)'",
    )


class AgendaItemForm(ExemptMixin):
    number = forms.IntegerField(label="Item number", min_value=1, max_value=999)
    title = forms.CharField(label="Title", max_length=300)
    description = forms.CharField(label="Description", required=False, widget=_text())

    field_order = ["number", "title", "description", "exempt", "exempt_reason"]


class PaperForm(ExemptMixin):
    title = forms.CharField(label="Title", max_length=300)
    body_format = forms.ChoiceField(
        label="The text is written in",
        choices=BodyFormat.choices,
        initial=BodyFormat.MARKDOWN,
        widget=forms.RadioSelect,
    )
    body = forms.CharField(label="Text", required=False, widget=_text(12))
    upload = forms.FileField(
        label="Attach a file",
        required=False,
        help_text="PDF, Word (.doc, .docx, .odt), spreadsheet (.xls, .xlsx, .ods, .csv) or "
        "text (.txt), up to 50MB",
    )
    order = forms.IntegerField(
        label="Position among the item’s papers", min_value=0, max_value=999, initial=0
    )

    field_order = ["title", "body_format", "body", "upload", "order", "exempt", "exempt_reason"]


class DeclarationForm(GovukForm, forms.Form):
    member: forms.ModelChoiceField = forms.ModelChoiceField(label="Member", queryset=None)
    item: forms.ModelChoiceField = forms.ModelChoiceField(
        label="Agenda item", queryset=None, required=False, empty_label="The whole meeting"
    )
    interest = forms.CharField(label="The interest declared", widget=_text(3))

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        member: Any = self.fields["member"]
        member.queryset = Member.objects.filter(committee_id=meeting.committee_id)
        item: Any = self.fields["item"]
        item.queryset = AgendaItem.objects.filter(meeting=meeting)


PRESENCE_CHOICES = [("", "Not listed"), *Presence.choices]


class AttendanceForm(GovukForm, forms.Form):
    """One select per member and officer: present, online, apologies, absent."""

    def __init__(
        self, *args: Any, members: list[Member], officers: list[Officer], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        for member in members:
            self.fields[f"member_{member.pk}"] = forms.ChoiceField(
                label=f"{member.name} ({member.get_role_display()})",
                choices=PRESENCE_CHOICES,
                required=False,
            )
        for officer in officers:
            self.fields[f"officer_{officer.pk}"] = forms.ChoiceField(
                label=str(officer), choices=PRESENCE_CHOICES, required=False
            )

    def presences(self, prefix: str) -> dict[int, str]:
        return {
            int(name.removeprefix(f"{prefix}_")): value
            for name, value in self.cleaned_data.items()
            if name.startswith(f"{prefix}_")
        }


class MinutesForm(GovukForm, forms.Form):
    text = forms.CharField(
        label="Minutes",
        widget=_text(16),
        help_text="Markdown. Start a line with 'ACTION:' to propose an action, for example "
        "'ACTION: Tamara Barnett to contact Andy Opie about what services MOPAC can offer'",
    )
    exempt_text = forms.CharField(
        label="Minutes of exempt items",
        required=False,
        widget=_text(6),
        help_text="Never published",
    )


class ApproveMinutesForm(GovukForm, forms.Form):
    at_meeting: forms.ModelChoiceField = forms.ModelChoiceField(
        label="Approved at the meeting", queryset=None
    )

    def __init__(self, *args: Any, meetings: list[Meeting], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["at_meeting"]
        field.queryset = Meeting.objects.filter(pk__in=[m.pk for m in meetings]).order_by(
            "starts_at"
        )
        field.label_from_instance = lambda m: f"{m.display_title}, {dates.day(m.starts_at)}"


class ActionForm(SingleLineMixin, GovukForm, forms.Form):
    text = forms.CharField(label="Action", widget=_text(3))
    owner = forms.CharField(label="Owner", max_length=200, required=False)
    due_on = GovukDateField(label="Due date", required=False)
    item: forms.ModelChoiceField = forms.ModelChoiceField(
        label="Agenda item", queryset=None, required=False, empty_label="Not on an item"
    )
    recommendation: forms.ModelChoiceField = forms.ModelChoiceField(
        label="Recommendation it carries out",
        queryset=None,
        required=False,
        empty_label="No recommendation",
        help_text="From the body’s published reports",
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        item: Any = self.fields["item"]
        item.queryset = AgendaItem.objects.filter(meeting=meeting)
        recommendation: Any = self.fields["recommendation"]
        recommendation.queryset = Recommendation.objects.filter(
            report__committee_id=meeting.committee_id, report__published_on__isnull=False
        ).select_related("report")
        recommendation.label_from_instance = lambda r: f"{r.report.title}: {r.number}"


class ActionUpdateForm(GovukForm, forms.Form):
    on = GovukDateField(label="Date")
    text = forms.CharField(label="Update", widget=_text(3))
    status = forms.ChoiceField(
        label="Status", choices=ActionStatus.choices, widget=forms.RadioSelect
    )
    dropped_reason = forms.CharField(label="If dropped, why", required=False, widget=_text(2))


class ActionsImportForm(GovukForm, forms.Form):
    file = forms.FileField(
        label="The actions spreadsheet, saved as CSV",
        help_text="‘CSV UTF-8 (Comma delimited)’ in Excel, up to 2MB",
        error_messages={"required": "Choose the CSV file to import"},
    )


class SubscribeForm(HoneypotMixin, GovukForm):
    email = PublicEmailField(
        label="Email address", error_messages={"required": "Enter your email address"}
    )

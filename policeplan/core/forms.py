from __future__ import annotations

from django import forms

from policeplan.core.govuk import GovukForm


class HoneypotMixin(forms.Form):
    """A field people never see or reach; software that fills every field fills it too."""

    website = forms.CharField(required=False, label="Leave this blank")

    def is_spam(self) -> bool:
        return bool(self.data.get("website"))


class SignInForm(GovukForm, forms.Form):
    email = forms.EmailField(
        label="Email address",
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "username"}),
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        error_messages={"required": "Enter your password"},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class AuditFilterForm(GovukForm, forms.Form):
    actor = forms.CharField(label="Person (email contains)", required=False, max_length=254)
    object_type = forms.CharField(label="Object type", required=False, max_length=80)
    object_id = forms.CharField(label="Object ID", required=False, max_length=64)

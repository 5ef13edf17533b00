from __future__ import annotations

from django import forms
from django.core.validators import EmailValidator

from policeplan.core.govuk import GovukForm

EMAIL_INVALID = "Enter an email address in the correct format, like name@example.com"


class _MailableAddress(EmailValidator):
    """An address on the internet we could deliver to: Django's check, without its
    `localhost` allowance and with a dot in the domain (`a@localhost`, `a@intranet` and
    `a@[127.0.0.1]` would only ever bounce or reach a machine of ours)."""

    def __init__(self) -> None:
        super().__init__(message=EMAIL_INVALID, allowlist=[])

    def validate_domain_part(self, domain_part: str) -> bool:
        if "." not in domain_part.strip(".") or domain_part.startswith("["):
            return False
        return super().validate_domain_part(domain_part)


class PublicEmailField(forms.EmailField):
    """The email address a member of the public gives us to write to."""

    default_validators = [_MailableAddress()]

    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("max_length", 254)
        messages = {"invalid": EMAIL_INVALID}
        messages.update(kwargs.pop("error_messages", None) or {})  # type: ignore[call-overload]
        super().__init__(error_messages=messages, **kwargs)  # type: ignore[arg-type]


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

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code from your authenticator app"),
        min_length=6,
        max_length=8,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "pattern": "[0-9]*",
                "autofocus": True,
            }
        ),
    )

    def __init__(self, *args, device=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].replace(" ", "")
        if not token.isdigit():
            raise forms.ValidationError(_("The code has only digits. Please check and try again."))
        if self.device is None or not self.device.verify_token(token):
            raise forms.ValidationError(
                _("This code is not right or has expired. Type the code your app shows now.")
            )
        return token


class EnrolCodeForm(forms.Form):
    enrol_code = forms.CharField(
        label=_("Code from the email"),
        min_length=6,
        max_length=6,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class LoginForm(AuthenticationForm):
    """Django's login form, with the user name's length checked *before* anyone tries
    to authenticate: Django sets the field's max_length only after the validators are
    made, so a 300,000-character name reached django-axes, whose 255-character column
    made PostgreSQL fail (a 500 found by the fuzzer)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length or 150))

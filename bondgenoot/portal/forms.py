"""The parent portal's forms. Parent-facing forms take the parent's texts (``t``) so
that every error speaks the parent's language; staff forms use gettext."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bondgenoot.lib.texts import fill
from bondgenoot.lib.widgets import FastCheckboxSelectMultiple, FastRadioSelect
from bondgenoot.people.channels import Channel

from .models import RestrictionReason

PASSWORD_MIN = 10
QUESTION_MAX = 500


class ParentForm(forms.Form):
    def __init__(self, *args, t: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.t = t
        for field in self.fields.values():
            field.error_messages["required"] = t["required"]

    def too_long(self, name: str, limit: int) -> str:
        value = self.cleaned_data.get(name, "")
        if len(value) > limit:
            raise forms.ValidationError(
                fill(self.t["too_long"], {"max": limit, "count": len(value)}), code="too_long"
            )
        return value


class SignInForm(ParentForm):
    identifier = forms.CharField(max_length=254)
    password = forms.CharField(widget=forms.PasswordInput, max_length=200)


class LinkForm(ParentForm):
    identifier = forms.CharField(max_length=254)


class CodeForm(ParentForm):
    code = forms.CharField(max_length=20)


class ActivationForm(ParentForm):
    email = forms.EmailField(required=False, max_length=254)
    password = forms.CharField(widget=forms.PasswordInput, max_length=200)
    password_again = forms.CharField(widget=forms.PasswordInput, max_length=200)

    def __init__(self, *args, needs_email: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.needs_email = needs_email

    def clean(self):
        data = super().clean()
        password = data.get("password", "")
        if password and len(password) < PASSWORD_MIN:
            self.add_error("password", self.t["password_short"])
        elif password and password != data.get("password_again"):
            self.add_error("password_again", self.t["passwords_differ"])
        if self.needs_email and not data.get("email"):
            self.add_error("email", self.t["identifier_needed"])
        return data


class TokenForm(ParentForm):
    token = forms.CharField(max_length=6, min_length=6)


class AnswerForm(ParentForm):
    answer = forms.ChoiceField(choices=[("yes", "yes"), ("no", "no"), ("maybe", "maybe")])
    people = forms.IntegerField(min_value=1, max_value=10, initial=1, required=False)
    question = forms.CharField(required=False, strip=True)

    def clean_question(self):
        return self.too_long("question", QUESTION_MAX)


class ConsentForm(ParentForm):
    contact_person = forms.BooleanField(required=False)
    meetings = forms.BooleanField(required=False)


# --- staff ------------------------------------------------------------------------------------

INVITE_CHANNELS = [
    ("preferred", _("Their preferred way (email or text message, else a letter)")),
    (Channel.EMAIL.value, Channel.EMAIL.label),
    (Channel.SMS.value, Channel.SMS.label),
    (Channel.LETTER.value, _("Printed letter with a QR code")),
]


class InviteForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("How should the invitation go?"),
        choices=INVITE_CHANNELS,
        initial="preferred",
        widget=FastRadioSelect,
    )
    guardians = forms.MultipleChoiceField(
        label=_("Which parents?"), widget=FastCheckboxSelectMultiple
    )

    def __init__(self, *args, guardians=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["guardians"].choices = [(str(g.pk), g.full_name) for g in guardians]


class GroupInviteForm(forms.Form):
    group = forms.ChoiceField(label=_("Group"))
    channel = forms.ChoiceField(
        label=_("How should the invitations go?"),
        choices=INVITE_CHANNELS,
        initial="preferred",
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [(str(g.pk), str(g)) for g in groups]


class RestrictForm(forms.Form):
    record = forms.ChoiceField(label=_("Which record?"))
    reason = forms.ChoiceField(
        label=_("Why may the parents not see it?"),
        choices=RestrictionReason.choices,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, records=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["record"].choices = records

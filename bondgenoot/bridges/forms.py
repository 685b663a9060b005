from __future__ import annotations

import re
from datetime import timedelta
from typing import cast

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bondgenoot.contacts.forms import ContactBasicsForm
from bondgenoot.lib.widgets import FastSelect
from bondgenoot.people.forms import SchoolChoiceMixin
from bondgenoot.people.languages import LANGUAGE_CHOICES
from bondgenoot.people.models import Family, Guardian, Language, User

from .models import Consent, KeyFigure


class KeyFigureForm(SchoolChoiceMixin, forms.ModelForm):
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=LANGUAGE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    postcode_areas = forms.CharField(
        label=_("Neighbourhoods (postcode areas)"),
        required=False,
        max_length=200,
        help_text=_("4-digit postcode areas, separated by commas. For example: 3081, 3082."),
    )
    create_login = forms.BooleanField(
        label=_("Send a login invitation to this email address"),
        required=False,
        help_text=_(
            "The key figure chooses a password and then sees only families whose parents "
            "gave consent."
        ),
    )

    class Meta:
        model = KeyFigure
        fields = [
            "name",
            "kind",
            "organisation",
            "email",
            "phone",
            "communities",
            "availability",
            "max_families",
            "agreement_on",
            "confidentiality_signed",
            "active",
        ]
        widgets = {
            "kind": FastSelect,
            "agreement_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, schools=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Choose a kind"))] + KeyFigure.Kind.choices
        if self.instance._state.adding and schools:
            # A new key figure: for which school (a choice only with several schools).
            self.add_school_choice(schools)
        if self.instance.user_id:
            # The login is tied to this address; a new address would not move it.
            self.fields["email"].disabled = True
            self.fields["email"].help_text = _("This key figure logs in with this address.")
        if not self.instance._state.adding:
            self.initial.setdefault(
                "languages", [lang.code for lang in self.instance.languages.all()]
            )
            self.initial.setdefault("postcode_areas", ", ".join(self.instance.postcode_areas))
        if self.instance.user_id:
            del self.fields["create_login"]

    def clean_postcode_areas(self):
        raw = self.cleaned_data.get("postcode_areas", "")
        parts = [p.strip() for p in re.split(r"[,;\s]+", raw) if p.strip()]
        wrong = [p for p in parts if not re.fullmatch(r"[1-9]\d{3}", p)]
        if wrong:
            raise forms.ValidationError(
                _("Not a 4-digit postcode area: %(wrong)s. Write for example: 3081, 3082.")
                % {"wrong": ", ".join(wrong)}
            )
        return sorted(set(parts))

    def clean_agreement_on(self):
        day = self.cleaned_data.get("agreement_on")
        if day and day > timezone.localdate():
            raise forms.ValidationError(_("This date is in the future. Choose today or earlier."))
        return day

    def clean_kind(self):
        kind = self.cleaned_data["kind"]
        internal = KeyFigure.INTERNAL_KINDS
        if not self.instance._state.adding and (kind in internal) != (
            self.instance.kind in internal
        ):
            raise forms.ValidationError(
                _(
                    "A key figure cannot move between school staff and people outside "
                    "school: the agreement differs. Add a new key figure instead."
                )
            )
        return kind

    def clean(self):
        data = super().clean()
        if hasattr(self, "school_ids") and ("school" not in self.fields or data.get("school")):
            self.instance.school_id = self.chosen_school_id()
        email = (data.get("email") or "").strip()
        if data.get("create_login"):
            if not email:
                self.add_error("email", _("Fill in an email address to send the invitation to."))
            elif User.objects.filter(Q(email__iexact=email) | Q(username__iexact=email)).exists():
                self.add_error(
                    "email",
                    _(
                        "This email address already belongs to an account. An invitation "
                        "always makes a new login; use another address."
                    ),
                )
        return data

    def save(self, commit=True):
        key_figure = super().save(commit=False)
        key_figure.postcode_areas = self.cleaned_data["postcode_areas"]
        if commit:
            key_figure.save()
        return key_figure

    def language_codes(self) -> list[str]:
        codes = self.cleaned_data.get("languages", [])
        Language.ensure(codes)
        return codes


class ConsentForm(forms.Form):
    guardian = forms.ChoiceField(label=_("Who gave consent?"), widget=forms.RadioSelect)
    given_on = forms.DateField(
        label=_("When?"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    how = forms.ChoiceField(
        label=_("How?"),
        choices=[c for c in Consent.How.choices if c[0] != Consent.How.PORTAL],
        widget=forms.RadioSelect,
    )
    share_contact_person = forms.BooleanField(
        label=_("The key figure may also see who the school's contact person is"),
        required=False,
        initial=True,
    )
    share_meetings = forms.BooleanField(
        label=_("The key figure may also see the meetings the family is invited to"),
        required=False,
    )
    explained = forms.BooleanField(
        label=_(
            "I explained to the parent what the key figure will see, and that they can "
            "withdraw consent at any time."
        ),
    )

    def __init__(self, *args, family: Family, **kwargs):
        kwargs.setdefault("initial", {"given_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        # Only a parent with parental authority can consent for the family.
        guardians = Guardian.objects.with_authority(family=family).order_by(
            "last_name", "first_name"
        )
        self.guardians = {str(g.pk): g for g in guardians}
        cast(forms.ChoiceField, self.fields["guardian"]).choices = [
            (pk, g.full_name) for pk, g in self.guardians.items()
        ]

    def clean_given_on(self):
        day = self.cleaned_data["given_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("This date is in the future. Choose today or earlier."))
        return day

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "guardian": self.guardians[data["guardian"]],
            "given_on": data["given_on"],
            "how": data["how"],
            "share_contact_person": data["share_contact_person"],
            "share_meetings": data["share_meetings"],
        }


class WithdrawForm(forms.Form):
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=300,
        help_text=_("For example: the mother withdrew consent by phone."),
    )


class KeyFigureContactForm(ContactBasicsForm):
    """What a key figure records about a contact they had with the family."""

    def __init__(self, *args, bridge=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.bridge = bridge

    def clean_at(self):
        at = super().clean_at()
        if at and self.bridge and at < self.bridge.introduced_at - timedelta(days=1):
            raise forms.ValidationError(
                _("This is before you were linked to this family. Fill in a later date.")
            )
        return at

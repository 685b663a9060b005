"""Forms of the administration pages. Choices are limited to what the access policy
gives the administrator (their schools, their groups); views pass them in."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from bondgenoot.lib import phones
from bondgenoot.lib.widgets import FastSelect
from bondgenoot.people.channels import PREFERRED_CHANNELS, Channel
from bondgenoot.people.languages import LANGUAGES
from bondgenoot.people.models import (
    MIN_SMALL_CELL,
    STAFF_ROLES,
    Group,
    Guardianship,
    Organisation,
    Role,
    User,
)
from bondgenoot.people.school_settings import FAMILY_LANGUAGES


def role_choices(roles) -> list[tuple[str, StrOrPromise]]:
    return [(value, label) for value, label in Role.choices if value in roles]


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)


class MembershipsMixin:
    """A school × role checklist: one checkbox per role per school the administrator
    administers."""

    fields: dict[str, forms.Field]
    cleaned_data: dict[str, Any]

    def add_membership_fields(self, schools, roles) -> None:
        self.membership_fields = []
        for school in schools:
            name = f"roles_{school.pk}"
            self.fields[name] = forms.MultipleChoiceField(
                label=_("Roles at %(school)s") % {"school": school.name},
                choices=role_choices(roles),
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
            self.membership_fields.append((school, name))

    def chosen_memberships(self) -> list[tuple[int, str]]:
        return [
            (school.pk, role)
            for school, name in self.membership_fields
            for role in self.cleaned_data.get(name, [])
        ]


class AccountForm(MembershipsMixin, forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(
        label=_("Email"), help_text=_("The invitation to choose a password goes here.")
    )
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        required=False,
        help_text=_("Empty: the email address is the username."),
    )

    def __init__(self, *args, schools=(), roles=STAFF_ROLES, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_membership_fields(schools, roles)

    def clean_username(self) -> str:
        return self.cleaned_data["username"].strip()

    def clean(self):
        data = super().clean()
        if not self.errors and not self.chosen_memberships():
            raise forms.ValidationError(_("Give the account at least one role."))
        if not data.get("username") and data.get("email"):
            data["username"] = data["email"].strip().lower()
        return data


class PartnerAccountForm(AccountForm):
    def __init__(self, *args, schools=(), **kwargs):
        super().__init__(*args, schools=schools, roles={Role.PARTNER}, **kwargs)


class AccountDetailsForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "email"]


class MembershipForm(forms.Form):
    school = forms.TypedChoiceField(label=_("School"), coerce=int, widget=FastSelect)
    role = forms.ChoiceField(label=_("Role"), widget=FastSelect)

    def __init__(self, *args, schools=(), roles=STAFF_ROLES | {Role.PARTNER}, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].choices = [(s.pk, s.name) for s in schools]
        self.fields["role"].choices = role_choices(roles)


class ResetTwoStepForm(forms.Form):
    reason = forms.CharField(
        label=_("Why"),
        min_length=5,
        max_length=300,
        help_text=_(
            "For example: 'lost her phone, called me on 3 March'. This goes into the audit log."
        ),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class HandoverForm(forms.Form):
    successor = forms.ModelChoiceField(
        label=_("Hand over to"), queryset=User.objects.none(), widget=FastSelect
    )

    def __init__(self, *args, successors=None, **kwargs):
        super().__init__(*args, **kwargs)
        if successors is not None:
            self.fields["successor"].queryset = successors


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "kind"]
        widgets = {"kind": FastSelect}


class GuardianForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100, required=False)
    last_name_prefix = forms.CharField(label=_("Prefix"), max_length=20, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    phone = forms.CharField(
        label=_("Phone"),
        max_length=30,
        required=False,
        help_text=_("A Dutch number (06 1234 5678) or one with its country code (+32 ...)."),
    )
    email = forms.EmailField(label=_("Email"), required=False)
    street = forms.CharField(label=_("Street and number"), max_length=200, required=False)
    postcode = forms.CharField(label=_("Postcode"), max_length=7, required=False)
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    home_languages = forms.MultipleChoiceField(
        label=_("Home languages"),
        required=False,
        choices=[],
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    needs_interpreter = forms.BooleanField(label=_("Needs an interpreter"), required=False)
    written_language = forms.ChoiceField(
        label=_("Language for written messages"), required=False, widget=FastSelect
    )
    preferred_channels = forms.MultipleChoiceField(
        label=_("Preferred channels"),
        required=False,
        choices=[(c, label) for c, label in Channel.choices if c in PREFERRED_CHANNELS],
        widget=forms.CheckboxSelectMultiple,
    )
    reachable_times = forms.CharField(label=_("Reachable times"), max_length=200, required=False)

    FIELDS = (
        "first_name",
        "last_name_prefix",
        "last_name",
        "phone",
        "email",
        "street",
        "postcode",
        "city",
        "needs_interpreter",
        "preferred_channels",
        "reachable_times",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        languages = sorted(((code, str(v[0])) for code, v in LANGUAGES.items()), key=lambda c: c[1])
        self.fields["home_languages"].choices = languages
        self.fields["written_language"].choices = [("", "—"), *languages]

    def clean_phone(self) -> str:
        try:
            return phones.normalise(self.cleaned_data["phone"])
        except phones.InvalidPhone:
            raise forms.ValidationError(
                _(
                    "This is not a phone number we can use. Type a Dutch number "
                    "(06 1234 5678) or the country code first (+32 470 12 34 56)."
                )
            ) from None

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    def clean_postcode(self) -> str:
        value = self.cleaned_data["postcode"].strip().upper().replace(" ", "")
        if not value:
            return ""
        if len(value) != 6 or not value[:4].isdigit() or not value[4:].isalpha():
            raise forms.ValidationError(
                _("A Dutch postcode has four digits and two letters: 3081 AB.")
            )
        return f"{value[:4]} {value[4:]}"

    def values(self) -> dict:
        data = {k: self.cleaned_data[k] for k in self.FIELDS}
        data["written_language_id"] = self.cleaned_data["written_language"] or None
        return data

    @classmethod
    def initial_for(cls, guardian) -> dict:
        initial = {k: getattr(guardian, k) for k in cls.FIELDS}
        initial["home_languages"] = [lang.code for lang in guardian.home_languages.all()]
        initial["written_language"] = guardian.written_language_id or ""
        return initial


class PupilForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name_prefix = forms.CharField(label=_("Prefix"), max_length=20, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    date_of_birth = forms.DateField(
        label=_("Date of birth"), widget=forms.DateInput(attrs={"type": "date"})
    )
    pupil_number = forms.CharField(label=_("Pupil number"), max_length=30)

    FIELDS = ("first_name", "last_name_prefix", "last_name", "date_of_birth", "pupil_number")

    def values(self) -> dict:
        return {k: self.cleaned_data[k] for k in self.FIELDS}


class NewPupilForm(PupilForm):
    group = forms.ModelChoiceField(
        label=_("Group"), queryset=Group.objects.none(), widget=FastSelect
    )
    sibling_number = forms.CharField(
        label=_("Pupil number of a brother or sister"),
        max_length=30,
        required=False,
        help_text=_("Then the pupil joins that family. Empty: a new family."),
    )

    def __init__(self, *args, groups=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups


class MoveForm(forms.Form):
    group = forms.ModelChoiceField(
        label=_("New group"), queryset=Group.objects.none(), widget=FastSelect
    )

    def __init__(self, *args, groups=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups


class LeftForm(forms.Form):
    left_on = forms.DateField(
        label=_("Left school on"), widget=forms.DateInput(attrs={"type": "date"})
    )


class GuardianshipForm(forms.Form):
    relation = forms.ChoiceField(
        label=_("Relation"), choices=Guardianship.Relation.choices, widget=FastSelect
    )
    parental_authority = forms.BooleanField(label=_("Parental authority"), required=False)
    lives_with = forms.BooleanField(label=_("The pupil lives with this guardian"), required=False)
    receives_post = forms.BooleanField(label=_("Receives post"), required=False)

    def values(self) -> dict:
        return {
            k: self.cleaned_data[k]
            for k in ("relation", "parental_authority", "lives_with", "receives_post")
        }


class LinkGuardianForm(GuardianshipForm):
    guardian = forms.ChoiceField(label=_("Guardian"), widget=FastSelect)

    def __init__(self, *args, guardians=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["guardian"].choices = [("", _("Choose a guardian"))] + [
            (str(g.pk), g.full_name) for g in guardians
        ]
        self.order_fields(["guardian"])


class MergeForm(forms.Form):
    keep = forms.CharField(label=_("Pupil number in the family to keep"), max_length=30)
    drop = forms.CharField(
        label=_("Pupil number in the family to merge into it"),
        max_length=30,
        help_text=_(
            "That family's pupils, contacts, signals and next steps move to the first family."
        ),
    )
    confirm = forms.BooleanField(label=_("Yes, merge these two families"), required=False)


class SettingsForm(forms.Form):
    signal_review_years = forms.IntegerField(
        label=_("Review a signal after (years)"), min_value=1, max_value=10, required=False
    )
    signal_delete_years = forms.IntegerField(
        label=_("Delete signals this many years after the pupil left"),
        min_value=1,
        max_value=20,
        required=False,
    )
    restriction_review_weeks = forms.IntegerField(
        label=_("Review a record hidden from parents after (weeks)"),
        min_value=1,
        max_value=104,
        required=False,
        help_text=_("A new restriction's review date, on the care coordinator's list."),
    )
    parents_see_staff_names = forms.TypedChoiceField(
        label=_("Parents see staff names in 'who looked'"),
        choices=[("", _("Default")), ("yes", _("Yes")), ("no", _("No, only the role"))],
        coerce=lambda v: {"yes": True, "no": False}.get(v),
        empty_value=None,
        required=False,
        widget=FastSelect,
        help_text=_(
            "In the portal's 'who looked' and 'what the school recorded'. "
            "Otherwise parents see the role and organisation, not the name."
        ),
    )
    small_cell = forms.IntegerField(
        label=_("Hide figures smaller than"),
        min_value=MIN_SMALL_CELL,
        max_value=100,
        required=False,
        help_text=_("Never below 10: smaller numbers can point to a family."),
    )
    parent_languages = forms.MultipleChoiceField(
        label=_("Languages offered to parents"),
        required=False,
        choices=[],
        widget=forms.CheckboxSelectMultiple,
    )
    reachable_times = forms.CharField(
        label=_("When parents can reach the school"), max_length=300, required=False
    )
    contact_phone = forms.CharField(
        label=_("School phone for parents"), max_length=30, required=False
    )
    contact_email = forms.EmailField(label=_("School email for parents"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent_languages"].choices = [
            (code, str(LANGUAGES[code][0])) for code in FAMILY_LANGUAGES
        ]

    def clean_parent_languages(self):
        chosen = self.cleaned_data["parent_languages"]
        if chosen and "nl" not in chosen:
            raise forms.ValidationError(_("Dutch is always offered."))
        return [c for c in FAMILY_LANGUAGES if c in chosen] or None

    def clean_contact_phone(self) -> str:
        try:
            return phones.normalise(self.cleaned_data["contact_phone"])
        except phones.InvalidPhone:
            raise forms.ValidationError(
                _("This is not a phone number we can use. Type it as 010 123 4567.")
            ) from None

    def values(self) -> dict:
        return dict(self.cleaned_data)

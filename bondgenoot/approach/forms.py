from typing import cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bondgenoot.lib.widgets import FastRadioSelect, FastSelect
from bondgenoot.people.forms import contact_person_choices, offer
from bondgenoot.people.models import Family, Situation, User

NEEDS_CONTACT_PERSON = _(
    "A sensitive case needs one fixed contact person. Choose who the family can always turn to."
)


class SituationForm(forms.Form):
    situation = forms.ChoiceField(
        label=_("Situation"), choices=Situation.choices, widget=FastRadioSelect
    )
    reason = forms.CharField(
        label=_("Why?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Facts only: what did you see or try?"),
    )
    decided_on = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    contact_person = forms.ModelChoiceField(
        label=_("Fixed contact person"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("The mentor"),
        widget=FastSelect,
        help_text=_("Required for a sensitive case."),
    )
    from_suggestion = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, family: Family, staff: list | None = None, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "situation": family.situation,
                "decided_on": timezone.localdate(),
                "contact_person": family.contact_person_id,
            },
        )
        # Its own ids: the contact-person form on the family page has the same field.
        kwargs.setdefault("auto_id", "id_situation_%s")
        super().__init__(*args, **kwargs)
        self.family = family
        field = cast(forms.ModelChoiceField, self.fields["contact_person"])
        if self.is_bound or staff is None:
            # What a posted choice is checked against; a form only shown needs the
            # choices alone (``staff``, fetched once for the page), as ContactPersonForm.
            field.queryset = contact_person_choices(family)
        if staff is not None:
            offer(field, staff)

    def clean_decided_on(self):
        day = self.cleaned_data["decided_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("This date is in the future. Choose today or earlier."))
        return day

    def clean(self):
        data = super().clean()
        if data.get("situation") == Situation.SENSITIVE and not data.get("contact_person"):
            self.add_error("contact_person", NEEDS_CONTACT_PERSON)
        return data

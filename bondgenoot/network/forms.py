from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bondgenoot.lib.widgets import FastSelect
from bondgenoot.people.forms import SchoolChoiceMixin
from bondgenoot.people.models import Guardian, Organisation, School

from .models import SHAREABLE_FIELDS, Category, ConsentFrom, Feedback, LegalBasis


class SignalForm(forms.Form):
    category = forms.ChoiceField(
        label=_("About what?"), choices=Category.choices, widget=FastSelect
    )
    observed_on = forms.DateField(
        label=_("When?"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    observed_where = forms.CharField(label=_("Where?"), max_length=200, required=False)
    observed_by = forms.CharField(
        label=_("Who observed it?"),
        max_length=200,
        required=False,
        help_text=_("Leave empty if you saw it yourself."),
    )
    observation = forms.CharField(
        label=_("What happened? Only facts"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "What did you see or hear? For example: “He pushed a classmate against the wall.”"
        ),
    )
    pupil_words = forms.CharField(
        label=_("What did the pupil say? (exactly, optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    interpretation = forms.CharField(
        label=_("Your interpretation (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept apart from the facts. Only care coordinators read it."),
    )
    parents_informed = forms.TypedChoiceField(
        label=_("Were the parents informed?"),
        coerce=lambda v: v == "1",
        choices=[("1", _("Yes")), ("0", _("No"))],
        widget=forms.RadioSelect,
    )
    parents_not_informed_reason = forms.CharField(
        label=_("If not: why not?"), max_length=300, required=False
    )
    labels_checked = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def clean_observed_on(self):
        day = self.cleaned_data["observed_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("This date is in the future. Choose today or earlier."))
        return day

    def clean(self):
        data = super().clean()
        if data.get("parents_informed") is False and not data.get("parents_not_informed_reason"):
            self.add_error(
                "parents_not_informed_reason",
                _("Say why the parents were not informed (for example: safety)."),
            )
        return data

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("labels_checked", None)
        return data


class ShareForm(forms.Form):
    version = forms.ChoiceField(label=_("Share with"), widget=forms.RadioSelect)
    consent_guardian = forms.ModelChoiceField(
        label=_("Consent given by"),
        queryset=Guardian.objects.none(),
        required=False,
        widget=FastSelect,
    )
    consent_by_pupil = forms.BooleanField(
        label=_("The pupil (16 or older) gave consent"), required=False
    )
    consent_on = forms.DateField(
        label=_("Consent given on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    parents_informed = forms.BooleanField(
        label=_("The parents know that this is shared"), required=False
    )

    def clean_consent_on(self):
        day = self.cleaned_data.get("consent_on")
        if day and day > timezone.localdate():
            raise forms.ValidationError(_("This date is in the future. Choose today or earlier."))
        return day

    def __init__(self, *args, versions, guardians, **kwargs):
        super().__init__(*args, **kwargs)
        self.versions = {str(v.pk): v for v in versions}
        self.fields["version"].choices = [
            (pk, f"{v.agreement.partner.name} ({v.get_legal_basis_display()})")
            for pk, v in self.versions.items()
        ]
        self.fields["consent_guardian"].queryset = guardians


class RestrictForm(forms.Form):
    reason = forms.CharField(
        label=_("Why may the parents not know?"), max_length=300, min_length=10
    )


class FeedbackForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=Feedback.Status.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(label=_("Short note"), max_length=500, required=False)


class AgreementForm(SchoolChoiceMixin, forms.Form):
    category = forms.ChoiceField(
        label=_("Category of signals"), choices=Category.choices, widget=FastSelect
    )
    partner = forms.ModelChoiceField(
        label=_("Partner"), queryset=Organisation.objects.order_by("name"), widget=FastSelect
    )
    legal_basis = forms.ChoiceField(
        label=_("Legal basis"), choices=LegalBasis.choices, widget=FastSelect
    )
    consent_from = forms.ChoiceField(
        label=_("Consent needed from"), choices=ConsentFrom.choices, widget=FastSelect
    )
    # A field named "fields": the form's metaclass moves it into base_fields, so it never
    # replaces Form.fields; mypy sees only the class attribute.
    fields = forms.MultipleChoiceField(  # type: ignore[assignment]
        label=_("Fields that may be shared"),
        choices=list(SHAREABLE_FIELDS.items()),
        widget=forms.CheckboxSelectMultiple,
    )
    feedback_days = forms.IntegerField(
        label=_("Feedback within (working days)"), min_value=1, max_value=60
    )
    convenant = forms.CharField(label=_("Covenant reference"), max_length=200)
    active = forms.BooleanField(label=_("In force"), required=False, initial=True)

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_school_choice(schools)

    def clean(self):
        data = super().clean()
        if (
            data.get("legal_basis") == LegalBasis.CONSENT
            and data.get("consent_from") == ConsentFrom.NONE
        ):
            self.add_error(
                "consent_from", _("With consent as the legal basis, say whose consent is needed.")
            )
        return data


class BreakGlassForm(forms.Form):
    school = forms.ModelChoiceField(
        label=_("School"), queryset=School.objects.order_by("name"), widget=FastSelect
    )
    pupil_number = forms.CharField(label=_("Pupil number"), max_length=30)
    reason = forms.CharField(
        label=_("Why do you need this now?"),
        min_length=30,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("At least 30 characters. This is logged and checked."),
    )

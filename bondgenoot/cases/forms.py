from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from bondgenoot.lib.texts import load
from bondgenoot.people.channels import INVITATION_CHANNELS, channel_choices
from bondgenoot.people.forms import SchoolChoiceMixin
from bondgenoot.people.models import Membership, Organisation, Role, User

from . import meldcode
from .models import CaseAction, ConsentHow, ConsentScope, MeldcodeRoute, SkipReason
from .texts import FILE as PARENT_TEXTS

KINDS_FILE = __import__("pathlib").Path(__file__).with_name("kinds.toml")


def kind_choices() -> list[tuple[str, str]]:
    language = "nl" if (get_language() or "nl").startswith("nl") else "en"
    return [(key, names[language]) for key, names in load(KINDS_FILE).items()]


def kind_label(key: str) -> str:
    return dict(kind_choices()).get(key, key)


class DiscussionForm(SchoolChoiceMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=())
    starts_at = forms.DateTimeField(
        label=_("Date and time"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    video_link = forms.URLField(label=_("Video link"), required=False)
    participants = forms.ModelMultipleChoiceField(
        label=_("Participants"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Colleagues and partners. Parents are invited per pupil."),
    )

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kind_choices()
        self.add_school_choice(schools)
        members = Membership.objects.filter(
            school_id__in=schools,
            role__in=[Role.MENTOR, Role.TEACHER, Role.CARE_COORDINATOR, Role.PARTNER],
            user__is_active=True,
        ).values("user_id")
        self.fields["participants"].queryset = User.objects.filter(pk__in=members).order_by(
            "first_name", "last_name", "username"
        )
        self.fields["participants"].label_from_instance = lambda u: (
            f"{u.get_full_name() or u.username}"
            + (f" ({u.organisation})" if u.organisation_id else "")
        )

    def clean(self):
        data = super().clean()
        if not data.get("place") and not data.get("video_link"):
            raise forms.ValidationError(_("Give a place or a video link."))
        return data


class NotesForm(forms.Form):
    notes = forms.CharField(
        label=_("Agenda notes"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Every participant reads this, partners too: no names of pupils or parents."),
    )


class ItemForm(forms.Form):
    pupil_number = forms.CharField(
        label=_("Pupil number"),
        max_length=30,
        help_text=_("From the school administration system. The pupil is pseudonymised "
                    "until consent is recorded."),
    )  # fmt: skip
    notes = forms.CharField(
        label=_("Agenda note"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("No names, pupil number, date of birth, address or postcode."),
    )


class ConsentForm(forms.Form):
    given_by = forms.ChoiceField(label=_("Who gave consent"), choices=())
    given_on = forms.DateField(
        label=_("Given on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    how = forms.ChoiceField(label=_("How"), choices=ConsentHow.choices)
    scope = forms.ChoiceField(label=_("Scope"), choices=ConsentScope.choices)

    def __init__(self, *args, guardians, pupil_may: bool, **kwargs):
        kwargs.setdefault("initial", {"given_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        choices = [(str(g.pk), g.full_name) for g in guardians]
        if pupil_may:
            choices.append(("pupil", str(_("The pupil (16 or older)"))))
        given_by = self.fields["given_by"]
        assert isinstance(given_by, forms.ChoiceField)
        given_by.choices = choices

    def clean_given_on(self):
        value = self.cleaned_data["given_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("Consent cannot be given in the future."))
        return value


class InviteForm(forms.Form):
    how = forms.ChoiceField(
        label=_("How do you invite them?"), choices=channel_choices(INVITATION_CHANNELS)
    )

    def __init__(self, *args, pupil: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if pupil:
            self.fields["how"].label = _("How does the pupil get the invitation?")


class MinutesForm(forms.Form):
    notes = forms.CharField(
        label=_("Agenda note"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    facts = forms.CharField(
        label=_("Facts discussed"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What was seen and heard, not what you think of it."),
    )
    parents_view = forms.CharField(
        label=_("The parents' own view"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("In their words, as they said it."),
    )
    next_review_on = forms.DateField(
        label=_("Next review"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class ActionForm(forms.Form):
    who = forms.ChoiceField(label=_("Who"), choices=CaseAction.Who.choices)
    partner = forms.ModelChoiceField(
        label=_("Partner"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("Only for a partner's action."),
    )
    what = forms.CharField(label=_("What"), max_length=300)
    due_on = forms.DateField(
        label=_("By when"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    feedback_days = forms.IntegerField(
        label=_("Feedback within (working days)"),
        min_value=1,
        max_value=60,
        required=False,
        help_text=_("For a partner's action; 10 when left empty."),
    )

    def __init__(self, *args, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners

    def clean(self):
        data = super().clean()
        if data.get("who") == CaseAction.Who.PARTNER and not data.get("partner"):
            self.add_error("partner", _("Choose the partner."))
        return data


class SummaryForm(forms.Form):
    summary = forms.CharField(
        label=_("Summary for the parents"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Plain words: what we saw, what we agreed, who does what, when we talk again."),
    )


class TranslationForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=())
    text = forms.CharField(
        label=_("Translation"), max_length=3000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from bondgenoot.people.languages import language_name

        self.fields["language"].choices = [
            (code, language_name(code)) for code in load(PARENT_TEXTS) if code != "nl"
        ]


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(choices=[("yes", "yes"), ("no", "no")], widget=forms.RadioSelect)
    wants_interpreter = forms.BooleanField(required=False)
    question = forms.CharField(
        max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class StepForm(forms.Form):
    done_on = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    note = forms.CharField(
        label=_("What was done"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    consulted_veilig_thuis = forms.BooleanField(
        label=_("Veilig Thuis was consulted (anonymously)"), required=False
    )
    skip_reason = forms.ChoiceField(
        label=_("Skip this talk because"),
        choices=[("", _("Not skipped"))] + list(SkipReason.choices),
        required=False,
    )
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("", "—")] + list(MeldcodeRoute.Decision.choices),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"done_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class QuestionForm(forms.Form):
    question = forms.TypedChoiceField(choices=[(q, q) for q in meldcode.QUESTIONS], coerce=int)
    answer = forms.TypedChoiceField(
        label=_("Answer"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Why"), max_length=1000, required=False)

from typing import cast

from django import forms
from django.db.models import OuterRef, StringAgg, Subquery, Value
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bondgenoot.lib.widgets import FastRadioSelect, FastSelect
from bondgenoot.people.channels import Channel
from bondgenoot.people.forms import SchoolChoiceMixin
from bondgenoot.people.languages import LANGUAGE_CHOICES
from bondgenoot.people.models import Family, Group, Language, Pupil

from .models import Invitation, Meeting

STAYS_DUTCH = _(
    "What you type here stays Dutch in every language: parents who read another "
    "language see it in Dutch."
)


class MeetingForm(SchoolChoiceMixin, forms.ModelForm):
    languages = forms.MultipleChoiceField(
        label=_("Interpreters or colleagues for"),
        choices=[c for c in LANGUAGE_CHOICES if c[0] != "nl"],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    year_levels = forms.TypedMultipleChoiceField(
        label=_("Years"),
        coerce=int,
        choices=[(n, str(n)) for n in range(1, 7)],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Meeting
        fields = [
            "kind",
            "title",
            "theme",
            "theme_other",
            "description",
            "starts_at",
            "ends_at",
            "place",
            "capacity",
            "whole_school",
            "groups",
        ]
        widgets = {
            "kind": FastSelect,
            "theme": FastSelect,
            "starts_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "ends_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "groups": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        # Parents read the invitation in their own language, but what staff type in it
        # stays as typed: the writer is told before sending.
        help_texts = {"title": STAYS_DUTCH, "place": STAYS_DUTCH, "description": STAYS_DUTCH}

    def __init__(self, *args, schools, whole_schools, groups, **kwargs):
        """``schools``: where the user may organise; ``whole_schools``: where for the
        whole school (else only for ``groups``, their own)."""
        super().__init__(*args, **kwargs)
        self.whole_schools = list(whole_schools)
        whole_school_allowed = bool(self.whole_schools)
        self.add_school_choice(schools, initial=(self.whole_schools or [None])[0])
        self.fields["groups"].queryset = groups.filter(school_id__in=schools)
        if "school" in self.fields:
            self.fields["groups"].queryset = self.fields["groups"].queryset.select_related("school")
            self.fields["groups"].label_from_instance = lambda g: f"{g.name} ({g.school.name})"
        self.fields["theme"].choices = [("", _("No theme"))] + Meeting.Theme.choices
        if not whole_school_allowed:
            # A mentor organises for their own groups.
            del self.fields["whole_school"]
            del self.fields["year_levels"]

    def clean(self):
        data = super().clean()
        if "school" not in self.fields or data.get("school"):
            school_id = self.chosen_school_id()
            self.instance.school_id = school_id
            if data.get("groups") and any(g.school_id != school_id for g in data["groups"]):
                self.add_error("groups", _("Choose groups of the school you chose."))
            if (data.get("whole_school") or data.get("year_levels")) and (
                school_id not in self.whole_schools
            ):
                self.add_error("school", _("At this school you organise only for your own groups."))
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and starts < timezone.now():
            self.add_error("starts_at", _("This moment has passed. Choose a later one."))
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The end must be after the start."))
        if data.get("kind") == Meeting.Kind.THEME and not data.get("theme"):
            self.add_error("theme", _("Choose the theme of this theme meeting."))
        if data.get("theme") == Meeting.Theme.OTHER and not data.get("theme_other"):
            self.add_error("theme_other", _("Name the theme."))
        if not (data.get("whole_school") or data.get("year_levels") or data.get("groups")):
            self.add_error(None, _("Choose who it is for: the whole school, years or groups."))
        return data

    def language_codes(self):
        codes = self.cleaned_data.get("languages", [])
        Language.ensure(codes)
        return codes


class MeetingChangeForm(forms.Form):
    """What can change after invitations went out: the audience stays (it decided who
    was invited); a change of time or place is told to every invitee."""

    title = forms.CharField(label=_("Title"), max_length=200, help_text=STAYS_DUTCH)
    description = forms.CharField(
        label=_("Description"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    starts_at = forms.DateTimeField(
        label=_("Starts at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    ends_at = forms.DateTimeField(
        label=_("Ends at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    place = forms.CharField(label=_("Place"), max_length=200, help_text=STAYS_DUTCH)
    capacity = forms.IntegerField(label=_("Places"), min_value=1, required=False)

    FIELDS = ("title", "description", "starts_at", "ends_at", "place", "capacity")

    @classmethod
    def initial_for(cls, meeting: Meeting) -> dict:
        return {
            name: timezone.localtime(getattr(meeting, name))
            if name.endswith("_at")
            else getattr(meeting, name)
            for name in cls.FIELDS
        }

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and starts < timezone.now() and "starts_at" in self.changed_data:
            self.add_error("starts_at", _("This moment has passed. Choose a later one."))
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The end must be after the start."))
        return data


def _family_label(family) -> str:
    return f"{family.name} ({family.children})" if family.children else family.name


class MeetingAudienceForm(forms.Form):
    """Who the meeting is for, changed after it was made. Its own prefix: it sits on the
    change page beside the time-and-place form.

    ``groups``: those the user may organise for plus the meeting's own; ``families``:
    the hand-picked families and those the user mentors, only the ones the user works
    with (names are for them; other picked families are kept as they are)."""

    whole_school = forms.BooleanField(label=_("The whole school"), required=False)
    year_levels = forms.TypedMultipleChoiceField(
        label=_("Years"),
        coerce=int,
        choices=[(n, str(n)) for n in range(1, 7)],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    groups = forms.ModelMultipleChoiceField(
        label=_("Groups"),
        queryset=Group.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    families = forms.ModelMultipleChoiceField(
        label=_("Hand-picked families"),
        queryset=Family.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, meeting: Meeting, whole_school: bool, groups, families, **kwargs):
        kwargs.setdefault("prefix", "audience")
        kwargs.setdefault(
            "initial",
            {
                "whole_school": meeting.whole_school,
                "year_levels": meeting.year_levels,
                "groups": list(meeting.groups.all()),
                "families": list(meeting.families.all()),
            },
        )
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        group_field = cast(forms.ModelMultipleChoiceField, self.fields["groups"])
        group_field.queryset = groups.order_by("name")
        children = (
            Pupil.objects.filter(family=OuterRef("pk"), left_on__isnull=True)
            .order_by()
            .values("family")
            .annotate(names=StringAgg("first_name", delimiter=Value(", ")))
            .values("names")[:1]
        )
        family_field = cast(forms.ModelMultipleChoiceField, self.fields["families"])
        family_field.queryset = families.annotate(children=Subquery(children)).order_by("name")
        # Families with the same surname are told apart by their children's first names.
        family_field.label_from_instance = _family_label  # type: ignore[assignment]
        if not whole_school:
            del self.fields["whole_school"]
            del self.fields["year_levels"]
        if not family_field.queryset.exists():
            del self.fields["families"]

    def audience(self) -> dict:
        """The new audience; what the user may not change (the whole school for a mentor,
        families they do not work with) stays as it was."""
        data = self.cleaned_data
        meeting = self.meeting
        field = cast(forms.ModelMultipleChoiceField | None, self.fields.get("families"))
        shown = set(field.queryset) if field is not None and field.queryset is not None else set()
        kept = [f for f in meeting.families.all() if f not in shown]
        return {
            "whole_school": data.get("whole_school", meeting.whole_school),
            "year_levels": data.get("year_levels", meeting.year_levels),
            "groups": list(data.get("groups", [])),
            "families": [*data.get("families", []), *kept],
        }

    def clean(self):
        data = super().clean()
        if not self.errors:
            audience = self.audience()
            if not any(audience.values()):
                self.add_error(
                    None, _("Choose who it is for: the whole school, years, groups or families.")
                )
        return data


class PersonalInvitationForm(forms.Form):
    CHANNELS = [
        (Channel.PHONE, _("By phone")),
        (Channel.TALK, _("At school")),
        (Channel.HOME_VISIT, _("During a home visit")),
        (Channel.INFORMAL, _("At the school gate or another informal moment")),
    ]
    meeting = forms.ModelChoiceField(
        label=_("Meeting"), queryset=Meeting.objects.none(), widget=FastSelect
    )
    channel = forms.ChoiceField(
        label=_("How did you invite them?"), choices=CHANNELS, widget=FastRadioSelect
    )

    def __init__(self, *args, meetings, **kwargs):
        # Its own ids: it sits on the family page next to the contact form.
        kwargs.setdefault("auto_id", "id_invite_%s")
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(choices=Invitation.Answer.choices, widget=forms.RadioSelect)
    people = forms.IntegerField(min_value=1, max_value=10, initial=1)
    wants_interpreter = forms.BooleanField(required=False)
    question = forms.CharField(
        required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )

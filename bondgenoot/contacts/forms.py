from __future__ import annotations

import uuid
from datetime import timedelta
from functools import cached_property
from typing import TYPE_CHECKING, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bondgenoot import access
from bondgenoot.lib.widgets import FastCheckboxSelectMultiple, FastRadioSelect, FastSelect
from bondgenoot.people.channels import (
    CONTACT_CHANNELS,
    PERSONAL_CHANNELS,
    RECORDED_CHANNELS,
    Channel,
    channel_choices,
)
from bondgenoot.people.languages import LANGUAGES
from bondgenoot.people.models import Family, Role, Situation, User

from .models import Contact, Purpose, Tone

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from bondgenoot.people.models import Pupil

    from .actions import NextStepValues

OWNER_CANNOT_SEE = _(
    "This person cannot see this family, so cannot pick up this step. Choose the mentor, "
    "the care coordinator or yourself."
)

# A little slack for clocks that differ between a phone and the server.
FUTURE_TOLERANCE = timedelta(minutes=5)


class DialogueChoice:
    AUTO = ""
    YES = "1"
    NO = "0"


class ContactBasicsForm(forms.Form):
    """What every recorded contact says: why, the tone, whether the family was reached,
    when, and a short factual note (staff and key figures alike)."""

    purpose = forms.ChoiceField(label=_("Why?"), choices=Purpose.choices, widget=FastRadioSelect)
    tone = forms.ChoiceField(label=_("Tone"), choices=Tone.choices, widget=FastRadioSelect)
    reached = forms.TypedChoiceField(
        label=_("Did you reach the family?"),
        coerce=lambda v: v == "1",
        initial="1",
        required=False,
        empty_value=True,  # type: ignore[arg-type]  # any value is allowed; the stubs say str
        choices=[("1", _("Yes, reached")), ("0", _("No, not reached"))],
        widget=FastRadioSelect,
    )
    at = forms.DateTimeField(
        label=_("When?"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Leave empty for: just now."),
    )
    note = forms.CharField(
        label=_("Short note"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only facts: what was said and agreed. No opinions or diagnoses."),
    )

    def clean_at(self):
        at = self.cleaned_data.get("at")
        if at and at > timezone.now() + FUTURE_TOLERANCE:
            raise forms.ValidationError(
                _("This date is in the future. Fill in when the contact took place.")
            )
        return at


class ContactForm(ContactBasicsForm):
    field_order = [
        "channel", "purpose", "tone", "reached", "at", "dialogue", "guardians", "pupils",
        "key_figure", "language", "interpreter", "note", "next_what", "next_owner", "next_due",
    ]  # fmt: skip
    channel = forms.ChoiceField(
        label=_("How?"), choices=channel_choices(RECORDED_CHANNELS), widget=FastRadioSelect
    )
    dialogue = forms.ChoiceField(
        label=_("Conversation or one-way?"),
        required=False,
        choices=[
            (DialogueChoice.AUTO, _("Automatic: a conversation for personal contact")),
            (DialogueChoice.YES, _("A conversation in both directions")),
            (DialogueChoice.NO, _("One-way: only a message from school")),
        ],
        widget=FastSelect,
    )
    guardians = forms.MultipleChoiceField(
        label=_("With whom?"), required=False, widget=FastCheckboxSelectMultiple
    )
    pupils = forms.MultipleChoiceField(
        label=_("About which pupils?"), required=False, widget=FastCheckboxSelectMultiple
    )
    key_figure = forms.ModelChoiceField(
        label=_("Key figure involved"),
        required=False,
        queryset=User.objects.none(),
        empty_label=_("Nobody"),
        widget=FastSelect,
    )
    language = forms.ChoiceField(label=_("Language used"), required=False, widget=FastSelect)
    interpreter = forms.BooleanField(label=_("With an interpreter"), required=False)
    next_what = forms.CharField(label=_("Next step: what?"), required=False, max_length=200)
    next_owner = forms.ModelChoiceField(
        label=_("Next step: who?"),
        required=False,
        queryset=User.objects.none(),
        empty_label=_("Me"),
        widget=FastSelect,
    )
    next_due = forms.DateField(
        label=_("Next step: when?"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    # One random key per form shown: posting the same form twice (a retry after a
    # timeout, a double click) records one contact (contacts.actions.log_contact).
    idempotency_key = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(
        self,
        *args,
        family: Family,
        user: User,
        pupils: list[Pupil] | QuerySet[Pupil] | None = None,
        guardians: list | None = None,
        sees_situation: bool | None = None,
        **kwargs,
    ):
        """``pupils``, ``guardians`` and ``sees_situation`` may come from a page that has
        them already (the family page, for those who work with the family: they may
        record about every pupil, with every guardian).

        Its ids carry the family (``id_contact_<family>_channel_0``): "Mijn gezinnen" can
        have several inline contact forms open, and the family page has other forms with
        a channel field."""
        kwargs.setdefault("auto_id", f"id_contact_{family.pk}_%s")
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4())
        self.family = family
        self.user = user
        if sees_situation is not None:
            self.sees_situation = sees_situation
        if pupils is None:
            pupils = access.loggable_pupils(user, family).order_by("date_of_birth")
        cast(forms.ChoiceField, self.fields["pupils"]).choices = [
            (str(p.pk), p.full_name) for p in pupils
        ]
        guardian_field = cast(forms.ChoiceField, self.fields["guardians"])
        if guardians is None:
            guardian_field.choices = family_guardian_choices(family, pupils)
        else:
            ordered = sorted(guardians, key=lambda g: (g.last_name, g.first_name))
            guardian_field.choices = [(str(g.pk), g.full_name) for g in ordered]
        cast(forms.ModelChoiceField, self.fields["key_figure"]).queryset = (
            User.objects.filter(
                memberships__school_id=family.school_id,
                memberships__role=Role.KEY_FIGURE,
                is_active=True,
            )
            .distinct()
            .order_by("first_name")
        )
        cast(forms.ChoiceField, self.fields["language"]).choices = [
            ("", _("Dutch (no interpreter)"))
        ] + [(code, name) for code, (name, _e, _r) in LANGUAGES.items() if code != "nl"]
        # Any active staff member is offered, the check below says clearly why someone who
        # may not see this family cannot own its next step.
        cast(forms.ModelChoiceField, self.fields["next_owner"]).queryset = User.objects.filter(
            is_active=True
        )
        self.fields["next_owner"].widget.choices = [("", _("Me"))] + [
            (u.pk, u.get_full_name() or u.username)
            for u in access.next_step_owner_choices(family)
            if u.pk != user.pk
        ]

    @property
    def contact_person_warning(self) -> User | None:
        """A sensitive case's fixed contact person, when someone else is about to record
        a contact: all contact should go through one person."""
        if self.family.situation != Situation.SENSITIVE or not self.family.contact_person_id:
            return None
        if self.family.contact_person_id == self.user.pk:
            return None
        return self.family.contact_person

    @cached_property
    def sees_situation(self) -> bool:
        """A teacher is asked to coordinate, without learning why (the situation is for
        the family's mentors and care coordinators)."""
        return access.can_view_contacts(self.user, self.family)

    def clean_next_owner(self):
        owner = self.cleaned_data.get("next_owner")
        # The message never names the person: a posted id must not reveal who it is.
        if owner is not None and not access.can_view_contacts(owner, self.family):
            raise forms.ValidationError(OWNER_CANNOT_SEE)
        return owner

    def clean(self):
        data = super().clean()
        wants_step = data.get("next_what") or data.get("next_due") or data.get("next_owner")
        if wants_step:
            if not data.get("next_what"):
                self.add_error("next_what", _("Say what needs to happen next."))
            if not data.get("next_due"):
                self.add_error("next_due", _("Choose a date for the next step."))
            elif data["next_due"] < timezone.localdate():
                self.add_error("next_due", _("This date has passed. Choose today or later."))
            if (
                data.get("next_owner") is None
                and "next_owner" not in self.errors
                and not (access.can_view_contacts(self.user, self.family))
            ):
                # "Me" is not an option for someone who cannot follow the family up.
                self.add_error("next_owner", OWNER_CANNOT_SEE)
        return data

    def contact_values(self) -> dict:
        """The cleaned fields, shaped as the Contact model wants them."""
        data = self.cleaned_data
        dialogue = data.get("dialogue")
        if dialogue == DialogueChoice.AUTO:
            dialogue_value = data["channel"] in PERSONAL_CHANNELS or data["channel"] in (
                Channel.MEETING,
            )
            dialogue_value = dialogue_value and data["reached"]
        else:
            dialogue_value = dialogue == DialogueChoice.YES
        return {
            "channel": data["channel"],
            "purpose": data["purpose"],
            "tone": data["tone"],
            "reached": data["reached"],
            "dialogue": dialogue_value,
            "at": data.get("at") or timezone.now(),
            "key_figure": data.get("key_figure"),
            "language_id": data.get("language") or None,
            "interpreter": data.get("interpreter", False),
            "note": data.get("note", ""),
            "guardian_ids": data.get("guardians", []),
            "pupil_ids": data.get("pupils", []),
        }

    def next_step_values(self) -> NextStepValues | None:
        data = self.cleaned_data
        if not data.get("next_what"):
            return None
        return {
            "what": data["next_what"],
            "owner": data.get("next_owner") or self.user,
            "due": data["next_due"],
        }

    @classmethod
    def initial_for(cls, contact: Contact) -> dict:
        return {
            "channel": contact.channel,
            "purpose": contact.purpose,
            "tone": contact.tone,
            "reached": "1" if contact.reached else "0",
            "at": timezone.localtime(contact.at),
            "dialogue": DialogueChoice.YES if contact.dialogue else DialogueChoice.NO,
            "guardians": [str(g.pk) for g in contact.guardians.all()],
            "pupils": [str(p.pk) for p in contact.pupils.all()],
            "key_figure": contact.key_figure_id,
            "language": contact.language_id or "",
            "interpreter": contact.interpreter,
            "note": contact.note,
        }


def family_guardian_choices(family: Family, pupils) -> list[tuple[str, str]]:
    """The guardians of the pupils this user may record about (a teacher: only the
    guardians of the pupils they teach)."""
    from bondgenoot.people.models import Guardian

    guardians = Guardian.objects.filter(guardianships__pupil__in=pupils).distinct()
    return [(str(g.pk), g.full_name) for g in guardians.order_by("last_name", "first_name")]


class MoveStepForm(forms.Form):
    step_pk: object = None  # the step whose row shows this form's errors (set by the view)

    due = forms.DateField(label=_("New date"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean_due(self):
        due = self.cleaned_data["due"]
        if due < timezone.localdate():
            raise forms.ValidationError(_("This date has passed. Choose today or later."))
        return due


class TimelineFilterForm(forms.Form):
    tone = forms.ChoiceField(
        label=_("Tone"),
        required=False,
        choices=[("", _("All tones"))] + Tone.choices,
        widget=FastSelect,
    )
    purpose = forms.ChoiceField(
        label=_("Purpose"),
        required=False,
        choices=[("", _("All purposes"))] + Purpose.choices,
        widget=FastSelect,
    )
    channel = forms.ChoiceField(
        label=_("Channel"),
        required=False,
        choices=[("", _("All channels")), *channel_choices(CONTACT_CHANNELS)],
        widget=FastSelect,
    )

    def __init__(self, *args, **kwargs):
        # Its own ids: the family page's contact form has tone, purpose and channel too.
        kwargs.setdefault("auto_id", "id_timeline_%s")
        super().__init__(*args, **kwargs)

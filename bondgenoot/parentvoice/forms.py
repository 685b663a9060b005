"""Forms of the parent's voice. Too-long texts are refused with a message that says how
long they are and what the limit is; the form shows again with everything typed."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bondgenoot.lib.addresses import normalise_phone, validate_email_address, validate_phone
from bondgenoot.lib.widgets import FastSelect
from bondgenoot.people.channels import PREFERRED_CHANNELS, channel_choices
from bondgenoot.people.languages import LANGUAGES

from .actions import new_form_key
from .models import (
    ANSWER_MAX,
    REQUEST_MAX,
    TOPIC_MAX,
    VIEW_MAX,
    ConversationRequest,
    HomeStory,
    RecordRequest,
)

TOO_LONG = _(
    "This text has %(show_value)d characters; the most is %(limit_value)d. "
    "Please make it shorter. What you typed is still here."
)


def text_field(label, limit: int, *, required: bool = True, rows: int = 5, help_text=""):
    return forms.CharField(
        label=label,
        max_length=limit,
        required=required,
        help_text=help_text,
        error_messages={"max_length": TOO_LONG},
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def language_choices(empty_label) -> list[tuple[str, str]]:
    """Languages by their own name, which is what a parent recognises."""
    return [("", empty_label)] + [
        (code, f"{endonym} ({name})") for code, (name, endonym, _rtl) in LANGUAGES.items()
    ]


class FormKeyForm(forms.Form):
    """A hidden one-time key per showing of the form (see ``actions``): a replayed post
    finds what the first post made."""

    form_key = forms.CharField(widget=forms.HiddenInput, min_length=16, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("form_key", new_form_key())


class ConversationForm(FormKeyForm):
    topic = text_field(
        _("What would you like to talk about?"),
        TOPIC_MAX,
        help_text=_("A few words are enough. You can tell more in the conversation."),
    )
    preferred_times = forms.CharField(
        label=_("When suits you?"),
        max_length=200,
        required=False,
        error_messages={"max_length": TOO_LONG},
        help_text=_("For example: weekdays after 15:00, not on Wednesday."),
    )
    channel = forms.ChoiceField(
        label=_("How would you like to talk?"),
        choices=[
            ("phone", _("By phone")),
            ("talk", _("At school")),
            ("home_visit", _("At home")),
        ],
        widget=forms.RadioSelect,
    )
    with_whom = forms.ChoiceField(
        label=_("With whom?"),
        choices=ConversationRequest.WithWhom.choices,
        initial=ConversationRequest.WithWhom.CONTACT_PERSON,
        widget=forms.RadioSelect,
    )
    interpreter = forms.ChoiceField(
        label=_("Would you like an interpreter?"),
        required=False,
        widget=FastSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["interpreter"].choices = language_choices(_("No interpreter needed"))

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "topic": data["topic"],
            "preferred_times": data["preferred_times"],
            "channel": data["channel"],
            "with_whom": data["with_whom"],
            "interpreter_id": data["interpreter"] or None,
        }


class ViewForm(FormKeyForm):
    text = text_field(
        _("Your side of the story"),
        VIEW_MAX,
        rows=7,
        help_text=_(
            "Your words are kept beside what the school wrote. The school's text does not change."
        ),
    )


class RecordRequestForm(FormKeyForm):
    kind = forms.ChoiceField(
        label=_("What do you ask?"), choices=RecordRequest.Kind.choices, widget=forms.RadioSelect
    )
    record = forms.ChoiceField(label=_("About which record?"), required=False, widget=FastSelect)
    text = text_field(
        _("Explain your request"),
        REQUEST_MAX,
        help_text=_("For a correction: what is not right, and what is right."),
    )

    def __init__(self, *args, records=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["record"].choices = [("", _("Not about one record"))] + list(records)


class HomeStoryForm(forms.ModelForm):
    class Meta:
        model = HomeStory
        fields = list(HomeStory.FIELDS)
        labels = {
            "strengths": _("What is your child good at? What makes you proud?"),
            "values": _("What matters in your family?"),
            "together": _("What do you do with your child that works well?"),
            "hopes": _("What do you hope for your child?"),
        }
        widgets = {f: forms.Textarea(attrs={"rows": 4}) for f in HomeStory.FIELDS}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.error_messages["max_length"] = TOO_LONG


class ContactDetailsForm(forms.Form):
    phone = forms.CharField(
        label=_("Phone number"), max_length=30, required=False, validators=[validate_phone]
    )
    email = forms.EmailField(
        label=_("Email address"), required=False, validators=[validate_email_address]
    )
    street = forms.CharField(label=_("Street and house number"), max_length=200, required=False)
    postcode = forms.CharField(label=_("Postcode"), max_length=7, required=False)
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    preferred_channels = forms.MultipleChoiceField(
        label=_("How would you like the school to reach you?"),
        choices=channel_choices(PREFERRED_CHANNELS),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    written_language = forms.ChoiceField(
        label=_("In which language would you like to read letters and messages?"),
        required=False,
        widget=FastSelect,
    )
    reachable_times = forms.CharField(
        label=_("When can the school reach you?"),
        max_length=200,
        required=False,
        help_text=_("For example: weekdays after 16:00, not on Friday."),
    )

    def __init__(self, *args, current: list[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.current = current or []
        written = self.fields["written_language"]
        assert isinstance(written, forms.ChoiceField)
        written.choices = language_choices(_("No preference"))
        for field in self.fields.values():
            field.error_messages["max_length"] = TOO_LONG

    def clean_phone(self) -> str:
        # Stored in E.164 (lib/addresses), so the same number typed again is no change.
        return normalise_phone(self.cleaned_data.get("phone") or "")

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        chosen = data.pop("preferred_channels")
        # Keep the order the parent had; new choices go after it.
        data["preferred_channels"] = [c for c in self.current if c in chosen] + [
            c for c in chosen if c not in self.current
        ]
        data["written_language_id"] = data.pop("written_language") or None
        return data


class AnswerForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Outcome"),
        choices=[c for c in RecordRequest.Status.choices if c[0] != RecordRequest.Status.OPEN],
        widget=forms.RadioSelect,
    )
    answer = text_field(
        _("Answer to the parent"),
        ANSWER_MAX,
        help_text=_("The parent reads this in the portal. Write plainly what you did and why."),
    )

"""Forms of the parent's voice. Too-long texts are refused with a message that says how
long they are and what the limit is; the form shows again with everything typed.

The parent's forms speak the parent's language: they take the portal's texts ``t``
(``portal_texts.toml``, table ``voice``) and set every label, help text and error from
them (``ParentTexts``). Only the care coordinator's ``AnswerForm`` uses gettext."""

from __future__ import annotations

from collections.abc import Mapping

from babel import Locale
from django import forms
from django.utils.translation import gettext_lazy as _

from bondgenoot.lib.addresses import normalise_phone, validate_email_address, validate_phone
from bondgenoot.lib.texts import fill
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


def language_choices(empty_label: str, language: str) -> list[tuple[str, str]]:
    """Languages by their own name, which is what a parent recognises, and by their name in
    the page's language (Babel's CLDR names) where that differs."""
    names: Mapping[str, str]
    try:
        names = Locale.parse(language).languages
    except ValueError:
        names = {}
    choices = [("", empty_label)]
    for code, (_name, endonym, _rtl) in LANGUAGES.items():
        local = names.get(code, "")
        choices.append((code, f"{endonym} ({local})" if local and local != endonym else endonym))
    return choices


def set_choices(field: forms.Field, choices: list[tuple[str, str]]) -> None:
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


def too_long(t: dict) -> str:
    """The parent's "too long" text as a Django ``max_length`` message."""
    text = t["too_long"].replace("%", "%%")
    return fill(text, {"max": "%(limit_value)d", "count": "%(show_value)d"})


class ParentTexts:
    """Labels, help texts and errors from the parent's texts: ``TEXTS`` maps a field to
    its label key and help key in ``t["voice"]``."""

    TEXTS: dict[str, tuple[str, str]] = {}

    def speak(self, t: dict) -> None:
        self.t = t
        self.v = v = t["voice"]
        self.required_mark = v["required_mark"]  # read by templates/forms/field.html
        for name, field in self.fields.items():  # type: ignore[attr-defined]
            label, help_key = self.TEXTS.get(name, ("", ""))
            if label:
                field.label = v[label]
            if help_key:
                field.help_text = v[help_key]
            field.error_messages.update(
                required=t["required"],
                max_length=too_long(t),
                invalid_choice=v["invalid_choice"],
                invalid=v["invalid_email"]
                if isinstance(field, forms.EmailField)
                else v["invalid_choice"],
            )


class FormKeyForm(forms.Form):
    """A hidden one-time key per showing of the form (see ``actions``): a replayed post
    finds what the first post made."""

    form_key = forms.CharField(widget=forms.HiddenInput, min_length=16, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("form_key", new_form_key())


class ParentForm(ParentTexts, FormKeyForm):
    def __init__(self, *args, t: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.speak(t)


class ConversationForm(ParentForm):
    TEXTS = {
        "topic": ("topic_label", "topic_help"),
        "preferred_times": ("times_label", "times_help"),
        "channel": ("channel_label", ""),
        "with_whom": ("with_whom_label", ""),
        "interpreter": ("interpreter_label", ""),
    }

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

    def __init__(self, *args, language: str, **kwargs):
        super().__init__(*args, **kwargs)
        v = self.v
        set_choices(self.fields["interpreter"], language_choices(v["no_interpreter"], language))
        set_choices(
            self.fields["channel"],
            [("phone", v["by_phone"]), ("talk", v["at_school"]), ("home_visit", v["at_home"])],
        )
        set_choices(
            self.fields["with_whom"],
            [(value, v["with_whom"][value]) for value in ConversationRequest.WithWhom.values],
        )

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "topic": data["topic"],
            "preferred_times": data["preferred_times"],
            "channel": data["channel"],
            "with_whom": data["with_whom"],
            "interpreter_id": data["interpreter"] or None,
        }


class ViewForm(ParentForm):
    TEXTS = {"text": ("records_title", "view_help")}

    text = text_field(
        _("Your side of the story"),
        VIEW_MAX,
        rows=7,
        help_text=_(
            "Your words are kept beside what the school wrote. The school's text does not change."
        ),
    )


class RecordRequestForm(ParentForm):
    TEXTS = {
        "kind": ("kind_label", ""),
        "record": ("record_label", ""),
        "text": ("text_label", "text_help"),
    }

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
        self.fields["record"].choices = [("", self.v["not_about_one"])] + list(records)
        self.fields["kind"].choices = [
            (value, self.v["request_kinds"][value]) for value in RecordRequest.Kind.values
        ]


class HomeStoryForm(ParentTexts, forms.ModelForm):
    TEXTS = {f: (f"{f}_label", "") for f in HomeStory.FIELDS}

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

    def __init__(self, *args, t: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.speak(t)


class ContactDetailsForm(ParentTexts, forms.Form):
    TEXTS = {
        "phone": ("phone_label", ""),
        "email": ("email_label", ""),
        "street": ("street_label", ""),
        "postcode": ("postcode_label", ""),
        "city": ("city_label", ""),
        "preferred_channels": ("channels_label", ""),
        "written_language": ("written_label", ""),
        "reachable_times": ("reachable_label", "reachable_help"),
    }

    phone = forms.CharField(label=_("Phone number"), max_length=30, required=False)
    email = forms.EmailField(label=_("Email address"), required=False)
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

    def __init__(self, *args, t: dict, language: str, current: list[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.speak(t)
        self.current = current or []
        set_choices(
            self.fields["written_language"], language_choices(self.v["no_preference"], language)
        )
        set_choices(
            self.fields["preferred_channels"],
            [(str(c), t["channels"].get(str(c), str(c))) for c in PREFERRED_CHANNELS],
        )

    def clean_phone(self) -> str:
        # Stored in E.164 (lib/addresses), so the same number typed again is no change.
        phone = self.cleaned_data.get("phone") or ""
        try:
            validate_phone(phone)
        except forms.ValidationError:
            raise forms.ValidationError(self.v["invalid_phone"], code="phone") from None
        return normalise_phone(phone)

    def clean_email(self) -> str:
        email = self.cleaned_data.get("email") or ""
        try:
            validate_email_address(email)
        except forms.ValidationError:
            raise forms.ValidationError(self.v["invalid_email"], code="email") from None
        return email

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

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from bondgenoot.contacts.models import Purpose
from bondgenoot.lib.texts import placeholders
from bondgenoot.lib.widgets import FastSelect

from . import library

ALL_CHILDREN = "all"


class ComposeForm(forms.Form):
    template = forms.ChoiceField(
        label=_("Start from a template"), required=False, widget=FastSelect
    )
    purpose = forms.ChoiceField(
        label=_("What is the message about?"), choices=Purpose.choices, widget=FastSelect
    )
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(
        label=_("Message"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_(
            "{child}, {mentor}, {school} and {date} are filled in per family. The tone coach "
            "checks your text while you write."
        ),
    )
    # A real date and time, not text: each parent reads them written out in their own
    # language ("12 marca 2026 (czwartek), 15:30"), see lib/dates.py.
    date = forms.DateField(
        label=_("Date in the message ({date})"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Each parent reads it written out in their own language."),
    )
    time = forms.TimeField(
        label=_("Time in the message ({time})"),
        help_text=_("Optional, unless the message uses {time}."),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    theme = forms.CharField(
        label=_("Theme ({theme})"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"list": "theme-list"}),
        help_text=_(
            "Pick a theme from the list and each parent reads it in their own language. "
            "Anything else you type stays Dutch in every language."
        ),
    )
    # Asked only when the family has more than one child at school and the text uses
    # {child}: a message about a pupil names that pupil only.
    child = forms.ChoiceField(
        label=_("Which child is the message about?"), required=False, widget=forms.RadioSelect
    )
    letters = forms.BooleanField(
        label=_("Send a printed letter to parents without email or mobile number"),
        required=False,
        initial=True,
    )

    def __init__(self, *args, children: list[tuple[str, str]] | None = None, **kwargs):
        """``children``: (pupil id, first name) of the one family written to, when it has
        more than one child at school; the writer then says which child it is about."""
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["template"]).choices = [
            ("", _("No template: my own text"))
        ] + [(t.key, t.name) for t in library.templates().values()]
        self.children = children if children and len(children) > 1 else []
        cast(forms.ChoiceField, self.fields["child"]).choices = [
            (pk, name) for pk, name in self.children
        ] + [(ALL_CHILDREN, _("All of them (a template then speaks of “your children”)"))]

    def clean(self):
        data = super().clean()
        text = (data.get("subject") or "") + (data.get("body") or "")
        used = placeholders(text)
        for name, field in (("date", "date"), ("theme", "theme")):
            if name in used and not data.get(field):
                self.add_error(
                    field, _("The message uses {%(name)s}: fill it in.") % {"name": name}
                )
        if "time" in used and not data.get("time"):
            self.add_error("time", _("The message uses {time}: fill it in."))
        if "child" in used and self.children and not data.get("child"):
            self.add_error(
                "child",
                _("This family has more than one child at school: choose who it is about."),
            )
        unknown = used - {"child", "mentor", "school", "date", "time", "theme"}
        if unknown:
            self.add_error(
                "body",
                _("Unknown placeholder: %(names)s. Use {child}, {mentor}, {school} or {date}.")
                % {"names": ", ".join("{" + n + "}" for n in sorted(unknown))},
            )
        return data

    def pupil_id(self) -> str | None:
        """The one pupil the writer chose, or None (only one child, or all of them)."""
        chosen = self.cleaned_data.get("child") or ""
        return None if chosen in ("", ALL_CHILDREN) else chosen

    def values(self) -> dict:
        """The placeholder values to store with the message (dates as ISO text)."""
        data = self.cleaned_data
        values = {}
        if data.get("date"):
            values["date"] = data["date"].isoformat()
            if data.get("time"):
                values["time"] = data["time"].strftime("%H:%M")
        if data.get("theme"):
            values["theme"] = data["theme"]
        return values

    def translated(self) -> bool:
        """True when the text is the template's own, so each family gets its translation."""
        key = self.cleaned_data.get("template")
        template = library.templates().get(key) if key else None
        if template is None or "nl" not in template.texts:
            return False
        nl = template.texts["nl"]
        return (
            self.cleaned_data["subject"].strip() == nl.subject
            and self.cleaned_data["body"].replace("\r\n", "\n").strip() == nl.body
        )


class ReplyForm(forms.Form):
    body = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 6}))


class TranslationForm(forms.Form):
    """The translator's text: the subject and the message in the family's language."""

    subject = forms.CharField(label=_("Subject, translated"), max_length=200)
    body = forms.CharField(
        label=_("Message, translated"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_(
            "Keep {child}, {mentor}, {school} and {date} as they are: they are filled in "
            "per family."
        ),
    )

    def clean(self):
        data = super().clean()
        text = (data.get("subject") or "") + (data.get("body") or "")
        unknown = placeholders(text) - {"child", "mentor", "school", "date", "theme"}
        if unknown:
            self.add_error(
                "body",
                _("Unknown placeholder: %(names)s. Keep the ones of the Dutch text as they are.")
                % {"names": ", ".join("{" + n + "}" for n in sorted(unknown))},
            )
        return data

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bondgenoot.people.forms import SchoolChoiceMixin
from bondgenoot.people.languages import FAMILY_LANGUAGES, language_name

TEXT_HELP = _("Separate paragraphs with an empty line. Readers comment per paragraph.")


class DraftForm(SchoolChoiceMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    for_parents = forms.BooleanField(label=_("Parents (in the parent portal)"), required=False)
    for_partners = forms.BooleanField(label=_("Partners"), required=False)
    for_staff = forms.BooleanField(label=_("Staff"), required=False, initial=True)
    text = forms.CharField(
        label=_("Text"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=TEXT_HELP,
    )
    summary = forms.CharField(
        label=_("Summary for parents"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("In plain words (B1). Parents read it in the portal."),
    )

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_school_choice(schools)

    def clean(self):
        data = super().clean()
        if not (data.get("for_parents") or data.get("for_partners") or data.get("for_staff")):
            raise forms.ValidationError(_("Choose who may comment: parents, partners or staff."))
        return data


class TextForm(forms.Form):
    """The final text (publish) or the text of a new round (revise)."""

    text = forms.CharField(
        label=_("Text"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=TEXT_HELP,
    )
    summary = forms.CharField(
        label=_("Summary for parents"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("In plain words (B1). Parents read it in the portal."),
    )


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Your comment on this paragraph"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Reply"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class TranslationForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=())
    text = forms.CharField(
        label=_("Translated summary"), max_length=3000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [
            (code, language_name(code)) for code in FAMILY_LANGUAGES if code != "nl"
        ]


class ParentCommentForm(forms.Form):
    """In the parent frame: the label comes from the parent texts (eight languages)."""

    text = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, t: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].label = t["comment_label"]
        self.fields["text"].error_messages = {
            "required": t["comment_required"],
            "max_length": t["comment_too_long"],
        }

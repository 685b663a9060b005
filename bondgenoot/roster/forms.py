from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bondgenoot.people.forms import SchoolChoiceMixin

from .formats.generic_csv import MappingError, load_mapping

MAX_BYTES = 50 * 1024 * 1024


def _size_checked(upload):
    if upload is not None and upload.size > MAX_BYTES:
        raise forms.ValidationError(_("This file is larger than 50 MB."), code="size")
    return upload


class UploadForm(SchoolChoiceMixin, forms.Form):
    prefix = "upload"

    file = forms.FileField(
        label=_("Export file"),
        help_text=_(
            "A OneRoster zip, an EDEX.XML (or a zip with EDEX.XML and the parents' CSV), "
            "or your school's own CSV export."
        ),
    )
    guardians = forms.FileField(
        label=_("Parents' CSV (with an EDEX.XML)"),
        required=False,
        help_text=_("EDEX.XML holds no parents: add the CSV export with the parents here."),
    )

    def __init__(self, *args, schools=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.add_school_choice(schools)

    def clean_file(self):
        return _size_checked(self.cleaned_data.get("file"))

    def clean_guardians(self):
        return _size_checked(self.cleaned_data.get("guardians"))


class MappingForm(SchoolChoiceMixin, forms.Form):
    prefix = "mapping"

    text = forms.CharField(
        label=_("Column mapping (TOML)"),
        widget=forms.Textarea(attrs={"rows": 24, "cols": 80, "spellcheck": "false"}),
        help_text=_(
            "For each field, the name of the column in your export. One [[guardian]] block "
            "per parent on a row."
        ),
    )

    def __init__(self, *args, schools=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.add_school_choice(schools)

    def clean_text(self):
        text = self.cleaned_data["text"]
        try:
            load_mapping(text)
        except MappingError as error:
            raise forms.ValidationError(str(error), code="mapping") from None
        return text

"""Invisible direction controls are taken out of names and identifiers (finding 12).

A right-to-left override (U+202E) and its relatives reorder how the rest of a string is
shown: "Jansen\u202eneknil" displays as something else than it is, which lets someone
spoof a name in a list, an audit entry or a message. Names and identifiers never need
them (Arabic and Tigrinya names display right without them), so every short text field
(``CharField``) of our models is stored without them; longer texts (``TextField``: a
message, a note) keep what the writer typed.

One exception: a short field that holds text the application rendered for a
right-to-left reader (a delivery's subject) keeps the isolates FSI … PDI that
``lib.texts.fill`` put around each filled-in value; the model lists such fields in
``KEEPS_ISOLATES``. Overrides and embeddings are still taken out of them.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.db.models import Model

# Embeddings and overrides, isolates, the implicit marks and the Arabic letter mark.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


# The same without the isolates (U+2066–U+2069), for fields in ``KEEPS_ISOLATES``.
NON_ISOLATE_CONTROLS = re.compile("[\u202a-\u202e\u200e\u200f\u061c]")


def strip_bidi(text: str) -> str:
    return BIDI_CONTROLS.sub("", text)


def strip_bidi_fields(sender: type[Model], instance: Model, **kwargs: object) -> None:
    """pre_save: strip direction controls from every CharField value of ``instance``."""
    from django.db.models import CharField

    if sender._meta.app_label == "audit":
        return  # hashed before saving; the audit log stores what happened, unchanged
    keeps = getattr(sender, "KEEPS_ISOLATES", ())
    for field in sender._meta.concrete_fields:
        if isinstance(field, CharField):
            value = getattr(instance, field.attname, None)
            controls = NON_ISOLATE_CONTROLS if field.name in keeps else BIDI_CONTROLS
            if isinstance(value, str) and controls.search(value):
                setattr(instance, field.attname, controls.sub("", value))

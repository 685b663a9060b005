"""Texts as data: one TOML loader and one placeholder engine.

Texts that reviewers and translators change without touching code live in TOML files
beside the code that uses them (message templates, meeting texts, advice, the tone
coach's word lists). ``load`` reads such a file once per process; ``fill`` puts values
into its ``{placeholders}``.

``fill`` replaces only ``{name}`` placeholders it has a value for and leaves everything
else as it was written: a smiley, "{child.upper}" or a stray brace in a translation or in
what a staff member typed can never break a message (``str.format`` would raise).

In a right-to-left text every filled-in value is wrapped in the Unicode isolates FSI
(U+2068) … PDI (U+2069), ``isolate=True``: a Dutch value that ends in punctuation ("Wat
doet uw kind online?") or starts with digits then keeps its own direction and cannot
pull the Arabic sentence around it to the wrong side, in plain-text email, SMS, subject
lines and letters alike. Direction controls inside a value are taken out first, so a
value can never close the isolate early.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from bondgenoot.lib.bidi import strip_bidi

PLACEHOLDER = re.compile(r"\{(\w+)\}")
# A placeholder with the full stop that may follow it ("… over {title}.").
_FILLED = re.compile(r"\{(\w+)\}([.።])?")
# A value that ends a sentence itself ("Wat doet uw kind online?") takes the place of
# the text's own full stop after it: no "online?." in the message. The Ethiopic full stop
# stays after an abbreviation's dot ("3:30 ድ.ቀ.።"): only a question or exclamation ends it.
_ENDS_SENTENCE = {".": (".", "?", "!", "…", "؟", "።"), "።": ("?", "!", "።")}


@cache
def load(path: Path) -> dict[str, Any]:
    """The parsed TOML file, read once per process. Treat it as read-only: it is shared."""
    with path.open("rb") as f:
        return tomllib.load(f)


FSI, PDI = "\u2068", "\u2069"


def isolated(value: object) -> str:
    """``value`` as one direction-isolated run (FSI … PDI), with its own controls removed."""
    return FSI + strip_bidi(str(value)) + PDI


def fill(text: str, values: Mapping[str, object], *, isolate: bool = False) -> str:
    """Fill the known ``{placeholders}``; anything else in braces stays as it is. With
    ``isolate`` (right-to-left texts) each value is wrapped in FSI … PDI. A value that
    ends in its own punctuation swallows the full stop the text puts after it."""

    def value(m: re.Match[str]) -> str:
        name, stop = m.group(1), m.group(2) or ""
        if name not in values:
            return m.group(0)
        raw = str(values[name])
        if stop and raw.rstrip().endswith(_ENDS_SENTENCE[stop]):
            stop = ""
        return (isolated(raw) if isolate else raw) + stop

    return _FILLED.sub(value, text)


def placeholders(text: str) -> set[str]:
    """The placeholder names a text uses (for checking translations against Dutch)."""
    return set(PLACEHOLDER.findall(text))

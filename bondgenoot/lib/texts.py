"""Texts as data: one TOML loader and one placeholder engine.

Texts that reviewers and translators change without touching code live in TOML files
beside the code that uses them (message templates, meeting texts, advice, the tone
coach's word lists). ``load`` reads such a file once per process; ``fill`` puts values
into its ``{placeholders}``.

``fill`` replaces only ``{name}`` placeholders it has a value for and leaves everything
else as it was written: a smiley, "{child.upper}" or a stray brace in a translation or in
what a staff member typed can never break a message (``str.format`` would raise).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

PLACEHOLDER = re.compile(r"\{(\w+)\}")


@cache
def load(path: Path) -> dict[str, Any]:
    """The parsed TOML file, read once per process. Treat it as read-only: it is shared."""
    with path.open("rb") as f:
        return tomllib.load(f)


def fill(text: str, values: Mapping[str, object]) -> str:
    """Fill the known ``{placeholders}``; anything else in braces stays as it is."""
    return PLACEHOLDER.sub(
        lambda m: str(values[m.group(1)]) if m.group(1) in values else m.group(0), text
    )


def placeholders(text: str) -> set[str]:
    """The placeholder names a text uses (for checking translations against Dutch)."""
    return set(PLACEHOLDER.findall(text))

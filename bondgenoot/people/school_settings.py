"""A school's settings with their defaults: one place to read them.

``value(school_id, name)`` gives what a school chose, or the installation's default.
Other apps read settings through here (retention in the network app), so a school's
choice takes effect where the value is used, not only on the settings page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext as _

from .languages import language_name
from .models import MIN_SMALL_CELL, SchoolSettings

# The eight family languages parent-facing pages are written in.
FAMILY_LANGUAGES = ("nl", "en", "ar", "tr", "pl", "uk", "so", "ti")


def defaults() -> dict[str, Any]:
    return {
        "signal_review_years": settings.RETENTION["signal_review_years"],
        "signal_delete_years": settings.RETENTION["signal_delete_years_after_leaving"],
        "restriction_review_weeks": 26,
        "parents_see_staff_names": True,
        "small_cell": MIN_SMALL_CELL,
        "parent_languages": list(FAMILY_LANGUAGES),
        "reachable_times": "",
        "contact_phone": "",
        "contact_email": "",
    }


NAMES = tuple(defaults())


@dataclass(frozen=True)
class Setting:
    name: str
    label: str
    value: Any
    default: Any

    @property
    def is_default(self) -> bool:
        return self.value == self.default

    @property
    def shown(self) -> str:
        return _show(self.value)

    @property
    def default_shown(self) -> str:
        return _show(self.default)


def _show(value: Any) -> str:
    if value is True:
        return str(_("yes"))
    if value is False:
        return str(_("no"))
    if isinstance(value, list):
        return ", ".join(language_name(code) for code in value)
    return str(value) if value not in (None, "") else "—"


def _chosen(row: SchoolSettings | None, name: str) -> Any:
    if row is None:
        return None
    value = getattr(row, name)
    return None if value in (None, "") else value


def value(school_id: int, name: str) -> Any:
    """What this school uses for ``name``: its own choice or the default."""
    row = SchoolSettings.objects.filter(school_id=school_id).first()
    chosen = _chosen(row, name)
    return defaults()[name] if chosen is None else chosen


def small_cell(school_ids) -> int:
    """The smallest figure shown to figures-only users over these schools: the largest
    threshold any of them chose (never below ``MIN_SMALL_CELL``). One query."""
    chosen = SchoolSettings.objects.filter(
        school_id__in=list(school_ids), small_cell__isnull=False
    ).values_list("small_cell", flat=True)
    return max([defaults()["small_cell"], *chosen])


def current(school_id: int) -> list[Setting]:
    """Every setting with its label, current value and default (one query)."""
    row = SchoolSettings.objects.filter(school_id=school_id).first()
    base = defaults()
    result = []
    for name in NAMES:
        chosen = _chosen(row, name)
        field = SchoolSettings._meta.get_field(name)
        assert isinstance(field, models.Field)
        label = str(field.verbose_name)
        result.append(Setting(name, label, base[name] if chosen is None else chosen, base[name]))
    return result

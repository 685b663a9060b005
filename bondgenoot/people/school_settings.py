"""A school's settings with their defaults: one place to read them.

``value(school_id, name)`` gives what a school chose, or the installation's default;
``values(school_id)`` gives them all at once. Other apps read settings through here, so
a school's choice takes effect where the value is used, not only on the settings page
(docs/administration.md lists where each one does).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext as _

from .languages import language_name
from .models import MIN_SMALL_CELL, Guardian, SchoolSettings

# The eight family languages parent-facing pages are written in.
FAMILY_LANGUAGES = ("nl", "en", "ar", "tr", "pl", "uk", "so", "ti")


def defaults() -> dict[str, Any]:
    return {
        "signal_review_years": settings.RETENTION["signal_review_years"],
        "signal_delete_years": settings.RETENTION["signal_delete_years_after_leaving"],
        "restriction_review_weeks": 26,
        # Off: the right of access needs role, organisation and date (docs/privacy.md).
        "parents_see_staff_names": False,
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


def _or_default(value: Any, default: Any) -> Any:
    """A school's choice, or the default where it chose nothing (no row, NULL or empty)."""
    return default if value in (None, "") else value


def value(school_id: int, name: str) -> Any:
    """What this school uses for ``name``: its own choice or the default."""
    return values(school_id)[name]


def values(school_id: int) -> dict[str, Any]:
    """Every setting this school uses, by name (one query)."""
    row = SchoolSettings.objects.filter(school_id=school_id).first()
    base = defaults()
    return {name: _or_default(getattr(row, name, None), base[name]) for name in NAMES}


def parent_languages_for(user_id: int) -> list[str]:
    """The portal languages a parent's login is offered: every language one of the
    schools where they are a guardian offers (its own list, or all eight by default),
    Dutch always, in the order of ``FAMILY_LANGUAGES``. A login that is no guardian
    anywhere gets all eight. One query."""
    return for_parent(user_id)[0]


def for_parent(user_id: int) -> tuple[list[str], dict[int, dict[str, Any]]]:
    """``parent_languages_for(user_id)`` and every setting of the schools where this
    login is a guardian (``values(school_id)`` by school id), from one query: a parent's
    page needs both (the languages in its frame, the school's contact details)."""
    rows = Guardian.objects.filter(user_id=user_id).values_list(
        "school_id", *(f"school__admin_settings__{name}" for name in NAMES)
    )
    base = defaults()
    by_school: dict[int, dict[str, Any]] = {}
    offered = {"nl"}
    every = not rows
    for school_id, *chosen in rows:
        by_school[school_id] = {
            name: _or_default(value, base[name]) for name, value in zip(NAMES, chosen, strict=True)
        }
        languages = chosen[NAMES.index("parent_languages")]
        if not languages:
            every = True
        else:
            offered.update(languages)
    if every:
        return list(FAMILY_LANGUAGES), by_school
    return [code for code in FAMILY_LANGUAGES if code in offered], by_school


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
        field = SchoolSettings._meta.get_field(name)
        assert isinstance(field, models.Field)
        label = str(field.verbose_name)
        chosen = _or_default(getattr(row, name, None), base[name])
        result.append(Setting(name, label, chosen, base[name]))
    return result

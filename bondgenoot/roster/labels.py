"""What the import's counts are called on the page (in this order)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

LABELS: dict[str, Promise] = {
    "pupils_new": _("New pupils"),
    "pupils_changed": _("Pupils with changes"),
    "pupils_left": _("Pupils who left (no longer in the export)"),
    "pupils_returned": _("Pupils back at school"),
    "families_new": _("New families"),
    "families_to_merge": _("Siblings in more than one family (merge them by hand)"),
    "guardians_new": _("New parents"),
    "guardians_changed": _("Parents with changes"),
    "guardianships_new": _("New links between a parent and a pupil"),
    "guardianships_changed": _("Changed links between a parent and a pupil"),
    "authority_ended": _("Parental authority ended"),
    "groups_new": _("New groups"),
    "groups_changed": _("Groups with changes"),
    "staff_new": _("New staff accounts"),
    "staff_changed": _("Staff accounts with changes"),
    "memberships_new": _("New roles for staff"),
    "mentors_changed": _("Mentors added to or taken from a group"),
    "teachers_changed": _("Teachers added to or taken from a group"),
    "schools_new": _("New schools"),
}
EXAMPLE_LABELS: dict[str, Promise] = {
    "pupils_new": _("For example, new"),
    "pupils_changed": _("For example, changed"),
    "pupils_left": _("For example, leaving"),
}


def counts_shown(counts: dict[str, int]) -> list[tuple[Promise, int]]:
    return [(label, counts[key]) for key, label in LABELS.items() if counts.get(key)]


def examples_shown(examples: dict[str, list[str]]) -> list[tuple[Promise, list[str]]]:
    return [(label, examples[key]) for key, label in EXAMPLE_LABELS.items() if examples.get(key)]

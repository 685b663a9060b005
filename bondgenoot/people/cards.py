"""What a card of "Mijn gezinnen" shows, read for a page of families in three flat
queries: the pupils with their group, the guardians' names and need of an interpreter,
and their home languages.

The family page needs whole objects (forms, panels); a card needs a few names. Reading
them as rows, not as prefetched model instances with their related managers, took the
list's data from about 7 ms to about 3 ms for 25 cards (docs/performance.md).

The card's two lines of names are written here as HTML (every value escaped), not by
three nested template loops per card: those loops were about a tenth of the list.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from bondgenoot.lib.urls import reverser

from .languages import language_name
from .models import Guardian, Guardianship, Pupil


def _full_name(first: str, prefix: str, last: str) -> str:
    return " ".join(p for p in (first, prefix, last) if p)


@dataclass
class CardPupil:
    full_name: str
    group: str


@dataclass
class CardGuardian:
    full_name: str
    needs_interpreter: bool
    languages: list[str] = field(default_factory=list)


def pupils_html(pupils: list[CardPupil]) -> SafeString:
    """``Noah Jansen <span class="tag">1A</span>``, each in a ``pupil`` span, by commas."""
    return mark_safe(
        ", ".join(
            f'<span class="pupil">{escape(p.full_name)}'
            + (f' <span class="tag">{escape(p.group)}</span>' if p.group else "")
            + "</span>"
            for p in pupils
        )
    )


def guardians_html(guardians: list[CardGuardian]) -> SafeString:
    """Each guardian's name with their languages and need of an interpreter as tags,
    separated by " · "; or that no guardian is known."""
    if not guardians:
        return mark_safe(escape(gettext("No guardians known")))
    interpreter = f' <span class="tag tag--warn">{escape(gettext("interpreter"))}</span>'
    return mark_safe(
        " · ".join(
            escape(g.full_name)
            + "".join(f' <span class="tag">{escape(lang)}</span>' for lang in g.languages)
            + (interpreter if g.needs_interpreter else "")
            for g in guardians
        )
    )


def add_cards(families: list) -> None:
    """Set ``card_pupils`` and ``card_guardians`` on each family: its pupils at school,
    oldest first, and its guardians, each once, in the order of the pupils they are
    linked to (as the family page lists them); and both as the card's HTML
    (``card_pupils_html``, ``card_guardians_html``); and the family page's ``url``."""
    ids = [f.pk for f in families]
    pupils: dict = defaultdict(list)
    pupil_family = {}
    rows = (
        Pupil.objects.current()
        .filter(family_id__in=ids)
        .order_by("date_of_birth", "id")
        .values_list(
            "id", "family_id", "first_name", "last_name_prefix", "last_name", "group__name"
        )
    )
    for pk, family_id, first, prefix, last, group in rows:
        pupils[family_id].append(CardPupil(_full_name(first, prefix, last), group or ""))
        pupil_family[pk] = family_id
    guardians: dict = defaultdict(dict)
    links = (
        Guardianship.objects.filter(pupil_id__in=list(pupil_family))
        .order_by("guardian__last_name", "id")
        .values_list(
            "pupil_id",
            "guardian_id",
            "guardian__first_name",
            "guardian__last_name_prefix",
            "guardian__last_name",
            "guardian__needs_interpreter",
        )
    )
    by_pupil: dict = defaultdict(list)
    for link in links:
        by_pupil[link[0]].append(link)
    # A guardian can be on two cards (children in two families): languages per guardian.
    spoken: dict = defaultdict(list)
    languages = Guardian.home_languages.through.objects.filter(
        guardian_id__in={link[1] for rows in by_pupil.values() for link in rows}
    ).order_by("language_id")
    for guardian_id, code in languages.values_list("guardian_id", "language_id"):
        spoken[guardian_id].append(language_name(code))
    for pk, family_id in pupil_family.items():
        for _pupil, guardian_id, first, prefix, last, interpreter in by_pupil[pk]:
            if guardian_id not in guardians[family_id]:
                guardians[family_id][guardian_id] = CardGuardian(
                    _full_name(first, prefix, last), interpreter, spoken[guardian_id]
                )
    family_url = reverser("people:family")
    for family in families:
        family.url = family_url(family.pk)
        family.card_pupils = pupils[family.pk]
        family.card_guardians = list(guardians[family.pk].values())
        family.card_pupils_html = pupils_html(family.card_pupils)
        family.card_guardians_html = guardians_html(family.card_guardians)

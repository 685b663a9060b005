"""What a card of "Mijn gezinnen" shows, read for a page of families in one flat
query: the pupils with their group, their guardians' names and need of an interpreter,
and the guardians' home languages.

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

from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from bondgenoot.lib.compiled import CompiledQuery
from bondgenoot.lib.urls import reverser

from .languages import language_name
from .models import GuardianRow, Pupil, full_name


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


# The rows of ``add_cards``: compiled once per number of families (lib/compiled.py).
CARD_ROWS = CompiledQuery(
    lambda ids: Pupil.objects.people_rows(ids).values_list(
        "id",
        "family_id",
        "first_name",
        "last_name_prefix",
        "last_name",
        "group__name",
        "guardianships__id",
        "guardianships__guardian_id",
        "guardianships__guardian__first_name",
        "guardianships__guardian__last_name_prefix",
        "guardianships__guardian__last_name",
        "guardianships__guardian__needs_interpreter",
        "guardianships__guardian__home_languages",
    ),
    Pupil._meta.get_field("family"),
)


def add_cards(families: list) -> None:
    """Set ``card_pupils`` and ``card_guardians`` on each family: its pupils at school,
    oldest first, and its guardians, each once, in the order of the pupils they are
    linked to (as the family page lists them); and both as the card's HTML
    (``card_pupils_html``, ``card_guardians_html``); and the family page's ``url``.

    One query: the pupils, each with its guardians (by last name) and each guardian with
    their home languages (by code), as joined rows (three queries of their own cost
    twice as much, most of it in building the queries)."""
    rows = CARD_ROWS([f.pk for f in families])
    pupils: dict = defaultdict(list)
    guardians: dict = defaultdict(dict)
    # A guardian can be on two cards (children in two families): one CardGuardian on
    # both, its languages read from the rows of the guardian's first link (a guardian's
    # rows repeat their languages for every child they are linked to).
    by_guardian: dict = {}
    first_link: dict = {}
    names: dict[str, str] = {}  # each language translated once per page, not per guardian
    pupil = None
    for (
        pk,
        family_id,
        first,
        prefix,
        last,
        group,
        link,
        guardian_id,
        g_first,
        g_prefix,
        g_last,
        interpreter,
        code,
    ) in rows:
        if pk != pupil:
            pupil = pk
            pupils[family_id].append(CardPupil(full_name(first, prefix, last), group or ""))
        if guardian_id is None:
            continue
        if guardian_id not in by_guardian:
            by_guardian[guardian_id] = CardGuardian(
                full_name(g_first, g_prefix, g_last), interpreter
            )
            first_link[guardian_id] = link
        card_guardian = guardians[family_id][guardian_id] = by_guardian[guardian_id]
        if code is not None and first_link[guardian_id] == link:
            if code not in names:
                names[code] = language_name(code)
            card_guardian.languages.append(names[code])
    family_url = reverser("people:family")
    for family in families:
        family.url = family_url(family.pk)
        family.card_pupils = pupils[family.pk]
        family.card_guardians = list(guardians[family.pk].values())
        family.card_pupils_html = pupils_html(family.card_pupils)
        family.card_guardians_html = guardians_html(family.card_guardians)


def card_html(family) -> SafeString:
    """The whole card of "Mijn gezinnen" (after ``add_cards`` and the card slots' parts,
    ``panels.add_card_parts``), in the whitespace the template's loop wrote: a loop of
    seven template variables per card was about a tenth of the list."""
    return mark_safe(
        '\n    <li class="family-card">\n'
        f'      <h2><a href="{escape(family.url)}">{conditional_escape(family.name)}</a></h2>\n'
        f"      <p>{family.card_pupils_html}</p>\n"
        f"      {family.card_list_card}\n"
        f'      <p class="muted">{family.card_guardians_html}</p>\n'
        f"      {family.card_list_card_end}\n"
        "    </li>\n    "
    )


# --- The family page's guardian cards -------------------------------------------------


def _or_dash(value: object) -> str:
    """``{{ value|default:"—" }}``: the value escaped, or a dash when it is empty."""
    return escape(str(value)) if value else "—"


def guardian_cards_html(rows: list[GuardianRow]) -> SafeString:
    """The family page's card per guardian (``family_guardians``): how they relate to
    each pupil, their languages, channels and contact details, every value escaped.
    Written here, not in the template: the cards' template nodes were an eighth of the
    family page's function calls (docs/performance.md)."""
    of, authority, together = (
        gettext("of"),
        gettext("parental authority"),
        gettext("lives together"),
    )
    cards = []
    for row in rows:
        g = row.guardian
        links = "<br>".join(
            f"{escape(link.get_relation_display())} {escape(of)} {escape(link.pupil.first_name)}"
            + (f" · {escape(authority)}" if link.parental_authority else "")
            + (f" · {escape(together)}" if link.lives_with else "")
            for link in row.links
        )
        languages = ", ".join(escape(lang.name) for lang in g.home_languages.all()) or "—"
        if g.needs_interpreter:
            languages += (
                f' <span class="tag tag--warn">{escape(gettext("needs an interpreter"))}</span>'
            )
        written = g.written_language.name if g.written_language else ""
        channels = ", ".join(escape(c) for c in g.get_preferred_channels_display()) or "—"
        phone = f'<a href="tel:{escape(g.phone)}">{escape(g.phone)}</a>' if g.phone else "—"
        email = (
            f'<a href="mailto:{escape(g.email)}">{escape(g.email)}</a>'
            if g.email
            else f'<span class="muted">{escape(gettext("no email address"))}</span>'
        )
        address = _or_dash(g.street) + (
            f"<br>{escape(g.postcode)} {escape(g.city)}" if g.postcode else ""
        )
        cards.append(
            '\n  <div class="card">\n'
            f"    <h3>{escape(g.full_name)}</h3>\n"
            f'    <p class="muted">{links}</p>\n'
            '    <dl class="facts">\n'
            f"      <dt>{escape(gettext('Home languages'))}</dt>\n"
            f"      <dd>{languages}</dd>\n"
            f"      <dt>{escape(gettext('Written messages in'))}</dt><dd>{_or_dash(written)}</dd>\n"
            f"      <dt>{escape(gettext('Preferred channels'))}</dt><dd>{channels}</dd>\n"
            f"      <dt>{escape(gettext('Reachable'))}</dt><dd>{_or_dash(g.reachable_times)}</dd>\n"
            f"      <dt>{escape(gettext('Phone'))}</dt><dd>{phone}</dd>\n"
            f"      <dt>{escape(gettext('Email'))}</dt><dd>{email}</dd>\n"
            f"      <dt>{escape(gettext('Address'))}</dt><dd>{address}</dd>\n"
            "    </dl>\n"
            "  </div>\n  "
        )
    return mark_safe("".join(cards))

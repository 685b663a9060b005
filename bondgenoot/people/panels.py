"""The registry of the family page's panels.

The family page is where every app shows something: the ledger, the approach advisor,
bridge builders, meetings, messages, signals. The base app ``people`` must not import
the apps above it, so each app registers its panels here from its ``AppConfig.ready``
(as Django's admin and Wagtail's hooks do), and ``people.family_page`` loads the family
once and asks every registered panel, in a fixed order, whether it applies and what it
adds to the page.

This module holds only the registry and the page object panels read; it imports no
app above ``people``.

A panel is:

``name``      unique; registering a name again replaces the panel (tests, reloads)
``slot``      where on the page it goes (``SLOTS``)
``order``     its place within the slot (lower first)
``template``  included with the page's context plus the panel's own (not for a card
              slot of "Mijn gezinnen": see ``card``)
``applies``   ``(page) -> bool``: whether this user sees the panel. Use the access
              policy (``page.ledger`` and ``page.can_edit`` are cached answers of
              ``access.can_view_contacts`` and ``access.can_edit_family``)
``context``   ``(page) -> dict``: what the template needs. Keys must not collide with
              another panel's (the loader refuses it): prefix them when in doubt
``prepare``   ``(queryset, user) -> queryset``: joins the panel needs on the family
              itself (``select_related``/``prefetch_related``), applied before the one
              fetch of the family (or of the page of families in "Mijn gezinnen")
``lazy``      a label ("Show the timeline") makes the panel load on demand: the page
              shows a placeholder that htmx replaces with the panel (``people:panel``,
              which asks the access policy and writes the audit entry again), and
              that is a plain link to the panel's own page without JavaScript. Its
              ``context`` is only computed there. ``eager(page)`` says when it is
              rendered with the page after all (a failed POST, a filtered timeline)
``link``      for a lazy panel: the URL name (with the family's id) of a fuller page
              the no-JavaScript link opens instead of the panel's own page
``light``     for a lazy panel that shows none of the family's people: loaded on demand,
              the family is fetched without its pupils, guardians and mentors (the
              access question and the audit entry stay the same)
``trigger``   for a lazy panel: ``"load"`` (asked right after the page is shown) or
              ``"click"`` (its label is a link the user follows: for a form that is
              rarely used, so the page does not fetch its choices every time)

"Mijn gezinnen" is built the same way from the ``LIST_SLOTS``: there ``page`` is a
``FamilyListPage`` and a panel's ``context`` may also set attributes on each family of
``page.families`` that its part of the card reads. A panel of a card slot
(``CARD_SLOTS``) gives that part as ``card``: ``(family) -> str``, the part's HTML with
every value escaped, written in Python and not a template included per card (two
includes per card were about a tenth of the list's time at 25 cards).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar

from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe

if TYPE_CHECKING:
    from .models import GuardianRow

# The family page, top to bottom: buttons under the heading; sections above the family's
# people; inside the contact person's card; links inside each pupil's card (the template
# sees ``pupil``); sections below.
SLOTS = ("actions", "top", "person", "pupil", "bottom")
# "Mijn gezinnen": above the list; in each family's card (the template sees ``family``)
# under its pupils, and at its end.
LIST_SLOTS = ("list_top", "list_card", "list_card_end")
CARD_SLOTS = ("list_card", "list_card_end")
_ORDER = SLOTS + LIST_SLOTS


def _nothing(page) -> dict:
    return {}


def _unchanged(queryset, user):
    return queryset


def _never(page) -> bool:
    return False


@dataclass(frozen=True)
class Panel:
    name: str
    slot: str
    order: int
    applies: Callable[[Any], bool]
    template: str = ""
    context: Callable[[Any], dict] = _nothing
    prepare: Callable[[Any, Any], Any] = _unchanged
    lazy: Any = None  # a (lazy) label: load on demand, see the module docstring
    eager: Callable[[Any], bool] = _never
    link: str = ""
    light: bool = False
    trigger: str = "load"
    card: Callable[[Any], str] | None = None  # a card slot's part of one family's card
    html: ClassVar[str] = ""  # a Placeholder's element; a panel is included (``template``)


@dataclass(frozen=True)
class Placeholder:
    """A lazy panel's place on the page: the element that loads it (``html``)."""

    panel: Panel
    html: str = ""

    @property
    def name(self) -> str:
        return self.panel.name


_NAME = "panel-name"  # a stand-in: the panel URL is reversed once per page


def panel_urls(family_pk: Any) -> Callable[[str], str]:
    """``name -> reverse("people:panel", args=[family_pk, name])`` at one ``reverse``."""
    head, tail = reverse("people:panel", args=[family_pk, _NAME]).split(_NAME)
    return lambda name: f"{head}{name}{tail}"


def placeholder_html(panel: Panel, family_pk: Any, panel_url: Callable[[str], str]) -> str:
    """The element htmx replaces with the panel: asked right after the page is shown
    (``trigger="load"``) or when its link is followed (``"click"``); without JavaScript
    the link opens the panel's own page (or its ``link``). Written here, not by a template
    included per placeholder (six of them were about a tenth of the family page)."""
    url = panel_url(panel.name)
    href = reverse(panel.link, args=[family_pk]) if panel.link else url
    label = conditional_escape(panel.lazy)
    if panel.trigger == "click":
        return mark_safe(
            f'<div class="lazy-panel">\n  <p><a href="{escape(href)}" hx-get="{escape(url)}"'
            f' hx-target="closest .lazy-panel" hx-swap="outerHTML">{label}</a></p>\n</div>\n'
        )
    return mark_safe(
        f'<div class="lazy-panel" hx-get="{escape(url)}" hx-trigger="load"'
        f' hx-swap="outerHTML">\n  <p><a href="{escape(href)}">{label}</a></p>\n</div>\n'
    )


_panels: dict[str, Panel] = {}


def register(panel: Panel) -> Panel:
    if panel.slot not in _ORDER:
        raise ImproperlyConfigured(f"Panel {panel.name!r}: unknown slot {panel.slot!r}.")
    if panel.trigger not in ("load", "click"):
        raise ImproperlyConfigured(f"Panel {panel.name!r}: unknown trigger {panel.trigger!r}.")
    if (panel.card is None) == (panel.slot in CARD_SLOTS) or bool(panel.template) == bool(
        panel.card
    ):
        raise ImproperlyConfigured(
            f"Panel {panel.name!r}: a card slot's panel gives its part as ``card`` (and no "
            "template), every other panel a ``template``."
        )
    _panels[panel.name] = panel
    return panel


def unregister(name: str) -> None:
    _panels.pop(name, None)


def registered(slots: tuple[str, ...] = SLOTS) -> list[Panel]:
    """The panels of these slots (the family page's by default), in page order."""
    return sorted(
        (p for p in _panels.values() if p.slot in slots),
        key=lambda p: (_ORDER.index(p.slot), p.order, p.name),
    )


def is_lazy(panel: Panel, page) -> bool:
    """Whether the page shows a placeholder for this panel instead of the panel. A page
    shown again with the forms of a failed POST shows every panel (its errors)."""
    return bool(panel.lazy) and not getattr(page, "forms", None) and not panel.eager(page)


def lazy_panel(name: str) -> Panel | None:
    """The registered panel of this name if it may load on demand."""
    panel = _panels.get(name)
    return panel if panel is not None and panel.lazy and panel.slot in SLOTS else None


def add_context(panel: Panel, page, context: dict) -> None:
    for key, value in panel.context(page).items():
        if key in context and context[key] is not value:
            raise ImproperlyConfigured(
                f"Panel {panel.name!r} sets {key!r}, which the page or another panel "
                "already set: give it another name."
            )
        context[key] = value


def collect(page, slots: tuple[str, ...], context: dict) -> dict:
    """Ask every panel of ``slots`` in order: add the context of those that apply to
    ``context`` and list them per slot in ``context["panels"]`` (a lazy panel as its
    ``Placeholder``, without asking for its context)."""
    chosen: dict[str, list[Panel | Placeholder]] = {slot: [] for slot in slots}
    panel_url = None
    for panel in registered(slots):
        if not panel.applies(page):
            continue
        if is_lazy(panel, page):
            panel_url = panel_url or panel_urls(page.family.pk)
            html = placeholder_html(panel, page.family.pk, panel_url)
            chosen[panel.slot].append(Placeholder(panel, html))
            continue
        add_context(panel, page, context)
        chosen[panel.slot].append(panel)
    context["panels"] = chosen
    return context


def add_card_parts(families: list, chosen: dict[str, list]) -> None:
    """Set ``card_<slot>`` on each family (``card_list_card``, ``card_list_card_end``):
    the HTML of that slot's chosen panels (``collect``'s ``context["panels"]``) for its
    card, in order."""
    for slot in CARD_SLOTS:
        parts = [panel.card for panel in chosen.get(slot, ())]
        for family in families:
            setattr(family, f"card_{slot}", mark_safe("".join(part(family) for part in parts)))


class FamilyPage:
    """One showing of one family's page: who looks, the family (fetched once with its
    pupils, groups, mentors and guardians), and answers the panels share, each
    computed once (``memo``)."""

    def __init__(self, request, family, forms: dict | None = None):
        self.request = request
        self.user = request.user
        self.family = family
        self.forms = forms or {}
        self._memo: dict[str, Any] = {}

    def memo(self, key: str, compute: Callable[[], Any]) -> Any:
        """``compute()`` once per page: for what several panels need (``bridges.open``)."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    # Access, asked once per page (each answer may cost a query).
    @cached_property
    def can_edit(self) -> bool:
        from bondgenoot import access

        return access.can_edit_family(self.user, self.family)

    @cached_property
    def ledger(self) -> bool:
        """Whether the user works with this family: may read its contact ledger."""
        from bondgenoot import access

        return access.can_view_contacts(self.user, self.family)

    @cached_property
    def care(self) -> bool:
        from bondgenoot import access

        return self.family.school_id in access.care_schools(self.user)

    # The family's people, from the prefetch (no queries).
    @cached_property
    def pupils(self) -> list:
        return list(self.family.pupils.all())

    @cached_property
    def guardian_rows(self) -> list[GuardianRow]:
        from .models import family_guardians

        return family_guardians(self.family)

    @cached_property
    def guardians(self) -> list:
        return [row.guardian for row in self.guardian_rows]

    @cached_property
    def mentors(self) -> list:
        from .models import family_mentors

        return family_mentors(self.family)

    @cached_property
    def staff(self) -> list[tuple[int, str]]:
        """Who can be the family's contact person (one query, shared by the forms that
        offer the choice)."""
        from .forms import staff_choices

        return staff_choices(self.family)


class FamilyListPage:
    """One showing of "Mijn gezinnen": the families on this page of the list."""

    def __init__(self, request, families: list | None = None):
        self.request = request
        self.user = request.user
        self.families = families or []
        self._memo: dict[str, Any] = {}

    def memo(self, key: str, compute: Callable[[], Any]) -> Any:
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

"""The contact ledger's panels: on the family page (indicators, overdue next steps,
recording a contact, the timeline) and in "Mijn gezinnen" (indicators per family, the
user's overdue actions, recording a contact inline). Registered in ``apps.py``."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Any
from urllib.parse import quote

from django.core.paginator import Paginator
from django.db.models import Count, Window
from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from bondgenoot import access
from bondgenoot.lib.compiled import CompiledQuery
from bondgenoot.lib.dates import short_date
from bondgenoot.lib.urls import reverser
from bondgenoot.people.models import Family, Situation
from bondgenoot.people.panels import FamilyListPage, FamilyPage, Panel, register

from .forms import TimelineFilterForm
from .indicators import PERSONAL_DEFINITION, definitions, indicators_for
from .models import Contact, NextStep
from .monitor_views import campaign_is_open, campaign_progress

# The newest ten contacts: what a mentor reads between lessons; older ones a click away.
TIMELINE_PAGE = 10
OVERDUE_SHOWN = 20


def timeline_context(request: HttpRequest, family: Family) -> dict:
    """The family's contacts, newest first, filtered and paged (also served alone to
    htmx by ``contacts:timeline``)."""
    form = TimelineFilterForm(request.GET or None)
    contacts = Contact.objects.filter(family=family)
    if form.is_valid():
        for field in ("tone", "purpose", "channel"):
            if form.cleaned_data[field]:
                contacts = contacts.filter(**{field: form.cleaned_data[field]})
    page = Paginator(
        contacts.for_timeline().order_by("-at", "-created_at"), TIMELINE_PAGE
    ).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    # The "Change" link only where it leads somewhere: one's own contacts, or every
    # contact for the school's care coordinators (access.get_contact_for_edit).
    edits_every_contact = access.can(request.user, "ledger.whole_school", family.school_id)
    return {
        "timeline_form": form,
        "timeline": page,
        "timeline_items": timeline_items_html(page, request.user.pk, edits_every_contact),
        "timeline_query": query.urlencode(),
        "family": family,
    }


def timeline_items_html(contacts, user_pk: Any, edits_every_contact: bool) -> SafeString:
    """The timeline's entries (``for_timeline`` contacts), every value escaped. Written
    here, not by a template loop of about 40 nodes per contact (a third of the timeline
    page's function calls); ``contacts/tests/test_timeline_items.py`` holds it equal to
    that template."""
    edit_url = reverser("contacts:edit")  # one reverse for the page's "Change" links
    items = []
    for c in contacts:
        url = escape(edit_url(c.pk))
        editable = edits_every_contact or c.author_id == user_pk
        at = timezone.localtime(c.at)
        first = [f"<strong>{escape(str(c.get_channel_display()))}</strong>"]
        first += [escape(str(c.get_purpose_display())), escape(str(c.get_tone_display()))]
        if not c.reached:
            first.append(f'<span class="overdue">{escape(gettext("not reached"))}</span>')
        if not c.dialogue:
            first.append(escape(gettext("one-way")))
        if c.bulk:
            first.append(escape(gettext("bulk message")))
        meta = [
            escape(date_format(at, "j F Y, H:i")),
            gettext("recorded by %(name)s") % {"name": escape(str(c.author))},
        ]
        if c.timeline_guardians:
            names = ", ".join(escape(g.first_name or g.full_name) for g in c.timeline_guardians)
            meta.append(f"{escape(gettext('with'))} {names}")
        if c.timeline_pupils:
            names = ", ".join(escape(p.first_name) for p in c.timeline_pupils)
            meta.append(f"{escape(gettext('about'))} {names}")
        if c.key_figure:
            meta.append(f"{escape(gettext('key figure'))}: {escape(str(c.key_figure))}")
        if c.language:
            meta.append(escape(c.language.name))
        if c.interpreter:
            meta.append(escape(gettext("with an interpreter")))
        if c.has_revisions:
            changed = (
                f'<a href="{url}">{escape(gettext("changed (see history)"))}</a>'
                if editable
                else escape(gettext("changed"))
            )
            meta.append(changed)
        note = f"<p>{escape(c.note)}</p>" if c.note else ""
        steps = "".join(
            f'<p class="meta">→ {escape(gettext("Next step"))}: {escape(s.what)} '
            f"({escape(str(s.owner))}, {escape(short_date(s.due))})"
            f"{' ✓ ' + escape(gettext('done')) if s.done_at else ''}</p>"
            for s in c.timeline_steps
        )
        change = (
            f'<p class="meta"><a href="{url}">{escape(gettext("Change"))}'
            f'<span class="visually-hidden"> {escape(str(c.get_channel_display()))} '
            f"{escape(date_format(at, 'j F Y'))}</span></a></p>"
            if editable
            else ""
        )
        items.append(
            f'\n    <li class="tone-{escape(c.tone)}">\n'
            f"      <p>{' · '.join(first)}</p>\n"
            f'      <p class="meta">{" · ".join(meta)}</p>\n'
            f"      {note}\n      {steps}\n      {change}\n    </li>\n  "
        )
    if not items:
        empty = gettext(
            "No contacts yet. A first positive contact makes every later conversation easier."
        )
        items.append(f"\n    <li>{escape(empty)}</li>\n  ")
    return mark_safe("".join(items))


def _with_summary(queryset, user):
    # The ledger summary rides along with the family (one join instead of a query).
    return queryset.select_related("summary")


def _ledger(page: FamilyPage) -> bool:
    return page.ledger


OPEN_STEPS = CompiledQuery(
    lambda ids: NextStep.objects.filter(family_id__in=ids).open().select_related("owner"),
    NextStep._meta.get_field("family"),
)


def _stat(warn: bool, value: str, label: str, definition: object) -> str:
    """One indicator of ``ledger_top_html`` (its value and label are escaped already)."""
    flag = (
        '<span class="stat__flag"><span aria-hidden="true">▲</span> '
        f"{escape(gettext('Needs attention'))}</span>"
        if warn
        else ""
    )
    return (
        f'<li class="stat{" stat--warn" if warn else ""}">{flag}\n'
        f'      <span class="stat__value">{value}</span>\n'
        f'      <span class="stat__label">{label}</span>\n'
        f'      <p class="definition">{escape(str(definition))}</p></li>'
    )


def ledger_top_html(
    family_pk: Any, i: Any, definitions: dict, overdue: list, next_url: str
) -> SafeString:
    """How the relationship stands (the indicators), the overdue next steps and the place
    of the form to record a contact: the ledger panel's HTML, every value escaped.
    Written here, not by a template of about 60 nodes (a twentieth of the family page's
    function calls); ``contacts/tests/test_ledger_top.py`` holds it equal to that
    template."""
    yes, no = escape(gettext("Yes")), escape(gettext("No"))
    days = i.days_since_positive
    before = i.positive_before_worry
    tried = (
        f" ({escape(gettext('tried'))}: {', '.join(escape(c) for c in i.unreached_channels)})"
        if i.unreached_channels
        else ""
    )
    stats = [
        _stat(
            days is None,
            "—" if days is None else str(days),
            escape(
                gettext("no positive personal contact yet")
                if days is None
                else gettext("days since the last positive personal contact")
            ),
            definitions["days_since_positive"],
        ),
        _stat(
            i.first_was_worry,
            yes if i.first_was_worry else no,
            escape(gettext("first contact was about a worry")),
            definitions["first_was_worry"],
        ),
        _stat(
            False,
            "—" if before is None else str(before),
            escape(
                gettext("no contact about a worry so far")
                if before is None
                else gettext("positive personal contacts before the first worry")
            ),
            definitions["positive_before_worry"],
        ),
        _stat(
            i.unreached_alarm,
            str(i.unreached_streak),
            escape(gettext("attempts in a row without reaching the family")) + tried,
            definitions["unreached_streak"],
        ),
        _stat(
            i.one_way_only,
            yes if i.one_way_only else no,
            escape(gettext("only one-way messages lately")),
            definitions["one_way_only"],
        ),
        _stat(
            bool(i.overdue_steps),
            str(i.open_steps),
            escape(
                ngettext(
                    "open next steps, %(counter)s overdue",
                    "open next steps, %(counter)s overdue",
                    i.overdue_steps,
                )
                % {"counter": i.overdue_steps}
            ),
            definitions["next_steps"],
        ),
    ]
    html = [
        '\n<section class="card" aria-labelledby="indicators-heading">\n'
        f'  <h2 id="indicators-heading">{escape(gettext("How is our relationship?"))}</h2>\n'
        "  \n"
        '  <ul class="stats">\n    ' + "\n    ".join(stats) + "\n  </ul>\n"
        f'  <p class="definition">{escape(str(PERSONAL_DEFINITION))}</p>\n'
        "  \n"
        "</section>\n"
    ]
    if overdue:
        steps = "".join(
            f"<li>{escape(s.what)} — "
            f"{escape(s.owner.get_full_name() or s.owner.username)}, "
            f"{escape(short_date(s.due, 'long'))}</li>"
            for s in overdue
        )
        html.append(
            '\n<section class="message message--warning" aria-labelledby="overdue-heading">\n'
            f'  <h2 id="overdue-heading">{escape(gettext("Overdue next steps"))}</h2>\n'
            f"  <ul>{steps}</ul>\n"
            "</section>\n"
        )
    new_url = escape(reverser("contacts:new")(family_pk))
    record = escape(gettext("Record a contact"))
    html.append(
        '\n<section aria-labelledby="log-heading">\n'
        f'  <h2 id="log-heading">{record}</h2>\n'
        "  \n"
        "  \n"
        f'  <div hx-get="{new_url}" hx-trigger="load" hx-swap="outerHTML">\n'
        f'    <p><a href="{new_url}?next={escape(quote(next_url))}">{record}</a></p>\n'
        "  </div>\n"
        "</section>\n"
    )
    return mark_safe("".join(html))


def ledger_top(page: FamilyPage) -> dict:
    """Indicators, overdue next steps and the form to record a contact."""
    family = page.family
    today = timezone.localdate()
    # One query for the open next steps: the counts and the overdue list come from it.
    open_steps = OPEN_STEPS([family.pk])
    overdue = sorted((s for s in open_steps if s.due < today), key=lambda s: (s.due,))
    indicators = indicators_for(family, (len(open_steps), len(overdue)), today)
    html = ledger_top_html(
        family.pk,
        indicators,
        definitions(),
        overdue[:OVERDUE_SHOWN],
        page.request.get_full_path(),
    )
    return {"indicators": indicators, "ledger_top_html": html}


def timeline(page: FamilyPage) -> dict:
    return timeline_context(page.request, page.family)


register(
    Panel(
        name="contacts.ledger",
        slot="top",
        order=20,
        template="contacts/_family_ledger_top.html",
        applies=_ledger,
        context=ledger_top,
        prepare=_with_summary,
    )
)
register(
    Panel(
        name="contacts.timeline",
        slot="bottom",
        order=30,
        template="contacts/_family_timeline.html",
        applies=_ledger,
        context=timeline,
        # Loads on demand; a filter or page of the timeline asked without JavaScript
        # (``?tone=...&page=2``) shows it with the page.
        lazy=_("Show the timeline"),
        eager=lambda page: bool(page.request.GET),
        link="contacts:timeline",
        light=True,
    )
)


# --- "Mijn gezinnen" ------------------------------------------------------------------------


def _works_with_contacts(page: FamilyListPage) -> bool:
    return access.works_with_contacts(page.user)


def list_indicators(page: FamilyListPage) -> dict:
    """Indicators only for families whose ledger this user may read (not the register)."""
    families = page.families
    # The predicate, not a query: its answer for a mentor is read once per request.
    readable = access.contacts_readable_of(page.user, families)
    step_counts = NextStep.objects.counts_by_family(readable, timezone.localdate())
    back = quote(page.request.get_full_path(), safe="/")
    log_url = reverser("contacts:new")
    for family in families:
        family.ledger = family.pk in readable
        if family.ledger:
            indicators = indicators_for(family, step_counts.get(family.pk, (0, 0)))
            family.tags = card_tags(family, indicators)
            family.tags_html = tags_html(family.tags)
            family.log_url = log_url(family.pk)
            family.log_link = f"{family.log_url}?next={back}"
    return {}


@dataclass(frozen=True)
class Tag:
    text: str
    warn: bool = False


def tags_html(tags: list[Tag]) -> SafeString:
    """The tags as the card shows them, each escaped, separated by a space."""
    return mark_safe(
        " ".join(
            f'<span class="tag{" tag--warn" if tag.warn else ""}">{escape(str(tag.text))}</span>'
            for tag in tags
        )
    )


def card_tags(family: Family, i) -> list[Tag]:
    """A card's indicators as short tags, in words and counts (built here, not in the
    template: 25 cards of template tags were a third of the list's time)."""
    tags = []
    if family.situation != Situation.REGULAR:
        tags.append(Tag(family.get_situation_display(), warn=True))
    if i.days_since_positive is None:
        tags.append(Tag(gettext("no positive personal contact yet"), warn=True))
    else:
        n = i.days_since_positive
        text = ngettext(
            "positive contact %(counter)s day ago", "positive contact %(counter)s days ago", n
        )
        tags.append(Tag(text % {"counter": n}))
    if i.unreached_streak:
        n = i.unreached_streak
        text = ngettext("%(counter)s× not reached", "%(counter)s× not reached", n)
        tags.append(Tag(text % {"counter": n}, warn=True))
    if i.one_way_only:
        tags.append(Tag(gettext("only one-way"), warn=True))
    if i.overdue_steps:
        n = i.overdue_steps
        text = ngettext("%(counter)s action overdue", "%(counter)s actions overdue", n)
        tags.append(Tag(text % {"counter": n}, warn=True))
    return tags


# A card's parts (``Panel.card``), in the whitespace the templates included per card
# wrote, so that the page stayed the same byte for byte.


def card_indicators(family: Any) -> str:
    """The card's ledger tags, for a family whose ledger the user reads."""
    tags = f"<p>{family.tags_html}</p>" if getattr(family, "ledger", False) else ""
    return f"      {tags}\n"


def card_log(family: Any) -> str:
    """A link to record a contact in the card (a form htmx loads under it), for a family
    whose ledger the user reads."""
    if not getattr(family, "ledger", False):
        return "      \n"
    name, log_url = escape(family.name), escape(family.log_url)
    return (
        "      \n"
        f'      <p><a href="{escape(family.log_link)}" hx-get="{log_url}"'
        f' hx-target="#log-{family.pk}" hx-swap="innerHTML">{escape(gettext("Record a contact"))}'
        f'<span class="visually-hidden"> — {name}</span></a></p>\n'
        f'      <div id="log-{family.pk}" class="inline-panel"></div>\n'
        "      \n"
    )


def _overdue_applies(page: FamilyListPage) -> bool:
    return not page.request.htmx and access.works_with_contacts(page.user)


def overdue_summary(page: FamilyListPage) -> dict:
    """The user's overdue next steps, for the top of their start page: the first five,
    and how many there are, from one query (each row carries the count of them all)."""
    overdue = NextStep.objects.filter(owner=page.user).overdue(timezone.localdate())
    steps = list(
        overdue.select_related("family")
        .annotate(overdue_count=Window(Count("pk")))
        .order_by("due", "pk")[:5]
    )
    return {"overdue": {"count": steps[0].overdue_count if steps else 0, "steps": steps}}


def _campaign_applies(page: FamilyListPage) -> bool:
    return not page.request.htmx and access.works_with_contacts(page.user) and campaign_is_open()


def campaign_summary(page: FamilyListPage) -> dict:
    """While the first-contact campaign is open: how far the user is (two counts)."""
    return {"campaign": campaign_progress(page.user)}


def _list_summary(queryset, user):
    return queryset.select_related("summary") if access.works_with_contacts(user) else queryset


register(
    Panel(
        name="contacts.campaign",
        slot="list_top",
        order=5,
        template="contacts/_list_campaign.html",
        applies=_campaign_applies,
        context=campaign_summary,
    )
)
register(
    Panel(
        name="contacts.overdue",
        slot="list_top",
        order=10,
        template="contacts/_list_overdue.html",
        applies=_overdue_applies,
        context=overdue_summary,
    )
)
register(
    Panel(
        name="contacts.indicators",
        slot="list_card",
        order=10,
        applies=_works_with_contacts,
        context=list_indicators,
        prepare=_list_summary,
        card=card_indicators,
    )
)
register(
    Panel(
        name="contacts.log",
        slot="list_card_end",
        order=10,
        applies=_works_with_contacts,
        card=card_log,
    )
)

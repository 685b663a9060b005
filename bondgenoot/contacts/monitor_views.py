"""The trust monitor and the start-of-year campaign."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from bondgenoot import access
from bondgenoot.approach.advisor import CONSISTENCY_WINDOW_DAYS, inconsistent_among
from bondgenoot.audit.log import record
from bondgenoot.audit.models import AuditEntry
from bondgenoot.core.http import AuthedHttpRequest
from bondgenoot.lib.charts import bar_chart, line_chart
from bondgenoot.lib.dates import month_label
from bondgenoot.lib.escape import escape_text
from bondgenoot.lib.urls import reverser
from bondgenoot.lib.widgets import FastSelect
from bondgenoot.people import school_settings
from bondgenoot.people.channels import Channel
from bondgenoot.people.languages import LANGUAGE_CHOICES
from bondgenoot.people.schoolyear import current_school_year, school_year_start

from . import actions
from .indicators import PERSONAL_DEFINITION
from .models import Purpose, Tone
from .monitor import (
    Period,
    compute,
    filter_families,
    name_lists,
    period_filters,
    with_year,
    without_positive_contact,
)
from .summary import versions

LIST_LIMIT = 25


class MonitorFilterForm(forms.Form):
    school_year = forms.TypedChoiceField(
        label=gettext_lazy("School year"), coerce=int, required=False, widget=FastSelect
    )
    group = forms.TypedChoiceField(
        label=gettext_lazy("Group"), coerce=int, required=False, empty_value=None, widget=FastSelect
    )
    year_level = forms.TypedChoiceField(
        label=gettext_lazy("Year"),
        coerce=int,
        required=False,
        empty_value=None,
        choices=[("", gettext_lazy("All years"))] + [(n, str(n)) for n in range(1, 7)],
        widget=FastSelect,
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Home language"), required=False, widget=FastSelect
    )

    def __init__(self, *args, groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        year = current_school_year()
        self.fields["school_year"].choices = [
            (y, f"{y}–{y + 1}") for y in range(year, year - 3, -1)
        ]
        self.fields["group"].choices = [("", gettext_lazy("All groups"))] + [
            (g.pk, g.name) for g in groups
        ]
        self.fields["language"].choices = [("", gettext_lazy("All languages"))] + list(
            LANGUAGE_CHOICES
        )


@login_required
def monitor(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    if not access.can_view_monitor(user):
        raise PermissionDenied
    # Only what the form and the figures use: rows, not model instances.
    groups: list[Any] = list(access.monitor_groups(user).values_list("pk", "name", named=True))
    form = MonitorFilterForm(request.GET or None, groups=groups)
    families = access.monitor_families(user)
    school_year = current_school_year()
    if form.is_valid():
        school_year = form.cleaned_data["school_year"] or school_year
        families = filter_families(
            families,
            group_id=form.cleaned_data["group"],
            year_level=form.cleaned_data["year_level"],
            language=form.cleaned_data["language"],
        )
    period = Period.of(school_year)
    group_filter = [
        g
        for g in groups
        if not form.is_valid()
        or not form.cleaned_data["group"]
        or g.pk == form.cleaned_data["group"]
    ]

    def figures():
        lists = {}
        result = compute(families, period, group_filter)
        inconsistent = inconsistent_among(result.sensitive, timezone.now())
        result.inconsistent_sensitive = len(inconsistent)
        if access.can_list_monitor_names(user):
            # Of the families in view (the figures'), names only of those this user works
            # with: a leader's dual role adds none.
            lists = name_lists(access.contact_families(user), result, inconsistent, LIST_LIMIT)
        result.listed = {}  # read for the lists: not kept in the cache
        return result, lists

    result, lists = cached_monitor(user, form, period, figures)
    labels = [month_label(m.month) for m in result.months]
    charts = {
        "tones": bar_chart(
            labels,
            [
                (_("Positive"), [m.positive for m in result.months], "positive"),
                (_("Neutral"), [m.neutral for m in result.months], "neutral"),
                (_("Concern"), [m.concern for m in result.months], "concern"),
            ],
            title=_("Contacts per month, by tone"),
            description=_(
                "Bars per month for positive, neutral and concerned contacts. "
                "The table below has the same numbers."
            ),
        ),
        "reach": line_chart(
            labels,
            [m.cumulative_share for m in result.months],
            title=_("Families with a positive personal contact, this school year"),
            description=_(
                "Share of families, cumulative per month. The table below has the same numbers."
            ),
        ),
    }
    if lists:
        # Figures alone are not sensitive; lists of families needing attention are.
        audit_name_list(user, "monitor")
    aggregates_only = not access.can_list_monitor_names(user)
    small_cell = 0
    if aggregates_only:
        small_cell = school_settings.small_cell(access.monitor_schools(user))
        suppress_small_cells(result, small_cell)
    family_url = reverser("people:family")
    return render(
        request,
        "contacts/monitor.html",
        {
            "form": form,
            "m": result,
            "month_rows": month_rows(result.months),
            "group_rows": group_rows(result.groups, small_cell),
            "charts": charts,
            "lists": lists,
            "list_html": {name: names_html(block, family_url) for name, block in lists.items()},
            "personal_definition": PERSONAL_DEFINITION,
            "aggregates_only": aggregates_only,
            "small_cell": small_cell,
            "consistency_days": CONSISTENCY_WINDOW_DAYS,
        },
    )


# The tables' rows and the name lists are written here, not by the template: a template
# loop (and an included template per list, with a {% url %} per family) was about a fifth
# of the page. The markup is the template's, byte for byte; every value escaped.


def month_rows(months) -> SafeString:
    """The rows of the months table (numbers not localized, as in ``{% localize off %}``)."""
    rows = []
    for row in months:
        share = f" ({row.cumulative_share}%)" if row.cumulative_share is not None else ""
        rows.append(
            f'<tr><th scope="row">{escape_text(month_label(row.month, long=True))}</th>'
            f"<td>{row.positive}</td><td>{row.neutral}</td><td>{row.concern}</td>"
            f"<td>{row.families_reached}</td>"
            f"<td>{row.cumulative_positive_families}{share}</td></tr>"
        )
    return mark_safe("".join(rows))


def group_rows(groups, small_cell: int) -> SafeString:
    """The rows of the groups table; a suppressed group (``suppress_small_cells``) shows
    no figures."""
    rows = []
    for g in groups:
        if getattr(g, "suppressed", False):
            hidden = _("fewer than %(n)s families: not shown") % {"n": small_cell}
            cells = f'<td colspan="5">{hidden}</td>'
        else:
            cells = (
                f"<td>{g.families}</td><td>{g.positive} ({g.positive_share}%)</td>"
                f"<td>{g.first_weeks} ({g.first_weeks_share}%)</td>"
                f"<td>{g.no_dialogue}</td><td>{g.unreached}</td>"
            )
        rows.append(f'<tr><th scope="row">{escape_text(g.name)}</th>{cells}</tr>')
    return mark_safe("".join(rows))


def names_html(block: dict, family_url) -> SafeString:
    """A list of families by name (``name_lists``), each linked to its page, with how many
    there are when not all are shown."""
    if not block["rows"]:
        return mark_safe(f'<p class="muted">{conditional_escape(_("None. Well done!"))}</p>\n')
    links = "".join(
        f'<li><a href="{escape(family_url(f["pk"]))}">{escape(f["name"])}</a></li>'
        for f in block["rows"]
    )
    more = ""
    if block["count"] > len(block["rows"]):
        shown = _("Showing %(shown)s of %(total)s.") % {
            "shown": len(block["rows"]),
            "total": block["count"],
        }
        more = f'<p class="muted">{shown}</p>'
    return mark_safe(f"<ul>{links}</ul>\n{more}\n\n")


# --- start-of-year campaign -----------------------------------------------------------------


def _campaign_scope(user) -> tuple[Any, int, int]:
    """The user's families still without a positive personal contact this school year
    (the campaign's list), how many families the user has, and how many of them had
    one: both counts from one query, the list's rule written once (``period_filters``)."""
    families = access.contact_families(user)
    period = Period.of(current_school_year())
    positive = period_filters(period)["positive"]
    counts = with_year(families, period).aggregate(
        total=Count("pk"), done=Count("pk", filter=positive)
    )
    return without_positive_contact(families, period), counts["total"], counts["done"]


def campaign_is_open(today=None) -> bool:
    """The first weeks of the school year (``TRUST_CAMPAIGN_WEEKS``)."""
    today = today or timezone.localdate()
    start = school_year_start(current_school_year(today))
    return start <= today < start + timedelta(weeks=settings.TRUST_CAMPAIGN_WEEKS)


def _progress(total: int, done: int) -> dict:
    return {
        "total": total,
        "done": done,
        "remaining": total - done,
        "percent": round(100 * done / total) if total else 0,
    }


def campaign_progress(user) -> dict:
    """How far the user's first-contact campaign is (one query)."""
    _todo, total, done = _campaign_scope(user)
    return _progress(total, done)


def campaign_context(request: HttpRequest) -> dict:
    todo, total, done = _campaign_scope(request.user)
    # Only what a row shows (the children's first names and groups): the family page's
    # prefetch of guardians, languages and mentors was two thirds of this page's time.
    paginator = Paginator(todo.with_children().order_by("name", "pk"), 30)
    # The list's length is known from the counts: no third COUNT query.
    paginator.count = total - done
    page = paginator.get_page(request.GET.get("page"))
    # A row's three links, each pattern reversed once for the page (lib.urls.reverser).
    family_url, new_url, log_url = (
        reverser(name) for name in ("people:family", "contacts:new", "contacts:campaign_log")
    )
    for family in page:
        family.url, family.new_url = family_url(family.pk), new_url(family.pk)
        family.log_url = log_url(family.pk)
    return {**_progress(total, done), "page": page}


@login_required
def campaign(request: AuthedHttpRequest) -> HttpResponse:
    if not access.works_with_contacts(request.user):
        raise PermissionDenied
    audit_name_list(request.user, "campaign")
    context = campaign_context(request)
    context["just_logged"] = _just_logged(request.user)
    return render(request, "contacts/campaign.html", context)


@login_required
@require_POST
def campaign_log(request: AuthedHttpRequest, pk) -> HttpResponse:
    """One click: a positive, reached phone call to get acquainted."""
    family = access.get_family(request.user, pk)
    if not access.can_view_contacts(request.user, family):
        raise PermissionDenied
    contact = actions.log_contact(
        request.user,
        family,
        {
            "channel": Channel.PHONE,
            "purpose": Purpose.ACQUAINTANCE,
            "tone": Tone.POSITIVE,
            "reached": True,
            "dialogue": True,
            "at": timezone.now(),
        },
    )
    if request.htmx:
        context = campaign_context(request)
        context["logged"] = family
        context["logged_contact"] = contact
        return render(request, "contacts/campaign.html#after_log", context)
    messages.success(request, _("Saved: a positive call with %(name)s.") % {"name": family.name})
    return redirect("contacts:campaign")


def _just_logged(user) -> list:
    """The user's one-tap campaign calls of the last minutes: they can still be undone."""
    since = timezone.now() - timedelta(minutes=actions.UNDO_MINUTES)
    return list(
        access.own_contacts(user)
        .filter(
            created_at__gte=since,
            channel=Channel.PHONE,
            purpose=Purpose.ACQUAINTANCE,
            tone=Tone.POSITIVE,
        )
        .select_related("family")
        .order_by("-created_at")[:10]
    )


@login_required
@require_POST
def campaign_undo(request: AuthedHttpRequest, pk) -> HttpResponse:
    """Take back a "called: positive" tapped by mistake (a few minutes, audited)."""
    contact = access.get_contact_for_edit(request.user, pk)
    try:
        actions.undo_contact(request.user, contact)
    except actions.TooLateToUndo:
        messages.error(
            request,
            _(
                "This can no longer be undone (after %(minutes)s minutes). "
                "Change the contact instead."
            )
            % {"minutes": actions.UNDO_MINUTES},
        )
        return redirect("contacts:edit", pk=contact.pk)
    messages.success(
        request,
        _("Undone: the call with %(name)s is no longer recorded.") % {"name": contact.family.name},
    )
    return redirect("contacts:campaign")


# Monitor figures change only when contacts change: cache them per scope and filter, keyed
# by the schools' ledger versions (bumped on every contact write), so a cached figure is
# never older than the ledger. The short expiry also moves the "last 8 weeks" windows on.
MONITOR_CACHE_SECONDS = 300


def cached_monitor(user, form, period, compute_fn):
    schools = sorted(
        set(access.monitor_schools(user)) | set(access.schools_for(user, "families.mentored"))
    )
    # Per user: what a user may see depends on all their roles at all their schools, so
    # figures (and above all name lists) are never shared between users.
    scope = ("user", user.pk)
    filters = tuple(sorted(form.cleaned_data.items())) if form.is_valid() else ()
    key = (
        "monitor:"
        + hashlib.sha256(
            repr(
                (
                    versions(schools),
                    scope,
                    filters,
                    period.school_year,
                    timezone.localdate(),
                )
            ).encode()
        ).hexdigest()
    )
    result = cache.get(key)
    if result is None:
        result = compute_fn()
        cache.set(key, result, MONITOR_CACHE_SECONDS)
    return result


def audit_name_list(user, page: str) -> None:
    """One audit entry per school whose family names this page lists, so that each
    school's care coordinators and administrators can find it."""
    for school_id in access.schools_for(user, "ledger.follow_up"):
        record(user, AuditEntry.Action.VIEW, school_id=school_id, detail={"page": page})


# Figures about fewer families than the schools' small-cell threshold (at least 10, a
# school setting) are not shown to figures-only users (school leaders): with filters
# combined, a cell of one or two families points at a family.


def suppress_small_cells(result, threshold: int) -> None:
    result.suppressed = result.families < threshold
    for row in result.groups:
        row.suppressed = row.families < threshold

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bondgenoot import access
from bondgenoot.core.http import AuthedHttpRequest
from bondgenoot.lib.paging import counted_page

from . import actions
from .cards import add_cards, card_html
from .family_page import render_family_page, render_family_panel
from .forms import ContactPersonForm, FamilyFilterForm
from .panels import LIST_SLOTS, FamilyListPage, add_card_parts, collect, registered

PAGE_SIZE = 25


@login_required
def family_list(request: AuthedHttpRequest) -> HttpResponse:
    """ "Mijn gezinnen": the families this user works with, searchable and sortable."""
    user = request.user
    if not access.can_list_families(user):
        raise PermissionDenied
    groups = list(access.groups_for_filter(user))
    ledger = access.works_with_contacts(user)
    # Searching by name is a POST (ASVS 14.2.1): names never land in the address bar,
    # the browser history or an access log. A GET may filter by group, situation and
    # sort (ids and codes); a name in a GET is ignored.
    params = request.POST if request.method == "POST" else request.GET.copy()
    if request.method != "POST":
        params.pop("q", None)
    form = FamilyFilterForm(params or None, groups=groups, situations=ledger)
    families = access.families_visible_to(user)
    sort = "name"
    if form.is_valid():
        if form.cleaned_data["q"]:
            families = families.search(form.cleaned_data["q"])
        if form.cleaned_data["group"]:
            families = families.in_group(form.cleaned_data["group"])
        sort = form.cleaned_data["sort"] or "name"
        if form.cleaned_data.get("situation"):
            families = families.filter(
                situation=form.cleaned_data["situation"],
                pk__in=access.contact_families(user).values("pk"),
            )
    ordering = {
        "name": ["name", "id"],
        "-name": ["-name", "-id"],
        "group": ["first_group", "name", "id"],
    }[sort]
    if sort == "group":
        families = families.with_sort_key()
    page = FamilyListPage(request)
    for panel in registered(LIST_SLOTS):
        families = panel.prepare(families, user)
    families = families.order_by(*ordering)
    if access.can(user, "families.whole_school"):
        # A school's families: COUNT(*) and the page's rows apart are quicker there.
        paginated = Paginator(families, PAGE_SIZE).get_page(params.get("page"))
    else:
        # A mentor's few groups: the count with the page's rows (one query, not two),
        # and whether they mentor each family (no query for who reads which ledger).
        families = access.with_mentored(user, families)
        paginated = counted_page(families, PAGE_SIZE, params.get("page"))
    page.families = list(paginated.object_list)
    add_cards(page.families)
    query = params.copy()
    for key in ("page", "q", "csrfmiddlewaretoken"):
        query.pop(key, None)
    context = {
        "form": form,
        "page": paginated,
        "families": page.families,
        "querystring": query.urlencode(),
        # A name search pages with buttons of the search form (POST), not with links.
        "searching": bool(form.is_bound and form.is_valid() and form.cleaned_data["q"]),
        "message_group": (
            form.cleaned_data["group"]
            if ledger and form.is_valid() and form.cleaned_data["group"]
            else None
        ),
    }
    chosen = collect(page, LIST_SLOTS, context)["panels"]
    add_card_parts(page.families, chosen)
    for family in page.families:
        family.card_html = card_html(family)
    template = "people/family_list.html#results" if request.htmx else "people/family_list.html"
    status = 400 if request.method == "POST" and form.errors and not request.htmx else 200
    return render(request, template, context, status=status)


@login_required
def family_detail(request: AuthedHttpRequest, pk) -> HttpResponse:
    return render_family_page(request, pk)


@login_required
def family_panel(request: AuthedHttpRequest, pk, name: str) -> HttpResponse:
    """A panel of the family page that loads on demand (see ``people.panels``)."""
    return render_family_panel(request, pk, name)


@login_required
@require_POST
def family_contact_person(request: AuthedHttpRequest, pk) -> HttpResponse:
    family = access.get_family_for_edit(request.user, pk)
    form = ContactPersonForm(request.POST, family=family)
    if form.is_valid():
        actions.set_contact_person(request.user, family, form.cleaned_data["contact_person"])
        messages.success(request, _("The contact person has been saved."))
        return redirect("people:family", pk=family.pk)
    return render_family_page(request, family.pk, person_form=form, status=400)

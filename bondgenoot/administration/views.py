"""The administrator's pages (/beheer/): accounts and roles, partner organisations,
pupils and guardians, the school year and a school's settings.

Every page asks the access policy (``access.administration``): administrators change
their own school(s), a school leader reads the register, nobody else gets in. Every
change goes through ``actions``. Searches are posted, so names never land in a URL.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from bondgenoot import access
from bondgenoot.audit.log import record
from bondgenoot.audit.models import AuditEntry
from bondgenoot.core.http import AuthedHttpRequest
from bondgenoot.people import school_settings
from bondgenoot.people.models import (
    Family,
    Group,
    Guardian,
    Guardianship,
    Membership,
    Pupil,
    Role,
    School,
    User,
)
from bondgenoot.people.schoolyear import current_school_year

from . import actions, forms
from .models import Placement, Rollover

PAGE_SIZE = 50


@dataclass(frozen=True)
class MembershipRow:
    """A role on the account page, and whether this administrator may take it away."""

    membership: Membership
    editable: bool


@dataclass(frozen=True)
class LinkRow:
    """A parent linked to the pupil on the pupil page, with the form that changes the
    link (None when the reader may not change it)."""

    link: Guardianship
    form: forms.GuardianshipForm | None = None


def admin_page(capability: str = "admin.register"):
    """Logged in, holds ``capability`` somewhere (else 403), and never cached."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not access.can(request.user, capability):
                raise PermissionDenied
            response = view(request, *args, **kwargs)
            add_never_cache_headers(response)
            response["Cache-Control"] = "no-store"
            return response

        return wrapper

    return decorator


def _schools(user, capability: str) -> list[School]:
    return list(School.objects.filter(pk__in=access.schools_for(user, capability)))


def _refusal(form, error: ValidationError) -> None:
    form.add_error(None, error.messages[0] if error.messages else str(error))


def _create_account(request, form, organisation=None):
    """Make the account a valid form describes and say the invitation went out; None (with
    the refusal on the form, keeping what was typed) when the action refuses."""
    data = form.cleaned_data
    try:
        account = actions.create_account(
            request.user,
            username=data["username"],
            email=data["email"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            memberships=form.chosen_memberships(),
            organisation=organisation,
            request=request,
        )
    except ValidationError as error:
        _refusal(form, error)
        return None
    messages.success(
        request,
        _("The account has been made. We sent an invitation to %(email)s.")
        % {"email": account.email},
    )
    return account


@admin_page()
def overview(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    schools = access.register_schools(user)
    return render(
        request,
        "administration/overview.html",
        {
            "schools": _schools(user, "admin.register"),
            "can_edit": access.can(user, "admin.accounts"),
            "can_import": access.can(user, "roster.import"),
            "counts": {
                "accounts": access.accounts_visible_to(user).filter(is_active=True).count(),
                "pupils": Pupil.objects.filter(school_id__in=schools, left_on__isnull=True).count(),
            },
        },
    )


# Accounts --------------------------------------------------------------------------


def _accounts_page(request, queryset, q: str):
    if q:
        for word in q.split()[:4]:
            queryset = queryset.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(username__icontains=word)
                | Q(email__icontains=word)
            )
    schools = access.register_schools(request.user)
    queryset = (
        queryset.select_related("organisation")
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.filter(school_id__in=schools)
                .select_related("school")
                .order_by("school__name", "role"),
            )
        )
        .annotate(has_device=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)))
        .order_by("-is_active", "last_name", "first_name", "pk")
    )
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


@admin_page()
def account_list(request: AuthedHttpRequest) -> HttpResponse:
    """Staff and external accounts of the user's schools. Search is posted."""
    form = forms.SearchForm(request.POST or None)
    q = form.cleaned_data["q"] if request.method == "POST" and form.is_valid() else ""
    accounts = access.accounts_visible_to(request.user)
    role = request.GET.get("rol", "")
    if role in Role.values:
        accounts = accounts.filter(
            memberships__role=role,
            memberships__school_id__in=access.register_schools(request.user),
        ).distinct()
    return render(
        request,
        "administration/account_list.html",
        {
            "form": form,
            "page": _accounts_page(request, accounts, q),
            "roles": Role.choices,
            "role": role,
            "can_edit": access.can(request.user, "admin.accounts"),
        },
    )


@admin_page("admin.accounts")
def account_new(request: AuthedHttpRequest) -> HttpResponse:
    schools = _schools(request.user, "admin.accounts")
    form = forms.AccountForm(request.POST or None, schools=schools)
    if request.method == "POST" and form.is_valid():
        account = _create_account(request, form)
        if account is not None:
            return redirect("administration:account", pk=account.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "administration/account_new.html", {"form": form}, status=status)


def _account_context(request, account: User, **forms_) -> dict:
    user = request.user
    admin_school_ids = access.schools_for(user, "admin.accounts")
    memberships = list(
        Membership.objects.filter(user=account, school_id__in=access.register_schools(user))
        .select_related("school")
        .order_by("school__name", "role")
    )
    can_edit = bool(admin_school_ids) and any(m.school_id in admin_school_ids for m in memberships)
    rows = [
        MembershipRow(membership, can_edit and membership.school_id in admin_school_ids)
        for membership in memberships
    ]
    schools = _schools(user, "admin.accounts")
    roles = {Role.PARTNER} if account.organisation_id else forms.STAFF_ROLES
    context = {
        "account": account,
        "memberships": rows,
        "can_edit": can_edit,
        "has_device": TOTPDevice.objects.filter(user=account, confirmed=True).exists(),
        "two_step": access.requires_two_factor(account) if account.is_active else False,
    }
    if can_edit:
        context |= {
            "details_form": forms_.get("details_form")
            or forms.AccountDetailsForm(instance=account, prefix="details"),
            "membership_form": forms_.get("membership_form")
            or forms.MembershipForm(schools=schools, roles=roles, prefix="role"),
            "reset_form": forms_.get("reset_form") or forms.ResetTwoStepForm(prefix="reset"),
        }
    return context


@admin_page()
def account_detail(request: AuthedHttpRequest, pk) -> HttpResponse:
    account = access.get_account(request.user, pk)
    return render(request, "administration/account_detail.html", _account_context(request, account))


def _account_post(request, pk, handle):
    """The account's forms post here; a refused change shows the page again (400)
    with what was typed."""
    account = access.get_account_for_edit(request.user, pk)
    result = handle(account)
    if isinstance(result, dict):
        context = _account_context(request, account, **result)
        return render(request, "administration/account_detail.html", context, status=400)
    return redirect("administration:account", pk=account.pk)


@require_POST
@admin_page("admin.accounts")
def account_update(request: AuthedHttpRequest, pk) -> HttpResponse:
    def handle(account):
        form = forms.AccountDetailsForm(
            request.POST, instance=User.objects.get(pk=account.pk), prefix="details"
        )
        if form.is_valid():
            try:
                actions.update_account(
                    request.user,
                    account,
                    {k: form.cleaned_data[k] for k in ("first_name", "last_name", "email")},
                )
            except ValidationError as error:
                _refusal(form, error)
                return {"details_form": form}
            messages.success(request, _("Saved."))
            return None
        return {"details_form": form}

    return _account_post(request, pk, handle)


@require_POST
@admin_page("admin.accounts")
def membership_add(request: AuthedHttpRequest, pk) -> HttpResponse:
    def handle(account):
        roles = {Role.PARTNER} if account.organisation_id else forms.STAFF_ROLES
        form = forms.MembershipForm(
            request.POST,
            schools=_schools(request.user, "admin.accounts"),
            roles=roles,
            prefix="role",
        )
        if not form.is_valid():
            return {"membership_form": form}
        actions.add_membership(
            request.user, account, form.cleaned_data["school"], form.cleaned_data["role"]
        )
        messages.success(request, _("The role has been added."))
        return None

    return _account_post(request, pk, handle)


@require_POST
@admin_page("admin.accounts")
def membership_remove(request: AuthedHttpRequest, pk, membership_id) -> HttpResponse:
    def handle(account):
        membership = access.get_or_404(
            Membership.objects.filter(
                user=account, school_id__in=access.schools_for(request.user, "admin.accounts")
            ).select_related("user"),
            membership_id,
        )
        try:
            actions.remove_membership(request.user, membership)
        except ValidationError as error:
            messages.error(request, error.messages[0])
            return None
        messages.success(request, _("The role has been taken away."))
        return None

    return _account_post(request, pk, handle)


def _all_schools_administered(user, account) -> bool:
    """Deactivating ends the account everywhere: only for an administrator of every
    school where it has a role."""
    mine = set(access.schools_for(user, "admin.accounts"))
    theirs = set(Membership.objects.filter(user=account).values_list("school_id", flat=True))
    return theirs <= mine


@require_POST
@admin_page("admin.accounts")
def account_deactivate(request: AuthedHttpRequest, pk) -> HttpResponse:
    def handle(account):
        if account.pk == request.user.pk:
            messages.error(request, _("You cannot deactivate your own account."))
            return None
        if not _all_schools_administered(request.user, account):
            messages.error(
                request,
                _(
                    "This person also works at another school. Ask its administrator, "
                    "or take away only your school's roles."
                ),
            )
            return None
        try:
            actions.deactivate_account(request.user, account)
        except ValidationError as error:
            messages.error(request, error.messages[0])
            return None
        messages.success(request, _("The account is deactivated. They are logged out now."))
        return None

    return _account_post(request, pk, handle)


@require_POST
@admin_page("admin.accounts")
def account_reactivate(request: AuthedHttpRequest, pk) -> HttpResponse:
    def handle(account):
        actions.reactivate_account(request.user, account)
        messages.success(request, _("The account is active again."))
        return None

    return _account_post(request, pk, handle)


@require_POST
@admin_page("admin.accounts")
def account_invite(request: AuthedHttpRequest, pk) -> HttpResponse:
    def handle(account):
        if not account.is_active or not account.email:
            messages.error(
                request, _("An invitation needs an active account with an email address.")
            )
            return None
        actions.resend_invitation(request.user, account, request)
        messages.success(
            request, _("We sent a new invitation to %(email)s.") % {"email": account.email}
        )
        return None

    return _account_post(request, pk, handle)


@require_POST
@admin_page("admin.accounts")
def account_reset_two_step(request: AuthedHttpRequest, pk) -> HttpResponse:
    def handle(account):
        form = forms.ResetTwoStepForm(request.POST, prefix="reset")
        if not form.is_valid():
            return {"reset_form": form}
        actions.reset_two_factor(request.user, account, form.cleaned_data["reason"], request)
        messages.success(
            request,
            _(
                "The two-step login has been reset. They set up a new app at their next "
                "login; we told them by email."
            ),
        )
        return None

    return _account_post(request, pk, handle)


@admin_page("admin.accounts")
def account_handover(request: AuthedHttpRequest, pk, school_id: int) -> HttpResponse:
    """Offboarding: what this person still holds at one school, and handing it all over
    to someone else in one step."""
    account = access.get_account_for_edit(request.user, pk)
    if not access.can(request.user, "admin.accounts", school_id):
        raise PermissionDenied
    school = School.objects.get(pk=school_id)
    year = current_school_year()
    their_roles = set(
        Membership.objects.filter(
            user=account, school_id=school_id, role__in=[Role.MENTOR, Role.CARE_COORDINATOR]
        ).values_list("role", flat=True)
    ) or {Role.MENTOR, Role.CARE_COORDINATOR}
    successors = User.objects.filter(is_active=True).exclude(pk=account.pk)
    for role in their_roles:
        successors = successors.filter(
            Exists(Membership.objects.filter(user=OuterRef("pk"), school_id=school_id, role=role))
        )
    successors = successors.order_by("first_name", "last_name")
    form = forms.HandoverForm(request.POST or None, successors=successors)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                actions.hand_over(
                    request.user, account, form.cleaned_data["successor"], school_id, year
                )
            except ValidationError as error:
                _refusal(form, error)
            else:
                successor = form.cleaned_data["successor"]
                messages.success(
                    request,
                    _("Everything has been handed over to %(name)s.")
                    % {"name": successor.get_full_name() or successor.username},
                )
                return redirect("administration:account", pk=account.pk)
        status = 400
    held = actions.handover(account, school_id, year)
    return render(
        request,
        "administration/handover.html",
        {"account": account, "school": school, "held": held, "form": form},
        status=status,
    )


# Partner organisations --------------------------------------------------------------


@admin_page()
def organisation_list(request: AuthedHttpRequest) -> HttpResponse:
    can_edit = access.can(request.user, "admin.accounts")
    form = forms.OrganisationForm(request.POST or None) if can_edit else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            organisation = actions.save_organisation(request.user, form.save(commit=False))
            messages.success(request, _("The organisation has been added."))
            return redirect("administration:organisation", pk=organisation.pk)
    accounts = access.accounts_visible_to(request.user)
    organisations = (
        access.organisations_visible_to(request.user)
        .annotate(accounts=Count("users", filter=Q(users__in=accounts, users__is_active=True)))
        .order_by("name")
    )
    return render(
        request,
        "administration/organisation_list.html",
        {"organisations": organisations, "form": form, "can_edit": can_edit},
        status=400 if request.method == "POST" else 200,
    )


@admin_page()
def organisation_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    organisation = access.get_or_404(access.organisations_visible_to(request.user), pk)
    can_edit = access.can(request.user, "admin.accounts")
    form = None
    status = 200
    if can_edit:
        form = forms.PartnerAccountForm(
            request.POST or None, schools=_schools(request.user, "admin.accounts")
        )
        if request.method == "POST":
            if form.is_valid() and _create_account(request, form, organisation) is not None:
                return redirect("administration:organisation", pk=organisation.pk)
            status = 400
    elif request.method == "POST":
        raise PermissionDenied
    accounts = _accounts_page(
        request, access.accounts_visible_to(request.user).filter(organisation=organisation), ""
    )
    return render(
        request,
        "administration/organisation_detail.html",
        {"organisation": organisation, "page": accounts, "form": form, "can_edit": can_edit},
        status=status,
    )


# Pupils and guardians ---------------------------------------------------------------


@admin_page()
def pupil_list(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    form = forms.SearchForm(request.POST or None)
    pupils = access.pupils_for_admin(user)
    groups = list(
        access.groups_for_admin(user)
        .filter(school_year__gte=current_school_year())
        .order_by("school_year", "name")
    )
    group = request.GET.get("groep", "")
    if group.isdigit():
        pupils = pupils.filter(group_id=int(group))
    if request.GET.get("vertrokken") != "1":
        pupils = pupils.filter(left_on__isnull=True)
    if request.method == "POST" and form.is_valid() and form.cleaned_data["q"]:
        for word in form.cleaned_data["q"].split()[:4]:
            pupils = pupils.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(pupil_number__iexact=word)
            )
    pupils = pupils.select_related("group", "family").order_by("last_name", "first_name", "pk")
    return render(
        request,
        "administration/pupil_list.html",
        {
            "form": form,
            "groups": groups,
            "group": group,
            "left": request.GET.get("vertrokken") == "1",
            "page": Paginator(pupils, PAGE_SIZE).get_page(request.GET.get("page")),
            "can_edit": access.can(user, "admin.people"),
        },
    )


@admin_page("admin.people")
def pupil_new(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    groups = (
        access.groups_for_admin(user, "admin.people")
        .filter(school_year=current_school_year())
        .order_by("name")
    )
    form = forms.NewPupilForm(request.POST or None, groups=groups)
    if request.method == "POST" and form.is_valid():
        group = form.cleaned_data["group"]
        family = None
        sibling = form.cleaned_data["sibling_number"].strip()
        if sibling:
            family = (
                access.families_for_admin(user)
                .filter(school_id=group.school_id, pupils__pupil_number=sibling)
                .first()
            )
            if family is None:
                form.add_error(
                    "sibling_number",
                    _(
                        "No pupil with this number at this school. "
                        "Check the number, or leave it empty."
                    ),
                )
        if not form.errors:
            values = form.values()
            try:
                pupil = actions.add_pupil(
                    user,
                    school_id=group.school_id,
                    family=family,
                    family_name=_("Family %(name)s")
                    % {
                        "name": " ".join(
                            p for p in (values["last_name_prefix"], values["last_name"]) if p
                        )
                    },
                    group=group,
                    values=values,
                )
            except ValidationError as error:
                _refusal(form, error)
            else:
                messages.success(request, _("The pupil has been added. Now add their parents."))
                return redirect("administration:pupil", pk=pupil.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "administration/pupil_new.html", {"form": form}, status=status)


def _pupil_context(request, pupil: Pupil, **given) -> dict:
    user = request.user
    can_edit = access.can(user, "admin.people", pupil.school_id)
    links = list(
        Guardianship.objects.filter(pupil=pupil)
        .select_related("guardian")
        .order_by("guardian__last_name", "pk")
    )
    placements = list(
        Placement.objects.filter(pupil=pupil).select_related("group").order_by("started_on", "pk")
    )
    context: dict[str, object] = {
        "pupil": pupil,
        "links": [LinkRow(link) for link in links],
        "placements": placements,
        "can_edit": can_edit,
    }
    if can_edit:
        groups = Group.objects.filter(
            school_id=pupil.school_id, school_year__gte=current_school_year()
        ).order_by("school_year", "name")
        if pupil.group_id is not None:
            groups = groups.exclude(pk=pupil.group_id)
        linked = {link.guardian_id for link in links}
        # Guardians of the family's other pupils who are not linked to this one yet.
        others = (
            Guardian.objects.filter(guardianships__pupil__family_id=pupil.family_id)
            .exclude(pk__in=linked)
            .distinct()
            .order_by("last_name")
        )
        context |= {
            "links": [
                LinkRow(
                    link,
                    given.get(f"link_{link.pk}")
                    or forms.GuardianshipForm(
                        prefix=f"link{link.pk}",
                        initial={
                            "relation": link.relation,
                            "parental_authority": link.parental_authority,
                            "lives_with": link.lives_with,
                            "receives_post": link.receives_post,
                        },
                    ),
                )
                for link in links
            ],
            "pupil_form": given.get("pupil_form")
            or forms.PupilForm(
                prefix="pupil", initial={k: getattr(pupil, k) for k in forms.PupilForm.FIELDS}
            ),
            "move_form": given.get("move_form") or forms.MoveForm(prefix="move", groups=groups),
            "left_form": given.get("left_form")
            or forms.LeftForm(prefix="left", initial={"left_on": timezone.localdate()}),
            "link_form": given.get("link_form")
            or forms.LinkGuardianForm(
                prefix="link",
                guardians=list(others),
                initial={"parental_authority": True, "lives_with": True, "receives_post": True},
            ),
        }
    return context


@admin_page()
def pupil_detail(request: AuthedHttpRequest, pk) -> HttpResponse:
    pupil = access.get_pupil_for_admin(request.user, pk)
    record(request.user, AuditEntry.Action.VIEW, pupil)
    return render(request, "administration/pupil_detail.html", _pupil_context(request, pupil))


def _pupil_post(request, pk, handle):
    pupil = access.get_pupil_for_admin(request.user, pk, write=True)
    result = handle(pupil)
    if isinstance(result, dict):
        return render(
            request,
            "administration/pupil_detail.html",
            _pupil_context(request, pupil, **result),
            status=400,
        )
    return redirect("administration:pupil", pk=pupil.pk)


@require_POST
@admin_page("admin.people")
def pupil_update(request: AuthedHttpRequest, pk) -> HttpResponse:
    def handle(pupil):
        form = forms.PupilForm(request.POST, prefix="pupil")
        if not form.is_valid():
            return {"pupil_form": form}
        try:
            actions.update_pupil(request.user, pupil, form.values())
        except ValidationError as error:
            _refusal(form, error)
            return {"pupil_form": form}
        messages.success(request, _("Saved."))
        return None

    return _pupil_post(request, pk, handle)


@require_POST
@admin_page("admin.people")
def pupil_move(request: AuthedHttpRequest, pk) -> HttpResponse:
    def handle(pupil):
        groups = Group.objects.filter(
            school_id=pupil.school_id, school_year__gte=current_school_year()
        )
        form = forms.MoveForm(request.POST, prefix="move", groups=groups)
        if not form.is_valid():
            return {"move_form": form}
        actions.move_pupil(request.user, pupil, form.cleaned_data["group"])
        messages.success(
            request,
            _("Moved to %(group)s. The earlier group stays in the history.")
            % {"group": form.cleaned_data["group"].name},
        )
        return None

    return _pupil_post(request, pk, handle)


@require_POST
@admin_page("admin.people")
def pupil_left(request: AuthedHttpRequest, pk) -> HttpResponse:
    def handle(pupil):
        form = forms.LeftForm(request.POST, prefix="left")
        if not form.is_valid():
            return {"left_form": form}
        try:
            actions.mark_left(request.user, pupil, form.cleaned_data["left_on"])
        except ValidationError as error:
            _refusal(form, error)
            return {"left_form": form}
        messages.success(request, _("Marked as left. The retention terms count from this date."))
        return None

    return _pupil_post(request, pk, handle)


@require_POST
@admin_page("admin.people")
def guardian_link(request: AuthedHttpRequest, pk) -> HttpResponse:
    def handle(pupil):
        others = Guardian.objects.filter(guardianships__pupil__family_id=pupil.family_id).distinct()
        form = forms.LinkGuardianForm(request.POST, prefix="link", guardians=list(others))
        if not form.is_valid():
            return {"link_form": form}
        guardian = others.get(pk=form.cleaned_data["guardian"])
        try:
            actions.link_guardian(request.user, pupil, guardian, form.values())
        except ValidationError as error:
            _refusal(form, error)
            return {"link_form": form}
        messages.success(request, _("The guardian has been linked."))
        return None

    return _pupil_post(request, pk, handle)


@require_POST
@admin_page("admin.people")
def guardianship_update(request: AuthedHttpRequest, pk, link_id: int) -> HttpResponse:
    def handle(pupil):
        link = access.get_or_404(
            Guardianship.objects.filter(pupil=pupil).select_related("pupil"), link_id
        )
        form = forms.GuardianshipForm(request.POST, prefix=f"link{link.pk}")
        if not form.is_valid():
            return {f"link_{link.pk}": form}
        if "unlink" in request.POST:
            actions.unlink_guardian(request.user, link)
            messages.success(request, _("The guardian is no longer linked to this pupil."))
        else:
            actions.update_guardianship(request.user, link, form.values())
            messages.success(request, _("Saved. This counts from now on for messages and consent."))
        return None

    return _pupil_post(request, pk, handle)


@admin_page()
def guardian_detail(request: AuthedHttpRequest, pk) -> HttpResponse:
    """A guardian's details; administrators change them (with the import's checks)."""
    user = request.user
    guardian = access.get_guardian_for_admin(user, pk)
    can_edit = access.can(user, "admin.people", guardian.school_id)
    form = None
    status = 200
    if can_edit:
        form = forms.GuardianForm(
            request.POST or None, initial=forms.GuardianForm.initial_for(guardian)
        )
        if request.method == "POST":
            if form.is_valid():
                actions.save_guardian(
                    user, guardian, form.values(), form.cleaned_data["home_languages"]
                )
                messages.success(request, _("Saved."))
                return redirect("administration:guardian", pk=guardian.pk)
            status = 400
    elif request.method == "POST":
        raise PermissionDenied
    if request.method == "GET":
        record(user, AuditEntry.Action.VIEW, guardian)
    links = Guardianship.objects.filter(guardian=guardian).select_related("pupil", "pupil__group")
    return render(
        request,
        "administration/guardian_detail.html",
        {"guardian": guardian, "form": form, "links": links, "can_edit": can_edit},
        status=status,
    )


@admin_page("admin.people")
def guardian_new(request: AuthedHttpRequest, pk) -> HttpResponse:
    """A new guardian, linked to this pupil at once."""
    pupil = access.get_pupil_for_admin(request.user, pk, write=True)
    form = forms.GuardianForm(request.POST or None, prefix="guardian")
    link_form = forms.GuardianshipForm(
        request.POST or None,
        prefix="link",
        initial={"parental_authority": True, "lives_with": True, "receives_post": True},
    )
    if request.method == "POST" and form.is_valid() and link_form.is_valid():
        guardian = actions.save_guardian(
            request.user,
            Guardian(school_id=pupil.school_id),
            form.values(),
            form.cleaned_data["home_languages"],
        )
        actions.link_guardian(request.user, pupil, guardian, link_form.values())
        messages.success(request, _("The guardian has been added."))
        return redirect("administration:pupil", pk=pupil.pk)
    return render(
        request,
        "administration/guardian_new.html",
        {"pupil": pupil, "form": form, "link_form": link_form},
        status=400 if request.method == "POST" else 200,
    )


@admin_page("admin.people")
def family_merge(request: AuthedHttpRequest) -> HttpResponse:
    """Two families made by mistake become one. Families are chosen by a pupil number
    (posted), and shown for a check before anything moves."""
    user = request.user
    form = forms.MergeForm(request.POST or None)
    preview = None
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            families = access.families_for_admin(user)
            keep = families.filter(pupils__pupil_number=form.cleaned_data["keep"]).first()
            drop = families.filter(pupils__pupil_number=form.cleaned_data["drop"]).first()
            if keep is None:
                form.add_error("keep", _("No pupil with this number at your school."))
            if drop is None:
                form.add_error("drop", _("No pupil with this number at your school."))
            if keep and drop and keep.pk == drop.pk:
                form.add_error("drop", _("These pupils are already in the same family."))
            if keep is not None and drop is not None and not form.errors:
                if form.cleaned_data["confirm"]:
                    try:
                        actions.merge_families(user, keep, drop)
                    except ValidationError as error:
                        _refusal(form, error)
                    else:
                        messages.success(request, _("The families have been merged."))
                        return redirect("administration:pupils")
                else:
                    status = 200
                preview = [
                    Family.objects.filter(pk=f.pk)
                    .prefetch_related("pupils__group")
                    .annotate(
                        guardian_count=Count("pupils__guardianships__guardian", distinct=True)
                    )
                    .get()
                    for f in (keep, drop)
                ]
    return render(
        request,
        "administration/family_merge.html",
        {"form": form, "preview": preview},
        status=status,
    )


# The school year --------------------------------------------------------------------


def _plans_from_post(request, groups, year):
    """Each group's choice from the posted form, with the default where nothing was
    posted (the first view of the page)."""
    plans, errors = [], []
    for group in groups:
        action = request.POST.get(f"action_{group.pk}", "promote" if group.pupil_count else "stay")
        if action not in ("promote", "leave", "stay"):
            action = "stay"
        name = request.POST.get(f"name_{group.pk}", actions.next_name(group.name)).strip()[:40]
        mentors = [int(m) for m in request.POST.getlist(f"mentors_{group.pk}") if m.isdigit()]
        if request.method != "POST":
            mentors = [m.pk for m in group.mentors.all()]
        if action == "promote" and not name:
            errors.append(group.pk)
        plans.append(actions.GroupPlan(group, action, name, mentors))
    return plans, errors


@admin_page("admin.register")
def school_year(request: AuthedHttpRequest) -> HttpResponse:
    """Plan the new school year: next year's groups from this year's (1A -> 2A), which
    pupils go where, who leaves, the mentors; a preview first; then, from 1 August,
    the pupils move (once)."""
    user = request.user
    can_edit = access.can(user, "admin.school_year")
    schools = _schools(user, "admin.school_year" if can_edit else "admin.register")
    school = next(
        (s for s in schools if str(s.pk) == request.GET.get("school", "")),
        schools[0] if schools else None,
    )
    if school is None:
        raise PermissionDenied
    year = current_school_year() + 1
    rollovers = list(
        Rollover.objects.filter(school=school)
        .annotate(moves_total=Count("moves"), moves_done=Count("moves", filter=Q(moves__done=True)))
        .order_by("-school_year")
    )
    planned = next((r for r in rollovers if r.school_year == year), None)
    current_year = current_school_year()
    applicable = next(
        (r for r in rollovers if r.applied_at is None and r.school_year <= current_year), None
    )
    groups = list(
        Group.objects.filter(school=school, school_year=year - 1)
        .annotate(pupil_count=Count("pupils", filter=Q(pupils__left_on__isnull=True)))
        .prefetch_related("mentors")
        .order_by("name")
    )
    mentors = list(
        User.objects.filter(
            is_active=True, memberships__school=school, memberships__role=Role.MENTOR
        ).order_by("first_name", "last_name")
    )
    plans, errors = _plans_from_post(request, groups, year)
    without_group = sum(p.source.pupil_count for p in plans if p.action == "stay")
    status = 200
    confirm_needed = False
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if "apply" in request.POST and applicable:
            try:
                moved = actions.apply_rollover(user, applicable)
            except ValidationError as error:
                messages.error(request, error.messages[0])
            else:
                messages.success(
                    request,
                    ngettext(
                        "The new school year has started: %(n)s pupil moved.",
                        "The new school year has started: %(n)s pupils moved.",
                        moved,
                    )
                    % {"n": moved},
                )
            return redirect(f"{request.path}?school={school.pk}")
        if planned:
            messages.error(request, _("The new school year has already been planned."))
            return redirect(f"{request.path}?school={school.pk}")
        if errors:
            status = 400
        elif "confirm" in request.POST:
            if without_group and request.POST.get("accept_without_group") != "1":
                confirm_needed = True
                status = 400
            else:
                try:
                    actions.plan_rollover(user, school.pk, year, plans)
                except ValidationError as error:
                    messages.error(request, error.messages[0])
                    status = 400
                else:
                    messages.success(
                        request, _("The new school year is planned. The pupils move on 1 August.")
                    )
                    return redirect(f"{request.path}?school={school.pk}")
    targets: dict[str, int] = {}
    for plan in plans:
        if plan.action == "promote" and plan.new_name:
            targets[plan.new_name] = targets.get(plan.new_name, 0) + plan.source.pupil_count
    return render(
        request,
        "administration/school_year.html",
        {
            "school": school,
            "schools": schools,
            "year": year,
            "year_label": f"{year}–{year + 1}",
            "plans": plans,
            "errors": errors,
            "mentors": mentors,
            "planned": planned,
            "applicable": applicable,
            "rollovers": rollovers,
            "without_group": without_group,
            "leaving": sum(p.source.pupil_count for p in plans if p.action == "leave"),
            "targets": sorted(targets.items()),
            "previewed": request.method == "POST",
            "confirm_needed": confirm_needed,
            "can_edit": can_edit and not planned,
            "may_apply": can_edit,
        },
        status=status,
    )


# Settings ---------------------------------------------------------------------------


@admin_page()
def school_settings_page(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    can_edit = access.can(user, "admin.settings")
    schools = _schools(user, "admin.settings" if can_edit else "admin.register")
    chosen = request.POST.get("school") or request.GET.get("school", "")
    school = next((s for s in schools if str(s.pk) == chosen), schools[0] if schools else None)
    if school is None:
        raise PermissionDenied
    current = school_settings.current(school.pk)
    form = None
    status = 200
    if can_edit:
        initial = {s.name: s.value for s in current if not s.is_default}
        if "parents_see_staff_names" in initial:
            initial["parents_see_staff_names"] = (
                "yes" if initial["parents_see_staff_names"] else "no"
            )
        form = forms.SettingsForm(request.POST or None, initial=initial)
        if request.method == "POST":
            if form.is_valid():
                actions.save_school_settings(user, school.pk, form.values())
                messages.success(request, _("The settings have been saved."))
                return redirect(f"{request.path}?school={school.pk}")
            status = 400
    elif request.method == "POST":
        raise PermissionDenied
    return render(
        request,
        "administration/settings.html",
        {"school": school, "schools": schools, "settings": current, "form": form},
        status=status,
    )

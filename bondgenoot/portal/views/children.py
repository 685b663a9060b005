"""What a parent sees per child: the start page (or the picker), answering an invitation
there, what the school recorded, the signals and their shares, who looked."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from bondgenoot import access
from bondgenoot.audit.log import record
from bondgenoot.audit.models import AuditEntry
from bondgenoot.contacts.models import NextStep
from bondgenoot.lib import private_links
from bondgenoot.meetings import actions as meeting_actions
from bondgenoot.network.models import Feedback, Share
from bondgenoot.people.models import Family, Pupil, User

from .. import texts
from ..forms import (
    AnswerForm,
)
from ..models import (
    InterpretationRelease,
)
from .frame import (
    ParentHttpRequest,
    child_nav,
    flash,
    parent_page,
    school_settings_of,
    show,
)

LOOKED_LIMIT = 200
RECORD_LIMIT = 300


# --- what a parent sees ------------------------------------------------------------


@parent_page
def home(request: ParentHttpRequest) -> HttpResponse:
    """One child: their page, right here (no redirect: one round trip less on a phone).
    Several (families, schools): pick one. None with authority: the meetings and
    messages addressed to this parent only."""
    children = list(access.parent_children(request.user))
    access.remember_children(request.user, children)
    if len(children) == 1 and not request.GET.get("kies"):
        return _child_page(request, children[0].pk, pupil=children[0])
    context: dict[str, Any] = {"children": children}
    if not children:
        context.update(_addressed(request.user, None))
    return show(request, "portal/home.html", context, lang=request.parent_language)


def _addressed(user: User, family: Family | None) -> dict:
    """Upcoming meetings and messages addressed to this parent (for one family, or all)."""
    invitations = access.parent_invitations(user).filter(meeting__ends_at__gte=timezone.now())
    deliveries = access.parent_deliveries(user)
    if family is not None:
        invitations = invitations.filter(family=family)
        deliveries = deliveries.filter(family=family)
    return {
        "invitations": list(
            invitations.select_related("meeting")
            .only(*INVITATION_FIELDS)
            .order_by("meeting__starts_at")
        ),
        "deliveries": list(
            deliveries.select_related("message")
            .only(*DELIVERY_FIELDS)
            .prefetch_related("replies")
            .order_by("-message__created_at")[:20]
        ),
    }


# What ``portal/_addressed.html`` shows of an invitation and a message (not the message's
# text for staff, its translations or its delivery state).
INVITATION_FIELDS = (
    "token", "answer", "question", "meeting__title", "meeting__starts_at", "meeting__place",
)  # fmt: skip
DELIVERY_FIELDS = ("subject", "body", "reply_token", "message__created_at")
# A child's mentors and contact person as the child's page shows them.
STAFF_FIELDS = ("first_name", "last_name", "username", "email", "phone")


def _child_page(
    request: ParentHttpRequest,
    pk: Any,
    *,
    pupil: Pupil | None = None,
    answer_form=None,
    answered=None,
    status: int = 200,
) -> HttpResponse:
    """``pupil``: the child already read through ``access.parent_children`` (the start
    page's list, the same question as ``get_parent_pupil``)."""
    user = request.user
    pupil = pupil or access.get_parent_pupil(user, pk)
    guardian = access.guardian_id_for(user, pupil)  # read with the child
    steps = (
        NextStep.objects.filter(
            family_id=pupil.family_id,
            done_at__isnull=True,
            contact__in=access.parent_contacts(user, pupil, guardian).filter(guardians=guardian),
        )
        .select_related("owner")
        .only("what", "due", *(f"owner__{name}" for name in STAFF_FIELDS))
        .order_by("due")
    )
    mentors = list(pupil.group.mentors.all()) if pupil.group else []
    return show(
        request,
        "portal/child.html",
        {
            **child_nav(pupil),
            "child_tab": True,  # also when shown at the start page's address
            "mentors": mentors,
            "contact_person": pupil.family.contact_person,
            "school_contact": _school_contact(request, pupil.school_id),
            "steps": list(steps),
            "answer_form": answer_form,
            "answered": answered,
            **_addressed(user, pupil.family),
        },
        lang=request.parent_language,
        status=status,
    )


def _school_contact(request: ParentHttpRequest, school_id: int) -> dict[str, str]:
    """How parents reach the school, as its administrator set it (only what is set)."""
    chosen = school_settings_of(request, school_id)
    return {name: chosen[name] for name in ("reachable_times", "contact_phone", "contact_email")}


def _staff_shown(user: User, school_id: int, show_names: bool) -> dict[str, Any]:
    """A member of staff as parents see them: their name when the school's setting
    ``parents_see_staff_names`` is on; always their role(s) at this school and their
    organisation (empty: the school itself). ``user`` has ``memberships`` prefetched
    and ``organisation`` selected."""
    return {
        "roles": sorted(m.role for m in user.memberships.all() if m.school_id == school_id),
        "organisation": user.organisation.name if user.organisation else "",
        "name": (user.get_full_name() or user.username) if show_names else "",
    }


@parent_page
def child(request: ParentHttpRequest, pk) -> HttpResponse:
    return _child_page(request, pk, pupil=access.get_parent_pupil_among(request.user, pk))


@parent_page
@require_POST
def answer(request: ParentHttpRequest, pk, invitation) -> HttpResponse:
    """Answer an invitation right on the child's page (the same action as the answer
    link). Invalid or too long: the page again, 400, with what was typed."""
    pupil = access.get_parent_pupil(request.user, pk)
    found = access.get_parent_invitation(request.user, invitation)
    if found.family_id != pupil.family_id or private_links.is_expired(found.meeting.ends_at):
        raise Http404
    form = AnswerForm(request.POST, t=texts.texts(request.parent_language))
    if not form.is_valid():
        return _child_page(request, pk, answer_form=form, answered=found.pk, status=400)
    data = form.cleaned_data
    try:
        meeting_actions.record_answer(
            found, data["answer"], data["people"] or 1, found.wants_interpreter, data["question"]
        )
    except meeting_actions.MeetingFull:
        return _child_page(request, pk, answer_form=form, answered=found.pk, status=409)
    flash(request, "answer_saved")
    return redirect("portal:child", pk=pupil.pk)


def _audit_read(user: User, pupil, page: str) -> None:
    record(
        user,
        AuditEntry.Action.VIEW,
        pupil,
        school_id=pupil.school_id,
        family_id=str(pupil.family_id),
        detail={"page": page, "by": "parent"},
    )


@parent_page
def recorded(request: ParentHttpRequest, pk) -> HttpResponse:
    user = request.user
    pupil = access.get_parent_pupil(user, pk)
    guardian = access.guardian_for(user, pupil)
    contacts = list(
        access.parent_contacts(user, pupil, guardian)
        .select_related("author__organisation")
        .prefetch_related("author__memberships")
        .order_by("-at")[:RECORD_LIMIT]
    )
    show_names = school_settings_of(request, pupil.school_id)["parents_see_staff_names"]
    for contact in contacts:
        contact.by = _staff_shown(contact.author, pupil.school_id, show_names)  # type: ignore[attr-defined]
    _audit_read(user, pupil, "portal record")
    return show(
        request,
        "portal/recorded.html",
        {**child_nav(pupil), "contacts": contacts},
        lang=request.parent_language,
    )


@parent_page
def signals(request: ParentHttpRequest, pk) -> HttpResponse:
    user = request.user
    pupil = access.get_parent_pupil(user, pk)
    shares = Share.objects.filter(restricted=False).select_related("version", "partner")
    rows = list(
        access.parent_signals(user, pupil)
        .prefetch_related(
            Prefetch("shares", queryset=shares.order_by("shared_at"), to_attr="visible_shares"),
            Prefetch(
                "shares__feedback",
                queryset=Feedback.objects.order_by("-at"),
            ),
        )
        .order_by("-observed_on")
    )
    released = set(
        InterpretationRelease.objects.filter(signal__in=[s.pk for s in rows]).values_list(
            "signal_id", flat=True
        )
    )
    for signal in rows:
        signal.released = signal.pk in released  # type: ignore[attr-defined]
    _audit_read(user, pupil, "portal signals")
    return show(
        request,
        "portal/signals.html",
        {**child_nav(pupil), "signals": rows},
        lang=request.parent_language,
    )


@parent_page
def looked(request: ParentHttpRequest, pk) -> HttpResponse:
    """Reads of the family's record from the audit log: role, organisation, date (and
    the name when the school's setting says so). The parent's own reads are left out."""
    user = request.user
    pupil = access.get_parent_pupil(user, pk)
    entries = list(
        AuditEntry.objects.filter(family_id=str(pupil.family_id), action=AuditEntry.Action.VIEW)
        .exclude(actor_id=user.pk)
        .exclude(actor_id__isnull=True)
        .order_by("-at")
        .values("actor_id", "at", "school_id")[:LOOKED_LIMIT]
    )
    readers = {
        u.pk: u
        for u in User.objects.filter(pk__in={e["actor_id"] for e in entries})
        .select_related("organisation")
        .prefetch_related("memberships")
    }
    show_names = school_settings_of(request, pupil.school_id)["parents_see_staff_names"]
    rows = []
    for entry in entries:
        reader = readers.get(entry["actor_id"]) if entry["actor_id"] is not None else None
        if reader is None:
            continue
        rows.append({"at": entry["at"], **_staff_shown(reader, pupil.school_id, show_names)})
    return show(
        request,
        "portal/looked.html",
        {**child_nav(pupil), "rows": rows, "show_names": show_names},
        lang=request.parent_language,
    )

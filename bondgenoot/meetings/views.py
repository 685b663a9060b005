"""Meetings: organising, inviting, answering without an account, check-in and reach."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, StringAgg, Subquery, Value
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bondgenoot import access
from bondgenoot.audit.log import record
from bondgenoot.audit.models import AuditEntry
from bondgenoot.lib import private_links
from bondgenoot.lib.texts import fill
from bondgenoot.people.languages import language_name
from bondgenoot.people.models import Family, Guardianship, Pupil

from . import actions, reach, texts
from .forms import AnswerForm, MeetingForm, PersonalInvitationForm
from .ics import calendar_for
from .models import Attendance, Invitation, Meeting

CHECK_IN_RESULTS = 15


def _groups_for(user):
    return access.message_groups(user).order_by("name")


@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    if not access.can_organise_meetings(request.user):
        raise PermissionDenied
    now = timezone.now()
    meetings = access.meetings_visible_to(request.user)
    return render(
        request,
        "meetings/list.html",
        {
            "upcoming": meetings.filter(ends_at__gte=now).order_by("starts_at"),
            "past": meetings.filter(ends_at__lt=now).order_by("-starts_at")[:20],
        },
    )


@login_required
def meeting_new(request: HttpRequest) -> HttpResponse:
    user = request.user
    schools = access.meeting_schools(user)
    if not schools:
        raise PermissionDenied
    # The school is chosen in the form when the user organises for several.
    form = MeetingForm(
        request.POST or None,
        instance=Meeting(created_by=user),
        schools=schools,
        whole_schools=access.whole_school_meeting_schools(user),
        groups=_groups_for(user),
    )
    if request.method == "POST" and form.is_valid():
        meeting = form.save(commit=False)
        meeting.year_levels = form.cleaned_data.get("year_levels", [])
        meeting.save()
        form.save_m2m()
        meeting.languages.set(form.language_codes())
        record(user, AuditEntry.Action.CREATE, meeting, detail={"title": meeting.title})
        messages.success(request, _("The meeting has been saved. Now invite the parents."))
        return redirect("meetings:detail", pk=meeting.pk)
    return render(request, "meetings/form.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def meeting_detail(request: HttpRequest, pk) -> HttpResponse:
    meeting = access.get_meeting(request.user, pk)
    if request.htmx and request.GET.get("part") == "progress":
        return render(
            request,
            "meetings/detail.html#progress",
            {"meeting": meeting, "progress": _progress(meeting)},
        )
    return render(
        request,
        "meetings/detail.html",
        {
            "meeting": meeting,
            "progress": _progress(meeting),
            "figures": reach.answers(meeting),
            "can_manage": access.can_manage_meeting(request.user, meeting),
            "can_check_in": access.can_check_in(request.user, meeting),
            "can_write": access.works_with_contacts(request.user),
            "languages": [
                language_name(c) for c in meeting.languages.values_list("code", flat=True)
            ],
            "past": meeting.ends_at < timezone.now(),
            "next_meetings": access.meetings_visible_to(request.user)
            .filter(starts_at__gt=timezone.now(), kind=meeting.kind)
            .exclude(pk=meeting.pk)
            .order_by("starts_at")[:10],
        },
    )


@login_required
@require_POST
def invite_all(request: HttpRequest, pk) -> HttpResponse:
    meeting = access.get_meeting(request.user, pk)
    if not access.can_manage_meeting(request.user, meeting):
        raise PermissionDenied
    if meeting.ends_at < timezone.now():
        raise PermissionDenied
    if actions.queue_invitations(request.user, meeting):
        messages.success(
            request, _("The invitations are being sent. This page shows the progress.")
        )
    return redirect("meetings:detail", pk=meeting.pk)


@login_required
@require_POST
def follow_up(request: HttpRequest, pk) -> HttpResponse:
    meeting = access.get_meeting(request.user, pk)
    if not access.can_manage_meeting(request.user, meeting):
        raise PermissionDenied
    next_meeting = None
    if request.POST.get("next"):
        # A malformed or foreign id is a 404, never a 500 nor a silent "no next meeting".
        next_meeting = access.get_or_404(
            access.meetings_visible_to(request.user), request.POST["next"]
        )
    thanks, invited = actions.send_follow_up(request.user, meeting, next_meeting)
    messages.success(
        request,
        _("Thank-you messages: %(thanks)d. Invitations for the next meeting: %(invited)d.")
        % {"thanks": thanks, "invited": invited},
    )
    return redirect("meetings:detail", pk=meeting.pk)


def _progress(meeting: Meeting):
    """Figures only: how far the written invitations are (no names)."""
    from bondgenoot.messaging.progress import progress

    if not meeting.invitation_message_id:
        return None
    return progress(meeting.invitation_message)


# --- personal invitations (family page, key figure page) -----------------------------------


@login_required
@require_POST
def invite_family(request: HttpRequest, family_pk) -> HttpResponse:
    family = access.get_family_for_edit(request.user, family_pk)
    form = PersonalInvitationForm(request.POST, meetings=Meeting.objects.upcoming_for(family))
    if form.is_valid():
        actions.invite_personally(
            request.user, form.cleaned_data["meeting"], family, form.cleaned_data["channel"]
        )
        messages.success(request, _("Saved: you invited the family personally."))
    else:
        messages.error(request, _("Choose a meeting and how you invited the family."))
    return redirect("people:family", pk=family.pk)


# --- check-in at the door -------------------------------------------------------------------------


def check_in_search(meeting: Meeting, q: str, families=None) -> list[dict]:
    """Families matching the name (family, pupil or parent), invited ones first, with
    whether they are present: one query (subqueries, no joins that repeat)."""
    pupils = Pupil.objects.filter(family=OuterRef("pk"), left_on__isnull=True)
    if families is None:
        families = Family.objects.filter(school_id=meeting.school_id)
    families = families.filter(Exists(pupils))
    for word in q.split()[:3]:
        families = families.filter(
            Q(name__icontains=word)
            | Exists(pupils.filter(first_name__icontains=word))
            | Exists(
                Guardianship.objects.filter(pupil__family=OuterRef("pk")).filter(
                    Q(guardian__last_name__icontains=word) | Q(guardian__first_name__icontains=word)
                )
            )
        )
    children = (
        pupils.order_by()
        .values("family")
        .annotate(names=StringAgg("first_name", delimiter=Value(", ")))
        .values("names")[:1]
    )
    rows = (
        families.annotate(
            invited=Exists(Invitation.objects.filter(meeting=meeting, family=OuterRef("pk"))),
            present=Exists(Attendance.objects.filter(meeting=meeting, family=OuterRef("pk"))),
            children=Subquery(children),
        )
        .order_by("-invited", "name")
        .values("pk", "name", "invited", "present", "children")[:CHECK_IN_RESULTS]
    )
    return list(rows)


@login_required
def check_in_page(request: HttpRequest, pk) -> HttpResponse:
    """Search by name with POST: names never go into a URL or a log."""
    meeting = access.get_meeting(request.user, pk)
    if not access.can_check_in(request.user, meeting):
        raise PermissionDenied
    q = request.POST.get("q", "").strip()[:60] if request.method == "POST" else ""
    allowed = access.check_in_families(request.user, meeting)
    results = check_in_search(meeting, q, allowed) if len(q) >= 2 else []
    context = {
        "meeting": meeting,
        "q": q,
        "results": results,
        "present": meeting.attendances.count(),
    }
    if results:
        record(request.user, AuditEntry.Action.VIEW, meeting, detail={"page": "check-in"})
    template = "meetings/check_in.html#results" if request.htmx else "meetings/check_in.html"
    return render(request, template, context)


@login_required
@require_POST
def check_in_family(request: HttpRequest, pk, family_pk) -> HttpResponse:
    meeting = access.get_meeting(request.user, pk)
    if not access.can_check_in(request.user, meeting):
        raise PermissionDenied
    family = access.check_in_families(request.user, meeting).filter(pk=family_pk).first()
    if family is None:
        raise Http404
    actions.check_in(request.user, meeting, family)
    if request.htmx:
        row = {"pk": family.pk, "name": family.name, "present": True, "invited": True}
        row["children"] = ", ".join(
            Pupil.objects.filter(family=family, left_on__isnull=True).values_list(
                "first_name", flat=True
            )
        )
        return render(request, "meetings/check_in.html#row", {"meeting": meeting, "row": row})
    messages.success(request, _("%(name)s is present.") % {"name": family.name})
    return redirect("meetings:check_in", pk=meeting.pk)


# --- reach ------------------------------------------------------------------------------------


@login_required
def meeting_reach(request: HttpRequest, pk) -> HttpResponse:
    meeting = access.get_meeting(request.user, pk)
    # Names of families only for those who work with them; school leaders see figures,
    # and none about fewer than five families.
    names = access.works_with_contacts(request.user)
    context = reach.meeting_reach(meeting, access.contact_families(request.user) if names else None)
    if names:
        record(request.user, AuditEntry.Action.VIEW, meeting, detail={"page": "reach"})
    return render(request, "meetings/reach.html", {"meeting": meeting, "names": names, **context})


@login_required
def year_reach(request: HttpRequest) -> HttpResponse:
    if not access.can_organise_meetings(request.user):
        raise PermissionDenied
    context = reach.year_reach(request.user)
    if context["names"]:
        for school_id in access.meeting_schools(request.user):
            record(
                request.user,
                AuditEntry.Action.VIEW,
                school_id=school_id,
                detail={"page": "year reach"},
            )
    return render(request, "meetings/year_reach.html", context)


# --- a parent's answer (no account) ---------------------------------------------------------------


def _invitation(token: str) -> Invitation:
    return private_links.find(Invitation.objects.select_related("meeting__school"), token)


@private_links.private_page
def answer(request: HttpRequest, token: str) -> HttpResponse:
    invitation = _invitation(token)
    meeting = invitation.meeting
    t = texts.texts(invitation.language)
    expired = private_links.is_expired(meeting.ends_at)
    status, notice = 200, ""
    initial = {
        "answer": invitation.answer,
        "people": invitation.people,
        "wants_interpreter": invitation.wants_interpreter,
        "question": invitation.question,
    }
    form = AnswerForm(request.POST or None, initial=initial)
    if expired:
        status = 410
    elif request.method == "POST" and not private_links.allow_post(request, token):
        notice, status = t["busy"], 429
    elif request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                actions.record_answer(
                    invitation,
                    data["answer"],
                    data["people"],
                    data["wants_interpreter"],
                    data["question"],
                )
                notice = t[f"thanks_{data['answer']}"]
            except actions.MeetingFull:
                notice, status = t["full"], 409
        elif "question" in form.errors:
            limit = AnswerForm.base_fields["question"].max_length
            notice, status = fill(t["too_long"], {"limit": limit}), 400
        else:
            notice, status = t["choose"], 400
    languages = [language_name(c) for c in meeting.languages.values_list("code", flat=True)]
    return private_links.render_page(
        request,
        "meetings/answer.html",
        {
            "invitation": invitation,
            "meeting": meeting,
            "t": t,
            "form": form,
            "notice": notice,
            "expired": expired,
            "when": texts.when(meeting, invitation.language),
            "interpreters": fill(t["interpreter_offered"], {"languages": ", ".join(languages)})
            if languages
            else "",
        },
        language=invitation.language,
        rtl=invitation.rtl,
        status=status,
    )


@private_links.private_page
def answer_calendar(request: HttpRequest, token: str) -> HttpResponse:
    invitation = _invitation(token)
    response = HttpResponse(
        calendar_for(invitation.meeting, request.build_absolute_uri()), content_type="text/calendar"
    )
    response["Content-Disposition"] = 'attachment; filename="uitnodiging.ics"'
    return response

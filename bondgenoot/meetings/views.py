"""Meetings: organising, inviting, answering without an account, check-in and reach."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, StringAgg, Subquery, Value
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from bondgenoot import access
from bondgenoot.audit.log import record
from bondgenoot.audit.models import AuditEntry
from bondgenoot.contacts.actions import UNDO_MINUTES, TooLateToUndo
from bondgenoot.core.http import AuthedHttpRequest
from bondgenoot.lib import private_links
from bondgenoot.lib.dates import written_number
from bondgenoot.lib.texts import fill
from bondgenoot.messaging.models import Delivery
from bondgenoot.people.channels import Channel
from bondgenoot.people.languages import FAMILY_LANGUAGES, is_rtl, language_name
from bondgenoot.people.models import Family, Group, Guardianship, Pupil

from . import actions, reach, texts
from .forms import (
    AnswerForm,
    MeetingAudienceForm,
    MeetingChangeForm,
    MeetingForm,
    PersonalInvitationForm,
)
from .ics import calendar_for
from .models import Attendance, Invitation, Meeting

CHECK_IN_RESULTS = 15


def _groups_for(user):
    return access.message_groups(user).order_by("name")


@login_required
def meeting_list(request: AuthedHttpRequest) -> HttpResponse:
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
def meeting_new(request: AuthedHttpRequest) -> HttpResponse:
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
def meeting_detail(request: AuthedHttpRequest, pk) -> HttpResponse:
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
            "letters": _letters(request.user, meeting),
            "next_meetings": access.meetings_visible_to(request.user)
            .filter(starts_at__gt=timezone.now(), kind=meeting.kind)
            .exclude(pk=meeting.pk)
            .order_by("starts_at")[:10],
        },
    )


@login_required
def meeting_edit(request: AuthedHttpRequest, pk) -> HttpResponse:
    meeting = access.get_meeting(request.user, pk)
    if not access.can_manage_meeting(request.user, meeting):
        raise PermissionDenied
    if meeting.cancelled_at or meeting.ends_at < timezone.now():
        raise PermissionDenied
    initial = MeetingChangeForm.initial_for(meeting)
    form = MeetingChangeForm(request.POST or None, initial=initial)
    audience_form = _audience_form(request.user, meeting)
    if request.method == "POST" and form.is_valid():
        told = actions.change_meeting(request.user, meeting, form.cleaned_data)
        if told:
            messages.success(
                request,
                ngettext(
                    "Saved. %(count)s invitee is told in their own language.",
                    "Saved. %(count)s invitees are told in their own language.",
                    told,
                )
                % {"count": told},
            )
        else:
            messages.success(request, _("Saved."))
        return redirect("meetings:detail", pk=meeting.pk)
    return _edit_page(request, meeting, form, audience_form)


def _edit_page(request, meeting: Meeting, form, audience_form) -> HttpResponse:
    return render(
        request,
        "meetings/edit.html",
        {
            "form": form,
            "audience_form": audience_form,
            "meeting": meeting,
            "invited": meeting.invitations.count(),
        },
        status=400 if form.errors or audience_form.errors else 200,
    )


def _audience_form(user, meeting: Meeting, data=None) -> MeetingAudienceForm:
    """Groups: the user's own plus the meeting's; families: the hand-picked ones and
    those the user mentors, as far as the user works with them (names are for them)."""
    school = meeting.school_id
    groups = Group.objects.filter(
        Q(pk__in=_groups_for(user).filter(school_id=school).values("pk"))
        | Q(pk__in=meeting.groups.values("pk"))
    )
    families = access.works_with_families(user).filter(
        Q(pk__in=meeting.families.values("pk"))
        | Q(pk__in=access.mentored_pupils(user).filter(school_id=school).values("family_id")),
        school_id=school,
    )
    return MeetingAudienceForm(
        data,
        meeting=meeting,
        whole_school=school in access.whole_school_meeting_schools(user),
        groups=groups,
        families=families,
    )


@login_required
@require_POST
def meeting_audience(request: AuthedHttpRequest, pk) -> HttpResponse:
    """Change who the meeting is for; new invitees are invited, removed ones told."""
    meeting = access.get_meeting(request.user, pk)
    if not access.can_manage_meeting(request.user, meeting):
        raise PermissionDenied
    if meeting.cancelled_at or meeting.ends_at < timezone.now():
        raise PermissionDenied
    audience_form = _audience_form(request.user, meeting, request.POST)
    if not audience_form.is_valid():
        form = MeetingChangeForm(initial=MeetingChangeForm.initial_for(meeting))
        return _edit_page(request, meeting, form, audience_form)
    change = actions.change_audience(request.user, meeting, **audience_form.audience())
    if not (change.added or change.removed):
        messages.success(request, _("Saved. Nobody comes in or drops out."))
        return redirect("meetings:detail", pk=meeting.pk)
    parts = [
        ngettext("%(count)s family comes in.", "%(count)s families come in.", change.added)
        % {"count": change.added},
        ngettext("%(count)s family drops out.", "%(count)s families drop out.", change.removed)
        % {"count": change.removed},
    ]
    if change.invited_later:
        parts.append(_("The new families are invited in their own language."))
    if change.told_removed:
        parts.append(
            ngettext(
                "%(count)s parent is told in their own language that the invitation no "
                "longer applies.",
                "%(count)s parents are told in their own language that the invitation no "
                "longer applies.",
                change.told_removed,
            )
            % {"count": change.told_removed}
        )
    messages.success(request, " ".join([_("Saved."), *parts]))
    return redirect("meetings:detail", pk=meeting.pk)


@login_required
@require_POST
def meeting_cancel(request: AuthedHttpRequest, pk) -> HttpResponse:
    meeting = access.get_meeting(request.user, pk)
    if not access.can_manage_meeting(request.user, meeting):
        raise PermissionDenied
    if meeting.ends_at < timezone.now():
        raise PermissionDenied
    told = actions.cancel_meeting(request.user, meeting)
    messages.success(
        request,
        ngettext(
            "The meeting is cancelled. %(count)s invitee is told in their own language.",
            "The meeting is cancelled. %(count)s invitees are told in their own language.",
            told,
        )
        % {"count": told},
    )
    return redirect("meetings:detail", pk=meeting.pk)


@login_required
@require_POST
def invite_all(request: AuthedHttpRequest, pk) -> HttpResponse:
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
def follow_up(request: AuthedHttpRequest, pk) -> HttpResponse:
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

    if meeting.invitation_message is None:
        return None
    return progress(meeting.invitation_message)


def _letters(user, meeting: Meeting) -> int:
    """How many invitations go out as printed letters, when the user may print them (the
    PDF is the invitation message's, read through the messages policy)."""
    if not meeting.invitation_message_id:
        return 0
    message = access.messages_visible_to(user).filter(pk=meeting.invitation_message_id)
    return Delivery.objects.filter(message__in=message, channel=Channel.LETTER).count()


# --- personal invitations (family page, key figure page) -----------------------------------


@login_required
@require_POST
def invite_family(request: AuthedHttpRequest, family_pk) -> HttpResponse:
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
            said_yes=Exists(
                Invitation.objects.filter(
                    meeting=meeting, family=OuterRef("pk"), answer=Invitation.Answer.YES
                )
            ),
            children=Subquery(children),
        )
        .order_by("-invited", "name")
        .values("pk", "name", "invited", "present", "said_yes", "children")[:CHECK_IN_RESULTS]
    )
    return list(rows)


@login_required
def check_in_page(request: AuthedHttpRequest, pk) -> HttpResponse:
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
        "said_yes": meeting.invitations.filter(answer=Invitation.Answer.YES).count(),
        "undoable": _undoable_check_ins(request.user, meeting),
    }
    if results:
        record(request.user, AuditEntry.Action.VIEW, meeting, detail={"page": "check-in"})
    template = "meetings/check_in.html#results" if request.htmx else "meetings/check_in.html"
    return render(request, template, context)


@login_required
@require_POST
def check_in_family(request: AuthedHttpRequest, pk, family_pk) -> HttpResponse:
    meeting = access.get_meeting(request.user, pk)
    if not access.can_check_in(request.user, meeting):
        raise PermissionDenied
    family = access.check_in_families(request.user, meeting).filter(pk=family_pk).first()
    if family is None:
        raise Http404
    actions.check_in(request.user, meeting, family)
    if request.htmx:
        # The row says "present" with an undo; the search box is emptied for the next
        # family at the door.
        return render(
            request,
            "meetings/check_in.html#after_check_in",
            {"meeting": meeting, "row": _row(meeting, family, present=True), "q": ""},
        )
    messages.success(request, _("%(name)s is present.") % {"name": family.name})
    return redirect("meetings:check_in", pk=meeting.pk)


def _row(meeting: Meeting, family: Family, *, present: bool) -> dict:
    invitations = list(meeting.invitations.filter(family=family).values_list("answer", flat=True))
    return {
        "pk": family.pk,
        "name": family.name,
        "present": present,
        "invited": bool(invitations),
        "said_yes": Invitation.Answer.YES in invitations,
        "undo": present,
        "children": ", ".join(
            Pupil.objects.filter(family=family, left_on__isnull=True).values_list(
                "first_name", flat=True
            )
        ),
    }


def _undoable_check_ins(user, meeting: Meeting) -> list:
    since = timezone.now() - timedelta(minutes=UNDO_MINUTES)
    return list(
        meeting.attendances.filter(checked_in_by=user, at__gte=since)
        .select_related("family")
        .order_by("-at")
    )


@login_required
@require_POST
def check_in_undo(request: AuthedHttpRequest, pk, family_pk) -> HttpResponse:
    meeting = access.get_meeting(request.user, pk)
    if not access.can_check_in(request.user, meeting):
        raise PermissionDenied
    attendance = (
        Attendance.objects.filter(
            meeting=meeting,
            family_id=family_pk,
            family__in=access.check_in_families(request.user, meeting),
        )
        .select_related("family", "contact", "meeting")
        .first()
    )
    if attendance is None:
        raise Http404
    try:
        actions.undo_check_in(request.user, attendance)
    except TooLateToUndo:
        messages.error(
            request,
            _("This check-in is more than %(minutes)s minutes old; it can no longer be undone.")
            % {"minutes": UNDO_MINUTES},
        )
        return redirect("meetings:check_in", pk=meeting.pk)
    if request.htmx:
        row = _row(meeting, attendance.family, present=False)
        return render(request, "meetings/check_in.html#row", {"meeting": meeting, "row": row})
    messages.success(
        request, _("Undone: %(name)s is not marked present.") % {"name": attendance.family.name}
    )
    return redirect("meetings:check_in", pk=meeting.pk)


# --- reach ------------------------------------------------------------------------------------


@login_required
def meeting_reach(request: AuthedHttpRequest, pk) -> HttpResponse:
    meeting = access.get_meeting(request.user, pk)
    # Names of families only for those who work with them; school leaders see figures,
    # and none about fewer families than the school's small-cell threshold.
    names = access.works_with_contacts(request.user)
    context = reach.meeting_reach(meeting, access.contact_families(request.user) if names else None)
    if names:
        record(request.user, AuditEntry.Action.VIEW, meeting, detail={"page": "reach"})
    return render(request, "meetings/reach.html", {"meeting": meeting, "names": names, **context})


@login_required
def year_reach(request: AuthedHttpRequest) -> HttpResponse:
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
    language = private_links.chosen_language(request, invitation.language, FAMILY_LANGUAGES)
    t = texts.texts(language)
    # A cancelled meeting is gone for the parent as a past one is (410), with its own words.
    cancelled = meeting.cancelled_at is not None
    expired = cancelled or private_links.is_expired(meeting.ends_at)
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
            limit = AnswerForm.base_fields["question"].max_length  # type: ignore[attr-defined]  # a CharField; the stubs type it as Field
            notice = fill(
                t["too_long"], {"limit": written_number(limit, language)}, isolate=is_rtl(language)
            )
            status = 400
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
            "cancelled": cancelled,
            "changed": meeting.changed_at is not None and not cancelled,
            "when": texts.when(meeting, language),
            "interpreters": fill(
                t["interpreter_offered"],
                {"languages": ", ".join(str(name) for name in languages)},
                isolate=is_rtl(language),
            )
            if languages
            else "",
        },
        language=language,
        rtl=is_rtl(language),
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

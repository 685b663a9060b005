"""Case discussions: planning, agenda with consent per pupil, parents invited, minutes
with actions, the parents' summary; the Meldcode route on a signal."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bondgenoot import access
from bondgenoot.audit.log import record
from bondgenoot.audit.models import AuditEntry
from bondgenoot.core.http import AuthedHttpRequest
from bondgenoot.lib import private_links
from bondgenoot.lib.tonecoach import check
from bondgenoot.network.actions import pupil_age
from bondgenoot.network.models import Organisation
from bondgenoot.people.models import Guardianship, Pupil

from . import actions, meldcode, pseudonyms, texts
from .forms import (
    ActionForm,
    AnswerForm,
    ConsentForm,
    DiscussionForm,
    InviteForm,
    ItemForm,
    MinutesForm,
    NotesForm,
    QuestionForm,
    StepForm,
    SummaryForm,
    TranslationForm,
    kind_label,
)
from .models import AgendaItem, ItemConsent, ParentInvitation
from .presenting import present_items


@login_required
def discussion_list(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    discussions = access.discussions_visible_to(user).order_by("-starts_at")[:100]
    if (
        not discussions
        and not access.can_manage_cases(user)
        and not access.can(user, "cases.participate")
    ):
        raise PermissionDenied
    rows = [{"d": d, "kind": kind_label(d.kind)} for d in discussions]
    return render(
        request,
        "cases/list.html",
        {"rows": rows, "can_manage": access.can_manage_cases(user), "now": timezone.now()},
    )


@login_required
def discussion_new(request: AuthedHttpRequest) -> HttpResponse:
    schools = access.case_schools(request.user)
    if not schools:
        raise PermissionDenied
    form = DiscussionForm(request.POST or None, schools=schools)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        discussion = actions.create_discussion(
            request.user,
            form.chosen_school_id(),
            {k: data[k] for k in ("kind", "starts_at", "place", "video_link")},
            list(data["participants"]),
        )
        messages.success(request, _("The discussion is planned. Now put pupils on the agenda."))
        return redirect("cases:detail", pk=discussion.pk)
    return render(request, "cases/form.html", {"form": form}, status=400 if form.errors else 200)


def invite_prefix(item: AgendaItem, pupil: bool = False) -> str:
    """The invitation forms' prefix: one per item (and per parents or pupil)."""
    return f"{'pupil' if pupil else 'parents'}-{item.pk.hex[:8]}"


def _detail(request, discussion, status=200, **forms):
    user = request.user
    manage = access.manages_discussion(user, discussion)
    items = present_items(user, discussion)
    for row in items:  # one invitation form per item, each with its own ids
        row["invite_form"] = InviteForm(prefix=invite_prefix(row["item"]))
        row["pupil_invite_form"] = InviteForm(
            prefix=invite_prefix(row["item"], pupil=True), pupil=True
        )
    record(
        user,
        AuditEntry.Action.VIEW,
        discussion,
        school_id=discussion.school_id,
        detail={"page": "case discussion", "items": len(items)},
    )
    context = {
        "discussion": discussion,
        "kind": kind_label(discussion.kind),
        "items": items,
        "manage": manage,
        "past": discussion.starts_at < timezone.now(),
        "participants": discussion.participants.select_related("organisation").order_by(
            "first_name"
        ),
        "notes_form": forms.get("notes_form")
        or NotesForm(prefix="discussion", initial={"notes": discussion.notes}),
        "item_form": forms.get("item_form") or ItemForm(prefix="item"),
        "hits": forms.get("hits") or {},
        "failed_item": forms.get("failed_item"),
        "consent_form": forms.get("consent_form"),
    }
    return render(request, "cases/detail.html", context, status=status)


@login_required
def discussion_detail(request: AuthedHttpRequest, pk) -> HttpResponse:
    return _detail(request, access.get_discussion(request.user, pk))


@login_required
@require_POST
def discussion_notes(request: AuthedHttpRequest, pk) -> HttpResponse:
    discussion = access.get_discussion_for_edit(request.user, pk)
    form = NotesForm(request.POST, prefix="discussion")
    if form.is_valid():
        try:
            actions.update_notes(request.user, discussion, form.cleaned_data["notes"])
        except actions.NamesFound as found:
            form.add_error("notes", _refusal_text())
            return _detail(request, discussion, 400, notes_form=form, hits=_marked(form, found))
        messages.success(request, _("Saved."))
        return redirect("cases:detail", pk=discussion.pk)
    return _detail(request, discussion, 400, notes_form=form)


def _refusal_text() -> str:
    return _(
        "This pupil is discussed without names. Take out the marked words (names, pupil "
        "number, date of birth, address or postcode); what you typed is kept below."
    )


def _marked(form, found) -> dict:
    return {
        field: pseudonyms.highlight(form.data.get(form.add_prefix(field), ""), hits)
        for field, hits in found.hits.items()
    }


@login_required
@require_POST
def item_add(request: AuthedHttpRequest, pk) -> HttpResponse:
    discussion = access.get_discussion_for_edit(request.user, pk)
    form = ItemForm(request.POST, prefix="item")
    if form.is_valid():
        pupil = Pupil.objects.filter(
            school_id=discussion.school_id,
            pupil_number=form.cleaned_data["pupil_number"].strip(),
            left_on__isnull=True,
        ).first()
        if pupil is None:
            form.add_error("pupil_number", _("No pupil with this number at this school."))
        else:
            try:
                actions.add_item(request.user, discussion, pupil, form.cleaned_data["notes"])
            except actions.NamesFound as found:
                form.add_error("notes", _refusal_text())
                return _detail(request, discussion, 400, item_form=form, hits=_marked(form, found))
            except actions.Refused:
                form.add_error("pupil_number", _("This pupil is on the agenda already."))
            else:
                messages.success(request, _("The pupil is on the agenda, pseudonymised."))
                return redirect("cases:detail", pk=discussion.pk)
    return _detail(request, discussion, 400, item_form=form)


def _item(request, pk, item_pk):
    discussion = access.get_discussion_for_edit(request.user, pk)
    return discussion, access.get_item_for_edit(request.user, discussion, item_pk)


def _consent_form(item, data=None):
    guardians = [
        link.guardian
        for link in Guardianship.objects.filter(
            pupil=item.pupil, parental_authority=True
        ).select_related("guardian")
    ]
    return ConsentForm(
        data,
        guardians=guardians,
        pupil_may=pupil_age(item.pupil, timezone.localdate()) >= 16,
    )


@login_required
@require_POST
def consent_add(request: AuthedHttpRequest, pk, item_pk) -> HttpResponse:
    discussion, item = _item(request, pk, item_pk)
    form = _consent_form(item, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        by_pupil = data["given_by"] == "pupil"
        guardian = (
            None
            if by_pupil
            else item.pupil.guardianships.filter(guardian_id=data["given_by"])
            .values_list("guardian", flat=True)
            .first()
        )
        from bondgenoot.people.models import Guardian

        try:
            actions.record_consent(
                request.user,
                item,
                guardian=Guardian.objects.filter(pk=guardian).first() if guardian else None,
                by_pupil=by_pupil,
                given_on=data["given_on"],
                how=data["how"],
                scope=data["scope"],
            )
        except actions.Refused as refused:
            form.add_error("given_by", str(refused.message))
        else:
            messages.success(request, _("Consent recorded."))
            return redirect("cases:detail", pk=discussion.pk)
    return _detail(request, discussion, 400, consent_form=form, failed_item=item.pk)


@login_required
@require_POST
def consent_withdraw(request: AuthedHttpRequest, pk, consent_pk) -> HttpResponse:
    discussion = access.get_discussion_for_edit(request.user, pk)
    consent = access.get_or_404(
        ItemConsent.objects.filter(
            item__discussion=discussion, withdrawn_at__isnull=True
        ).select_related("item__pupil", "item__discussion"),
        consent_pk,
    )
    actions.withdraw_consent(request.user, consent)
    messages.success(request, _("Consent withdrawn. The pupil is pseudonymised from now on."))
    return redirect("cases:detail", pk=discussion.pk)


@login_required
@require_POST
def invite(request: AuthedHttpRequest, pk, item_pk) -> HttpResponse:
    discussion, item = _item(request, pk, item_pk)
    form = InviteForm(request.POST, prefix=invite_prefix(item))
    if not form.is_valid():
        messages.error(request, _("Choose how you invite the parents."))
        return redirect("cases:detail", pk=discussion.pk)
    try:
        created = actions.invite_parents(
            request.user, item, form.cleaned_data["how"], request.build_absolute_uri("/")[:-1]
        )
    except actions.Refused:
        messages.error(request, _("This discussion is in the past: no new invitations."))
        return _detail(request, discussion, 400)
    messages.success(
        request,
        _("Invitations made: %(n)d. Each parent has their own link.") % {"n": created},
    )
    return redirect("cases:detail", pk=discussion.pk)


@login_required
@require_POST
def invite_pupil(request: AuthedHttpRequest, pk, item_pk) -> HttpResponse:
    discussion, item = _item(request, pk, item_pk)
    form = InviteForm(request.POST, prefix=invite_prefix(item, pupil=True), pupil=True)
    if not form.is_valid():
        messages.error(request, _("Choose how you invite the pupil."))
        return redirect("cases:detail", pk=discussion.pk)
    try:
        actions.invite_pupil(request.user, item, form.cleaned_data["how"])
    except actions.Refused as exc:
        if exc.code == "age":
            messages.error(request, _("A pupil can be invited from the age of 12."))
        else:
            messages.error(request, _("This discussion is in the past: no new invitations."))
        return _detail(request, discussion, 400)
    messages.success(request, _("The pupil has their own link: hand it over or print it."))
    return redirect("cases:detail", pk=discussion.pk)


@login_required
@require_POST
def presence(request: AuthedHttpRequest, pk, item_pk) -> HttpResponse:
    discussion, item = _item(request, pk, item_pk)
    actions.record_presence(request.user, item, set(request.POST.getlist("present")))
    messages.success(request, _("Presence saved."))
    return redirect("cases:detail", pk=discussion.pk)


def _partners(discussion):
    return (
        Organisation.objects.filter(users__case_discussions=discussion).distinct().order_by("name")
    )


def _minutes_page(request, discussion, item, status=200, **forms):
    from .presenting import present_item

    shown = present_item(request.user, discussion, item)
    summary_form = forms.get("summary_form") or SummaryForm(initial={"summary": item.summary})
    summary_text = summary_form["summary"].value() or ""
    report = check(summary_text) if summary_text else None
    return render(
        request,
        "cases/minutes.html",
        {
            "discussion": discussion,
            "item": shown,
            "minutes_form": forms.get("minutes_form")
            or MinutesForm(
                initial={
                    "notes": item.notes,
                    "facts": item.facts,
                    "parents_view": item.parents_view,
                    "next_review_on": item.next_review_on,
                }
            ),
            "action_form": forms.get("action_form") or ActionForm(partners=_partners(discussion)),
            "summary_form": summary_form,
            "translation_form": forms.get("translation_form") or TranslationForm(),
            "report": report,
            "hits": forms.get("hits") or {},
        },
        status=status,
    )


@login_required
def minutes(request: AuthedHttpRequest, pk, item_pk) -> HttpResponse:
    discussion, item = _item(request, pk, item_pk)
    if request.method == "POST":
        form = MinutesForm(request.POST)
        if form.is_valid():
            try:
                actions.save_minutes(request.user, item, **form.cleaned_data)
            except actions.NamesFound as found:
                form.add_error(next(iter(found.hits)), _refusal_text())
                return _minutes_page(
                    request, discussion, item, 400, minutes_form=form, hits=_marked(form, found)
                )
            messages.success(request, _("The minutes are saved."))
            return redirect("cases:minutes", pk=discussion.pk, item_pk=item.pk)
        return _minutes_page(request, discussion, item, 400, minutes_form=form)
    record(
        request.user,
        AuditEntry.Action.VIEW,
        item,
        school_id=discussion.school_id,
        family_id=str(item.pupil.family_id),
        detail={"page": "minutes"},
    )
    return _minutes_page(request, discussion, item)


@login_required
@require_POST
def action_add(request: AuthedHttpRequest, pk, item_pk) -> HttpResponse:
    discussion, item = _item(request, pk, item_pk)
    form = ActionForm(request.POST, partners=_partners(discussion))
    if form.is_valid():
        try:
            actions.add_action(request.user, item, form.cleaned_data)
        except actions.NamesFound as found:
            form.add_error("what", _refusal_text())
            return _minutes_page(
                request, discussion, item, 400, action_form=form, hits=_marked(form, found)
            )
        messages.success(request, _("The action is added."))
        return redirect("cases:minutes", pk=discussion.pk, item_pk=item.pk)
    return _minutes_page(request, discussion, item, 400, action_form=form)


@login_required
@require_POST
def summary(request: AuthedHttpRequest, pk, item_pk) -> HttpResponse:
    """Check with the tone coach; publish only when asked, after the check was shown."""
    discussion, item = _item(request, pk, item_pk)
    form = SummaryForm(request.POST)
    if not form.is_valid():
        return _minutes_page(request, discussion, item, 400, summary_form=form)
    publish = "publish" in request.POST
    report = check(form.cleaned_data["summary"])
    if publish and report.verdict == "hard" and "publish_anyway" not in request.POST:
        form.add_error(
            "summary",
            _("The tone coach finds this harder than B1. Make it simpler, or publish anyway."),
        )
        return _minutes_page(request, discussion, item, 400, summary_form=form)
    actions.save_summary(request.user, item, form.cleaned_data["summary"], publish)
    messages.success(
        request, _("Published for the parents.") if publish else _("The summary is saved.")
    )
    return redirect("cases:minutes", pk=discussion.pk, item_pk=item.pk)


@login_required
@require_POST
def translation(request: AuthedHttpRequest, pk, item_pk) -> HttpResponse:
    discussion, item = _item(request, pk, item_pk)
    form = TranslationForm(request.POST)
    if not form.is_valid():
        return _minutes_page(request, discussion, item, 400, translation_form=form)
    actions.save_translation(
        request.user, item, form.cleaned_data["language"], form.cleaned_data["text"]
    )
    messages.success(request, _("The translation is saved."))
    return redirect("cases:minutes", pk=discussion.pk, item_pk=item.pk)


# --- the parent's page (a private link, no account) ------------------------------------------


def summary_for(item: AgendaItem, language: str) -> str:
    """The summary in the parent's language where a translation exists, else Dutch."""
    for t in item.translations.all():
        if t.language == language:
            return t.text
    return item.summary


@private_links.private_page
def answer(request: HttpRequest, token: str) -> HttpResponse:
    invitation = private_links.find(
        ParentInvitation.objects.select_related("item__discussion", "item__pupil"), token
    )
    item = invitation.item
    discussion = item.discussion
    t = texts.texts(invitation.language)
    if invitation.for_pupil:
        t = {**t, **{key: t[f"pupil_{key}"] for key in texts.PUPIL_KEYS}}
    past = discussion.starts_at < timezone.now()
    form = AnswerForm(
        request.POST or None,
        initial={
            "answer": invitation.answer,
            "wants_interpreter": invitation.wants_interpreter,
            "question": invitation.question,
        },
    )
    status, notice = 200, ""
    if request.method == "POST" and not past:
        if form.is_valid():
            data = form.cleaned_data
            actions.record_answer(
                invitation, data["answer"], data["wants_interpreter"], data["question"]
            )
            notice = t[f"thanks_{data['answer']}"]
        else:
            notice, status = t["choose"], 400
    elif request.method == "POST":
        status = 410
    consented = item.consents.filter(withdrawn_at__isnull=True).exists()
    shown_summary = (
        summary_for(item, invitation.language) if item.summary_published_at and consented else ""
    )
    if shown_summary:
        record(
            None,
            AuditEntry.Action.VIEW,
            item,
            school_id=discussion.school_id,
            family_id=str(item.pupil.family_id),
            detail={"page": "parent summary", "guardian": str(invitation.guardian_id)},
        )
    return private_links.render_page(
        request,
        "cases/answer.html",
        {
            "invitation": invitation,
            "discussion": discussion,
            "t": t,
            "form": form,
            "notice": notice,
            "past": past,
            "when": texts.when(discussion, invitation.language),
            "summary": shown_summary,
        },
        language=invitation.language,
        rtl=invitation.rtl,
        status=status,
    )


# --- the Meldcode route -----------------------------------------------------------------------


@login_required
def route_list(request: AuthedHttpRequest) -> HttpResponse:
    if not access.can_manage_cases(request.user):
        raise PermissionDenied
    routes = (
        access.routes_visible_to(request.user)
        .filter(closed_at__isnull=True)
        .select_related("signal__pupil")
        .prefetch_related("steps")
        .order_by("started_at")
    )
    for school_id in access.case_schools(request.user):
        record(
            request.user, AuditEntry.Action.VIEW, school_id=school_id, detail={"page": "meldcode"}
        )
    return render(request, "cases/routes.html", {"rows": route_rows(routes)})


def route_rows(routes) -> list[dict]:
    today = timezone.localdate()
    rows = []
    for route in routes:
        done = {s.step for s in route.steps.all()}
        rows.append(
            {
                "route": route,
                "age": (today - timezone.localdate(route.started_at)).days,
                "next": meldcode.next_step(done),
                "next_label": meldcode.STEPS.get(meldcode.next_step(done) or 0, ""),
            }
        )
    return rows


@login_required
@require_POST
def route_start(request: AuthedHttpRequest, signal_pk) -> HttpResponse:
    signal = access.get_signal(request.user, signal_pk)
    if signal.school_id not in access.case_schools(request.user):
        raise PermissionDenied
    route = actions.start_route(request.user, signal)
    return redirect("cases:route", pk=route.pk)


def _route_page(request, route, status=200, step_form=None, question_form=None):
    done = {s.step: s for s in route.steps.select_related("by")}
    answers = list(route.answers.select_related("by"))
    answered = {a.question: a.answer for a in answers}
    next_step = meldcode.next_step(set(done))
    next_q = meldcode.next_question(answered) if 3 in done else None
    return render(
        request,
        "cases/route.html",
        {
            "route": route,
            "steps": [
                {"number": n, "label": label, "done": done.get(n)}
                for n, label in meldcode.STEPS.items()
            ],
            "answers": [{"a": a, "text": meldcode.QUESTIONS[a.question]} for a in answers],
            "next_step": next_step,
            "next_question": next_q,
            "next_question_text": meldcode.QUESTIONS.get(next_q or 0, ""),
            "outcome": meldcode.outcome(answered),
            "step_form": step_form or StepForm(),
            "question_form": question_form or QuestionForm(initial={"question": next_q}),
        },
        status=status,
    )


@login_required
def route_detail(request: AuthedHttpRequest, pk) -> HttpResponse:
    route = access.get_route(request.user, pk)
    record(
        request.user,
        AuditEntry.Action.VIEW,
        route,
        school_id=route.school_id,
        family_id=str(route.signal.pupil.family_id),
    )
    return _route_page(request, route)


@login_required
@require_POST
def route_step(request: AuthedHttpRequest, pk) -> HttpResponse:
    route = access.get_route(request.user, pk)
    form = StepForm(request.POST)
    step = meldcode.next_step(set(route.steps.values_list("step", flat=True)))
    if route.closed_at or step is None:
        raise PermissionDenied
    if form.is_valid():
        data = form.cleaned_data
        if step == 3 and "skip" in request.POST and not data["skip_reason"]:
            form.add_error("skip_reason", _("Choose why the talk is skipped."))
        else:
            try:
                actions.record_step(
                    request.user,
                    route,
                    step,
                    done_on=data["done_on"],
                    note=data["note"],
                    consulted_veilig_thuis=data["consulted_veilig_thuis"],
                    skip_reason=data["skip_reason"] if "skip" in request.POST else "",
                    decision=data["decision"],
                )
            except actions.Refused as refused:
                form.add_error(None, str(refused.message))
            else:
                messages.success(request, _("The step is recorded."))
                return redirect("cases:route", pk=route.pk)
    return _route_page(request, route, 400, step_form=form)


@login_required
@require_POST
def route_question(request: AuthedHttpRequest, pk) -> HttpResponse:
    route = access.get_route(request.user, pk)
    form = QuestionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.answer_question(
                request.user, route, data["question"], data["answer"], data["note"]
            )
        except actions.Refused as refused:
            form.add_error(None, str(refused.message))
        else:
            return redirect("cases:route", pk=route.pk)
    return _route_page(request, route, 400, question_form=form)

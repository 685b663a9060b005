"""Composer with the tone coach, sending, progress, letters, and parents' replies."""

from __future__ import annotations

from datetime import timedelta
from functools import cache

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from bondgenoot import access
from bondgenoot.audit.log import record
from bondgenoot.audit.models import AuditEntry
from bondgenoot.core.http import AuthedHttpRequest
from bondgenoot.lib import private_links
from bondgenoot.lib.dates import written_number
from bondgenoot.lib.texts import fill
from bondgenoot.lib.tonecoach import check
from bondgenoot.people.channels import Channel
from bondgenoot.people.languages import FAMILY_LANGUAGES, is_rtl, language_name
from bondgenoot.people.models import Family, Pupil

from . import actions, composing, library
from .delivery import children_by_family
from .forms import ComposeForm, ReplyForm
from .models import Delivery, TranslationRequest
from .planning import letter_for, plan
from .progress import progress
from .recipients import recipients_page

# The longest message body; longer text is refused before the tone coach sees it.
BODY_MAX = ComposeForm.base_fields["body"].max_length  # type: ignore[attr-defined]  # a CharField; the stubs type it as Field


# --- the tone coach ---------------------------------------------------------------------------


def highlighted(text: str, findings) -> list[tuple[str, object]]:
    """The text cut into pieces, each with the finding it belongs to (or None)."""
    pieces: list[tuple[str, object]] = []
    pos = 0
    for f in sorted(findings, key=lambda f: (f.start, -f.end)):
        if f.start < pos:
            continue  # overlaps a piece already marked
        if f.start > pos:
            pieces.append((text[pos : f.start], None))
        pieces.append((text[f.start : f.end], f))
        pos = f.end
    if pos < len(text):
        pieces.append((text[pos:], None))
    return pieces


def tone_context(text: str) -> dict:
    report = check(text) if text.strip() else None
    return {
        "report": report,
        "pieces": highlighted(text, report.findings) if report else [],
    }


@login_required
@require_POST
def tone(request: AuthedHttpRequest) -> HttpResponse:
    """The live check beside the text (htmx); stores nothing."""
    if not access.works_with_contacts(request.user):
        raise PermissionDenied
    body = request.POST.get("body", "")
    context = tone_context("" if len(body) > BODY_MAX else body)
    context["too_long"] = len(body) > BODY_MAX
    return render(request, "messaging/_tone.html", context)


def accept(body: str, choice: str) -> str:
    """Apply the plain alternative of the finding at ``start:end``, if it still fits."""
    if len(body) > BODY_MAX:
        return body  # refused by the form; never analysed
    try:
        start, end = (int(x) for x in choice.split(":")[:2])
    except ValueError:
        return body
    for f in check(body).findings:
        if (f.start, f.end) == (start, end) and f.replacement:
            return body[:start] + f.replacement + body[end:]
    return body


# --- composing and sending ----------------------------------------------------------------------


def _audience(request: HttpRequest) -> tuple:
    """(families, label, school id, back url, hidden fields) from ?gezin=, ?groep= or
    ?bijeenkomst= (its invitees); always narrowed to families the writer works with."""
    user = request.user
    params = request.POST if request.method == "POST" else request.GET
    family_pk, group_pk = params.get("gezin"), params.get("groep")
    readable = access.contact_families(user)
    if family_pk:
        family = access.get_family(user, family_pk)
        if not access.can_view_contacts(user, family):
            raise PermissionDenied
        return (
            Family.objects.filter(pk=family.pk),
            family.name,
            family.school_id,
            reverse("people:family", args=[family.pk]),
            {"gezin": str(family.pk)},
        )
    if group_pk:
        group = None
        if str(group_pk).isdigit():
            group = access.message_groups(user).filter(pk=int(group_pk)).first()
        if group is None:
            raise Http404
        families = readable.filter(pupils__group=group, pupils__left_on__isnull=True).distinct()
        return (
            families,
            _("group %(name)s") % {"name": group.name},
            group.school_id,
            reverse("people:families") + f"?group={group.pk}",
            {"groep": str(group.pk)},
        )
    meeting_pk = params.get("bijeenkomst")
    if meeting_pk:
        meeting = access.get_meeting(user, meeting_pk)
        families = readable.filter(
            pk__in=meeting.invitations.values("family_id"), school_id=meeting.school_id
        )
        return (
            families,
            _("the invitees of %(title)s") % {"title": meeting.title},
            meeting.school_id,
            reverse("meetings:detail", args=[meeting.pk]),
            {"bijeenkomst": str(meeting.pk)},
        )
    raise Http404


def _child_choices(hidden: dict) -> list[tuple[str, str]]:
    """(pupil id, first name) of the family written to, oldest first: the writer says
    which child a message about a child is about when there are several."""
    if "gezin" not in hidden:
        return []
    pupils = Pupil.objects.filter(family_id=hidden["gezin"], left_on__isnull=True)
    return [
        (str(pk), name)
        for pk, name in pupils.order_by("date_of_birth", "pk").values_list("pk", "first_name")
    ]


def _children(families, hidden: dict, form: ComposeForm) -> dict:
    """The first names each family's message is about: the chosen child, the pupils in
    the group written to, or (the invitees of a meeting, all of them) every child."""
    family_ids = set(families.values_list("pk", flat=True))
    if "groep" in hidden:
        return children_by_family(family_ids, group_id=int(hidden["groep"]))
    return children_by_family(family_ids, pupil_id=form.pupil_id())


@cache
def _template_initial(key: str) -> dict:
    template = library.templates().get(key)
    if template is None or "nl" not in template.texts:
        return {}
    nl = template.texts["nl"]
    return {"template": key, "purpose": template.purpose, "subject": nl.subject, "body": nl.body}


@login_required
def compose(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    if not access.works_with_contacts(user):
        raise PermissionDenied
    families, audience, school_id, back, hidden = _audience(request)
    params = request.POST if request.method == "POST" else None
    data = request.POST.copy() if request.method == "POST" else None
    if data is not None and data.get("template_pick"):
        data["template"] = data.pop("template_pick")[0]
        data["use_template"] = "1"
    if data is not None and data.get("use_template") is not None:
        data.update(_template_initial(data.get("template", "")) or {})
        data.pop("use_template")
    # Too long: the form says so (and keeps the text); no suggestion, no tone check.
    too_long = data is not None and len(data.get("body", "")) > BODY_MAX
    # After taking a suggestion, focus goes back to the text (never to <body>).
    accepted = data is not None and bool(data.get("accept")) and not too_long
    if accepted and data is not None:
        data["body"] = accept(data.get("body", ""), data.get("accept", ""))
    initial = _template_initial(request.GET.get("template", "")) if data is None else {}
    # Translations by a person the writer asked for: their own answered requests.
    asked = list(
        access.translation_requests_asked_by(user).filter(
            pk__in=composing.uuids((params or request.GET).getlist("vertaling")),
            status=TranslationRequest.Status.DONE,
            school_id=school_id,
        )
    )
    if data is None and asked and not initial:
        initial = {"subject": asked[0].subject, "body": asked[0].body}  # back from the request
    if data is not None and "send" not in data and not too_long:
        # Checking the text, taking a suggestion or a template: nothing is sent, so no
        # errors yet; the form shows what was typed.
        initial = {name: data.get(name, "") for name in ComposeForm.base_fields}
        initial["letters"] = data.get("letters") == "on"
        data = None
    form = ComposeForm(data, initial=initial or None, children=_child_choices(hidden))
    source = data if data is not None else (initial or {})
    subject, body = source.get("subject") or "", source.get("body") or ""
    reachable, unreachable = plan(families)
    composing.apply_channel_choices(params, reachable)
    letters = [r for r in unreachable if letter_for(r)]
    # Translations the writer saw (by a computer), if they still belong to this text.
    translations = composing.translations_from(params, subject, body)
    covered = composing.template_languages(source.get("template") or "", subject, body)
    failed: list[str] = []
    if params is not None and params.get("machine_translate"):
        wanted = {r.language for r in reachable + letters if r.language not in covered}
        wanted.discard("nl")
        translations, failed = composing.machine_translate(subject, body, wanted)
    person = composing.person_translations(asked, subject, body)
    translations = {**translations, **person}
    asked_now, ask_error = _ask_translation(request, params, school_id, hidden, reachable + letters)
    confirm = []
    if data is not None and "send" in data and form.is_valid():
        recipients = list(reachable)
        if form.cleaned_data["letters"]:
            recipients += letters
        # Alarm or labels left in the text: ask once ("send anyway" sends), never block.
        confirm = [] if data.get("send") == "confirmed" else composing.findings_to_confirm(body)
        if not recipients:
            form.add_error(None, _("Nobody in this selection can be reached in writing."))
        elif not confirm:
            message = actions.create_message(
                user,
                school_id,
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
                purpose=form.cleaned_data["purpose"],
                template_key=form.cleaned_data["template"],
                translated=form.translated(),
                values=form.values(),
                audience=audience,
                recipients=recipients,
                translations={
                    lang: {
                        "subject": t.subject,
                        "body": t.body,
                        "status": t.status,
                        **({"by": t.by} if t.by else {}),
                    }
                    for lang, t in translations.items()
                },
                children=_children(families, hidden, form),
            )
            url = reverse("messaging:detail", args=[message.pk])
            if request.htmx:
                response = HttpResponse(status=204)
                response["HX-Redirect"] = url
                return response
            return redirect(url)
    languages: dict[str, int] = {}
    channels: dict[str, int] = {}
    for r in reachable:
        languages[r.language] = languages.get(r.language, 0) + 1
        channels[r.delivery_channel] = channels.get(r.delivery_channel, 0) + 1
    family_count = families.count()
    context = {
        "form": form,
        "audience": audience,
        "back": back,
        "hidden": hidden,
        "families": family_count,
        "parents_label": ngettext("%(count)s parent", "%(count)s parents", len(reachable))
        % {"count": len(reachable)},
        "families_label": ngettext("%(count)s family", "%(count)s families", family_count)
        % {"count": family_count},
        "reachable": reachable,
        "unreachable": unreachable,
        "channel_labels": dict(Channel.choices),
        "channels": sorted(channels.items()),
        "languages": [
            (code, language_name(code), n)
            for code, n in sorted(languages.items(), key=lambda kv: (-kv[1], kv[0]))
        ],
        "language_plan": composing.language_plan(reachable + letters, covered, translations),
        "translations": [t for t in translations.values() if t.status == "machine"],
        "person_translations": list(person.values()),
        "ask_options": _ask_options(user, school_id, reachable + letters, covered, translations),
        "asked_now": asked_now,
        "ask_error": ask_error,
        "translation_source": composing.source_key(subject, body),
        "translation_failed": composing.failed_message(failed) if failed else "",
        "confirm": confirm,
        "template": library.templates().get(source.get("template") or ""),
        "theme_names": [names["nl"] for names in library.themes().values()],
        **tone_context("" if too_long else body),
        "too_long": too_long,
        "accepted": accepted,
    }
    if unreachable:
        record(user, AuditEntry.Action.VIEW, school_id=school_id, detail={"page": "compose"})
    template = "messaging/compose.html#composer" if request.htmx else "messaging/compose.html"
    # htmx swaps only successful responses: its partial says what is wrong with 200.
    status = 400 if form.errors and not request.htmx else 200
    return render(request, template, context, status=status)


def _families_reading(recipients, language: str) -> set:
    return {r.family.pk for r in recipients if r.language == language}


def _ask_options(user, school_id, recipients, covered, translations) -> list:
    """Per language that would get the writer's text in Dutch: who may be asked."""
    wanted = sorted({r.language for r in recipients} - covered - set(translations) - {"nl"})
    options = []
    for code in wanted:
        found = access.translators(user, school_id, code, _families_reading(recipients, code))
        if found:
            options.append((code, language_name(code), found))
    return options


def _ask_translation(request, params, school_id, hidden, recipients):
    """The writer asks a colleague or a key figure (only one ``access.translators``
    offers for this language and these families) to translate their text."""
    if params is None or not (code := params.get("ask_translation")):
        return None, ""
    subject, body = params.get("subject", "").strip(), params.get("body", "").strip()
    families = _families_reading(recipients, code)
    chosen = next(
        (
            t
            for t in access.translators(request.user, school_id, code, families)
            if t.key_figure_id == params.get(f"vertaler-{code}")
        ),
        None,
    )
    if chosen is None or not subject or not body or len(body) > BODY_MAX:
        return None, _("Write the subject and the text first, and choose who you ask.")
    asked = actions.request_translation(
        request.user,
        school_id,
        translator_id=chosen.user_id,
        via=chosen.via,
        language=code,
        subject=subject[:200],
        body=body,
        source=composing.source_key(subject, body),
        family_ids=families,
        audience=hidden,
    )
    return (asked, chosen.name), ""


# --- after sending -----------------------------------------------------------------------------


@login_required
def message_list(request: AuthedHttpRequest) -> HttpResponse:
    if not access.works_with_contacts(request.user):
        raise PermissionDenied
    messages = (
        access.messages_visible_to(request.user)
        .select_related("author")
        .annotate(
            # Two joins: count distinct rows, or replies would multiply the recipients.
            recipients=Count("deliveries", distinct=True),
            replies=Count("deliveries__replies", distinct=True),
        )
        .order_by("-created_at", "pk")
    )
    page = Paginator(messages, 25).get_page(request.GET.get("page"))
    for school_id in access.schools_for(request.user, "messages.write"):
        record(
            request.user, AuditEntry.Action.VIEW, school_id=school_id, detail={"page": "messages"}
        )
    return render(request, "messaging/list.html", {"page": page})


@login_required
def message_detail(request: AuthedHttpRequest, pk) -> HttpResponse:
    message = access.get_message(request.user, pk)
    if request.htmx and request.GET.get("part") == "progress":
        return render(
            request,
            "messaging/detail.html#progress",
            {"message": message, "progress": progress(message)},
        )
    record(request.user, AuditEntry.Action.VIEW, message, detail={"page": "message"})
    deliveries, rows = recipients_page(message, request.GET.get("page"))
    return render(
        request,
        "messaging/detail.html",
        {
            "message": message,
            "progress": progress(message),
            "deliveries": deliveries,
            "recipient_rows": rows,
            "letters": message.deliveries.filter(channel=Channel.LETTER).count(),
        },
    )


@login_required
def letters_pdf(request: AuthedHttpRequest, pk) -> HttpResponse:
    from .letters import letters_pdf as make_pdf

    message = access.get_message(request.user, pk)
    deliveries = list(message.deliveries.filter(channel=Channel.LETTER).select_related("guardian"))
    if not deliveries:
        raise Http404
    record(request.user, AuditEntry.Action.EXPORT, message, detail={"letters": len(deliveries)})
    response = HttpResponse(make_pdf(message, deliveries), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="brieven-{message.pk}.pdf"'
    return response


@login_required
def library_view(request: AuthedHttpRequest) -> HttpResponse:
    if not access.can(request.user, "templates.read"):
        raise PermissionDenied
    return render(
        request,
        "messaging/library.html",
        {"templates": library.templates().values(), "languages": library.LANGUAGES},
    )


# --- a parent's answer (no account) ------------------------------------------------------------


def _reply_delivery(token: str) -> Delivery:
    return private_links.find(
        Delivery.objects.select_related("message", "guardian"), token, field="reply_token"
    )


@private_links.private_page
def reply(request: HttpRequest, token: str) -> HttpResponse:
    delivery = _reply_delivery(token)
    language = private_links.chosen_language(request, delivery.language, FAMILY_LANGUAGES)
    texts = library.reply_texts(language)
    sent = delivery.sent_at or delivery.message.created_at
    expired = private_links.is_expired(sent + timedelta(days=settings.REPLY_DAYS))
    form = ReplyForm(request.POST or None)
    thanks = busy = False
    status = 200
    if expired:
        status = 410
    elif request.method == "POST" and not private_links.allow_post(request, token):
        busy, status = True, 429
    elif request.method == "POST":
        if form.is_valid():
            actions.record_reply(delivery, form.cleaned_data["body"])
            thanks = True
            form = ReplyForm()
        else:
            status = 400
    limit = ReplyForm.base_fields["body"].max_length  # type: ignore[attr-defined]  # a CharField; the stubs type it as Field
    return private_links.render_page(
        request,
        "messaging/reply.html",
        {
            "delivery": delivery,
            "t": texts,
            "form": form,
            "thanks": thanks,
            "busy": busy,
            "too_long": fill(
                texts["too_long"],
                {"limit": written_number(limit, language)},
                isolate=is_rtl(language),
            )
            if len(request.POST.get("body", "")) > limit
            else "",
            "expired": expired,
            "previous": list(delivery.replies.all()),
        },
        language=language,
        rtl=is_rtl(language),
        status=status,
    )

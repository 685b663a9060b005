"""Protocols written together: the care coordinator's drafts, comments per paragraph with
replies, the published versions; and the parent's pages in the parent frame."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bondgenoot import access
from bondgenoot.core.http import AuthedHttpRequest
from bondgenoot.lib.texts import fill
from bondgenoot.lib.tonecoach import check
from bondgenoot.portal import texts as portal_texts
from bondgenoot.portal.views.frame import ParentHttpRequest, child_nav, parent_page, show

from . import actions
from .forms import CommentForm, DraftForm, ParentCommentForm, ReplyForm, TextForm, TranslationForm
from .models import Comment, Paragraph, Protocol, ProtocolVersion


def _versions(protocol: Protocol) -> tuple[ProtocolVersion | None, ProtocolVersion | None]:
    """(the version open for comment, the published version in force)."""
    open_round = published = None
    for v in protocol.versions.all():  # newest first
        if v.state == ProtocolVersion.State.CONSULTATION and open_round is None:
            open_round = v
        if v.state == ProtocolVersion.State.FINAL and published is None:
            published = v
    return open_round, published


@login_required
def protocol_list(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    if not (
        access.can_write_protocols(user)
        or access.can(user, "protocols.staff")
        or access.can(user, "protocols.partner")
    ):
        raise PermissionDenied
    protocols = (
        access.protocols_visible_to(user)
        .select_related("school")
        .prefetch_related("versions")
        .order_by("title")
    )
    rows = []
    for p in protocols:
        open_round, published = _versions(p)
        if open_round is None and published is None:
            continue
        rows.append({"protocol": p, "open": open_round, "published": published})
    return render(
        request,
        "protocols/list.html",
        {"rows": rows, "can_write": access.can_write_protocols(user)},
    )


@login_required
def protocol_new(request: AuthedHttpRequest) -> HttpResponse:
    schools = access.protocol_schools(request.user)
    if not schools:
        raise PermissionDenied
    form = DraftForm(request.POST or None, schools=schools)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        version = actions.open_draft(
            request.user,
            form.chosen_school_id(),
            {k: data[k] for k in ("title", "for_parents", "for_partners", "for_staff")},
            data["text"],
            data["summary"],
        )
        messages.success(request, _("The draft is open for comment."))
        return redirect("protocols:detail", pk=version.protocol_id)
    return render(
        request, "protocols/form.html", {"form": form}, status=400 if form.errors else 200
    )


def _paragraphs(version: ProtocolVersion, user, manage: bool) -> list[Paragraph]:
    """The version's paragraphs with the comments this user may read: the writer reads
    all of them, everyone else only their own (with the reply)."""
    comments = Comment.objects.select_related("author")
    if not manage:
        comments = comments.filter(author=user)
    return list(version.paragraphs.prefetch_related(Prefetch("comments", queryset=comments)))


def _detail(request: AuthedHttpRequest, protocol: Protocol, status: int = 200, **forms: Any):
    user = request.user
    manage = access.manages_protocol(user, protocol)
    kind = access.commenter_kind(user, protocol)
    open_round, published = _versions(protocol)
    shown = open_round or published
    paragraphs = _paragraphs(shown, user, manage) if shown else []
    failed = forms.get("failed")  # (paragraph id, form) of a comment that did not save
    rows: list[dict[str, Any]] = []
    unanswered = 0
    for p in paragraphs:
        comment_form = None
        if open_round is not None and kind is not None:
            if failed and failed[0] == p.pk:
                comment_form = failed[1]
            else:
                comment_form = CommentForm(prefix=f"p{p.position}")
        replies = []
        for c in p.comments.all():
            reply_form = None
            if manage and open_round is not None:
                failed_reply = forms.get("failed_reply")
                reply_form = (
                    failed_reply[1]
                    if failed_reply and failed_reply[0] == c.pk
                    else ReplyForm(prefix=f"r{c.pk.hex[:12]}", initial={"text": c.reply})
                )
            replies.append({"comment": c, "reply_form": reply_form})
            unanswered += not c.reply
        rows.append({"paragraph": p, "form": comment_form, "comments": replies})
    text = "\n\n".join(p.text for p in paragraphs)
    summary = shown.summary if shown else ""
    context = {
        "protocol": protocol,
        "open": open_round,
        "published": published,
        "shown": shown,
        "rows": rows,
        "manage": manage,
        "can_comment": open_round is not None and kind is not None,
        "history": list(protocol.versions.all()),
        "unanswered": unanswered,
        "publish_form": forms.get("publish_form")
        or TextForm(prefix="publish", initial={"text": text, "summary": summary}),
        "revise_form": forms.get("revise_form")
        or TextForm(prefix="revise", initial={"text": text, "summary": summary}),
        "translation_form": forms.get("translation_form") or TranslationForm(prefix="tr"),
        "report": forms.get("report"),
        "error": forms.get("error"),
    }
    return render(request, "protocols/detail.html", context, status=status)


def _protocol(request: AuthedHttpRequest, pk) -> Protocol:
    return access.get_protocol(request.user, pk)


def _protocol_for_edit(request: AuthedHttpRequest, pk) -> Protocol:
    protocol = _protocol(request, pk)
    if not access.manages_protocol(request.user, protocol):
        raise PermissionDenied
    return protocol


@login_required
def protocol_detail(request: AuthedHttpRequest, pk) -> HttpResponse:
    return _detail(request, access.get_protocol(request.user, pk))


@login_required
@require_POST
def comment(request: AuthedHttpRequest, pk, paragraph_pk: int) -> HttpResponse:
    protocol = _protocol(request, pk)
    kind = access.commenter_kind(request.user, protocol)
    if kind is None:
        raise PermissionDenied
    paragraph = Paragraph.objects.filter(
        pk=paragraph_pk,
        version__protocol=protocol,
        version__state=ProtocolVersion.State.CONSULTATION,
    ).first()
    if paragraph is None:
        raise Http404
    form = CommentForm(request.POST, prefix=f"p{paragraph.position}")
    if not form.is_valid():
        return _detail(request, protocol, 400, failed=(paragraph.pk, form))
    actions.add_comment(request.user, paragraph, kind, form.cleaned_data["text"])
    messages.success(request, _("Thank you. The care coordinator will reply to your comment."))
    return redirect("protocols:detail", pk=protocol.pk)


@login_required
@require_POST
def reply(request: AuthedHttpRequest, pk, comment_pk) -> HttpResponse:
    protocol = _protocol_for_edit(request, pk)
    found = Comment.objects.filter(
        pk=comment_pk,
        paragraph__version__protocol=protocol,
        paragraph__version__state=ProtocolVersion.State.CONSULTATION,
    ).first()
    if found is None:
        raise Http404
    form = ReplyForm(request.POST, prefix=f"r{found.pk.hex[:12]}")
    if not form.is_valid():
        return _detail(request, protocol, 400, failed_reply=(found.pk, form))
    actions.reply(request.user, found, form.cleaned_data["text"])
    messages.success(request, _("Your reply is saved."))
    return redirect("protocols:detail", pk=protocol.pk)


@login_required
@require_POST
def publish(request: AuthedHttpRequest, pk) -> HttpResponse:
    """Check the summary with the tone coach; publish when asked, after the check."""
    protocol = _protocol_for_edit(request, pk)
    open_round, _published = _versions(protocol)
    if open_round is None:
        raise Http404
    form = TextForm(request.POST, prefix="publish")
    if not form.is_valid():
        return _detail(request, protocol, 400, publish_form=form)
    data = form.cleaned_data
    report = check(data["summary"]) if data["summary"] else None
    if "publish" not in request.POST:
        return _detail(request, protocol, 200, publish_form=form, report=report)
    try:
        actions.publish(request.user, open_round, data["text"], data["summary"])
    except actions.Refused as exc:
        return _detail(request, protocol, 400, publish_form=form, error=_refusal(exc))
    messages.success(request, _("The final version is published."))
    return redirect("protocols:detail", pk=protocol.pk)


@login_required
@require_POST
def revise(request: AuthedHttpRequest, pk) -> HttpResponse:
    protocol = _protocol_for_edit(request, pk)
    form = TextForm(request.POST, prefix="revise")
    if not form.is_valid():
        return _detail(request, protocol, 400, revise_form=form)
    try:
        actions.open_revision(
            request.user, protocol, form.cleaned_data["text"], form.cleaned_data["summary"]
        )
    except actions.Refused as exc:
        return _detail(request, protocol, 400, revise_form=form, error=_refusal(exc))
    messages.success(request, _("A new round of comment is open."))
    return redirect("protocols:detail", pk=protocol.pk)


@login_required
@require_POST
def translation(request: AuthedHttpRequest, pk) -> HttpResponse:
    protocol = _protocol_for_edit(request, pk)
    _open, published = _versions(protocol)
    if published is None:
        raise Http404
    form = TranslationForm(request.POST, prefix="tr")
    if not form.is_valid():
        return _detail(request, protocol, 400, translation_form=form)
    actions.save_translation(
        request.user, published, form.cleaned_data["language"], form.cleaned_data["text"]
    )
    messages.success(request, _("The translation is saved."))
    return redirect("protocols:detail", pk=protocol.pk)


def _refusal(exc: actions.Refused) -> str:
    return {
        "unanswered": _("Reply to every comment before you publish."),
        "closed": _("This version is no longer open for comment."),
        "open": _("This protocol is open for comment already."),
        "empty": _("A protocol needs at least one paragraph."),
    }.get(str(exc.code), _("This could not be saved."))


# --- parents (the parent frame, eight languages) ---------------------------------------------


def _pt(lang: str) -> dict:
    """The protocol pages' texts in the parent's language (portal_texts.toml)."""
    return portal_texts.texts(lang)["protocols"]


def summary_in(version: ProtocolVersion, language: str) -> str:
    """The summary in the parent's language where a translation exists, else Dutch."""
    for t in version.translations.all():
        if t.language == language and t.text:
            return t.text
    return version.summary


@parent_page
def parent_list(request: ParentHttpRequest, pk) -> HttpResponse:
    pupil = access.get_parent_pupil(request.user, pk)
    lang = request.parent_language
    rows = []
    for p in (
        access.parent_protocols(request.user, pupil)
        .prefetch_related("versions__translations")
        .order_by("title")
    ):
        open_round, published = _versions(p)
        if open_round is None and published is None:
            continue
        rows.append(
            {
                "protocol": p,
                "open": open_round,
                "published": published,
                "summary": summary_in(published, lang) if published else "",
            }
        )
    return show(
        request,
        "protocols/parent_list.html",
        {**child_nav(pupil), "rows": rows, "pt": _pt(lang)},
        lang=lang,
    )


def _parent_version_page(
    request: ParentHttpRequest, pupil, version: ProtocolVersion, status: int = 200, failed=None
) -> HttpResponse:
    lang = request.parent_language
    pt = _pt(lang)
    is_open = version.state == ProtocolVersion.State.CONSULTATION
    rows = []
    for p in _paragraphs(version, request.user, manage=False):
        form = None
        if is_open:
            form = (
                failed[1]
                if failed and failed[0] == p.pk
                else ParentCommentForm(prefix=f"p{p.position}", t=pt)
            )
        rows.append({"paragraph": p, "form": form, "comments": list(p.comments.all())})
    return show(
        request,
        "protocols/parent_version.html",
        {
            **child_nav(pupil),
            "version": version,
            "protocol": version.protocol,
            "is_open": is_open,
            "rows": rows,
            "summary": summary_in(version, lang),
            "version_label": fill(pt["version"], {"number": version.number}),
            "commented_by": [pt["by_" + k] for k in version.commented_by],
            "pt": pt,
        },
        lang=lang,
        status=status,
    )


@parent_page
def parent_version(request: ParentHttpRequest, pk, version_pk) -> HttpResponse:
    pupil = access.get_parent_pupil(request.user, pk)
    version = access.get_parent_version(request.user, pupil, version_pk)
    return _parent_version_page(request, pupil, version)


@parent_page
@require_POST
def parent_comment(request: ParentHttpRequest, pk, version_pk, paragraph_pk: int) -> HttpResponse:
    pupil = access.get_parent_pupil(request.user, pk)
    version = access.get_parent_version(request.user, pupil, version_pk)
    paragraph = version.paragraphs.filter(pk=paragraph_pk).first()
    if paragraph is None or version.state != ProtocolVersion.State.CONSULTATION:
        raise Http404
    form = ParentCommentForm(
        request.POST, prefix=f"p{paragraph.position}", t=_pt(request.parent_language)
    )
    if not form.is_valid():
        return _parent_version_page(request, pupil, version, 400, failed=(paragraph.pk, form))
    actions.add_comment(request.user, paragraph, "parent", form.cleaned_data["text"])
    return redirect("protocols:parent_version", pk=pupil.pk, version_pk=version.pk)

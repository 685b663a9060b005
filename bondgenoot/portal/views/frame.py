"""The frame of every parent page: the parent's language, the privacy headers, the
second step, 404 in the parent's frame, the one-time notice."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import devices_for_user

from bondgenoot import access
from bondgenoot.core.http import AuthedHttpRequest
from bondgenoot.lib import private_links
from bondgenoot.people import school_settings
from bondgenoot.people.languages import is_rtl
from bondgenoot.people.models import User

from .. import texts
from ..models import (
    ParentPreference,
)

NOTICE = "portal_notice"


# --- the frame of every parent page ------------------------------------------------------------


class ParentHttpRequest(AuthedHttpRequest):
    """A request in a ``parent_page`` view: signed in, with the parent's language and
    the languages their schools offer."""

    parent_language: str
    parent_languages: list[str]


def offered_languages(request: HttpRequest) -> list[str]:
    """The languages this parent may pick: for a signed-in login the languages their
    schools offer (the school setting ``parent_languages``, Dutch always); before
    signing in, when the school is not known yet, all eight. Asked once per request."""
    cached = getattr(request, "parent_languages", None)
    if cached is not None:
        return cached
    if request.user.is_authenticated:
        # Read with the settings of the parent's schools (``school_settings_of``).
        offered, by_school = school_settings.for_parent(request.user.pk)
        request.parent_school_settings = by_school  # type: ignore[attr-defined]
    else:
        offered = list(texts.PARENT_LANGUAGES)
    request.parent_languages = offered  # type: ignore[attr-defined]
    return offered


def school_settings_of(request: HttpRequest, school_id: int) -> dict[str, Any]:
    """``school_settings.values(school_id)``: read with the parent's languages when this
    is one of the parent's schools (``offered_languages``), else read now."""
    known = getattr(request, "parent_school_settings", {})
    return known[school_id] if school_id in known else school_settings.values(school_id)


def language_of(request: HttpRequest) -> str:
    """The parent's language: picked on this device (cookie), else their saved choice,
    else Dutch; only a language the parent's schools offer (else Dutch)."""
    offered = offered_languages(request)
    picked = private_links.chosen_language(request, "", texts.PARENT_LANGUAGES)
    if picked:
        return picked if picked in offered else texts.DEFAULT
    if request.user.is_authenticated:
        saved = ParentPreference.objects.filter(user=request.user).values_list(
            "language", flat=True
        )
        chosen = texts.supported(saved.first())
        return chosen if chosen in offered else texts.DEFAULT
    return texts.DEFAULT


def show(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    lang: str,
    status: int = 200,
) -> HttpResponse:
    t = texts.texts(lang)
    notice = request.session.pop(NOTICE, "") if hasattr(request, "session") else ""
    return private_links.render_page(
        request,
        template,
        {"t": t, "notice": notice_text(t, notice), **context},
        language=lang,
        rtl=is_rtl(lang),
        status=status,
    )


def notice_text(t: dict[str, Any], key: str) -> str:
    """The one-time notice's text: a key of the parent's texts, dotted for a sub-table
    (``voice.view_saved``); nothing for an unknown key."""
    value: Any = t
    for part in key.split(".") if key else ():
        value = value.get(part) if isinstance(value, dict) else None
    return value if isinstance(value, str) else ""


def gone_or_missing(request: HttpRequest, exc: Exception) -> HttpResponse:
    """404 in the parent's frame and language (another family's ids, a child who left)."""
    lang = getattr(request, "parent_language", "") or language_of(request)
    return show(request, "portal/not_found.html", {}, lang=lang, status=404)


def has_second_step(user: User) -> bool:
    return any(True for _ in devices_for_user(user, confirmed=True))


def parent_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A page for a signed-in parent (any login; what they see follows from their
    guardian records): second step when switched on, language, privacy headers, 404."""

    @functools.wraps(view)
    def wrapper(request: ParentHttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not access.is_active_user(request.user):
            return private_links.protect(
                redirect(reverse("portal:sign_in") + "?next=" + request.path)
            )
        if has_second_step(request.user) and not request.user.is_verified():
            return private_links.protect(redirect("portal:two_step"))
        request.parent_language = language_of(request)
        try:
            return private_links.protect(view(request, *args, **kwargs))
        except Http404 as exc:
            return gone_or_missing(request, exc)

    return wrapper


def child_nav(pupil) -> dict:
    """What the frame of a child's pages needs (the child's tabs)."""
    return {"pupil": pupil, "family": pupil.family, "school": pupil.school}


def flash(request: HttpRequest, key: str) -> None:
    request.session[NOTICE] = key


def _safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or default
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default

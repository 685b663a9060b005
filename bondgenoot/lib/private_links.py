"""Pages a parent reaches by a private link, without an account.

A meeting invitation's answer page and a message's reply page work this way today; the
parent portal's activation links will too. The link *is* the key, so every such page
follows the same rules, kept here once:

- the token: long and random (``new_token``), looked up by exact match on one field,
  with anything too long or empty refused before the database is asked (``find``);
- expiry: past its deadline a link still shows the page but answers 410 Gone
  (``is_expired``), so the parent reads a kind explanation instead of an error;
- language: the page speaks the parent's written language; Django's own interface
  strings fall back to Dutch when we have no catalogue for it (``page_language``);
- privacy headers: never cached (``Cache-Control: no-store``), never sent on as a
  referrer to another site (``Referrer-Policy: same-origin``, which keeps the form's
  Origin header), never indexed (``X-Robots-Tag: noindex``) — ``protect`` and the
  ``private_page`` decorator, which also covers the 404 of an unknown token;
- throttling: each post through a link may write a record and send an email, so posts
  are counted per token and per client address (``allow_post``, lib/throttle.py); over
  the limit the page answers 429 in the parent's language and keeps what was typed;
- logs: Django logs every 4xx with the path (``Gone: /antwoord/<token>/``), so the
  ``RedactTokens`` logging filter (installed on the handlers in settings) replaces
  token segments in paths by ``[token]``.

No models here: callers pass the queryset and the field that holds the token.
"""

from __future__ import annotations

import functools
import logging
import re
import secrets
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.views.defaults import page_not_found

TOKEN_BYTES = 32  # 43 URL-safe characters
MAX_LENGTH = 64  # the column width of every token field

HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "same-origin",
    "X-Robots-Tag": "noindex",
}


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def find[M: Model](queryset: QuerySet[M], token: str, *, field: str = "token") -> M:
    """The one object whose ``field`` equals ``token``, or 404."""
    if not token or len(token) > MAX_LENGTH:
        raise Http404
    try:
        return queryset.get(**{field: token})
    except ObjectDoesNotExist:
        raise Http404 from None


def allow_post(request: HttpRequest, token: str) -> bool:
    """Count one post through the link ``token``; False when it (or the client's
    address) is over its hourly limit (settings ``THROTTLE``)."""
    from bondgenoot.lib import throttle
    from bondgenoot.lib.client_ip import client_ip

    limits = settings.THROTTLE
    return throttle.allow_all(
        [
            ("link_post", token, limits["private_link_posts"], 3600),
            ("link_post_ip", client_ip(request), limits["private_link_posts_per_ip"], 3600),
        ]
    )


def is_expired(deadline: datetime | None, now: datetime | None = None) -> bool:
    """Whether a link that is valid until ``deadline`` has expired (None: never)."""
    return deadline is not None and (now or timezone.now()) > deadline


def page_language(code: str) -> str:
    """The interface language for a parent's page: theirs when we have a catalogue,
    else the default (the page's own texts come in their language from the caller)."""
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


# The language a parent picked on any parent page (the portal's language picker sets it,
# and the portal sets it again from the parent's saved choice at sign-in), so the choice
# sticks on answer and reply pages too.
LANGUAGE_COOKIE = "bondgenoot_parent_language"


def chosen_language(request: HttpRequest, default: str, allowed: tuple[str, ...] = ()) -> str:
    """The parent's picked language when there is one (and ``allowed`` has it), else
    ``default`` (e.g. the guardian's written language)."""
    picked = request.COOKIES.get(LANGUAGE_COOKIE, "")
    return picked if picked and (not allowed or picked in allowed) else default


def protect(response: HttpResponse) -> HttpResponse:
    for header, value in HEADERS.items():
        response[header] = value
    return response


def private_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Decorate a view reached by a private link: every answer gets the privacy
    headers, also the 404 of an unknown or malformed token."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            response = view(request, *args, **kwargs)
        except Http404 as exc:
            response = page_not_found(request, exc)
        return protect(response)

    return wrapper


def render_page(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    language: str,
    rtl: bool = False,
    status: int = 200,
) -> HttpResponse:
    """Render a private-link page in the parent's language, with the privacy headers."""
    with translation.override(page_language(language)):
        response = render(
            request, template, {**context, "lang": language, "rtl": rtl}, status=status
        )
    return protect(response)


# --- logs ------------------------------------------------------------------------------------

# A path segment that looks like a token: 20 or more URL-safe characters. Random UUIDs
# (the ids of families, pupils, ...) are not secrets and stay readable.
_UUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
TOKEN_SEGMENT = re.compile(
    rf"(?<=/)(?!{_UUID}(?:[/?#\s\"']|$))[A-Za-z0-9_-]{{20,}}(?=[/?#\s\"']|$)"
)
REDACTED = "[token]"


def redact(text: str) -> str:
    return TOKEN_SEGMENT.sub(REDACTED, text)


class RedactTokens(logging.Filter):
    """Replaces token segments of paths in log lines by ``[token]``.

    The message is formatted once here (``getMessage``) and stored without arguments,
    so every handler after this filter sees the redacted line.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True

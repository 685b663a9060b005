"""The message page's table of recipients: a page of deliveries read as rows, with their
answers, and written here as HTML (every value escaped).

A row shows the family, the parent's name, how, the language, the status and the answers:
not each delivery's own text (its subject, body and link). As model instances with a
related manager per row and a template loop, 50 rows were most of the page (about 3.9x
"My account" in process); as rows written here, about 2.4x (docs/performance.md).
``messaging/tests/test_recipients.py`` holds the HTML equal to the template's.
"""

from __future__ import annotations

from collections import defaultdict
from html import escape

from django.core.paginator import Page, Paginator
from django.template.defaultfilters import linebreaksbr
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from bondgenoot.lib.dates import short_date
from bondgenoot.lib.urls import reverser
from bondgenoot.people.models import full_name

from .models import Delivery, Message, Reply

PAGE = 50

_FIELDS = (
    "pk",
    "family_id",
    "family__name",
    "guardian__first_name",
    "guardian__last_name_prefix",
    "guardian__last_name",
    "channel",
    "language",
    "status",
)


def recipients_page(message: Message, number) -> tuple[Page, SafeString]:
    """The page ``number`` of the message's deliveries (by family and parent), and the
    table's rows for it."""
    rows = message.deliveries.order_by("family__name", "guardian__last_name", "pk").values_list(
        *_FIELDS
    )
    page = Paginator(rows, PAGE).get_page(number)
    answers = defaultdict(list)
    for delivery_id, body, received_at in Reply.objects.filter(
        delivery_id__in=[row[0] for row in page]
    ).values_list("delivery_id", "body", "received_at"):
        answers[delivery_id].append((body, received_at))
    return page, rows_html(page, answers)


def rows_html(rows, answers: dict) -> SafeString:
    """The table's rows: ``rows`` as ``_FIELDS``, ``answers`` a list of (body, received
    at) per delivery id, oldest first."""
    family_url = reverser("people:family")  # one reverse for the page's links
    channels = dict(Delivery._meta.get_field("channel").flatchoices)
    statuses = dict(Delivery.Status.choices)
    html = []
    for pk, family_id, family, first, prefix, last, channel, language, status in rows:
        replies = "".join(
            f'<p class="reply">{linebreaksbr(body)} '
            f'<span class="muted">({escape(short_date(received_at, "time"))})</span></p>'
            for body, received_at in answers.get(pk, ())
        )
        html.append(
            f'<tr>\n    <td><a href="{escape(family_url(family_id))}">{escape(family)}</a></td>'
            f"<td>{escape(full_name(first, prefix, last))}</td>"
            f"<td>{conditional_escape(channels.get(channel, channel))}</td>"
            f"<td>{escape(language)}</td>"
            f"<td>{conditional_escape(statuses.get(status, status))}</td>\n"
            f"    <td>{replies or '—'}</td></tr>"
        )
    return mark_safe("".join(html))

"""Printed letters: one PDF with a page per guardian, right to left for Arabic (and the
other right-to-left languages), rendered by WeasyPrint from an HTML template."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone


def letters_pdf(message, deliveries) -> bytes:
    from weasyprint import HTML  # imported here: it loads Pango, which only letters need

    html = render_to_string(
        "messaging/letters.html",
        {"message": message, "deliveries": deliveries, "today": timezone.localdate()},
    )
    return HTML(string=html).write_pdf()

"""Printed letters: one PDF with a page per guardian, right to left for Arabic (and the
other right-to-left languages), rendered by WeasyPrint from an HTML template.

A letter is one-way unless the parent can answer: each letter carries the guardian's
personal answer link (or, for a meeting invitation, the invitation's own link) as text
and as a QR code, with a sentence in the letter's language saying what to do with it.
The date is written out in that language too.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone

from bondgenoot.lib.dates import written_date

from . import library


@dataclass
class Letter:
    delivery: object
    date: str
    link: str
    qr: str  # a data: URI of an SVG image (no file, no third party)
    answer: str


def qr_data_uri(text: str) -> str:
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def letters_for(deliveries) -> list[Letter]:
    from .delivery import reply_url

    today = timezone.localdate()
    letters = []
    for d in deliveries:
        link = d.link or reply_url(d)
        letters.append(
            Letter(
                delivery=d,
                date=written_date(today, d.language, weekday=False),
                link=link,
                qr=qr_data_uri(link),
                answer=library.reply_texts(d.language).get("letter_answer", ""),
            )
        )
    return letters


def letters_pdf(message, deliveries) -> bytes:
    from weasyprint import HTML  # imported here: it loads Pango, which only letters need

    html = render_to_string(
        "messaging/letters.html", {"message": message, "letters": letters_for(deliveries)}
    )
    return HTML(string=html).write_pdf()

"""lib/bulk_mail.py: a bulk email reads, for a mail program, as Django's own email does."""

import email
import email.policy

from django.core.mail import EmailMessage
from django.test import SimpleTestCase

from bondgenoot.lib.bulk_mail import BulkEmail

CALENDAR = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nSUMMARY:Ouderavond\r\n"
    "END:VEVENT\r\nEND:VCALENDAR\r\n"
)


def parsed(message: EmailMessage, policy=email.policy.SMTP):
    raw = message.message(policy=policy).as_bytes()
    return raw, email.message_from_bytes(raw, policy=email.policy.default)


def read(message: EmailMessage) -> dict:
    _raw, m = parsed(message)
    attachments = [
        (a.get_filename(), a.get_content_type(), a.get_param("method"), a.get_content())
        for a in m.iter_attachments()
    ]
    return {
        "subject": m["Subject"],
        "from": m["From"],
        "to": m["To"],
        "message_id": m["Message-ID"],
        "body": m.get_body(("plain",)).get_content().rstrip("\r\n"),
        "attachments": attachments,
        "has_date": m["Date"] is not None,
    }


def both(**kwargs) -> tuple[dict, dict]:
    made = []
    for cls in (EmailMessage, BulkEmail):
        message = cls(**kwargs)
        if "calendar" in kwargs.get("headers", {}).get("X-Test", ""):
            message.attach("uitnodiging.ics", CALENDAR, "text/calendar; method=PUBLISH")
        made.append(read(message))
    return made[0], made[1]


class BulkEmailTest(SimpleTestCase):
    def test_it_reads_as_djangos_own_email_in_every_script(self):
        for subject, body in [
            ("Uitnodiging: Ouderavond", "Beste ouder,\n\nWelkom!\nhttps://school.nl/u/abc/"),
            ("دعوة: Ouderavond", "حضرة وليّ الأمر الكريم،\n\nhttps://school.nl/u/abc/"),
            ("Davet: Veli toplantısı", "Sayın veli,\nçğıöşü"),
            ("ግብዣ: ወላጆች", "ዝኸበርኩም ወለዲ"),
        ]:
            for headers in ({"Message-ID": "<d1@bondgenoot>"}, {"X-Test": "calendar"}):
                with self.subTest(subject=subject, headers=headers):
                    django_mail, bulk_mail = both(
                        subject=subject,
                        body=body,
                        to=["ouder@voorbeeld.nl"],
                        from_email="Bondgenoot <noreply@school.nl>",
                        headers=headers,
                    )
                    if "Message-ID" not in headers:  # made up per email
                        django_mail.pop("message_id"), bulk_mail.pop("message_id")
                    self.assertEqual(bulk_mail, django_mail)

    def test_it_encodes_a_domain_with_accents(self):
        django_mail, bulk_mail = both(subject="x", body="y", to=["a.b@exämple.nl"])
        self.assertEqual(bulk_mail["to"], "a.b@xn--exmple-cua.nl")
        self.assertEqual(bulk_mail["to"], django_mail["to"])

    def test_it_refuses_a_line_break_in_a_header(self):
        # A meeting title is typed by staff: it must never add a header of its own.
        message = BulkEmail(
            subject="Ouderavond\nBcc: iedereen@example.com", body="x", to=["a@b.nl"]
        )
        with self.assertRaises(ValueError):
            message.message()

    def test_it_writes_crlf_for_smtp(self):
        raw, _m = parsed(BulkEmail(subject="x", body="a\nb", to=["a@b.nl"]))
        self.assertNotIn(b"\n", raw.replace(b"\r\n", b""))

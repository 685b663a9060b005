"""Pages reached by a private link: one set of rules (lib/private_links.py)."""

import io
import logging
from datetime import timedelta

from django.http import Http404
from django.test import SimpleTestCase
from django.urls import reverse
from django.utils import timezone

from bondgenoot.lib import private_links
from bondgenoot.meetings.models import Invitation, Meeting
from bondgenoot.messaging.models import Delivery, Message
from bondgenoot.people.models import Guardian
from bondgenoot.testing import BaseTestCase


class PrivateLinkPagesTest(BaseTestCase):
    def setUp(self):
        self.guardian = Guardian.objects.filter(guardianships__pupil__family=self.jansen).first()
        start = timezone.now() + timedelta(days=3)
        self.meeting = Meeting.objects.create(
            school=self.school,
            kind="informal",
            title="Koffieochtend",
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            place="Aula",
            whole_school=True,
            created_by=self.care,
        )
        self.invitation = Invitation.objects.create(
            meeting=self.meeting, family=self.jansen, guardian=self.guardian, how="email"
        )
        message = Message.objects.create(
            school=self.school, author=self.mentor, purpose="informal", subject="Hallo", body="Hoi"
        )
        self.delivery = Delivery.objects.create(
            message=message,
            family=self.jansen,
            guardian=self.guardian,
            channel="email",
            address="a@example.org",
            language="nl",
            subject="Hallo",
            body="Hoi",
            sent_at=timezone.now(),
        )

    def urls(self):
        return [
            reverse("meetings:answer", args=[self.invitation.token]),
            reverse("meetings:calendar", args=[self.invitation.token]),
            reverse("messaging:reply", args=[self.delivery.reply_token]),
            "/uitnodiging/not-a-real-token/",
            "/antwoord/" + "x" * 65 + "/",
        ]

    def test_it_sends_the_privacy_headers_on_every_answer(self):
        for url in self.urls():
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertIn(response.status_code, (200, 404))
                self.assertEqual(response["Cache-Control"], "no-store")
                self.assertEqual(response["Referrer-Policy"], "same-origin")
                self.assertEqual(response["X-Robots-Tag"], "noindex")

    def test_it_keeps_tokens_out_of_the_log(self):
        Meeting.objects.filter(pk=self.meeting.pk).update(
            starts_at=timezone.now() - timedelta(hours=3),
            ends_at=timezone.now() - timedelta(hours=1),
        )
        handler = next(
            h
            for h in logging.getLogger().handlers
            if any(isinstance(f, private_links.RedactTokens) for f in h.filters)
        )
        stream = io.StringIO()
        old = handler.setStream(stream)
        try:
            gone = self.client.get(reverse("meetings:answer", args=[self.invitation.token]))
            missing = self.client.get("/antwoord/" + private_links.new_token() + "/")
        finally:
            handler.setStream(old)
        self.assertEqual((gone.status_code, missing.status_code), (410, 404))
        log = stream.getvalue()
        self.assertIn("Gone: /uitnodiging/[token]/", log)
        self.assertIn("Not Found: /antwoord/[token]/", log)
        self.assertNotIn(self.invitation.token, log)


class PrivateLinkHelpersTest(SimpleTestCase):
    def test_it_redacts_token_segments_but_keeps_ids(self):
        token = private_links.new_token()
        family = "/gezinnen/0b6c1f7e-8a6e-4e7e-9a3b-3c2f1d0e9a11/"
        self.assertEqual(
            private_links.redact(f'"GET /uitnodiging/{token}/agenda.ics HTTP/1.1" 200'),
            '"GET /uitnodiging/[token]/agenda.ics HTTP/1.1" 200',
        )
        self.assertEqual(
            private_links.redact(f"Bad Request: /antwoord/{token}?a=1"),
            "Bad Request: /antwoord/[token]?a=1",
        )
        self.assertEqual(private_links.redact(f"Not Found: {family}"), f"Not Found: {family}")

    def test_the_filter_rewrites_the_formatted_message(self):
        token = private_links.new_token()
        record = logging.LogRecord(
            "django.request",
            logging.WARNING,
            "",
            0,
            "%s: %s",
            ("Gone", f"/antwoord/{token}/"),
            None,
        )
        self.assertTrue(private_links.RedactTokens().filter(record))
        self.assertEqual(record.getMessage(), "Gone: /antwoord/[token]/")

    def test_it_refuses_empty_and_overlong_tokens_without_a_query(self):
        for token in ("", "x" * 65):
            with self.assertRaises(Http404):
                private_links.find(Invitation.objects.none(), token)

    def test_it_knows_when_a_link_expired(self):
        now = timezone.now()
        self.assertTrue(private_links.is_expired(now - timedelta(seconds=1)))
        self.assertFalse(private_links.is_expired(now + timedelta(minutes=1)))
        self.assertFalse(private_links.is_expired(None))
        self.assertEqual(private_links.page_language("ar"), "nl")
        self.assertEqual(private_links.page_language("en"), "en")

"""The assessment's findings (issue 13), each pinned by a test that failed before the fix."""

from __future__ import annotations

import time

from django.conf import settings
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from django.urls import reverse

from bondgenoot.lib.bidi import strip_bidi
from bondgenoot.meetings.tests.test_meetings import MeetingTestCase
from bondgenoot.messaging.models import Delivery, Message, Reply
from bondgenoot.network.tests.test_network import NetworkTestCase
from bondgenoot.people.models import Guardian
from bondgenoot.testing import BaseTestCase

HUGE = "a" * 200_000


def limits(**changed):
    return {**settings.THROTTLE, **changed}


class OversizedTextTest(BaseTestCase):
    """Finding 1: long text is refused where it enters, before the tone coach."""

    def compose(self, **data):
        return self.client.post(
            reverse("messaging:compose") + f"?gezin={self.jansen.pk}",
            {"gezin": str(self.jansen.pk), "subject": "Hallo", "purpose": "practical", **data},
        )

    def test_it_refuses_a_huge_body_quickly_and_keeps_it(self):
        self.login(self.mentor)
        for extra in ({"send": "1"}, {"check": "1"}, {"accept": "0:5"}):
            with self.subTest(extra=extra):
                started = time.perf_counter()
                response = self.compose(body=HUGE, **extra)
                self.assertLess(time.perf_counter() - started, 2.0)
                self.assertEqual(response.status_code, 400)
                self.assertContains(response, "200000", status_code=400)  # says how long
                self.assertContains(response, HUGE[:1000], status_code=400)  # kept
        self.assertFalse(Message.objects.exists())
        # Positive control: a normal body is checked (200) and sent.
        self.assertEqual(self.compose(body="Hallo, hoe gaat het?", check="1").status_code, 200)

    def test_the_live_check_says_the_text_is_too_long(self):
        self.login(self.mentor)
        panel = self.client.post(reverse("messaging:tone"), {"body": HUGE})
        self.assertContains(panel, "3.000 tekens")
        self.assertNotContains(panel, "Leesbaarheid")
        short = self.client.post(reverse("messaging:tone"), {"body": "Het OPP wordt besproken."})
        self.assertContains(short, "Leesbaarheid")  # control


class ReplyLinkTest(BaseTestCase):
    """Finding 10 (throttle) and finding 1 (length) on a parent's reply link."""

    def setUp(self):
        from bondgenoot.messaging.actions import create_message
        from bondgenoot.messaging.planning import plan
        from bondgenoot.people.models import Family

        reachable, _ = plan(Family.objects.filter(pk=self.jansen.pk))
        create_message(
            self.mentor,
            self.school.pk,
            subject="Nieuws",
            body="Hallo",
            purpose="practical",
            template_key="",
            translated=False,
            values={},
            audience="Jansen",
            recipients=reachable,
        )
        self.delivery = Delivery.objects.filter(reply_token__gt="").first()
        self.url = reverse("messaging:reply", args=[self.delivery.reply_token])

    @override_settings(THROTTLE=limits(private_link_posts=3))
    def test_it_throttles_posts_per_link_and_stores_nothing_over_the_limit(self):
        for n in range(3):
            self.assertEqual(self.client.post(self.url, {"body": f"Antwoord {n}"}).status_code, 200)
        response = self.client.post(self.url, {"body": "Nog eentje"})
        self.assertEqual(response.status_code, 429)
        self.assertContains(response, "Nog eentje", status_code=429)  # kept what was typed
        self.assertContains(response, "over een uur", status_code=429)
        self.assertEqual(Reply.objects.count(), 3)
        self.assertEqual(response["Cache-Control"], "no-store")

    def test_it_refuses_a_huge_reply_with_a_clear_message(self):
        response = self.client.post(self.url, {"body": HUGE})
        self.assertEqual(response.status_code, 400)
        # The limit is a number in the reader's language (issue 20): "2.000" in Dutch.
        self.assertContains(response, "hoogstens 2.000 tekens", status_code=400)
        self.assertFalse(Reply.objects.exists())


class PasswordResetThrottleTest(BaseTestCase):
    @override_settings(THROTTLE=limits(password_reset_per_address=2))
    def test_it_sends_at_most_the_limit_per_address_and_reveals_nothing(self):
        url = reverse("accounts:password_reset")
        for _ in range(4):
            response = self.client.post(url, {"email": self.mentor.email})
            self.assertRedirects(response, reverse("accounts:password_reset_done"))
        self.assertEqual(len(mail.outbox), 2)
        self.client.post(url, {"email": self.teacher.email})  # another address: sent
        self.assertEqual(len(mail.outbox), 3)


class MalformedIdTest(MeetingTestCase):
    """Finding 6: a malformed id is a 404 or 400, never a 500."""

    def test_a_bad_next_meeting_is_a_404(self):
        meeting = self.make_meeting(days=-1)
        self.login(self.care)
        url = reverse("meetings:follow_up", args=[meeting.pk])
        self.assertEqual(self.client.post(url, {"next": "not-a-uuid"}).status_code, 404)
        self.assertEqual(self.client.post(url, {"next": "a\x00b"}).status_code, 400)
        self.assertEqual(self.client.post(url, {"next": ""}).status_code, 302)  # control

    def test_a_nul_byte_anywhere_is_a_400(self):
        self.login(self.mentor)
        self.assertEqual(self.client.get("/gezinnen/", {"group": "1\x00"}).status_code, 400)
        self.assertEqual(self.client.get("/antwoord/abc%00def/").status_code, 400)
        self.assertEqual(self.client.get("/gezinnen/", {"group": "1"}).status_code, 200)


class BidiTest(BaseTestCase):
    """Finding 12: direction overrides never reach a stored name."""

    def test_it_strips_direction_controls_from_names(self):
        guardian = Guardian.objects.filter(guardianships__pupil__family=self.jansen).first()
        guardian.first_name = "Jan\u202eneknil\u202c"
        guardian.save()
        guardian.refresh_from_db()
        self.assertEqual(guardian.first_name, "Janneknil")
        self.assertEqual(strip_bidi("\u2066x\u2069\u200f"), "x")
        self.assertEqual(strip_bidi("محمد"), "محمد")  # Arabic letters stay

    def test_it_keeps_longer_texts_as_typed(self):
        from bondgenoot.messaging.models import Message as M

        body_field = M._meta.get_field("body")
        self.assertEqual(body_field.get_internal_type(), "TextField")


class SettingsTest(BaseTestCase):
    """Finding 5: HSTS and the proxy header come from the environment."""

    def load(self, **env):
        import importlib
        import os
        from unittest import mock

        import bondgenoot.settings as module

        module.__dict__.pop("SECURE_PROXY_SSL_HEADER", None)  # reload keeps old names
        with mock.patch.dict(os.environ, {"SECRET_KEY": "x", **env}):
            return importlib.reload(module)

    def tearDown(self):
        import importlib

        import bondgenoot.settings as module

        importlib.reload(module)

    def test_it_sends_hsts_for_a_year_unless_switched_off(self):
        self.assertEqual(self.load(DEBUG="0").SECURE_HSTS_SECONDS, 31536000)
        self.assertEqual(self.load(DEBUG="0", HSTS_SECONDS="0").SECURE_HSTS_SECONDS, 0)
        self.assertEqual(self.load(DEBUG="1").SECURE_HSTS_SECONDS, 0)

    def test_it_reads_the_proxy_header_from_the_environment(self):
        loaded = self.load(PROXY_SSL_HEADER="X-Forwarded-Proto: https")
        self.assertEqual(loaded.SECURE_PROXY_SSL_HEADER, ("HTTP_X_FORWARDED_PROTO", "https"))
        self.assertFalse(hasattr(self.load(), "SECURE_PROXY_SSL_HEADER"))
        with self.assertRaises(ImproperlyConfigured):
            self.load(PROXY_SSL_HEADER="https")


class NoStoreEverywhereTest(NetworkTestCase, MeetingTestCase):
    """Finding 2: every page the assessment named answers ``Cache-Control: no-store``."""

    def assert_no_store(self, response, what):
        self.assertLess(response.status_code, 400, what)
        self.assertIn("no-store", response["Cache-Control"], what)

    def test_the_named_pages_are_never_cached(self):
        from bondgenoot.meetings.models import Invitation
        from bondgenoot.network.models import Share, Signal

        self.record()
        signal = Signal.objects.get()
        self.invite_all(self.make_meeting())  # logs in as the care coordinator
        self.client.post(
            reverse("network:share", args=[signal.pk]), {"version": str(self.version.pk)}
        )
        share = Share.objects.get()
        for name, url in (
            ("family page", reverse("people:family", args=[self.jansen.pk])),
            ("signal", reverse("network:signal", args=[signal.pk])),
            ("chronology", reverse("network:chronology", args=[signal.pupil_id])),
            ("audit log", reverse("audit:log")),
        ):
            self.assert_no_store(self.client.get(url), name)
        message = Message.objects.first()
        self.login(message.author)
        letters = self.client.get(reverse("messaging:letters", args=[message.pk]))
        self.assertIn("no-store", letters["Cache-Control"], "letters PDF")
        self.login(self.partner)
        self.assert_no_store(
            self.client.get(reverse("network:partner_share", args=[share.pk])), "partner share"
        )
        self.client.logout()
        token = Invitation.objects.first().token
        self.assert_no_store(self.client.get(reverse("meetings:answer", args=[token])), "answer")
        self.assert_no_store(
            self.client.get(reverse("meetings:calendar", args=[token])), "agenda.ics"
        )
        delivery = Delivery.objects.exclude(reply_token="").first()
        self.assert_no_store(
            self.client.get(reverse("messaging:reply", args=[delivery.reply_token])), "reply"
        )


class LongLoginTest(BaseTestCase):
    """Found by the fuzzer on PostgreSQL: a huge user name reached django-axes' 255-character
    column (a 500). It is refused by the form now, as a failed login."""

    def test_a_huge_user_name_is_a_failed_login_not_a_server_error(self):
        response = self.client.post(
            reverse("accounts:login"), {"username": "x" * 300_000, "password": "y"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "300000")  # the form says how long it is
        ok = self.client.post(reverse("accounts:login"), {"username": "mentor", "password": "x"})
        self.assertEqual(ok.status_code, 200)  # control: an ordinary failed login

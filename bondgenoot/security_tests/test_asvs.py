"""OWASP ASVS 5.0 level 2: one test (or a few) per requirement, named after it.

docs/security.md lists each requirement with the test that proves it. Each refusal
has its positive control beside it.
"""

from __future__ import annotations

import time
from io import StringIO
from unittest import mock

from django.conf import settings
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import OperationalError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from bondgenoot.accounts.middleware import LOGIN_AT
from bondgenoot.accounts.tests.test_two_factor import code_for, pass_email_step
from bondgenoot.audit.log import record
from bondgenoot.audit.models import AuditEntry
from bondgenoot.network.models import Share, Signal
from bondgenoot.network.tests.test_network import NetworkTestCase
from bondgenoot.people.models import Pupil, User
from bondgenoot.testing import BaseTestCase

FAMILIES = reverse("people:families")
TWO_FACTOR = reverse("accounts:two_factor")
LOGIN = reverse("accounts:login")
PASSWORD = "correct horse battery"


def log_in_by_form(client, username: str, **extra):
    return client.post(LOGIN, {"username": username, "password": PASSWORD}, **extra)


class AuthenticationTest(BaseTestCase):
    def test_asvs_6_3_2_demo_accounts_never_load_on_a_production_server(self):
        self.assertFalse(settings.DEBUG)
        before = User.objects.count()
        with self.assertRaisesMessage(CommandError, "known password"):
            call_command("seed", "--scale", "demo", stdout=StringIO())
        self.assertEqual(User.objects.count(), before)
        # No migration creates an account: the only users are the test's own cast.
        self.assertEqual(before, 10)

    def test_asvs_6_3_3_sensitive_roles_need_a_second_factor(self):
        for user in (self.care, self.admin, self.partner):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                response = self.client.get(FAMILIES)
                self.assertEqual(response.status_code, 302)
                self.assertTrue(response["Location"].startswith(TWO_FACTOR))
        self.client.force_login(self.mentor)  # positive control: a mentor's page opens
        self.assertEqual(self.client.get(FAMILIES).status_code, 200)

    def test_asvs_6_3_3_the_first_authenticator_needs_the_emailed_code(self):
        self.client.force_login(self.care)
        page = self.client.get(TWO_FACTOR)
        self.assertNotContains(page, "<svg")  # no secret before the second proof
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].to, [self.care.email])
        wrong = self.client.post(TWO_FACTOR, {"enrol_code": "000000"})
        self.assertEqual(wrong.status_code, 400)
        self.assertNotContains(wrong, "<svg", status_code=400)
        self.assertTrue(
            AuditEntry.objects.filter(action="two_factor_failed", actor_id=self.care.pk).exists()
        )
        pass_email_step(self.client)
        self.assertContains(self.client.get(TWO_FACTOR), "<svg")

    def test_asvs_6_3_3_an_account_without_email_cannot_enrol_alone(self):
        self.care.email = ""
        self.care.save()
        self.client.force_login(self.care)
        page = self.client.get(TWO_FACTOR)
        self.assertContains(page, "beheerder")
        self.assertNotContains(page, "<svg")
        self.assertEqual(mail.outbox, [])


class SessionTest(BaseTestCase):
    def test_asvs_7_2_4_a_new_session_id_at_login_and_at_the_second_step(self):
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.create(user=self.care, name="phone", confirmed=True)
        session = self.client.session
        session["before"] = True
        session.save()
        anonymous = session.session_key
        self.assertEqual(log_in_by_form(self.client, "care").status_code, 302)
        logged_in = self.client.session.session_key
        self.assertNotEqual(logged_in, anonymous)
        response = self.client.post(TWO_FACTOR, {"token": code_for(device)})
        self.assertEqual(response.status_code, 302)
        verified = self.client.session.session_key
        self.assertNotEqual(verified, logged_in)
        self.assertFalse(Session.objects.filter(session_key=logged_in).exists())
        self.assertEqual(self.client.get(reverse("audit:log")).status_code, 200)

    def test_asvs_7_3_1_an_idle_session_ends(self):
        self.assertEqual(settings.SESSION_COOKIE_AGE, 30 * 60)
        self.login(self.mentor)
        self.assertEqual(self.client.get(FAMILIES).status_code, 200)  # control
        key = self.client.session.session_key
        Session.objects.filter(session_key=key).update(
            expire_date=timezone.now() - timezone.timedelta(seconds=1)
        )
        self.assertEqual(self.client.get(FAMILIES).status_code, 302)

    def test_asvs_7_3_2_a_session_ends_after_its_absolute_lifetime(self):
        self.assertEqual(settings.SESSION_ABSOLUTE_HOURS, 12)
        self.login(self.mentor)
        session = self.client.session
        session[LOGIN_AT] = time.time() - 11 * 3600
        session.save()
        self.assertEqual(self.client.get(FAMILIES).status_code, 200)  # 11 hours: still in
        session = self.client.session
        session[LOGIN_AT] = time.time() - 12 * 3600 - 60
        session.save()
        response = self.client.get(FAMILIES)
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith(LOGIN))
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_asvs_7_3_2_the_login_time_is_set_at_login(self):
        log_in_by_form(self.client, "mentor")
        self.assertAlmostEqual(self.client.session[LOGIN_AT], time.time(), delta=60)

    def test_asvs_7_4_1_after_logout_the_old_session_is_useless(self):
        log_in_by_form(self.client, "mentor")
        cookie = self.client.cookies[settings.SESSION_COOKIE_NAME].value
        self.assertEqual(self.client.get(FAMILIES).status_code, 200)  # control
        self.client.post(reverse("accounts:logout"))
        self.client.cookies[settings.SESSION_COOKIE_NAME] = cookie  # replay the old cookie
        self.assertEqual(self.client.get(FAMILIES).status_code, 302)
        self.assertFalse(Session.objects.filter(session_key=cookie).exists())

    def test_asvs_7_5_1_a_second_authenticator_cannot_be_bound_with_the_password_alone(self):
        from django_otp.plugins.otp_totp.models import TOTPDevice

        TOTPDevice.objects.create(user=self.admin, name="phone", confirmed=True)
        self.client.force_login(self.admin)  # the password only
        page = self.client.get(TWO_FACTOR)
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, "<svg")  # no new secret to bind
        self.assertEqual(TOTPDevice.objects.filter(user=self.admin).count(), 1)


class AuthorisationTest(BaseTestCase):
    def test_asvs_8_2_1_function_level_access_needs_the_capability(self):
        self.login(self.mentor)
        self.assertEqual(self.client.get(reverse("audit:log")).status_code, 403)
        self.login(self.care)  # positive control
        self.assertEqual(self.client.get(reverse("audit:log")).status_code, 200)

    def test_asvs_8_2_2_object_level_access_needs_the_relationship(self):
        self.login(self.mentor)  # mentors 1A: Jansen and Yilmaz, not El Amrani (2B)
        self.assertEqual(
            self.client.get(reverse("people:family", args=[self.el_amrani.pk])).status_code, 404
        )
        self.assertEqual(
            self.client.get(reverse("people:family", args=[self.jansen.pk])).status_code, 200
        )

    def test_asvs_8_4_1_no_school_reaches_another_schools_records(self):
        self.login(self.outsider)
        self.assertEqual(
            self.client.get(reverse("people:family", args=[self.jansen.pk])).status_code, 404
        )
        self.assertEqual(
            self.client.get(reverse("people:family", args=[self.visser.pk])).status_code, 200
        )
        self.login(self.care)
        page = self.client.post(FAMILIES, {"q": "Visser"})
        self.assertContains(page, "0 gezinnen")
        self.assertContains(self.client.post(FAMILIES, {"q": "Jansen"}), "1 gezin")  # control
        record(self.outsider, AuditEntry.Action.VIEW, self.visser)
        log = self.client.get(reverse("audit:log"))
        self.assertNotContains(log, "Visser")


class FieldLevelTest(NetworkTestCase):
    def test_asvs_8_2_3_only_the_agreed_fields_reach_a_partner(self):
        self.record()
        signal = Signal.objects.get()
        self.login(self.care)
        self.client.post(
            reverse("network:share", args=[signal.pk]), {"version": str(self.version.pk)}
        )
        share = Share.objects.get()
        self.assertEqual(set(share.payload), {"pupil_name", "category", "observation"})
        self.login(self.partner)
        page = self.client.get(reverse("network:partner_share", args=[share.pk]))
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, signal.observation[:20])  # agreed: shown
        self.assertNotContains(page, signal.interpretation[:20])  # never agreed


class DataProtectionTest(BaseTestCase):
    def test_asvs_14_2_1_names_are_searched_by_post_never_in_the_url(self):
        self.login(self.care)
        self.assertContains(self.client.post(FAMILIES, {"q": "Amrani"}), "El Amrani")
        in_url = self.client.get(FAMILIES, {"q": "Amrani"})
        self.assertContains(in_url, "Jansen")  # a name in the address does not search
        self.assertNotIn("hx-push-url", in_url.content.decode().split("</form>")[0])

    def test_asvs_14_2_3_no_request_leaves_for_another_site(self):
        csp = settings.SECURE_CSP
        self.assertEqual(csp["default-src"], ["'self'"])
        for directive in ("script-src", "style-src", "img-src", "connect-src", "font-src"):
            self.assertTrue(all("://" not in v for v in csp[directive]), directive)
        self.login(self.mentor)
        page = self.client.get(FAMILIES).content.decode()
        self.assertNotRegex(page, r'(src|href)="(https?:)?//')

    def test_asvs_14_3_2_personal_pages_are_never_cached(self):
        pupil = Pupil.objects.get(family=self.jansen)
        self.login(self.care)
        for url in (
            FAMILIES,
            reverse("people:family", args=[self.jansen.pk]),
            reverse("network:chronology", args=[pupil.pk]),
            reverse("audit:log"),
            reverse("people:family", args=["00000000-0000-4000-8000-000000000000"]),  # 404
        ):
            with self.subTest(url=url):
                self.assertIn("no-store", self.client.get(url)["Cache-Control"])
        self.client.logout()
        self.assertIn("no-store", self.client.get(LOGIN)["Cache-Control"])
        # Static files are served before this rule (WhiteNoise) and keep their caching.
        order = settings.MIDDLEWARE
        self.assertLess(
            order.index("whitenoise.middleware.WhiteNoiseMiddleware"),
            order.index("bondgenoot.core.middleware.NoStoreMiddleware"),
        )


class SecurityEventsTest(BaseTestCase):
    def test_asvs_16_3_1_logins_and_failures_are_logged_with_the_address(self):
        log_in_by_form(self.client, "mentor")
        ok = AuditEntry.objects.get(action="login")
        self.assertEqual(ok.detail["address"], "127.0.0.1")
        self.client.logout()
        self.client.post(LOGIN, {"username": "mentor", "password": "wrong"})
        failed = AuditEntry.objects.get(action="login_failed")
        self.assertEqual(failed.detail, {"known_account": True, "address": "127.0.0.1"})

    @override_settings(TRUSTED_PROXY_COUNT=1)
    def test_asvs_16_3_1_the_address_comes_from_the_trusted_proxy(self):
        # The client wrote "6.6.6.6" itself; our one proxy appended what it saw.
        self.client.post(
            LOGIN,
            {"username": "mentor", "password": "wrong"},
            headers={"X-Forwarded-For": "6.6.6.6, 203.0.113.9"},
        )
        self.assertEqual(AuditEntry.objects.get().detail["address"], "203.0.113.9")

    def test_asvs_16_3_1_without_a_proxy_the_header_is_ignored(self):
        self.client.post(
            LOGIN,
            {"username": "mentor", "password": "wrong"},
            headers={"X-Forwarded-For": "6.6.6.6"},
        )
        self.assertEqual(AuditEntry.objects.get().detail["address"], "127.0.0.1")

    def test_asvs_16_3_1_failed_second_step_codes_are_logged(self):
        from django_otp.plugins.otp_totp.models import TOTPDevice

        TOTPDevice.objects.create(user=self.admin, name="phone", confirmed=True)
        self.client.force_login(self.admin)
        self.assertEqual(self.client.post(TWO_FACTOR, {"token": "000000"}).status_code, 400)
        entry = AuditEntry.objects.get(action="two_factor_failed")
        self.assertEqual((entry.actor_id, entry.detail["event"]), (self.admin.pk, "token"))
        self.assertEqual(entry.detail["address"], "127.0.0.1")

    def test_asvs_16_3_2_refused_requests_are_logged(self):
        self.login(self.mentor)
        self.client.get(reverse("audit:log"))
        entry = AuditEntry.objects.get(action="access_denied")
        self.assertEqual((entry.actor_id, entry.route), (self.mentor.pk, "audit:log"))
        self.assertEqual(entry.detail["address"], "127.0.0.1")
        self.login(self.care)  # positive control: an allowed page logs no refusal
        self.client.get(reverse("audit:log"))
        self.assertEqual(AuditEntry.objects.filter(action="access_denied").count(), 1)

    def test_asvs_16_3_3_throttled_and_malformed_requests_are_logged(self):
        from bondgenoot.lib import throttle

        with self.assertLogs("bondgenoot.security", "WARNING") as logs:
            for _ in range(3):
                throttle.allow("test", "someone", limit=2, period=60)
            self.client.get(FAMILIES, {"q": "a\x00b"})
        self.assertIn("Throttled: test", logs.output[0])
        self.assertNotIn("someone", logs.output[0])
        self.assertIn("NUL", logs.output[1])


class LogProtectionTest(BaseTestCase):
    def test_asvs_16_4_2_the_audit_log_cannot_be_changed_through_the_app(self):
        entry = record(self.mentor, AuditEntry.Action.VIEW, self.jansen)
        with self.assertRaises(TypeError):
            AuditEntry.objects.filter(pk=entry.pk).update(action="delete")
        with self.assertRaises(TypeError):
            entry.delete()
        with self.assertRaises(TypeError):
            entry.save()
        out = StringIO()
        call_command("verify_audit", stdout=out)
        self.assertIn("chain intact", out.getvalue())

    def test_asvs_16_4_3_the_head_is_kept_outside_the_database(self):
        import tempfile
        from pathlib import Path

        record(self.mentor, AuditEntry.Action.VIEW, self.jansen)
        path = Path(tempfile.mkdtemp()) / "heads.txt"
        call_command("export_audit_head", file=str(path), mail=True, stdout=StringIO())
        line = path.read_text().strip()
        self.assertIn(line, mail.outbox[0].body)
        self.assertEqual(mail.outbox[0].to, [self.admin.email])
        call_command("verify_audit", heads_file=str(path), stdout=StringIO())


class ErrorHandlingTest(BaseTestCase):
    def test_asvs_16_5_1_an_unexpected_error_shows_a_generic_page(self):
        self.login(self.mentor)
        self.client.raise_request_exception = False
        with mock.patch(
            "bondgenoot.access.can_list_families", side_effect=RuntimeError("secret detail")
        ):
            response = self.client.get(FAMILIES)
        self.assertEqual(response.status_code, 500)
        self.assertNotContains(response, "secret detail", status_code=500)
        self.assertNotContains(response, "Traceback", status_code=500)
        self.assertContains(response, "Er ging iets mis", status_code=500)

    def test_asvs_16_5_1_a_lost_database_gives_a_calm_503(self):
        self.login(self.mentor)
        self.client.raise_request_exception = False
        with mock.patch(
            "bondgenoot.access.can_list_families",
            side_effect=OperationalError("server closed the connection unexpectedly"),
        ):
            response = self.client.get(FAMILIES)
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response["Retry-After"], "30")
        self.assertContains(response, "even niet bereikbaar", status_code=503)
        self.assertNotContains(response, "server closed", status_code=503)


class HiddenRecordsTest(BaseTestCase):
    """A record the policy hides answers 404; that refusal is audited like a 403."""

    def test_asvs_16_3_2_a_hidden_record_is_logged_as_refused(self):
        self.login(self.outsider)  # a mentor at another school
        url = reverse("people:family", args=[self.jansen.pk])
        self.assertEqual(self.client.get(url).status_code, 404)
        entry = AuditEntry.objects.get(action="access_denied")
        self.assertEqual(entry.actor_id, self.outsider.pk)
        self.assertEqual(entry.route, "people:family")
        self.assertEqual(entry.detail["status"], 404)
        self.assertEqual(entry.detail["ids"], {"pk": str(self.jansen.pk)})
        self.assertEqual(entry.detail["address"], "127.0.0.1")
        self.assertNotIn("Jansen", str(entry.detail))

    def test_asvs_16_3_2_an_allowed_record_logs_no_refusal(self):
        self.login(self.mentor)  # positive control: the family's own mentor
        url = reverse("people:family", args=[self.jansen.pk])
        self.assertEqual(self.client.get(url).status_code, 200)
        self.assertFalse(AuditEntry.objects.filter(action="access_denied").exists())

    def test_asvs_16_3_2_a_token_never_reaches_the_refusal_log(self):
        self.client.get("/antwoord/not-a-real-token/")
        self.login(self.mentor)
        self.client.get("/antwoord/not-a-real-token/")
        logged = [str(entry.detail) for entry in AuditEntry.objects.all()]
        self.assertFalse([line for line in logged if "not-a-real-token" in line])

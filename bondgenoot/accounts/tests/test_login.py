import time
from datetime import timedelta
from unittest import mock

from django.conf import settings
from django.core import mail
from django.urls import reverse

from bondgenoot.audit.models import AuditEntry
from bondgenoot.testing import BaseTestCase

LOGIN = reverse("accounts:login")


class LoginTest(BaseTestCase):
    def post(self, username="mentor", password="correct horse battery", **extra):
        return self.client.post(LOGIN, {"username": username, "password": password, **extra})

    def test_it_logs_in_and_goes_to_my_families(self):
        response = self.post()
        self.assertRedirects(response, reverse("home"), fetch_redirect_response=False)
        self.assertRedirects(self.client.get(reverse("home")), reverse("people:families"))
        self.assertTrue(AuditEntry.objects.filter(action="login", actor_id=self.mentor.pk).exists())

    def test_it_keeps_the_username_and_explains_a_wrong_password(self):
        response = self.post(password="wrong")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'value="mentor"')
        self.assertContains(response, 'role="alert"')
        entry = AuditEntry.objects.order_by("-seq").first()
        self.assertEqual((entry.action, entry.actor_id), ("login_failed", self.mentor.pk))

    def test_it_throttles_repeated_failures(self):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            self.post(password="wrong")
        response = self.post()  # even the right password is refused now
        self.assertEqual(response.status_code, 429)
        self.assertContains(response, "Te veel pogingen", status_code=429)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_it_does_not_throttle_another_account(self):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            self.post(password="wrong")
        response = self.post(username="teacher")
        self.assertEqual(response.status_code, 302)

    def test_it_logs_out_with_post_only(self):
        self.login(self.mentor)
        self.assertEqual(self.client.get(reverse("accounts:logout")).status_code, 405)
        self.client.post(reverse("accounts:logout"))
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_it_does_not_redirect_to_another_site(self):
        response = self.post(next="https://evil.example/")
        self.assertEqual(
            response["Location"],
            settings.LOGIN_REDIRECT_URL
            if settings.LOGIN_REDIRECT_URL.startswith("/")
            else reverse("home"),
        )


class SessionTest(BaseTestCase):
    def test_it_ends_sessions_after_inactivity(self):
        self.login(self.mentor)
        self.client.get(reverse("people:families"))
        self.assertEqual(settings.SESSION_COOKIE_AGE, 30 * 60)
        self.assertEqual(self.client.session.get_expiry_age(), 30 * 60)
        cookie = self.client.cookies[settings.SESSION_COOKIE_NAME]
        self.assertTrue(cookie["httponly"])

    def test_it_moves_the_expiry_while_the_user_is_active(self):
        from django.contrib.sessions.models import Session
        from django.utils import timezone

        self.login(self.mentor)
        self.client.get(reverse("people:families"))  # seen now
        key = self.client.session.session_key
        Session.objects.filter(pk=key).update(expire_date=timezone.now() + timedelta(minutes=5))
        self.client.get(reverse("people:families"))  # seconds later: no write
        left = Session.objects.get(pk=key).expire_date - timezone.now()
        self.assertLess(left, timedelta(minutes=6))
        with mock.patch("time.time", return_value=time.time() + 120):
            self.assertEqual(self.client.get(reverse("people:families")).status_code, 200)
        left = Session.objects.get(pk=key).expire_date - timezone.now()
        self.assertGreater(left, timedelta(minutes=29))  # refreshed to the full idle time

    def test_it_ends_a_session_idle_longer_than_the_timeout(self):
        from django.contrib.sessions.models import Session
        from django.utils import timezone

        self.login(self.mentor)
        key = self.client.session.session_key
        Session.objects.filter(pk=key).update(expire_date=timezone.now() - timedelta(seconds=1))
        response = self.client.get(reverse("people:families"))
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("accounts:login"), response["Location"])


class PasswordResetTest(BaseTestCase):
    def test_it_mails_a_link_that_sets_a_new_password(self):
        response = self.client.post(
            reverse("accounts:password_reset"), {"email": "mentor@example.org"}
        )
        self.assertRedirects(response, reverse("accounts:password_reset_done"))
        self.assertEqual(len(mail.outbox), 1)
        body = mail.outbox[0].body
        link = next(line for line in body.splitlines() if "/account/wachtwoord-herstellen/" in line)
        path = link.split("testserver", 1)[1]
        response = self.client.get(path, follow=True)
        self.assertContains(response, "new_password1")
        form_url = response.redirect_chain[-1][0]
        response = self.client.post(
            form_url,
            {
                "new_password1": "een nieuw wachtwoord 42",
                "new_password2": "een nieuw wachtwoord 42",
            },
        )
        self.assertRedirects(response, reverse("accounts:password_reset_complete"))
        self.mentor.refresh_from_db()
        self.assertTrue(self.mentor.check_password("een nieuw wachtwoord 42"))
        entry = AuditEntry.objects.order_by("-seq").first()
        self.assertEqual(
            (entry.action, entry.actor_id, entry.detail),
            ("update", self.mentor.pk, {"field": "password"}),
        )

    def test_it_does_not_reveal_unknown_addresses(self):
        response = self.client.post(
            reverse("accounts:password_reset"), {"email": "nobody@example.org"}
        )
        self.assertRedirects(response, reverse("accounts:password_reset_done"))
        self.assertEqual(len(mail.outbox), 0)


class LanguageTest(BaseTestCase):
    def test_it_speaks_dutch_by_default_and_switches_to_english(self):
        response = self.client.get(LOGIN)
        self.assertContains(response, '<html lang="nl"')
        self.assertContains(response, "Inloggen")
        self.client.post(reverse("set_language"), {"language": "en", "next": LOGIN})
        response = self.client.get(LOGIN)
        self.assertContains(response, '<html lang="en"')
        self.assertContains(response, "Log in")

import re
import time

from django.core import mail
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from bondgenoot.audit.models import AuditEntry
from bondgenoot.testing import BaseTestCase

TWO_FACTOR = reverse("accounts:two_factor")
FAMILIES = reverse("people:families")


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift) % 10**device.digits:0{device.digits}d}"  # noqa: E501


def pass_email_step(client) -> None:
    """The first enrolment's second proof: the code emailed to the account."""
    client.get(TWO_FACTOR)
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    response = client.post(TWO_FACTOR, {"enrol_code": code})
    assert response.status_code == 302, response.status_code


class TwoFactorTest(BaseTestCase):
    def test_it_sends_a_care_coordinator_to_the_second_step(self):
        self.client.force_login(self.care)
        response = self.client.get(FAMILIES)
        self.assertRedirects(
            response, f"{TWO_FACTOR}?next=%2Fgezinnen%2F", fetch_redirect_response=False
        )

    def test_it_tells_htmx_to_redirect(self):
        self.client.force_login(self.admin)
        response = self.client.get(FAMILIES, headers={"HX-Request": "true"})
        self.assertTrue(response["HX-Redirect"].startswith(TWO_FACTOR))

    def test_it_does_not_require_it_of_a_mentor(self):
        self.client.force_login(self.mentor)
        self.assertEqual(self.client.get(FAMILIES).status_code, 200)

    def test_it_sets_up_an_authenticator_with_a_qr_code(self):
        self.client.force_login(self.care)
        pass_email_step(self.client)
        response = self.client.get(TWO_FACTOR)
        self.assertContains(response, "<svg")
        device = TOTPDevice.objects.get(user=self.care)
        self.assertFalse(device.confirmed)
        response = self.client.post(TWO_FACTOR, {"token": code_for(device), "next": FAMILIES})
        self.assertRedirects(response, FAMILIES)
        device.refresh_from_db()
        self.assertTrue(device.confirmed)
        self.assertEqual(self.client.get(FAMILIES).status_code, 200)
        # code sent, set up, verified
        self.assertEqual(AuditEntry.objects.filter(action="two_factor").count(), 3)

    def test_it_refuses_a_wrong_code_and_explains(self):
        self.client.force_login(self.care)
        pass_email_step(self.client)
        self.client.get(TWO_FACTOR)
        response = self.client.post(TWO_FACTOR, {"token": "000000"})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "niet goed", status_code=400)
        self.assertEqual(self.client.get(FAMILIES).status_code, 302)

    def test_it_verifies_with_an_existing_device(self):
        device = TOTPDevice.objects.create(user=self.admin, name="phone", confirmed=True)
        self.client.force_login(self.admin)
        response = self.client.get(TWO_FACTOR)
        self.assertNotContains(response, "<svg")
        time.sleep(0)  # the code is valid for the current 30-second window
        response = self.client.post(TWO_FACTOR, {"token": code_for(device)})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.client.get(reverse("audit:log")).status_code, 200)

    def test_it_does_not_open_the_audit_log_before_the_second_step(self):
        self.client.force_login(self.admin)
        self.assertEqual(self.client.get(reverse("audit:log")).status_code, 302)


class EnrolCodeTest(BaseTestCase):
    """The emailed code before the first authenticator: limited in time, tries and mails."""

    def code(self) -> str:
        return re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)

    def test_five_wrong_tries_use_up_the_code(self):
        self.client.force_login(self.care)
        self.client.get(TWO_FACTOR)
        right = self.code()
        wrong = "000000" if right != "000000" else "111111"
        for _ in range(5):
            self.assertEqual(self.client.post(TWO_FACTOR, {"enrol_code": wrong}).status_code, 400)
        # The right code no longer works: a new one is needed.
        self.assertEqual(self.client.post(TWO_FACTOR, {"enrol_code": right}).status_code, 400)
        self.assertEqual(AuditEntry.objects.filter(action="two_factor_failed").count(), 6)

    def test_an_expired_code_is_replaced_on_the_next_visit_at_most_three_an_hour(self):
        self.client.force_login(self.care)
        self.client.get(TWO_FACTOR)
        self.assertEqual(len(mail.outbox), 1)
        self.client.get(TWO_FACTOR)  # still valid: no new mail
        self.assertEqual(len(mail.outbox), 1)
        for expected in (2, 3, 3):
            session = self.client.session
            session["bondgenoot_enrol_code"]["until"] = 0  # expired
            session.save()
            page = self.client.get(TWO_FACTOR)
            self.assertEqual(len(mail.outbox), expected)
        self.assertContains(page, "al een paar codes gestuurd")

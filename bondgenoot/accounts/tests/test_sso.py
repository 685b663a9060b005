"""Single sign-on against a real OpenID Connect provider (oidc-provider, run by node in a
second process; see oidc.py). Every refusal sits beside a positive control that differs
only in what is refused."""

import json
from urllib.parse import parse_qs, urlencode, urlparse

from django.contrib.auth import SESSION_KEY
from django.test import TestCase, override_settings
from django.urls import reverse

from bondgenoot.accounts.middleware import IDP_MFA, LOGIN_AT
from bondgenoot.audit.models import AuditEntry
from bondgenoot.people.models import Membership, Role, User
from bondgenoot.testing import make_school, make_user

from .oidc import running_provider, sign_in_at_provider

START = reverse("accounts:sso_start")
CALLBACK = reverse("accounts:sso_callback")
LOGIN = reverse("accounts:login")
FAMILIES = reverse("people:families")
TWO_FACTOR = reverse("accounts:two_factor")
BACK = "http://testserver" + CALLBACK


class SSOTestCase(TestCase):
    @classmethod
    def setUpClass(cls):
        cls.provider = cls.enterClassContext(running_provider([BACK]))
        cls.enterClassContext(
            cls.provider.settings(
                SSO_MFA_AMR=frozenset({"mfa"}), SSO_MFA_ACR=frozenset({"urn:test:mfa"})
            )
        )
        super().setUpClass()

    @classmethod
    def setUpTestData(cls):
        cls.school = make_school()
        cls.mentor = make_user("mentor", school=cls.school, roles=[Role.MENTOR])
        cls.mentor.email = "Sanne.de.Vries@School.example"
        cls.mentor.save()
        cls.care = make_user("care", school=cls.school, roles=[Role.CARE_COORDINATOR])

    def start(self, client=None, **query):
        client = client or self.client
        response = client.get(START + ("?" + urlencode(query) if query else ""))
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith(self.provider.issuer + "/auth?"))
        return response["Location"]

    def at_provider(self, login, *, amr="", acr="", client=None, **query):
        """The callback address the provider sends the browser back to."""
        return sign_in_at_provider(
            self.start(client, **query), login, amr=amr, acr=acr, stop_at=BACK
        )

    def back(self, callback_url, client=None):
        return (client or self.client).get(callback_url)

    def sso(self, login, **kwargs):
        return self.back(self.at_provider(login, **kwargs))

    def logged_in_as(self):
        return self.client.session.get(SESSION_KEY)

    def last_failure(self):
        entry = AuditEntry.objects.filter(action="login_failed").order_by("-seq").first()
        self.assertIsNotNone(entry, "no failed login was audited")
        self.assertEqual(entry.detail["method"], "sso")
        return entry

    def assert_refused(self, response, reason, actor=None):
        self.assertRedirects(response, LOGIN, fetch_redirect_response=False)
        self.assertIsNone(self.logged_in_as())
        entry = self.last_failure()
        self.assertEqual((entry.detail["reason"], entry.actor_id), (reason, actor))
        self.assertEqual(entry.detail["address"], "127.0.0.1")
        return entry


class SignInTest(SSOTestCase):
    def test_it_logs_in_an_existing_account_through_the_provider(self):
        callback = self.at_provider("sanne.de.vries@school.example")  # case differs
        self.client.get(LOGIN)
        before = self.client.session.session_key
        response = self.back(callback)
        self.assertRedirects(response, reverse("home"), fetch_redirect_response=False)
        self.assertEqual(self.logged_in_as(), str(self.mentor.pk))
        # The same as a password login: a new session id, the login time for the
        # absolute lifetime, an audit entry (saying how).
        self.assertNotEqual(self.client.session.session_key, before)
        self.assertIn(LOGIN_AT, self.client.session)
        entry = AuditEntry.objects.get(action="login", actor_id=self.mentor.pk)
        self.assertEqual(entry.detail, {"address": "127.0.0.1", "method": "sso"})
        self.assertEqual(self.client.get(FAMILIES).status_code, 200)

    def test_it_goes_back_to_the_page_asked_for_but_not_to_another_site(self):
        response = self.back(self.at_provider("sanne.de.vries@school.example", next=FAMILIES))
        self.assertRedirects(response, FAMILIES, fetch_redirect_response=False)
        self.client.logout()
        response = self.back(
            self.at_provider("sanne.de.vries@school.example", next="https://evil.example/")
        )
        self.assertRedirects(response, reverse("home"), fetch_redirect_response=False)

    def test_it_never_creates_an_account_for_an_unknown_user(self):
        users = User.objects.count()
        entry = self.assert_refused(self.sso("nobody@school.example"), "unknown_user")
        self.assertEqual(User.objects.count(), users)
        self.assertNotIn("nobody", json.dumps(entry.detail))  # no names in the log
        # positive control: a known address, the same way in
        self.sso("sanne.de.vries@school.example")
        self.assertEqual(self.logged_in_as(), str(self.mentor.pk))

    def test_it_refuses_an_account_without_a_membership(self):
        parent = make_user("parent")  # a parent's account: the portal, never school SSO
        self.assert_refused(self.sso("parent@example.org"), "no_membership", parent.pk)
        Membership.objects.create(user=parent, school=self.school, role=Role.TEACHER)
        self.sso("parent@example.org")  # positive control: with a role it works
        self.assertEqual(self.logged_in_as(), str(parent.pk))

    def test_it_refuses_a_deactivated_account(self):
        User.objects.filter(pk=self.mentor.pk).update(is_active=False)
        self.assert_refused(
            self.sso("sanne.de.vries@school.example"), "inactive_account", self.mentor.pk
        )
        User.objects.filter(pk=self.mentor.pk).update(is_active=True)
        self.sso("sanne.de.vries@school.example")
        self.assertEqual(self.logged_in_as(), str(self.mentor.pk))

    def test_it_refuses_an_address_two_accounts_share(self):
        twin = make_user("twin", school=self.school, roles=[Role.TEACHER])
        User.objects.filter(pk=twin.pk).update(email="CARE@example.org")
        self.assert_refused(self.sso("care@example.org"), "ambiguous_user")

    def test_it_refuses_an_unverified_or_missing_email(self):
        self.assert_refused(self.sso("unverified:care@example.org"), "email_not_verified")
        self.assert_refused(self.sso("no-email:care@example.org"), "claim_missing")
        self.sso("care@example.org")  # positive control
        self.assertEqual(self.logged_in_as(), str(self.care.pk))

    def test_it_asks_the_userinfo_endpoint_when_the_id_token_lacks_the_claim(self):
        self.sso("userinfo:care@example.org")
        self.assertEqual(self.logged_in_as(), str(self.care.pk))

    def test_a_deactivated_account_loses_its_single_sign_on_session(self):
        self.sso("sanne.de.vries@school.example")
        self.assertEqual(self.client.get(FAMILIES).status_code, 200)
        User.objects.filter(pk=self.mentor.pk).update(is_active=False)
        self.assertEqual(self.client.get(FAMILIES).status_code, 302)

    def test_it_matches_a_school_id_on_the_user_name(self):
        # As the roster import makes them: a non-name id, no usable password.
        teacher = User.objects.create_user(username="12ab-t0042", email="t@school.example")
        teacher.set_unusable_password()
        teacher.save()
        Membership.objects.create(user=teacher, school=self.school, role=Role.TEACHER)
        with override_settings(SSO_MATCH_CLAIM="sub", SSO_MATCH_FIELD="username"):
            self.assert_refused(self.sso("12ab-t0043"), "unknown_user")
            self.sso("12AB-T0042")
        self.assertEqual(self.logged_in_as(), str(teacher.pk))

    def test_the_provider_saying_no_is_audited(self):
        self.start()
        state = next(iter(self.client.session["oidc_states"]))
        response = self.client.get(CALLBACK, {"error": "access_denied", "state": state})
        self.assert_refused(response, "provider_error:access_denied")
        self.assertNotIn(state, self.client.session["oidc_states"])  # cannot be used again


class TokenTest(SSOTestCase):
    """The ID token is signed by the provider's own key in each case; only the claim
    under test is wrong (oidc_provider/provider.js re-signs it)."""

    def test_it_refuses_a_token_for_another_application(self):
        self.assert_refused(self.sso("wrong-aud:sanne.de.vries@school.example"), "wrong_audience")
        self.sso("sanne.de.vries@school.example")  # positive control
        self.assertEqual(self.logged_in_as(), str(self.mentor.pk))

    def test_it_refuses_an_expired_token(self):
        self.assert_refused(self.sso("expired:sanne.de.vries@school.example"), "expired")
        self.sso("sanne.de.vries@school.example")  # positive control
        self.assertEqual(self.logged_in_as(), str(self.mentor.pk))

    def test_it_refuses_a_token_from_another_issuer(self):
        self.assert_refused(self.sso("wrong-iss:sanne.de.vries@school.example"), "wrong_issuer")
        self.sso("sanne.de.vries@school.example")  # positive control
        self.assertEqual(self.logged_in_as(), str(self.mentor.pk))

    def test_it_refuses_a_provider_that_names_another_issuer(self):
        # Discovery: the document must name the issuer that is configured.
        with override_settings(SSO_ISSUER=self.provider.issuer.replace("127.0.0.1", "localhost")):
            self.assert_refused(self.client.get(START), "wrong_issuer")
        self.assertEqual(self.client.get(START).status_code, 302)  # positive control


class StateAndNonceTest(SSOTestCase):
    def test_it_refuses_a_tampered_state(self):
        callback = self.at_provider("sanne.de.vries@school.example")
        query = parse_qs(urlparse(callback).query)
        state = query["state"][0]
        tampered = {
            "code": query["code"][0],
            "state": state[:-1] + ("x" if state[-1] != "x" else "y"),
        }
        self.assert_refused(self.client.get(CALLBACK, tampered), "unknown_state")
        self.back(callback)  # positive control: the untouched answer still works
        self.assertEqual(self.logged_in_as(), str(self.mentor.pk))

    def test_it_refuses_an_answer_used_twice(self):
        callback = self.at_provider("sanne.de.vries@school.example")
        self.back(callback)
        self.assertEqual(self.logged_in_as(), str(self.mentor.pk))
        self.client.logout()
        self.assert_refused(self.back(callback), "unknown_state")

    def test_it_refuses_an_answer_from_another_browser(self):
        from django.test import Client

        callback = self.at_provider("sanne.de.vries@school.example", client=Client())
        self.assert_refused(self.back(callback), "unknown_state")

    def test_it_refuses_a_replayed_nonce(self):
        from django.test import Client

        earlier = Client()
        self.back(self.at_provider("care@example.org", client=earlier), client=earlier)
        self.assertIn(SESSION_KEY, earlier.session)  # positive control: that one worked
        # The provider answers this login with the nonce of the earlier one.
        self.assert_refused(self.sso("replay-nonce:care@example.org"), "nonce_mismatch")

    def test_it_refuses_a_code_paired_with_another_state(self):
        first = parse_qs(urlparse(self.at_provider("care@example.org")).query)
        second = parse_qs(urlparse(self.at_provider("care@example.org")).query)
        swapped = {"code": first["code"][0], "state": second["state"][0]}
        # The second flow's nonce and PKCE verifier do not fit the first flow's code.
        entry = self.assert_refused(self.client.get(CALLBACK, swapped), "token_refused")
        self.assertEqual(entry.action, "login_failed")
        self.client.get(CALLBACK, {"code": first["code"][0], "state": first["state"][0]})
        self.assertEqual(self.logged_in_as(), str(self.care.pk))  # positive control


class TwoStepTest(SSOTestCase):
    def test_a_role_with_two_step_login_still_needs_totp_after_sso(self):
        self.sso("care@example.org", amr="pwd")
        self.assertEqual(self.logged_in_as(), str(self.care.pk))
        response = self.client.get(FAMILIES)
        self.assertRedirects(
            response, f"{TWO_FACTOR}?next=%2Fgezinnen%2F", fetch_redirect_response=False
        )
        self.assertNotIn(IDP_MFA, self.client.session)

    def test_an_mfa_amr_from_the_provider_skips_totp(self):
        self.sso("care@example.org", amr="pwd,mfa")
        self.assertEqual(self.client.get(FAMILIES).status_code, 200)
        self.assertRedirects(self.client.get(TWO_FACTOR), "/", fetch_redirect_response=False)

    def test_an_mfa_acr_from_the_provider_skips_totp(self):
        self.sso("care@example.org", acr="urn:test:password")
        self.assertEqual(self.client.get(FAMILIES).status_code, 302)  # control
        self.client.logout()
        self.sso("care@example.org", acr="urn:test:mfa")
        self.assertEqual(self.client.get(FAMILIES).status_code, 200)

    def test_the_assertion_counts_only_for_that_sign_on(self):
        self.sso("care@example.org", amr="mfa")
        self.assertEqual(self.client.get(FAMILIES).status_code, 200)
        self.client.logout()
        self.client.post(LOGIN, {"username": "care", "password": "correct horse battery"})
        self.assertEqual(self.client.get(FAMILIES).status_code, 302)

    def test_no_amr_or_acr_is_configured_so_totp_stays(self):
        with override_settings(SSO_MFA_AMR=frozenset(), SSO_MFA_ACR=frozenset()):
            self.sso("care@example.org", amr="mfa", acr="urn:test:mfa")
        self.assertEqual(self.client.get(FAMILIES).status_code, 302)


class SwitchTest(SSOTestCase):
    def test_the_login_page_offers_the_school_account_only_when_configured(self):
        self.assertContains(self.client.get(LOGIN), "Inloggen met je schoolaccount")
        with override_settings(SSO_ENABLED=False):
            response = self.client.get(LOGIN)
            self.assertNotContains(response, "schoolaccount")
            self.assertContains(response, 'name="password"')  # password login stays
            self.assertEqual(self.client.get(START).status_code, 404)
            self.assertEqual(self.client.get(CALLBACK).status_code, 404)

    def test_password_login_stays(self):
        response = self.client.post(
            LOGIN, {"username": "mentor", "password": "correct horse battery"}
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.logged_in_as(), str(self.mentor.pk))

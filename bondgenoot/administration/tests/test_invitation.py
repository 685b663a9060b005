"""The invitation email's link sets a password; a two-step role then sets up its app.
Django's admin site stays off, and when on, lets in active superusers only."""

import re

from django.core import mail
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse

from bondgenoot.administration import actions
from bondgenoot.administration.django_admin import SuperuserAdminSite
from bondgenoot.people.models import Role
from bondgenoot.testing import BaseTestCase, make_user


class InvitationTest(BaseTestCase):
    def test_the_link_sets_a_password_and_a_care_coordinator_then_sets_up_the_app(self):
        with self.captureOnCommitCallbacks(execute=True):
            actions.create_account(
                self.admin,
                username="nieuw",
                email="nieuw@school.example",
                first_name="Nina",
                last_name="Nieuw",
                memberships=[(self.school.pk, Role.CARE_COORDINATOR)],
            )
        link = re.search(r"https?://[^/]+(/account/wachtwoord-herstellen/\S+)", mail.outbox[0].body)
        response = self.client.get(link.group(1), follow=True)
        form_url = response.redirect_chain[-1][0]
        new = "Een lange zin als wachtwoord 42"
        response = self.client.post(form_url, {"new_password1": new, "new_password2": new})
        self.assertEqual(response.status_code, 302)
        response = self.client.post(
            reverse("accounts:login"), {"username": "nieuw", "password": new}
        )
        self.assertEqual(response.status_code, 302)
        response = self.client.get(reverse("people:families"))
        self.assertIn(reverse("accounts:two_factor"), response["Location"])
        # The first authenticator needs a second proof: a code mailed to the account.
        self.assertTemplateUsed(
            self.client.get(response["Location"]), "accounts/two_factor_enrol.html"
        )


class DjangoAdminTest(BaseTestCase):
    def test_it_is_off_by_default(self):
        with self.assertRaises(NoReverseMatch):
            reverse("django_admin:index")
        self.assertEqual(self.client.get("/django-admin/").status_code, 404)

    def test_when_on_it_lets_in_active_superusers_only(self):
        site = SuperuserAdminSite()
        request = RequestFactory().get("/django-admin/")
        request.user = make_user("staffonly", is_staff=True)
        self.assertFalse(site.has_permission(request))
        request.user = make_user("root", is_staff=True, is_superuser=True)
        self.assertTrue(site.has_permission(request))
        request.user.is_active = False
        self.assertFalse(site.has_permission(request))

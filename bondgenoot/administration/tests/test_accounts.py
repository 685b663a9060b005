"""Accounts and roles: new staff with an invitation, second roles, deactivation (the
sessions end), the last administrator, resetting the two-step login, offboarding."""

from datetime import timedelta

from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from bondgenoot.audit.models import AuditEntry
from bondgenoot.bridges.models import Bridge, KeyFigure
from bondgenoot.contacts.models import NextStep
from bondgenoot.people.models import Membership, Role, User
from bondgenoot.testing import BaseTestCase, log_in, make_user


class AccountTest(BaseTestCase):
    def setUp(self):
        self.login(self.admin)

    def post(self, name, data, *args):
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(reverse(f"administration:{name}", args=args), data)

    def new_account(self, **extra):
        data = {
            "first_name": "Fatima",
            "last_name": "Bakker",
            "email": "F.Bakker@school.example",
            "username": "",
            f"roles_{self.school.pk}": [Role.MENTOR, Role.CARE_COORDINATOR],
            **extra,
        }
        return self.post("account_new", data)

    def test_it_makes_a_staff_account_with_two_roles_and_sends_the_invitation(self):
        response = self.new_account()
        user = User.objects.get(username="f.bakker@school.example")
        self.assertRedirects(response, reverse("administration:account", args=[user.pk]))
        self.assertEqual(
            set(Membership.objects.filter(user=user).values_list("role", flat=True)),
            {Role.MENTOR, Role.CARE_COORDINATOR},
        )
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].to, ["f.bakker@school.example"])
        self.assertIn("/account/wachtwoord-herstellen/", mail.outbox[0].body)
        # A care coordinator sets up the authenticator app after choosing a password.
        self.assertIn("authenticator", mail.outbox[0].body)
        entries = AuditEntry.objects.filter(actor_id=self.admin.pk, action="create")
        self.assertEqual(entries.filter(object_type="people.user").count(), 1)
        self.assertEqual(entries.filter(object_type="people.membership").count(), 2)

    def test_it_refuses_a_duplicate_email_or_username_and_keeps_what_was_typed(self):
        response = self.new_account(email="mentor@example.org")
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "Er is al een account", status_code=400)
        self.assertContains(response, 'value="Fatima"', status_code=400)
        response = self.new_account(username="mentor")
        self.assertContains(response, "al in gebruik", status_code=400)
        self.assertEqual(len(mail.outbox), 0)
        # Positive control: a new address goes through.
        self.assertEqual(self.new_account().status_code, 302)

    def test_it_refuses_an_account_without_a_role(self):
        response = self.new_account(**{f"roles_{self.school.pk}": []})
        self.assertContains(response, "minstens één rol", status_code=400)

    def test_it_gives_and_takes_a_second_role(self):
        self.post(
            "membership_add",
            {"role-school": self.school.pk, "role-role": Role.CARE_COORDINATOR},
            self.mentor.pk,
        )
        membership = Membership.objects.get(user=self.mentor, role=Role.CARE_COORDINATOR)
        self.post("membership_remove", {}, self.mentor.pk, membership.pk)
        self.assertFalse(Membership.objects.filter(pk=membership.pk).exists())
        self.assertTrue(Membership.objects.filter(user=self.mentor, role=Role.MENTOR).exists())

    def test_it_cannot_give_a_role_at_another_school(self):
        response = self.post(
            "membership_add",
            {"role-school": self.other_school.pk, "role-role": Role.ADMINISTRATOR},
            self.mentor.pk,
        )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(Membership.objects.filter(school=self.other_school, user=self.mentor))

    def test_it_deactivates_and_the_sessions_end_at_once(self):
        mentor_client = Client()
        log_in(mentor_client, self.mentor)
        self.assertEqual(mentor_client.get(reverse("people:families")).status_code, 200)
        self.post("account_deactivate", {}, self.mentor.pk)
        self.mentor.refresh_from_db()
        self.assertFalse(self.mentor.is_active)
        response = mentor_client.get(reverse("people:families"))
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("accounts:login"), response["Location"])
        entry = AuditEntry.objects.get(object_id=str(self.mentor.pk), object_type="people.user")
        self.assertEqual(entry.detail["sessions_ended"], 1)
        # The account and what hangs on it stay.
        self.assertTrue(User.objects.filter(pk=self.mentor.pk).exists())
        self.assertTrue(Membership.objects.filter(user=self.mentor).exists())

    def test_it_refuses_to_deactivate_the_last_administrator(self):
        second = make_user("admin-b", school=self.school, roles=[Role.ADMINISTRATOR])
        self.login(second)
        self.post("account_deactivate", {}, self.admin.pk)
        self.admin.refresh_from_db()
        self.assertFalse(self.admin.is_active)  # positive control: another admin remains
        self.admin.is_active = True
        self.admin.save()
        # Now `second` is the only other one: deactivating them from admin's side works,
        # then admin is the last one and nobody can take their role.
        self.login(self.admin)
        self.post("account_deactivate", {}, second.pk)
        second.refresh_from_db()
        self.assertFalse(second.is_active)
        membership = Membership.objects.get(user=self.admin, role=Role.ADMINISTRATOR)
        response = self.client.post(
            reverse("administration:membership_remove", args=[self.admin.pk, membership.pk]),
            follow=True,
        )
        self.assertContains(response, "laatste beheerder")
        self.assertTrue(Membership.objects.filter(pk=membership.pk).exists())
        third = make_user("admin-c", school=self.school, roles=[Role.CARE_COORDINATOR])
        from bondgenoot.administration import actions

        with self.assertRaisesMessage(Exception, "laatste beheerder"):
            actions.deactivate_account(third, self.admin)

    def test_it_resets_the_two_step_login_with_a_reason_and_tells_the_user(self):
        TOTPDevice.objects.create(user=self.care, name="phone", confirmed=True)
        url_name = "account_two_step"
        response = self.post(url_name, {"reset-reason": ""}, self.care.pk)
        self.assertEqual(response.status_code, 400)
        self.assertTrue(TOTPDevice.objects.filter(user=self.care).exists())
        self.post(url_name, {"reset-reason": "Telefoon kwijt, belde om 9 uur"}, self.care.pk)
        self.assertFalse(TOTPDevice.objects.filter(user=self.care).exists())
        entry = AuditEntry.objects.get(action="two_factor", object_id=str(self.care.pk))
        self.assertEqual(entry.detail["reason"], "Telefoon kwijt, belde om 9 uur")
        self.assertEqual(mail.outbox[-1].to, [self.care.email])
        # At the next login the care coordinator sets up a new app (the setup page).
        care_client = Client()
        care_client.force_login(self.care)
        response = care_client.get(reverse("accounts:two_factor"))
        # A new authenticator needs a second proof first: a code mailed to the account.
        self.assertTemplateUsed(response, "accounts/two_factor_enrol.html")

    def test_it_hands_over_what_a_leaving_mentor_holds_in_one_step(self):
        successor = make_user("successor", school=self.school, roles=[Role.MENTOR])
        step = NextStep.objects.create(
            family=self.jansen,
            what="Bellen over het rapport",
            owner=self.mentor,
            due=timezone.localdate() + timedelta(days=3),
            created_by=self.mentor,
        )
        self.jansen.contact_person = self.mentor
        self.jansen.save()
        kf = KeyFigure.objects.create(school=self.school, name="Samir", kind="youth_worker")
        bridge = Bridge.objects.create(family=self.jansen, key_figure=kf, introduced_by=self.mentor)
        url = reverse("administration:account_handover", args=[self.mentor.pk, self.school.pk])
        page = self.client.get(url)
        self.assertContains(page, "Jansen")
        self.assertContains(page, "1A")
        self.assertNotContains(page, "Bellen over het rapport")  # ledger content stays hidden
        self.client.post(url, {"successor": successor.pk})
        step.refresh_from_db()
        bridge.refresh_from_db()
        self.jansen.refresh_from_db()
        self.assertEqual(step.owner, successor)
        self.assertEqual(self.jansen.contact_person, successor)
        self.assertEqual(bridge.introduced_by, successor)
        self.assertEqual(list(self.group_1a.mentors.all()), [successor])
        changes = AuditEntry.objects.filter(actor_id=self.admin.pk, action="update")
        self.assertEqual(changes.count(), 4)

    def test_it_offers_only_colleagues_with_the_same_role_to_hand_over_to(self):
        url = reverse("administration:account_handover", args=[self.mentor.pk, self.school.pk])
        response = self.client.post(url, {"successor": self.leader.pk})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(list(self.group_1a.mentors.all()), [self.mentor])
        response = self.client.post(url, {"successor": self.dual.pk})
        self.assertEqual(response.status_code, 302)


class PartnerAccountTest(BaseTestCase):
    def test_it_makes_an_organisation_and_a_partner_account(self):
        log_in(self.client, self.admin)
        self.client.post(
            reverse("administration:organisations"), {"name": "Politie Zuid", "kind": "police"}
        )
        from bondgenoot.people.models import Organisation

        org = Organisation.objects.get(name="Politie Zuid")
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(
                reverse("administration:organisation", args=[org.pk]),
                {
                    "first_name": "Kees",
                    "last_name": "Agent",
                    "email": "kees@politie.example",
                    f"roles_{self.school.pk}": [Role.PARTNER],
                },
            )
        user = User.objects.get(email="kees@politie.example")
        self.assertEqual(user.organisation, org)
        self.assertEqual(list(user.memberships.values_list("role", flat=True)), [Role.PARTNER])
        self.assertIn("authenticator", mail.outbox[0].body)
        # The leader reads the list, but cannot add.
        log_in(self.client, self.leader)
        response = self.client.post(
            reverse("administration:organisations"), {"name": "X", "kind": "police"}
        )
        self.assertEqual(response.status_code, 403)
        self.assertContains(
            self.client.get(reverse("administration:organisations")), "Politie Zuid"
        )


class SessionsTest(BaseTestCase):
    def test_it_ends_only_the_sessions_of_that_account(self):
        from bondgenoot.administration.actions import end_sessions

        a, b = Client(), Client()
        log_in(a, self.mentor)
        log_in(b, self.teacher)
        a.get("/")
        b.get("/")
        self.assertEqual(end_sessions(self.mentor), 1)
        self.assertEqual(Session.objects.count(), 1)


class SeveralSchoolsTest(BaseTestCase):
    def test_an_administrator_of_two_schools_gives_roles_at_both(self):
        Membership.objects.create(
            user=self.admin, school=self.other_school, role=Role.ADMINISTRATOR
        )
        log_in(self.client, self.admin)
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(
                reverse("administration:account_new"),
                {
                    "first_name": "Bram",
                    "last_name": "Visser",
                    "email": "bram@school.example",
                    f"roles_{self.school.pk}": [Role.TEACHER],
                    f"roles_{self.other_school.pk}": [Role.MENTOR],
                },
            )
        bram = User.objects.get(email="bram@school.example")
        self.assertEqual(
            set(bram.memberships.values_list("school_id", "role")),
            {(self.school.pk, Role.TEACHER), (self.other_school.pk, Role.MENTOR)},
        )

    def test_it_does_not_deactivate_someone_who_also_works_at_a_school_it_does_not_administer(
        self,
    ):
        Membership.objects.create(user=self.mentor, school=self.other_school, role=Role.MENTOR)
        log_in(self.client, self.admin)
        url = reverse("administration:account_deactivate", args=[self.mentor.pk])
        response = self.client.post(url, follow=True)
        self.assertContains(response, "ook op een andere school")
        self.mentor.refresh_from_db()
        self.assertTrue(self.mentor.is_active)
        # Positive control: a colleague of this school only is deactivated.
        self.client.post(reverse("administration:account_deactivate", args=[self.teacher.pk]))
        self.teacher.refresh_from_db()
        self.assertFalse(self.teacher.is_active)

    def test_it_does_not_let_an_administrator_deactivate_themselves(self):
        make_user("admin-2", school=self.school, roles=[Role.ADMINISTRATOR])
        log_in(self.client, self.admin)
        self.client.post(reverse("administration:account_deactivate", args=[self.admin.pk]))
        self.admin.refresh_from_db()
        self.assertTrue(self.admin.is_active)

    def test_it_shows_only_the_memberships_at_the_administrators_schools(self):
        Membership.objects.create(
            user=self.mentor, school=self.other_school, role=Role.CARE_COORDINATOR
        )
        log_in(self.client, self.admin)
        response = self.client.get(reverse("administration:account", args=[self.mentor.pk]))
        self.assertContains(response, "Maaslandcollege")
        self.assertNotContains(response, "De Kade")

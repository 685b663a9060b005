"""Who reaches the administration pages: administrators change their own school(s), a
school leader reads the register, nobody else gets in. Every refusal beside a
positive control."""

from django.urls import reverse

from bondgenoot.people.models import Pupil, Role
from bondgenoot.testing import BaseTestCase, make_user

READ_PAGES = ["overview", "accounts", "organisations", "pupils", "school_year", "settings"]
WRITE_PAGES = ["account_new", "pupil_new", "family_merge"]


class AccessTest(BaseTestCase):
    def get(self, user, name, *args):
        self.login(user)
        return self.client.get(reverse(f"administration:{name}", args=args))

    def test_it_lets_administrators_and_leaders_read_the_register_and_nobody_else(self):
        for name in READ_PAGES:
            for user in (self.admin, self.leader):
                with self.subTest(name=name, user=user.username):
                    self.assertEqual(self.get(user, name).status_code, 200)
            for user in (self.mentor, self.teacher, self.care, self.keyfigure, self.partner):
                with self.subTest(name=name, user=user.username):
                    self.assertEqual(self.get(user, name).status_code, 403)
        self.client.logout()
        response = self.client.get(reverse("administration:overview"))
        self.assertEqual(response.status_code, 302)

    def test_it_lets_only_administrators_change(self):
        for name in WRITE_PAGES:
            with self.subTest(name=name):
                self.assertEqual(self.get(self.admin, name).status_code, 200)
                self.assertEqual(self.get(self.leader, name).status_code, 403)
                self.assertEqual(self.get(self.care, name).status_code, 403)

    def test_it_shows_the_leader_the_register_without_forms(self):
        pupil = Pupil.objects.filter(family=self.jansen).first()
        response = self.get(self.leader, "pupil", pupil.pk)
        self.assertContains(response, pupil.full_name)
        self.assertNotContains(response, reverse("administration:pupil_move", args=[pupil.pk]))
        admin_view = self.get(self.admin, "pupil", pupil.pk)
        self.assertContains(admin_view, reverse("administration:pupil_move", args=[pupil.pk]))
        # A leader's post is refused; the administrator's goes through.
        self.login(self.leader)
        url = reverse("administration:pupil_move", args=[pupil.pk])
        self.assertEqual(self.client.post(url, {"move-group": self.group_2b.pk}).status_code, 403)
        self.login(self.admin)
        self.assertEqual(self.client.post(url, {"move-group": self.group_2b.pk}).status_code, 302)

    def test_it_keeps_administrators_to_their_own_school(self):
        other_admin = make_user("admin2", school=self.other_school, roles=[Role.ADMINISTRATOR])
        visser = Pupil.objects.filter(family=self.visser).first()
        jansen = Pupil.objects.filter(family=self.jansen).first()
        self.assertEqual(self.get(self.admin, "pupil", visser.pk).status_code, 404)
        self.assertEqual(self.get(self.admin, "pupil", jansen.pk).status_code, 200)
        self.assertEqual(self.get(other_admin, "pupil", jansen.pk).status_code, 404)
        self.assertEqual(self.get(other_admin, "pupil", visser.pk).status_code, 200)
        self.assertEqual(self.get(self.admin, "account", self.outsider.pk).status_code, 404)
        self.assertEqual(self.get(other_admin, "account", self.outsider.pk).status_code, 200)
        response = self.get(self.admin, "accounts")
        self.assertContains(response, self.mentor.username.title())
        self.assertNotContains(response, "Outsider")

    def test_it_never_shows_administrators_contacts_or_signals(self):
        from datetime import date

        from bondgenoot import access
        from bondgenoot.network.models import Signal
        from bondgenoot.testing import add_contact

        pupil = Pupil.objects.filter(family=self.jansen).first()
        add_contact(self.jansen, self.mentor, note="Moeder belde over pesten op school.")
        Signal.objects.create(
            school=self.school,
            pupil=pupil,
            category="absence",
            observed_on=date.today(),
            observation="Drie dagen niet op school verschenen.",
            author=self.care,
        )
        for name, args in (("pupil", [pupil.pk]), ("pupils", [])):
            response = self.get(self.admin, name, *args)
            self.assertContains(response, pupil.full_name)
            self.assertNotContains(response, "pesten")
            self.assertNotContains(response, "Drie dagen")
        access.forget_roles(self.admin)
        self.assertFalse(access.can_view_contacts(self.admin, self.jansen))
        self.assertFalse(access.signals_visible_to(self.admin).exists())
        # Positive control: the care coordinator reads both.
        access.forget_roles(self.care)
        self.assertTrue(access.can_view_contacts(self.care, self.jansen))
        self.assertTrue(access.signals_visible_to(self.care).exists())

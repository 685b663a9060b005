"""The key figure registry: who keeps it, what a bad form keeps, and login invitations."""

from django.core import mail
from django.urls import reverse

from bondgenoot.audit.models import AuditEntry
from bondgenoot.bridges.models import KeyFigure
from bondgenoot.people.models import Membership, Role, User
from bondgenoot.testing import BaseTestCase

VALID = {
    "name": "Fatima Bouzid",
    "kind": "neighbourhood_parent",
    "organisation": "Buurtmoeders Charlois",
    "email": "fatima@example.org",
    "phone": "0612345678",
    "languages": ["ar", "zgh"],
    "postcode_areas": "3081, 3082",
    "communities": "Marokkaans-Nederlandse moeders",
    "availability": "ma en wo",
    "max_families": "8",
    "agreement_on": "2026-09-01",
    "confidentiality_signed": "on",
    "active": "on",
}


class RegistryTest(BaseTestCase):
    def test_a_care_coordinator_adds_a_key_figure(self):
        self.login(self.care)
        response = self.client.post(reverse("bridges:new"), VALID)
        self.assertRedirects(response, reverse("bridges:registry"))
        kf = KeyFigure.objects.get()
        self.assertEqual(kf.school, self.school)
        self.assertEqual(kf.postcode_areas, ["3081", "3082"])
        self.assertEqual(sorted(lang.code for lang in kf.languages.all()), ["ar", "zgh"])
        self.assertTrue(kf.has_agreement)
        self.assertIsNone(kf.user)
        self.assertEqual(AuditEntry.objects.filter(object_type="bridges.keyfigure").count(), 1)
        listing = self.client.get(reverse("bridges:registry"), {"language": "zgh"})
        self.assertContains(listing, "Fatima Bouzid")
        listing = self.client.get(reverse("bridges:registry"), {"area": "3071"})
        self.assertNotContains(listing, "Fatima Bouzid")

    def test_bad_input_keeps_everything_typed(self):
        self.login(self.admin)
        response = self.client.post(
            reverse("bridges:new"),
            {**VALID, "postcode_areas": "3081, Zuid", "create_login": "on", "email": ""},
        )
        self.assertEqual(response.status_code, 400)
        form = response.context["form"]
        self.assertIn("postcode_areas", form.errors)
        self.assertIn("email", form.errors)
        self.assertContains(response, "Buurtmoeders Charlois", status_code=400)
        self.assertContains(response, "3081, Zuid", status_code=400)
        self.assertFalse(KeyFigure.objects.exists())

    def test_an_invitation_creates_a_login_with_the_key_figure_role_only(self):
        self.login(self.care)
        # The mail goes out once the login is committed.
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(reverse("bridges:new"), {**VALID, "create_login": "on"})
        kf = KeyFigure.objects.get()
        user = User.objects.get(email="fatima@example.org")
        self.assertEqual(kf.user, user)
        self.assertEqual(
            list(Membership.objects.filter(user=user).values_list("school", "role")),
            [(self.school.pk, Role.KEY_FIGURE)],
        )
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].to, ["fatima@example.org"])
        # Nobody knows the password until the key figure sets one through the link.
        self.assertTrue(user.has_usable_password())
        self.assertIn("/account/", mail.outbox[0].body)
        self.assertIn("sleutelfiguur", mail.outbox[0].body)

    def test_who_keeps_and_who_reads_the_registry(self):
        kf = KeyFigure.objects.create(school=self.school, name="Ali", kind="caretaker")
        for user, listing, add, edit in (
            (self.care, 200, 200, 200),
            (self.admin, 200, 200, 200),
            (self.mentor, 200, 403, 403),
            (self.teacher, 403, 403, 404),
            (self.leader, 403, 403, 404),
            (self.keyfigure, 403, 403, 404),
            (self.partner, 403, 403, 404),
            (self.outsider, 200, 403, 404),
        ):
            self.login(user)
            with self.subTest(user=user.username):
                self.assertEqual(self.client.get(reverse("bridges:registry")).status_code, listing)
                self.assertEqual(self.client.get(reverse("bridges:new")).status_code, add)
                edit_url = reverse("bridges:edit", args=[kf.pk])
                self.assertEqual(self.client.get(edit_url).status_code, edit)
        self.login(self.outsider)
        self.assertNotContains(self.client.get(reverse("bridges:registry")), "Ali")

    def test_editing_keeps_languages_and_areas(self):
        kf = KeyFigure.objects.create(
            school=self.school, name="Ali", kind="caretaker", postcode_areas=["3081"]
        )
        kf.languages.set(["ar"])
        self.login(self.care)
        form = self.client.get(reverse("bridges:edit", args=[kf.pk])).context["form"]
        self.assertEqual(form.initial["languages"], ["ar"])
        self.assertEqual(form.initial["postcode_areas"], "3081")
        response = self.client.post(
            reverse("bridges:edit", args=[kf.pk]),
            {"name": "Ali Hassan", "kind": "caretaker", "languages": ["ar", "nl"], "active": "on"},
        )
        self.assertRedirects(response, reverse("bridges:registry"))
        kf.refresh_from_db()
        self.assertEqual((kf.name, kf.postcode_areas), ("Ali Hassan", []))
        self.assertEqual(
            AuditEntry.objects.filter(action="update", object_type="bridges.keyfigure").count(), 1
        )


class NewInternalKeyFigureTest(BaseTestCase):
    def test_a_new_key_figure_may_be_school_staff(self):
        # A new key figure already has its (random) id: it is still new, not a move
        # between staff and people outside school.
        self.login(self.care)
        response = self.client.post(
            reverse("bridges:new"), {**VALID, "kind": "caretaker", "organisation": ""}
        )
        self.assertRedirects(response, reverse("bridges:registry"))
        self.assertEqual(KeyFigure.objects.get().kind, "caretaker")

"""Edges found in review: access that must end with what it was granted for, invitations
that never reuse an account, races and limits when introducing."""

from datetime import date

from django.urls import reverse
from django.utils import timezone

from bondgenoot import access
from bondgenoot.bridges import actions
from bondgenoot.bridges.models import Bridge, Consent, KeyFigure
from bondgenoot.people.models import Guardian, Guardianship, Membership, Pupil
from bondgenoot.testing import BaseTestCase

from .test_registry import VALID


class ConsentedAccessTest(BaseTestCase):
    def setUp(self):
        self.kf = KeyFigure.objects.create(
            school=self.school,
            name="Mustafa",
            kind="youth_worker",
            user=self.keyfigure,
            agreement_on=date(2026, 1, 1),
            confidentiality_signed=True,
        )
        self.mother = Guardian.objects.filter(guardianships__pupil__family=self.jansen).first()
        self.bridge = actions.introduce(self.mentor, self.jansen, self.kf)
        actions.record_consent(
            self.mentor,
            self.bridge,
            {"guardian": self.mother, "given_on": date(2026, 11, 1), "how": "phone"},
        )

    def sees(self) -> bool:
        access.forget_roles(self.keyfigure)
        return access.consented_bridges(self.keyfigure).filter(pk=self.bridge.pk).exists()

    def test_access_ends_when_the_consenting_parent_loses_parental_authority(self):
        self.assertTrue(self.sees())
        Guardianship.objects.filter(guardian=self.mother).update(parental_authority=False)
        self.assertFalse(self.sees())

    def test_access_ends_when_the_children_have_left_school(self):
        self.assertTrue(self.sees())
        Pupil.objects.filter(family=self.jansen).update(left_on=timezone.localdate())
        self.assertFalse(self.sees())

    def test_access_ends_when_the_agreement_is_no_longer_recorded(self):
        self.assertTrue(self.sees())
        KeyFigure.objects.filter(pk=self.kf.pk).update(confidentiality_signed=False)
        self.assertFalse(self.sees())

    def test_the_key_figure_sees_only_parents_with_parental_authority(self):
        distant = Guardian.objects.create(school=self.school, first_name="Verre", last_name="Oom")
        self.jansen.pupils.first().guardianships.create(
            guardian=distant, relation="other", parental_authority=False
        )
        self.client.force_login(self.keyfigure)
        page = self.client.get(reverse("bridges:family", args=[self.bridge.pk]))
        self.assertContains(page, self.mother.full_name)
        self.assertNotContains(page, "Verre Oom")

    def test_a_second_click_makes_no_second_bridge_or_consent(self):
        self.assertEqual(actions.introduce(self.mentor, self.jansen, self.kf), self.bridge)
        self.assertEqual(Bridge.objects.count(), 1)
        self.login(self.mentor)
        response = self.client.post(
            reverse("bridges:consent", args=[self.bridge.pk]),
            {
                "guardian": str(self.mother.pk),
                "given_on": "2026-11-02",
                "how": "phone",
                "explained": "on",
            },
        )
        self.assertEqual(response.status_code, 302)  # accepted, not refused as invalid
        self.assertEqual(Consent.objects.count(), 1)

    def test_ending_twice_changes_nothing_the_second_time(self):
        self.login(self.mentor)
        url = reverse("bridges:withdraw", args=[self.bridge.pk])
        self.client.post(url, {"end": "1"})
        self.bridge.refresh_from_db()
        ended = self.bridge.ended_at
        self.assertIsNotNone(ended)
        self.client.post(url, {"end": "1"})
        self.bridge.refresh_from_db()
        self.assertEqual(self.bridge.ended_at, ended)

    def test_a_full_key_figure_is_not_introduced(self):
        KeyFigure.objects.filter(pk=self.kf.pk).update(max_families=1)
        self.kf.refresh_from_db()
        self.login(self.care)
        self.client.post(reverse("bridges:introduce", args=[self.yilmaz.pk, self.kf.pk]))
        self.assertFalse(Bridge.objects.filter(family=self.yilmaz).exists())
        # Positive control: with room for one more family, the same click introduces.
        KeyFigure.objects.filter(pk=self.kf.pk).update(max_families=2)
        self.client.post(reverse("bridges:introduce", args=[self.yilmaz.pk, self.kf.pk]))
        self.assertTrue(Bridge.objects.filter(family=self.yilmaz).exists())


class InvitationTest(BaseTestCase):
    def test_an_invitation_never_reuses_an_existing_account(self):
        self.login(self.care)
        response = self.client.post(
            reverse("bridges:new"),
            {**VALID, "email": self.outsider.email.upper(), "create_login": "on"},
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("email", response.context["form"].errors)
        self.assertFalse(KeyFigure.objects.exists())
        self.assertEqual(Membership.objects.filter(user=self.outsider).count(), 1)

    def test_the_address_of_a_key_figure_with_a_login_cannot_change(self):
        kf = KeyFigure.objects.create(
            school=self.school,
            name="M",
            kind="youth_worker",
            user=self.keyfigure,
            email="kf@example.org",
        )
        self.login(self.care)
        response = self.client.post(
            reverse("bridges:edit", args=[kf.pk]),
            {"name": "M2", "kind": "youth_worker", "email": "attacker@example.net", "active": "on"},
        )
        self.assertEqual(response.status_code, 302)  # the form was saved...
        kf.refresh_from_db()
        self.assertEqual(kf.name, "M2")
        self.assertEqual(kf.email, "kf@example.org")  # ...without the new address

    def test_a_key_figure_cannot_switch_between_staff_and_outside(self):
        kf = KeyFigure.objects.create(school=self.school, name="M", kind="youth_worker")
        self.login(self.care)
        response = self.client.post(
            reverse("bridges:edit", args=[kf.pk]),
            {"name": "M", "kind": "other_staff", "active": "on"},
        )
        self.assertEqual(response.status_code, 400)
        kf.refresh_from_db()
        self.assertEqual(kf.kind, "youth_worker")

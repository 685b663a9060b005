"""Bugs found by the review of the access policy, each pinned by a test."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from bondgenoot import access
from bondgenoot.bridges.models import Consent, KeyFigure
from bondgenoot.people.models import Guardian, Guardianship
from bondgenoot.testing import BaseTestCase, add_contact, make_bridge, make_key_figure


class ConsentScopeFollowsAuthorityTest(BaseTestCase):
    """A mother gave consent including meetings, then lost parental authority. The
    father's consent, which excludes meetings, keeps the bridge open: the key figure
    keeps seeing the family, but no longer its meetings."""

    def setUp(self):
        key_figure = make_key_figure(self.school, "Mustafa", user=self.keyfigure)
        self.bridge = make_bridge(self.jansen, key_figure, self.mentor)
        self.mother, self.father = Guardian.objects.filter(
            guardianships__pupil__family=self.jansen
        ).order_by("first_name")[:2]
        for guardian, meetings in ((self.mother, True), (self.father, False)):
            Consent.objects.create(
                bridge=self.bridge,
                guardian=guardian,
                given_on=date(2026, 11, 1),
                how="in_person",
                share_meetings=meetings,
                recorded_by=self.mentor,
            )

    def test_it_drops_the_scope_of_a_parent_who_lost_authority(self):
        self.assertTrue(access.consent_scope(self.bridge).meetings)  # positive control
        Guardianship.objects.filter(guardian=self.mother).update(parental_authority=False)
        self.assertFalse(access.consent_scope(self.bridge).meetings)
        # The father's consent still opens the bridge.
        access.forget_roles(self.keyfigure)
        self.assertTrue(access.consented_bridges(self.keyfigure).filter(pk=self.bridge.pk).exists())

    def test_it_shows_the_same_consents_in_force_on_the_bridge_page(self):
        self.login(self.mentor)
        url = reverse("bridges:bridge", args=[self.bridge.pk])
        meetings = "de bijeenkomsten waarvoor het gezin is uitgenodigd"
        self.assertContains(self.client.get(url), meetings)
        Guardianship.objects.filter(guardian=self.mother).update(parental_authority=False)
        self.assertNotContains(self.client.get(url), meetings)

    def test_it_closes_the_bridge_when_no_giver_has_authority(self):
        Guardianship.objects.filter(pupil__family=self.jansen).update(parental_authority=False)
        self.assertFalse(access.consented_bridges(self.keyfigure).exists())
        self.assertFalse(Consent.objects.filter(bridge=self.bridge).in_force().exists())
        self.assertFalse(self.bridge.consent_in_force)


class HasAgreementAgreesWithThePolicyTest(BaseTestCase):
    def test_it_gives_the_same_answer_in_python_and_in_sql(self):
        combinations = 0
        for kind in [k for k, _ in KeyFigure.Kind.choices]:
            for agreement_on in (None, date(2026, 1, 1)):
                for signed in (False, True):
                    kf = KeyFigure.objects.create(
                        school=self.school,
                        name=f"{kind} {agreement_on} {signed}",
                        kind=kind,
                        agreement_on=agreement_on,
                        confidentiality_signed=signed,
                    )
                    in_sql = KeyFigure.objects.with_agreement().filter(pk=kf.pk).exists()
                    self.assertEqual(kf.has_agreement, in_sql, (kind, agreement_on, signed))
                    combinations += 1
        self.assertGreater(combinations, 8)


class TeacherWhoMovedTest(BaseTestCase):
    def test_it_hides_old_contacts_on_the_start_page_after_a_move(self):
        add_contact(self.jansen, self.teacher, note="Praatje bij het hek")
        self.login(self.teacher)
        self.assertContains(self.client.get(reverse("home")), "Jansen")  # positive control
        self.teacher.memberships.update(school=self.other_school)
        access.forget_roles(self.teacher)
        self.assertNotContains(self.client.get(reverse("home")), "Jansen")

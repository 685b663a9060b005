"""Guardian.objects.with_authority(): the parents with a right to information."""

from datetime import date

from bondgenoot.bridges.forms import ConsentForm
from bondgenoot.messaging.planning import plan
from bondgenoot.people.models import Family, Guardian, Guardianship, Pupil
from bondgenoot.testing import BaseTestCase


class WithAuthorityTest(BaseTestCase):
    def setUp(self):
        # A step-parent without authority, and a parent only of a pupil who left.
        self.pupil = Pupil.objects.filter(family=self.jansen).first()
        self.step = Guardian.objects.create(school=self.school, last_name="Stap")
        Guardianship.objects.create(
            pupil=self.pupil, guardian=self.step, relation="stepparent", parental_authority=False
        )
        left = Pupil.objects.create(
            school=self.school,
            family=self.jansen,
            first_name="Sem",
            last_name="Jansen",
            date_of_birth=date(2008, 1, 1),
            pupil_number="left-1",
            left_on=date(2024, 7, 1),
        )
        self.former = Guardian.objects.create(
            school=self.school, last_name="Vroeger", email="v@example.org"
        )
        Guardianship.objects.create(pupil=left, guardian=self.former, relation="father")
        self.current = set(
            Guardian.objects.filter(
                guardianships__pupil=self.pupil, guardianships__parental_authority=True
            )
        )

    def test_it_lists_each_parent_with_authority_over_a_pupil_at_school_once(self):
        guardians = list(Guardian.objects.with_authority(family=self.jansen))
        self.assertEqual(set(guardians), self.current)
        self.assertEqual(len(guardians), len(self.current))
        self.assertNotIn(self.step, guardians)
        self.assertNotIn(self.former, guardians)
        families = Family.objects.filter(pk__in=[self.jansen.pk, self.yilmaz.pk])
        self.assertLessEqual(self.current, set(Guardian.objects.with_authority(families=families)))

    def test_a_parent_only_of_a_pupil_who_left_cannot_consent_to_a_bridge(self):
        form = ConsentForm(family=self.jansen)
        self.assertEqual(set(form.guardians.values()), self.current)

    def test_messages_go_only_to_parents_with_authority_over_a_pupil_at_school(self):
        reachable, unreachable = plan(Family.objects.filter(pk=self.jansen.pk))
        guardians = {r.guardian for r in reachable + unreachable}
        self.assertEqual(guardians, self.current)

from django.urls import reverse

from bondgenoot.audit.models import AuditEntry
from bondgenoot.people.models import Guardian, Pupil
from bondgenoot.testing import BaseTestCase, count_queries, make_family


class FamilyDetailTest(BaseTestCase):
    def url(self, family):
        return reverse("people:family", args=[family.pk])

    def test_it_shows_pupils_guardians_languages_and_channels(self):
        self.login(self.mentor)
        response = self.client.get(self.url(self.yilmaz))
        self.assertContains(response, "Noah Yilmaz")
        self.assertContains(response, "Lina Yilmaz")  # sibling in 2B
        self.assertContains(response, "Maria Yilmaz")
        self.assertContains(response, "Turks")
        self.assertContains(response, "Telefoongesprek")
        self.assertContains(response, "Contactpersoon")

    def test_it_shows_the_mentor_as_contact_person_by_default(self):
        self.login(self.mentor)
        response = self.client.get(self.url(self.jansen))
        self.assertContains(response, "<strong>Mentor</strong>", html=False)

    def test_it_says_when_a_guardian_has_no_email(self):
        self.login(self.care)
        response = self.client.get(self.url(self.el_amrani))
        self.assertContains(response, "geen e-mailadres")
        self.assertContains(response, "heeft een tolk nodig")

    def test_it_audits_every_read(self):
        self.login(self.care)
        self.client.get(self.url(self.jansen))
        entry = AuditEntry.objects.order_by("-seq").first()
        self.assertEqual(entry.action, "view")
        self.assertEqual(entry.actor_id, self.care.pk)
        self.assertEqual(entry.family_id, str(self.jansen.pk))
        self.assertEqual(entry.school_id, self.school.pk)
        self.assertEqual(entry.route, "people:family")
        self.assertEqual(entry.method, "GET")

    def test_it_is_404_for_families_outside_the_users_reach(self):
        cases = [
            (self.mentor, self.el_amrani),
            (self.teacher, self.jansen),
            (self.leader, self.jansen),
            (self.keyfigure, self.jansen),
            (self.partner, self.jansen),
            (self.parent, self.yilmaz),
            (self.parent, self.jansen),
            (self.outsider, self.jansen),
            (self.care, self.visser),
            (self.dual, self.jansen),
        ]
        for user, family in cases:
            self.login(user)
            self.assertEqual(
                self.client.get(self.url(family)).status_code, 404, (user.username, family.name)
            )

    def test_it_is_200_for_those_who_may(self):
        cases = [
            (self.mentor, self.jansen),
            (self.care, self.el_amrani),
            (self.admin, self.jansen),
            (self.dual, self.el_amrani),
            (self.outsider, self.visser),
        ]
        for user, family in cases:
            self.login(user)
            self.assertEqual(
                self.client.get(self.url(family)).status_code, 200, (user.username, family.name)
            )

    def test_it_audits_a_refused_read_as_a_refusal_not_as_a_read(self):
        self.login(self.mentor)
        before = AuditEntry.objects.count()
        self.client.get(self.url(self.el_amrani))
        self.assertEqual(AuditEntry.objects.count(), before + 1)
        entry = AuditEntry.objects.latest("seq")
        self.assertEqual(entry.action, AuditEntry.Action.ACCESS_DENIED)
        self.assertEqual(entry.detail["ids"], {"pk": str(self.el_amrani.pk)})

    def test_its_query_count_does_not_grow_with_data(self):
        self.login(self.care)
        small_family = self.jansen
        big_family = make_family(
            self.school,
            [self.group_1a] * 4,
            name="Groot",
            guardians=3,
            languages=("nl", "ar", "tr"),
        )
        self.client.get(self.url(small_family))  # warm up
        small = count_queries(lambda: self.client.get(self.url(small_family)))
        large = count_queries(lambda: self.client.get(self.url(big_family)))
        self.assertEqual(small, large)
        self.assertEqual(Pupil.objects.filter(family=big_family).count(), 4)
        self.assertEqual(Guardian.objects.of_family(big_family).count(), 3)
        # With the ledger, the approach advisor and bridge builders (a fixed number).
        self.assertLessEqual(large, 36)

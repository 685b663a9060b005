from django.urls import reverse

from bondgenoot.audit.log import record
from bondgenoot.audit.models import AuditEntry
from bondgenoot.testing import BaseTestCase, count_queries


class AuditLogViewTest(BaseTestCase):
    url = reverse("audit:log")

    def setUp(self):
        record(self.mentor, AuditEntry.Action.VIEW, self.jansen)
        record(self.care, AuditEntry.Action.VIEW, self.el_amrani)
        record(self.outsider, AuditEntry.Action.VIEW, self.visser)

    def test_it_lists_entries_of_the_users_school(self):
        self.login(self.care)
        response = self.client.get(self.url)
        self.assertContains(response, "Jansen")
        self.assertContains(response, "El Amrani")
        self.assertNotContains(response, "Visser")

    def test_it_filters_by_person(self):
        self.login(self.admin)
        response = self.client.get(self.url, {"actor": "mentor"})
        self.assertContains(response, "Jansen")
        self.assertNotContains(response, "El Amrani")

    def test_it_says_when_the_person_is_unknown(self):
        self.login(self.admin)
        response = self.client.get(self.url, {"actor": "outsider"})
        self.assertContains(response, "outsider")
        self.assertNotContains(response, "Visser")
        self.assertNotContains(response, "Jansen")

    def test_it_filters_by_record(self):
        self.login(self.care)
        response = self.client.get(self.url, {"record": str(self.el_amrani.pk)})
        self.assertContains(response, "El Amrani")
        self.assertNotContains(response, "Jansen</a>")

    def test_it_is_forbidden_for_other_roles(self):
        for user in (
            self.mentor,
            self.teacher,
            self.leader,
            self.keyfigure,
            self.partner,
            self.parent,
            self.outsider,
            self.dual,
        ):
            self.login(user)
            self.assertEqual(self.client.get(self.url).status_code, 403, user)

    def test_it_audits_browsing_the_log(self):
        self.login(self.care)
        self.client.get(self.url, {"actor": "mentor"})
        entry = AuditEntry.objects.order_by("-seq").first()
        self.assertEqual(
            (entry.actor_id, entry.action, entry.route), (self.care.pk, "view", "audit:log")
        )
        self.assertEqual(entry.detail["actor_id"], self.mentor.pk)

    def test_its_query_count_does_not_grow_with_data(self):
        self.login(self.care)
        self.client.get(self.url)
        small = count_queries(lambda: self.client.get(self.url))
        for family in (self.jansen, self.el_amrani, self.yilmaz) * 30:
            record(self.mentor, AuditEntry.Action.VIEW, family)
        large = count_queries(lambda: self.client.get(self.url))
        self.assertEqual(small, large)

    def test_it_shows_the_break_glass_reason(self):
        from bondgenoot.network.actions import break_glass

        pupil = self.jansen.pupils.first()
        break_glass(self.care, pupil, "Politie belt over acute zorg om dit kind")
        self.login(self.care)
        response = self.client.get(reverse("audit:log"))
        self.assertContains(response, "Politie belt over acute zorg om dit kind")
        self.assertContains(response, "Noodtoegang")

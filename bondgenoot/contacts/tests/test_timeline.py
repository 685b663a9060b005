from django.urls import reverse

from bondgenoot.audit.models import AuditEntry
from bondgenoot.testing import BaseTestCase, add_contact, count_queries, family_page


class TimelineTest(BaseTestCase):
    def url(self, family=None, **params):
        return reverse("contacts:timeline", args=[(family or self.jansen).pk])

    def test_it_lists_contacts_newest_first_on_the_family_page(self):
        add_contact(self.jansen, self.mentor, days_ago=10, note="Oudste")
        add_contact(self.jansen, self.mentor, days_ago=1, note="Nieuwste")
        self.login(self.mentor)
        body = family_page(self.client, self.jansen.pk).content.decode()
        self.assertLess(body.index("Nieuwste"), body.index("Oudste"))

    def test_it_filters_by_tone_purpose_and_channel(self):
        add_contact(self.jansen, self.mentor, tone="positive", note="Blij")
        add_contact(self.jansen, self.mentor, tone="concern", purpose="worry", note="Zorgen")
        add_contact(self.jansen, self.mentor, channel="letter", note="Brief gestuurd")
        self.login(self.mentor)
        response = self.client.get(self.url(), {"tone": "concern"})
        self.assertContains(response, "Zorgen")
        self.assertNotContains(response, "Blij")
        response = self.client.get(self.url(), {"channel": "letter"})
        self.assertContains(response, "Brief gestuurd")
        self.assertNotContains(response, "Zorgen")
        response = self.client.get(self.url(), {"purpose": "worry", "tone": "positive"})
        self.assertNotContains(response, "Zorgen")
        self.assertNotContains(response, "Blij")

    def test_it_pages(self):
        for n in range(20):
            add_contact(self.jansen, self.mentor, days_ago=n + 1, note=f"Contact nummer {n:02d}")
        self.login(self.mentor)
        first = self.client.get(self.url())
        # Ten at a time, newest first.
        self.assertContains(first, "Contact nummer 09")
        self.assertNotContains(first, "Contact nummer 10")
        second = self.client.get(self.url(), {"page": 2})
        self.assertContains(second, "Contact nummer 10")
        self.assertContains(second, "Contact nummer 19")

    def test_it_is_audited(self):
        self.login(self.mentor)
        self.client.get(self.url())
        entry = AuditEntry.objects.order_by("-seq").first()
        self.assertEqual((entry.route, entry.family_id), ("contacts:timeline", str(self.jansen.pk)))

    def test_it_hides_the_ledger_from_the_administrator(self):
        add_contact(self.jansen, self.mentor, note="Alleen voor mentor en zorg")
        self.login(self.admin)
        self.assertEqual(self.client.get(self.url()).status_code, 403)
        page = family_page(self.client, self.jansen.pk)
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, "Alleen voor mentor en zorg")

    def test_it_is_404_for_those_who_may_not_see_the_family(self):
        for user in (self.teacher, self.leader, self.outsider, self.keyfigure, self.dual):
            self.login(user)
            self.assertEqual(self.client.get(self.url()).status_code, 404, user.username)

    def test_its_query_count_does_not_grow_with_data(self):
        self.login(self.care)
        add_contact(self.jansen, self.mentor)
        self.client.get(self.url())
        small = count_queries(lambda: self.client.get(self.url()))
        guardians = list(
            self.jansen.pupils.first().guardianships.values_list("guardian", flat=True)
        )
        for n in range(40):
            c = add_contact(
                self.jansen, self.mentor, days_ago=n, key_figure=self.keyfigure, language_id="nl"
            )
            c.guardians.set(guardians)
            c.pupils.set(self.jansen.pupils.all())
        large = count_queries(lambda: self.client.get(self.url()))
        self.assertEqual(small, large)
        page = count_queries(
            lambda: self.client.get(reverse("people:family", args=[self.jansen.pk]))
        )
        # Ledger, approach advisor and bridge builders: a fixed number, whatever the data.
        self.assertLessEqual(page, 40)


class TimelinePageTest(BaseTestCase):
    def test_it_serves_a_whole_page_when_opened_directly(self):
        self.login(self.mentor)
        url = reverse("contacts:timeline", args=[self.jansen.pk])
        page = self.client.get(url).content.decode()
        self.assertIn("<html", page)
        self.assertIn('id="main"', page)
        self.assertIn('id="timeline"', page)
        fragment = self.client.get(url, HTTP_HX_REQUEST="true").content.decode()
        self.assertNotIn("<html", fragment)  # control: htmx still gets the fragment
        self.assertIn('id="timeline"', fragment)

from django.urls import reverse

from bondgenoot.contacts.models import Contact
from bondgenoot.testing import BaseTestCase, add_contact, count_queries, grow


class CampaignTest(BaseTestCase):
    url = reverse("contacts:campaign")

    def test_it_lists_the_mentors_families_without_a_positive_contact(self):
        add_contact(self.jansen, self.mentor, days_ago=2, tone="positive")
        self.login(self.mentor)
        response = self.client.get(self.url)
        self.assertContains(response, "Yilmaz")
        self.assertNotContains(response, ">Jansen<")
        self.assertNotContains(response, "El Amrani")
        self.assertEqual((response.context["done"], response.context["total"]), (1, 2))

    def test_it_does_not_count_a_positive_letter_or_an_unreached_call(self):
        add_contact(self.jansen, self.mentor, days_ago=2, tone="positive", channel="letter")
        add_contact(self.jansen, self.mentor, days_ago=1, tone="positive", reached=False)
        self.login(self.mentor)
        self.assertEqual(self.client.get(self.url).context["done"], 0)

    def test_it_logs_a_positive_call_in_one_click(self):
        self.login(self.mentor)
        response = self.client.post(
            reverse("contacts:campaign_log", args=[self.yilmaz.pk]), headers={"HX-Request": "true"}
        )
        self.assertContains(response, 'id="campaign-progress" hx-swap-oob="true"')
        self.assertContains(response, 'value="1"')
        contact = Contact.objects.get()
        self.assertEqual(
            (
                contact.family,
                contact.channel,
                contact.tone,
                contact.purpose,
                contact.reached,
                contact.author,
            ),
            (self.yilmaz, "phone", "positive", "acquaintance", True, self.mentor),
        )
        self.assertNotContains(self.client.get(self.url), "Yilmaz</a>")

    def test_it_works_without_javascript(self):
        self.login(self.mentor)
        response = self.client.post(reverse("contacts:campaign_log", args=[self.jansen.pk]))
        self.assertRedirects(response, self.url)
        self.assertEqual(Contact.objects.count(), 1)

    def test_it_is_for_mentors_and_care_only(self):
        for user in (self.teacher, self.leader, self.admin, self.keyfigure, self.parent):
            self.login(user)
            self.assertEqual(self.client.get(self.url).status_code, 403, user.username)

    def test_it_refuses_families_out_of_reach(self):
        for user, family in (
            (self.mentor, self.el_amrani),
            (self.outsider, self.jansen),
            (self.admin, self.jansen),
        ):
            self.login(user)
            response = self.client.post(reverse("contacts:campaign_log", args=[family.pk]))
            self.assertIn(response.status_code, (403, 404), user.username)
        self.assertFalse(Contact.objects.exists())

    def test_its_query_count_does_not_grow_with_data(self):
        self.login(self.mentor)
        self.client.get(self.url)
        small = count_queries(lambda: self.client.get(self.url))
        grow(self.school, self.group_1a, 40)
        large = count_queries(lambda: self.client.get(self.url))
        self.assertEqual(small, large)


class CampaignCountsAgreeWithTheListTest(BaseTestCase):
    """The campaign's two counts come from one aggregate; its list from the rule's
    exclusion. For every kind of family they must agree."""

    def test_the_counts_match_the_list_for_every_kind_of_family(self):
        from bondgenoot.contacts.monitor_views import _campaign_scope

        # Yilmaz: no contact at all (no summary row); Jansen: a positive personal call;
        # a third family: only a positive letter (not personal), so still to do.
        add_contact(self.jansen, self.mentor, days_ago=2, tone="positive")
        grow(self.school, self.group_1a, 2, prefix="Extra")
        extra = self.group_1a.pupils.exclude(family__in=[self.jansen, self.yilmaz]).first().family
        add_contact(extra, self.mentor, days_ago=1, tone="positive", channel="letter")
        for user in (self.mentor, self.care, self.dual):
            todo, total, done = _campaign_scope(user)
            families = list(todo)
            self.assertEqual(total - done, len(families), user.username)
            self.assertEqual(total, len(families) + (1 if user != self.dual else 0))
        todo, total, done = _campaign_scope(self.mentor)
        self.assertEqual((total, done), (4, 1))
        self.assertIn(extra, list(todo))

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from bondgenoot.contacts.monitor import Period, compute
from bondgenoot.people.models import Family, Group
from bondgenoot.people.schoolyear import current_school_year
from bondgenoot.testing import BaseTestCase, add_contact, count_queries, grow, make_group


def days_into_year(days: int) -> float:
    """How many days ago the given day of this school year was."""
    start = Period.of(current_school_year()).start
    return (timezone.now() - (start + timedelta(days=days))).total_seconds() / 86400


class MonitorFiguresTest(BaseTestCase):
    def setUp(self):
        self.period = Period.of(current_school_year())
        # Jansen: positive call in week 2 (counts for both shares).
        add_contact(self.jansen, self.mentor, days_ago=days_into_year(10), tone="positive")
        # Yilmaz: positive, but later than 6 weeks; plus a concern contact.
        add_contact(self.yilmaz, self.mentor, days_ago=days_into_year(60), tone="positive")
        add_contact(self.yilmaz, self.mentor, days_ago=days_into_year(61), tone="concern")
        # El Amrani: three unreached attempts, only one-way messages.
        for n in range(3):
            add_contact(self.el_amrani, self.care, days_ago=3 + n, reached=False)

    def compute(self):
        families = Family.objects.filter(school=self.school)
        return compute(families, self.period, Group.objects.filter(school=self.school))

    def test_it_counts_the_shares_of_families_with_positive_contact(self):
        m = self.compute()
        self.assertEqual((m.families, m.positive, m.first_weeks), (3, 2, 1))
        self.assertEqual((m.positive_share, m.first_weeks_share), (67, 33))

    def test_it_computes_the_positive_to_concern_ratio(self):
        m = self.compute()
        self.assertEqual((m.positive_contacts, m.concern_contacts, m.ratio), (2, 1, 2.0))

    def test_it_counts_unreached_and_silent_families(self):
        m = self.compute()
        self.assertEqual(m.unreached, 1)
        # El Amrani had no conversation; Jansen's and Yilmaz's were longer than 8 weeks ago
        # only if the school year is old enough, so count directly what the rule says.
        recent = timezone.now() - timedelta(weeks=8)
        expected = sum(
            1
            for f in (self.jansen, self.yilmaz, self.el_amrani)
            if not f.contacts.filter(dialogue=True, reached=True, at__gte=recent)
        )
        self.assertEqual(m.no_dialogue, expected)

    def test_it_breaks_figures_down_per_group(self):
        rows = {g.name: g for g in self.compute().groups}
        self.assertEqual((rows["1A"].families, rows["1A"].positive), (2, 2))  # Jansen, Yilmaz
        self.assertEqual((rows["2B"].families, rows["2B"].unreached), (2, 1))  # Amrani, Yilmaz

    def test_it_gives_monthly_figures_with_a_running_share(self):
        months = self.compute().months
        self.assertEqual(months[0].month, self.period.start.date().replace(day=1))
        self.assertEqual(sum(m.positive for m in months), 2)
        self.assertEqual(months[-1].cumulative_positive_families, 2)
        self.assertEqual(months[-1].cumulative_share, 67)


class MonitorViewTest(BaseTestCase):
    url = reverse("contacts:monitor")

    def setUp(self):
        for n in range(3):
            add_contact(self.el_amrani, self.care, days_ago=2 + n, reached=False)

    def test_it_shows_a_school_leader_figures_but_no_names(self):
        grow(self.school, self.group_1a, 7)  # 10 families: the smallest figure shown
        self.login(self.leader)
        response = self.client.get(self.url)
        self.assertContains(response, "<svg")
        self.assertContains(response, "<table")
        self.assertNotContains(response, "El Amrani")
        self.assertNotContains(response, "Jansen")
        self.assertEqual(response.context["m"].families, 10)

    def test_it_hides_figures_about_fewer_than_ten_families_from_a_leader(self):
        self.login(self.leader)
        response = self.client.get(self.url, {"language": "ar"})  # one family
        self.assertContains(response, "Minder dan 10 gezinnen")
        self.assertNotContains(response, "<svg")
        self.login(self.care)  # who may see the families anyway
        self.assertContains(self.client.get(self.url, {"language": "ar"}), "<svg")

    def test_it_shows_a_mentor_only_their_own_groups(self):
        self.login(self.mentor)
        response = self.client.get(self.url)
        self.assertEqual(response.context["m"].families, 2)  # Jansen and Yilmaz
        self.assertNotContains(response, "El Amrani")

    def test_it_names_unreached_families_for_the_care_coordinator(self):
        self.login(self.care)
        response = self.client.get(self.url)
        self.assertContains(response, "El Amrani")

    def test_it_filters_by_group_year_and_language(self):
        self.login(self.care)
        self.assertEqual(
            self.client.get(self.url, {"group": self.group_2b.pk}).context["m"].families, 2
        )
        self.assertEqual(self.client.get(self.url, {"language": "ar"}).context["m"].families, 1)
        self.assertEqual(self.client.get(self.url, {"year_level": 2}).context["m"].families, 2)
        last_year = current_school_year() - 1
        response = self.client.get(self.url, {"school_year": last_year})
        self.assertEqual(response.context["m"].period.school_year, last_year)
        self.assertEqual(response.context["m"].unreached, 1)

    def test_it_is_forbidden_for_roles_without_a_monitor(self):
        for user in (self.teacher, self.admin, self.keyfigure, self.partner, self.parent):
            self.login(user)
            self.assertEqual(self.client.get(self.url).status_code, 403, user.username)

    def test_it_keeps_schools_apart(self):
        self.login(self.outsider)
        self.assertEqual(self.client.get(self.url).context["m"].families, 1)

    def test_its_query_count_does_not_grow_with_data(self):
        self.login(self.leader)
        self.client.get(self.url)
        small = count_queries(lambda: self.client.get(self.url))
        group = make_group(self.school, "3C")
        grow(self.school, group, 30)
        for family in Family.objects.filter(name__startswith="Extra"):
            add_contact(family, self.care, days_ago=3, tone="positive")
            add_contact(family, self.care, days_ago=2, reached=False)
        large = count_queries(lambda: self.client.get(self.url))
        self.assertEqual(small, large)


class MonitorCacheTest(BaseTestCase):
    url = reverse("contacts:monitor")

    def test_it_never_shows_figures_older_than_the_last_contact(self):
        from django.core.cache import cache
        from django.core.management import call_command
        from django.test import override_settings

        from bondgenoot.settings import cache_from_url

        # Per process, and the default: shared by all processes through the database.
        # (Another family each time: the figure counts families.)
        for name, backend, family in [
            ("locmem", {**cache_from_url("locmem://"), "LOCATION": "monitor-test"}, self.jansen),
            ("database", cache_from_url(""), self.yilmaz),
        ]:
            with self.subTest(name), override_settings(CACHES={"default": backend}):
                call_command("createcachetable", verbosity=0)
                cache.clear()
                self.login(self.leader)
                first = self.client.get(self.url).context["m"]
                before = first.positive
                cached = count_queries(lambda: self.client.get(self.url))
                self.login(self.mentor)
                self.client.post(
                    reverse("contacts:new", args=[family.pk]),
                    {
                        "channel": "phone",
                        "purpose": "acquaintance",
                        "tone": "positive",
                        "reached": "1",
                    },
                )
                self.login(self.leader)
                uncached = count_queries(lambda: self.client.get(self.url))
                self.assertEqual(self.client.get(self.url).context["m"].positive, before + 1)
                self.assertLess(cached, uncached)

"""Page query counts are the same at `school` and at `district` scale (DESIGN.md).

Seeds the real generator: one school first, then the nineteen other schools of the
district, and counts the SQL queries of each page before and after. Slow (a few
minutes); select or skip it with ``-m scale``.
"""

import pytest
from django.test import TestCase
from django.urls import reverse

from bondgenoot import access
from bondgenoot.contacts.models import Contact
from bondgenoot.people.models import User
from bondgenoot.seeding import Generator
from bondgenoot.testing import count_queries, log_in


@pytest.mark.scale
class ScaleQueryCountTest(TestCase):
    def measure(self) -> dict:
        pages = {
            "monitor (school leader)": ("directie", reverse("contacts:monitor")),
            "monitor (mentor)": ("mentor", reverse("contacts:monitor")),
            "monitor (care coordinator)": ("zorg", reverse("contacts:monitor")),
            "worklist": ("mentor", reverse("contacts:worklist")),
            "timeline": ("mentor", reverse("contacts:timeline", args=[self.family.pk])),
            "family page": ("mentor", reverse("people:family", args=[self.family.pk])),
            "my families": ("mentor", reverse("people:families")),
            "campaign": ("mentor", reverse("contacts:campaign")),
            "key figures": ("mentor", reverse("bridges:registry")),
            "key figure matches": ("mentor", reverse("bridges:matches", args=[self.family.pk])),
            "bridge": ("mentor", reverse("bridges:bridge", args=[self.bridge.pk])),
            "key figure's families": ("sleutelfiguur", reverse("bridges:mine")),
            "key figure's family": (
                "sleutelfiguur",
                reverse("bridges:family", args=[self.bridge.pk]),
            ),
        }
        counts = {}
        for name, (username, url) in pages.items():
            log_in(self.client, User.objects.get(username=username))
            self.assertEqual(self.client.get(url).status_code, 200, name)  # warm up
            counts[name] = count_queries(lambda url=url: self.client.get(url))
        return counts

    def test_page_query_counts_do_not_depend_on_the_scale(self):
        Generator("school", 11).run()
        mentor = User.objects.get(username="mentor")
        self.family = (
            access.families_visible_to(mentor)
            .filter(pk__in=Contact.objects.values("family_id"))
            .first()
        )
        self.bridge = access.consented_bridges(User.objects.get(username="sleutelfiguur")).first()
        school_counts = self.measure()
        Generator("district", 12).run(schools=range(1, 20))  # another seed: other ids
        self.assertGreater(Contact.objects.count(), 500_000)
        district_counts = self.measure()
        self.assertEqual(school_counts, district_counts)

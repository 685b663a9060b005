"""Exact query counts of the parent's pages and the care queue of requests, at two data
sizes (more contacts, signals, views and requests for the same child and school)."""

from datetime import date

from django.urls import reverse

from bondgenoot.network.models import Signal
from bondgenoot.parentvoice.models import ParentView, RecordRequest
from bondgenoot.testing import add_contact

from .base import VoiceTestCase


class ParentPageQueryCountTest(VoiceTestCase):
    def grow(self, n: int) -> None:
        for i in range(n):
            contact = add_contact(self.jansen, self.mentor, note=f"Extra {i}")
            contact.pupils.set([self.pupil])
            signal = Signal.objects.create(
                school=self.school, pupil=self.pupil, category="absence",
                observed_on=date.today(), observation=f"Extra {i}", author=self.mentor,
            )  # fmt: skip
            for target in ({"contact": contact}, {"signal": signal}):
                ParentView.objects.create(
                    school=self.school, family=self.jansen, pupil=self.pupil,
                    guardian=self.guardian, text="Mijn kant.", form_key=f"{i}-{target}"[:60],
                    **target,
                )  # fmt: skip
            RecordRequest.objects.create(
                school=self.school, family=self.jansen, pupil=self.pupil, guardian=self.guardian,
                kind="correction", text="Fout.", due=date.today(), form_key=f"rq-{i}-{n}",
            )  # fmt: skip

    def assert_queries(self, user, url: str, expected: int) -> None:
        self.login(user)
        self.assertEqual(self.client.get(url).status_code, 200)  # warm up
        with self.assertNumQueries(expected):
            self.client.get(url)
        self.grow(6)
        with self.assertNumQueries(expected):
            self.assertEqual(self.client.get(url).status_code, 200)

    # The parent's pages are in the portal's frame (``portal.views.frame.parent_page``): two
    # queries more than before the move, the second step (the parent's confirmed TOTP
    # devices) and the parent's saved language; and one for the languages the parent's
    # schools offer (school setting ``parent_languages``, the language picker).

    def test_it_counts_the_parents_index(self):
        self.assert_queries(self.parent, reverse("parentvoice:index", args=[self.pupil.pk]), 11)

    def test_it_counts_the_records_page(self):
        self.assert_queries(self.parent, reverse("parentvoice:records", args=[self.pupil.pk]), 17)

    def test_it_counts_the_export_page(self):
        self.assert_queries(self.parent, reverse("parentvoice:export", args=[self.pupil.pk]), 10)

    def test_it_counts_the_request_queue(self):
        self.assert_queries(self.care, reverse("parentvoice:queue"), 9)

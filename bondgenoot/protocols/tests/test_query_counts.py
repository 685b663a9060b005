"""Exact query counts of the protocol pages, at two data sizes (more paragraphs, comments
and protocols for the same school)."""

from django.urls import reverse

from bondgenoot.people.models import Pupil
from bondgenoot.protocols import actions
from bondgenoot.protocols.models import Comment
from bondgenoot.testing import BaseTestCase

TEXT = "Een.\n\nTwee.\n\nDrie."


class ProtocolQueryCountTest(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.pupil = Pupil.objects.filter(family=cls.jansen).first()
        cls.version = cls.add_protocol("Signalen")

    @classmethod
    def add_protocol(cls, title):
        version = actions.open_draft(
            cls.care,
            cls.school.pk,
            {"title": title, "for_staff": True, "for_parents": True},
            TEXT,
            "Kort.",
        )
        for paragraph in version.paragraphs.all():
            actions.add_comment(cls.mentor, paragraph, "staff", "Goed.")
            actions.add_comment(cls.parent, paragraph, "parent", "Prima.")
        return version

    def grow(self) -> None:
        for i in range(4):
            version = self.add_protocol(f"Extra {i}")
            for c in Comment.objects.filter(paragraph__version=version):
                actions.reply(self.care, c, "Dank.")
            actions.publish(self.care, version, TEXT + "\n\nVier.", "Kort.")
        for paragraph in self.version.paragraphs.all():
            actions.add_comment(self.mentor, paragraph, "staff", "Nog iets.")

    def assert_queries(self, user, url: str, expected: int) -> None:
        self.login(user)
        self.assertEqual(self.client.get(url).status_code, 200)  # warm up
        with self.assertNumQueries(expected):
            self.client.get(url)
        self.grow()
        with self.assertNumQueries(expected):
            self.assertEqual(self.client.get(url).status_code, 200)

    def test_the_list(self):
        self.assert_queries(self.care, reverse("protocols:list"), 6)

    def test_the_protocol_for_its_writer(self):
        url = reverse("protocols:detail", args=[self.version.protocol_id])
        self.assert_queries(self.care, url, 9)

    def test_the_protocol_for_a_reader(self):
        url = reverse("protocols:detail", args=[self.version.protocol_id])
        self.assert_queries(self.mentor, url, 8)

    # Parent pages: one query more since the school's offered languages limit the
    # language choice (people.school_settings).
    def test_the_parents_list(self):
        self.assert_queries(self.parent, reverse("protocols:parent_list", args=[self.pupil.pk]), 12)

    def test_the_parents_version(self):
        url = reverse("protocols:parent_version", args=[self.pupil.pk, self.version.pk])
        self.assert_queries(self.parent, url, 13)

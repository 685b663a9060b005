"""Smoke: every page renders for the administrator."""

from django.urls import reverse

from bondgenoot.people.models import Pupil
from bondgenoot.testing import BaseTestCase


class PagesTest(BaseTestCase):
    def test_it_renders_every_page_for_the_administrator(self):
        self.login(self.admin)
        pupil = Pupil.objects.filter(family=self.jansen).first()
        guardian = pupil.guardianships.first().guardian
        urls = [
            reverse("administration:overview"),
            reverse("administration:accounts"),
            reverse("administration:account_new"),
            reverse("administration:account", args=[self.mentor.pk]),
            reverse("administration:account_handover", args=[self.mentor.pk, self.school.pk]),
            reverse("administration:organisations"),
            reverse("administration:organisation", args=[self.partner.organisation_id]),
            reverse("administration:pupils"),
            reverse("administration:pupil_new"),
            reverse("administration:pupil", args=[pupil.pk]),
            reverse("administration:guardian", args=[guardian.pk]),
            reverse("administration:guardian_new", args=[pupil.pk]),
            reverse("administration:family_merge"),
            reverse("administration:school_year"),
            reverse("administration:settings"),
        ]
        for url in urls:
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200, url)
                self.assertEqual(response["Cache-Control"], "no-store")

from django.urls import reverse

from bondgenoot.audit.models import AuditEntry
from bondgenoot.contacts.models import NextStep
from bondgenoot.parentvoice.models import HomeStory
from bondgenoot.testing import family_page

from .base import VoiceTestCase

STORY = {
    "strengths": "Noah is goed in voetbal en helpt graag.",
    "values": "Respect en samen eten.",
    "together": "Elke zondag koken we samen.",
    "hopes": "Dat hij een diploma haalt.",
}


class HomeStoryTest(VoiceTestCase):
    def url(self, pupil=None):
        return reverse("parentvoice:home", args=[(pupil or self.pupil).pk])

    def test_the_parent_writes_and_the_mentor_reads_it_on_the_family_page(self):
        self.login(self.parent)
        self.assertRedirects(
            self.client.post(self.url(), STORY), reverse("parentvoice:index", args=[self.pupil.pk])
        )
        self.client.post(self.url(), STORY)  # the same again: nothing new
        story = HomeStory.objects.get()
        self.assertEqual(story.together, STORY["together"])
        entries = AuditEntry.objects.filter(
            object_type="parentvoice.homestory", object_id=str(story.pk)
        )
        self.assertEqual([e.action for e in entries], ["create"])
        self.assertContains(self.client.get(self.url()), STORY["hopes"])
        self.login(self.mentor)
        page = family_page(self.client, self.jansen.pk)
        self.assertContains(page, "Elke zondag koken we samen.")
        # Those who do not work with the family do not see the family page at all.
        self.login(self.dual)
        self.assertEqual(family_page(self.client, self.jansen.pk).status_code, 404)

    def test_only_the_parent_edits_it(self):
        self.login(self.mentor)
        self.assertEqual(self.client.post(self.url(), STORY).status_code, 404)
        self.login(self.parent)
        self.assertEqual(self.client.post(self.url(self.el_amrani_pupil), STORY).status_code, 404)
        self.assertFalse(HomeStory.objects.exists())

    def test_too_long_is_refused_and_kept(self):
        self.login(self.parent)
        response = self.client.post(self.url(), {**STORY, "hopes": "h" * 1001})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "h" * 1001, status_code=400)
        self.assertContains(response, STORY["strengths"], status_code=400)


class ContactDetailsTest(VoiceTestCase):
    def url(self):
        return reverse("parentvoice:details", args=[self.pupil.pk])

    def data(self, **fields):
        return {
            "phone": "0611111111",
            "email": "nieuw@example.org",
            "street": "Nieuwe straat 1",
            "postcode": "3081 AB",
            "city": "Rotterdam",
            "preferred_channels": ["email", "phone"],
            "written_language": "tr",
            "reachable_times": "na 17:00",
            **fields,
        }

    def test_it_saves_audits_the_fields_and_tells_the_mentor(self):
        self.login(self.parent)
        response = self.client.post(self.url(), self.data())
        self.assertRedirects(response, reverse("parentvoice:index", args=[self.pupil.pk]))
        self.guardian.refresh_from_db()
        self.assertEqual(self.guardian.email, "nieuw@example.org")
        self.assertEqual(self.guardian.written_language_id, "tr")
        # The order the parent had is kept: phone was first, email is new.
        self.assertEqual(self.guardian.preferred_channels, ["phone", "email"])
        entry = AuditEntry.objects.get(object_id=str(self.guardian.pk), action="update")
        self.assertIn("email", entry.detail["fields"])
        self.assertNotIn("nieuw@example.org", str(entry.detail))
        step = NextStep.objects.get()
        self.assertEqual((step.owner, step.family), (self.mentor, self.jansen))
        # The same again: nothing changes, no second step.
        self.client.post(self.url(), self.data())
        self.assertEqual(NextStep.objects.count(), 1)
        # The other parent's record is untouched.
        self.other_guardian.refresh_from_db()
        self.assertEqual(self.other_guardian.email, "other.parent@example.org")

    def test_bad_input_is_refused_and_kept(self):
        self.login(self.parent)
        response = self.client.post(self.url(), self.data(email="geen-adres", city="Delft"))
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "Delft", status_code=400)
        response = self.client.post(self.url(), self.data(reachable_times="t" * 201))
        self.assertEqual(response.status_code, 400)
        self.guardian.refresh_from_db()
        self.assertNotEqual(self.guardian.city, "Delft")

    def test_the_page_shows_only_the_parents_own_details(self):
        self.login(self.parent)
        page = self.client.get(self.url())
        self.assertContains(page, self.guardian.email)
        self.assertNotContains(page, "other.parent@example.org")
        self.assertNotContains(page, "0699999999")

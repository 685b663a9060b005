from django.urls import reverse

from bondgenoot.parentvoice.models import ParentView
from bondgenoot.testing import family_page

from .base import VoiceTestCase


class OwnViewTest(VoiceTestCase):
    def contact_url(self, contact, pupil=None):
        return reverse("parentvoice:contact_view", args=[(pupil or self.pupil).pk, contact.pk])

    def signal_url(self, signal, pupil=None):
        return reverse("parentvoice:signal_view", args=[(pupil or self.pupil).pk, signal.pk])

    def test_it_keeps_the_view_beside_the_contact_and_never_changes_it(self):
        self.login(self.parent)
        response = self.client.post(
            self.contact_url(self.contact), {"form_key": "a" * 20, "text": "Wij zagen het anders."}
        )
        self.assertRedirects(response, reverse("parentvoice:records", args=[self.pupil.pk]))
        view = ParentView.objects.get()
        self.assertEqual((view.contact, view.guardian), (self.contact, self.guardian))
        self.contact.refresh_from_db()
        self.assertEqual(self.contact.note, "Goed gesprek over Noah.")
        self.assertFalse(self.contact.revisions.exists())
        # Replaying the form adds nothing.
        self.client.post(
            self.contact_url(self.contact), {"form_key": "a" * 20, "text": "Wij zagen het anders."}
        )
        self.assertEqual(ParentView.objects.count(), 1)

    def test_staff_see_it_on_the_family_page_and_in_the_chronology(self):
        ParentView.objects.create(
            school=self.school, family=self.jansen, pupil=self.pupil, guardian=self.guardian,
            signal=self.signal, text="Noah was ziek, dat hadden we gemeld.", form_key="b" * 20,
        )  # fmt: skip
        for user in (self.mentor, self.care):
            self.login(user)
            page = family_page(self.client, self.jansen.pk)
            self.assertContains(page, "Noah was ziek, dat hadden we gemeld.")
        chronology = self.client.get(reverse("network:chronology", args=[self.pupil.pk]))
        self.assertContains(chronology, "Noah was ziek, dat hadden we gemeld.")
        # Not for those who do not work with the family.
        self.login(self.dual)
        page = family_page(self.client, self.jansen.pk)
        self.assertEqual(page.status_code, 404)

    def test_the_chronology_shows_each_view_beside_its_own_line(self):
        # One query finds the views of contacts and signals (network.views._parent_views);
        # each goes beside its own record, in the order they were written; a view about a
        # record left out of this pupil's chronology (the step-sibling's) is not shown.
        def view(text, **record):
            ParentView.objects.create(
                school=self.school, family=self.jansen, pupil=self.pupil, guardian=self.guardian,
                text=text, form_key=text, **record,
            )  # fmt: skip

        view("Kant-gesprek-1", contact=self.contact)
        view("Kant-signaal", signal=self.signal)
        view("Kant-gesprek-2", contact=self.contact)
        view("Kant-stiefzus", contact=self.sibling_contact)
        self.login(self.care)
        page = self.client.get(reverse("network:chronology", args=[self.pupil.pk]))
        lines = page.content.decode().split('<li><span class="meta">')
        contact_line = next(line for line in lines if "Goed gesprek over Noah." in line)
        signal_line = next(line for line in lines if "Noah was twee dagen afwezig." in line)
        self.assertRegex(contact_line, "Kant-gesprek-1.*Kant-gesprek-2")
        self.assertNotIn("Kant-signaal", contact_line)
        self.assertIn("Kant-signaal", signal_line)
        self.assertNotIn("Kant-gesprek", signal_line)
        self.assertNotContains(page, "Kant-stiefzus")

    def test_it_adds_a_view_to_a_signal_but_never_shows_the_interpretation(self):
        self.login(self.parent)
        page = self.client.get(self.signal_url(self.signal))
        self.assertContains(page, "Noah was twee dagen afwezig.")
        self.assertNotContains(page, "GEHEIME-INTERPRETATIE")
        records = self.client.get(reverse("parentvoice:records", args=[self.pupil.pk]))
        self.assertContains(records, "Noah was twee dagen afwezig.")
        self.assertNotContains(records, "GEHEIME-INTERPRETATIE")
        self.client.post(self.signal_url(self.signal), {"form_key": "c" * 20, "text": "Klopt."})
        self.assertEqual(ParentView.objects.get().signal, self.signal)

    def test_it_is_404_for_records_the_parent_may_not_see(self):
        self.login(self.parent)
        self.assertEqual(self.client.get(self.contact_url(self.contact)).status_code, 200)
        for url in (
            self.contact_url(self.sibling_contact),
            self.contact_url(self.both_contact),
            self.contact_url(self.el_amrani_contact),
            self.signal_url(self.el_amrani_signal),
            self.contact_url(self.el_amrani_contact, self.el_amrani_pupil),
        ):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 404)
                response = self.client.post(url, {"form_key": "d" * 20, "text": "x"})
                self.assertEqual(response.status_code, 404)
        self.assertFalse(ParentView.objects.exists())

    def test_the_records_page_lists_only_this_childs_records(self):
        self.login(self.parent)
        page = self.client.get(reverse("parentvoice:records", args=[self.pupil.pk]))
        self.assertContains(page, "Goed gesprek over Noah.")
        self.assertNotContains(page, "Over de stiefzus.")
        self.assertNotContains(page, "Over beide kinderen.")
        self.assertNotContains(page, "Ander gezin.")

    def test_a_too_long_view_is_refused_and_kept(self):
        self.login(self.parent)
        typed = "x" * 2001
        response = self.client.post(
            self.contact_url(self.contact), {"form_key": "e" * 20, "text": typed}
        )
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, typed, status_code=400)
        self.assertFalse(ParentView.objects.exists())

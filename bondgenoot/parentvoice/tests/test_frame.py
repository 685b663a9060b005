"""The parent's voice pages live in the portal's frame: the parent's language (eight, right
to left for Arabic) on every page, form, error and notice; the second step the parent
switched on; sign-in through the portal."""

from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from bondgenoot.parentvoice import actions
from bondgenoot.portal import texts

from .base import VoiceTestCase


class FrameTest(VoiceTestCase):
    def pages(self):
        made = actions.ask_about_record(
            self.parent, self.pupil, self.guardian, kind="correction", text="Fout.",
            form_key="frame-test-key-0001", contact=self.contact,
        )  # fmt: skip
        p = self.pupil.pk
        return [
            reverse("parentvoice:index", args=[p]),
            reverse("parentvoice:conversation", args=[p]),
            reverse("parentvoice:records", args=[p]),
            reverse("parentvoice:contact_view", args=[p, self.contact.pk]),
            reverse("parentvoice:signal_view", args=[p, self.signal.pk]),
            reverse("parentvoice:request_new", args=[p]),
            reverse("parentvoice:request", args=[p, made.pk]),
            reverse("parentvoice:home", args=[p]),
            reverse("parentvoice:details", args=[p]),
            reverse("parentvoice:export", args=[p]),
        ]

    def test_every_page_speaks_arabic_right_to_left(self):
        self.login(self.parent)
        self.client.post(reverse("portal:language"), {"language": "ar", "next": "/ouders/"})
        voice = texts.texts("ar")["voice"]
        for url in self.pages():
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertContains(response, '<html lang="ar" dir="rtl">')
                self.assertContains(response, 'class="parent-page"')
                self.assertContains(response, texts.texts("ar")["portal"])  # the frame
                self.assertEqual(response["Cache-Control"], "no-store")
                # no Dutch from the old staff layout or gettext
                for dutch in ("Terug naar", "verplicht", "Opslaan", "Vraag een gesprek"):
                    self.assertNotContains(response, dutch)
        page = self.client.get(reverse("parentvoice:conversation", args=[self.pupil.pk]))
        self.assertContains(page, voice["topic_label"])
        self.assertContains(page, voice["with_whom"]["mentor"])
        self.assertContains(page, f"({voice['required_mark']})")

    def test_each_language_has_its_own_texts(self):
        self.login(self.parent)
        url = reverse("parentvoice:conversation", args=[self.pupil.pk])
        for code in texts.PARENT_LANGUAGES:
            with self.subTest(code):
                self.client.post(reverse("portal:language"), {"language": code, "next": url})
                response = self.client.get(url)
                self.assertContains(response, f'lang="{code}"')
                self.assertContains(response, texts.texts(code)["voice"]["ask_conversation"])

    def test_errors_and_notices_speak_the_parents_language(self):
        self.login(self.parent)
        self.client.post(reverse("portal:language"), {"language": "tr", "next": "/ouders/"})
        url = reverse("parentvoice:conversation", args=[self.pupil.pk])
        typed = "Uzun bir hikâye. " * 80
        data = {"form_key": "k" * 20, "topic": typed, "channel": "phone",
                "with_whom": "mentor", "preferred_times": "salı"}  # fmt: skip
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "en fazla 1000", status_code=400)
        self.assertContains(response, typed.strip(), status_code=400)  # nothing lost
        self.assertContains(response, texts.texts("tr")["voice"]["not_saved"], status_code=400)
        data["topic"] = "Ödevler hakkında"
        response = self.client.post(url, data, follow=True)
        self.assertContains(response, texts.texts("tr")["voice"]["conversation_sent"])

    def test_it_asks_for_the_second_step_the_parent_switched_on(self):
        self.login(self.parent)
        url = reverse("parentvoice:records", args=[self.pupil.pk])
        self.assertEqual(self.client.get(url).status_code, 200)  # control
        TOTPDevice.objects.create(user=self.parent, name="telefoon", confirmed=True)
        response = self.client.get(url)
        self.assertRedirects(response, reverse("portal:two_step"), fetch_redirect_response=False)

    def test_it_sends_a_visitor_to_the_portals_sign_in(self):
        url = reverse("parentvoice:index", args=[self.pupil.pk])
        response = self.client.get(url)
        self.assertRedirects(
            response, reverse("portal:sign_in") + "?next=" + url, fetch_redirect_response=False
        )

    def test_another_familys_child_is_404_in_the_parents_frame(self):
        self.login(self.parent)
        other = self.el_amrani.pupils.get()
        response = self.client.get(reverse("parentvoice:index", args=[other.pk]))
        self.assertEqual(response.status_code, 404)
        self.assertEqual(response["Cache-Control"], "no-store")
        self.assertEqual(
            self.client.get(reverse("parentvoice:index", args=[self.pupil.pk])).status_code, 200
        )

import json
from unittest import mock

from django.urls import reverse
from django.utils import timezone

from bondgenoot.audit.models import AuditEntry
from bondgenoot.lib.texts import fill
from bondgenoot.parentvoice.models import ExportJob, HomeStory, ParentView
from bondgenoot.people.models import Guardianship
from bondgenoot.portal import texts

from .base import VoiceTestCase


class ExportTest(VoiceTestCase):
    """Tests run tasks inline (ImmediateBackend); ``test_export_worker`` runs the real
    database worker."""

    def url(self, pupil=None):
        return reverse("parentvoice:export", args=[(pupil or self.pupil).pk])

    def make(self):
        self.login(self.parent)
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(self.url())
        return ExportJob.objects.get()

    def test_it_holds_the_childs_and_the_parents_own_data_and_nothing_else(self):
        ParentView.objects.create(
            school=self.school, family=self.jansen, pupil=self.pupil, guardian=self.guardian,
            contact=self.contact, text="Mijn kant.", form_key="v" * 20,
        )  # fmt: skip
        HomeStory.objects.create(
            school=self.school, family=self.jansen, pupil=self.pupil, guardian=self.guardian,
            hopes="Een diploma.",
        )  # fmt: skip
        job = self.make()
        self.assertEqual((job.status, job.progress), ("done", 100))
        data = json.loads(bytes(job.data))
        text = bytes(job.data).decode()
        # Positive controls: the child's and the parent's own data are there.
        self.assertEqual(data["child"]["name"], self.pupil.full_name)
        self.assertEqual(data["you"]["email"], self.guardian.email)
        self.assertEqual([c["note"] for c in data["contacts"]], ["Goed gesprek over Noah."])
        self.assertEqual(data["contacts"][0]["your_views"][0]["text"], "Mijn kant.")
        self.assertEqual(data["signals"][0]["observation"], "Noah was twee dagen afwezig.")
        self.assertEqual([s["with"] for s in data["signals"][0]["shared"]], ["Leerplicht Zuid"])
        self.assertEqual(data["what_works_at_home"]["hopes"], "Een diploma.")
        # Never: the other parent's contact details, a step-sibling, the interpretation,
        # a share the parents may not know of, another family.
        for absent in (
            "other.parent@example.org",
            "0699999999",
            "Geheimstraat",
            "Stiefzus",
            "Over de stiefzus.",
            "Over beide kinderen.",
            "GEHEIME-INTERPRETATIE",
            "Politie Geheim",
            "Ander gezin.",
        ):
            with self.subTest(absent=absent):
                self.assertNotIn(absent, text)
        self.assertTrue(bytes(job.pdf).startswith(b"%PDF"))
        self.assertTrue(AuditEntry.objects.filter(object_id=str(job.pk), action="export").exists())

    def test_asking_twice_makes_one_job(self):
        self.login(self.parent)
        self.client.post(self.url())  # on-commit callbacks are not run: the job stays queued
        self.client.post(self.url())
        self.assertEqual(ExportJob.objects.count(), 1)
        page = self.client.get(self.url())
        self.assertContains(page, "<progress")
        self.assertNotContains(page, 'type="submit" class="button"')

    def test_downloads_are_audited_and_404_for_anyone_else(self):
        job = self.make()
        pdf = reverse("parentvoice:export_pdf", args=[self.pupil.pk, job.pk])
        json_url = reverse("parentvoice:export_json", args=[self.pupil.pk, job.pk])
        response = self.client.get(pdf)
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertIn("no-store", response["Cache-Control"])
        self.assertEqual(json.loads(b"".join(self.client.get(json_url).streaming_content))[
            "format"], "bondgenoot-parent-export")  # fmt: skip
        self.assertEqual(
            AuditEntry.objects.filter(object_id=str(job.pk), action="export").count(), 3
        )
        from bondgenoot.testing import make_user

        other = make_user("otherparent")
        self.other_guardian.user = other
        self.other_guardian.save()
        for user in (other, self.mentor, self.care):
            self.login(user)
            with self.subTest(user=user.username):
                self.assertEqual(self.client.get(pdf).status_code, 404)
                self.assertEqual(self.client.get(json_url).status_code, 404)
        # Another family's child in the URL: 404 too.
        self.login(self.parent)
        wrong = reverse("parentvoice:export_pdf", args=[self.el_amrani_pupil.pk, job.pk])
        self.assertEqual(self.client.get(wrong).status_code, 404)


class RestrictedRecordsTest(VoiceTestCase):
    """A contact a care coordinator marked "not shown to parents" (the portal's
    restriction) is not in the export, nor on the parent's own-view page."""

    url = ExportTest.url
    make = ExportTest.make

    def test_a_restricted_contact_is_left_out(self):
        from bondgenoot.portal import actions as portal_actions
        from bondgenoot.portal.models import RestrictionReason

        job = self.make()
        self.assertIn("Goed gesprek over Noah.", bytes(job.data).decode())  # control
        ExportJob.objects.all().delete()
        portal_actions.restrict(self.care, reason=RestrictionReason.values[0], contact=self.contact)
        job = self.make()
        self.assertNotIn("Goed gesprek over Noah.", bytes(job.data).decode())
        page = self.client.get(reverse("parentvoice:records", args=[self.pupil.pk]))
        self.assertNotContains(page, "Goed gesprek over Noah.")


class ExportLanguageTest(VoiceTestCase):
    """The readable PDF is wholly in the language the parent chose in the portal (right to
    left for Arabic); the JSON keeps its English keys with the value names in that
    language. The HTML tested is the one that goes into the PDF."""

    url = ExportTest.url

    def make_in(self, language):
        from bondgenoot.parentvoice import export
        from bondgenoot.portal.models import ParentPreference

        ParentPreference.objects.update_or_create(user=self.parent, defaults={"language": language})
        HomeStory.objects.get_or_create(
            school=self.school, family=self.jansen, pupil=self.pupil, guardian=self.guardian,
            defaults={"hopes": "Een diploma."},
        )  # fmt: skip
        ExportJob.objects.all().delete()
        self.login(self.parent)
        made: list = []
        real = export.pdf_html

        def spy(data):
            made.append((data, real(data)))
            return made[-1][1]

        with (
            mock.patch.object(export, "pdf_html", spy),
            self.captureOnCommitCallbacks(execute=True),
        ):
            self.client.post(self.url())
        job = ExportJob.objects.get()
        self.assertEqual((job.status, job.language), ("done", language))
        self.assertEqual(len(made), 1)
        return job, *made[0]

    def assert_no_dutch_left(self, html, language, data):
        names = set(data["child"]["mentors"])  # the test mentor is called "Mentor"
        dutch, own = texts.texts("nl")["export"], texts.texts(language)["export"]
        checked = 0
        for table in (None, "relations", "tones"):
            nl_table = dutch if table is None else dutch[table]
            own_table = own if table is None else own[table]
            for key, text in nl_table.items():
                if isinstance(text, dict) or "{" in text or text in {own_table[key], *names}:
                    continue  # same word in both languages ("Adres") is not Dutch left over
                checked += 1
                with self.subTest(language=language, key=key):
                    # As a heading, label or line of its own ("Mentor" may be a name).
                    self.assertNotIn(f">{text}<", html)
                    self.assertNotIn(f"{text}:", html)
                    self.assertNotIn(f"({text})", html)
        self.assertGreater(checked, 25)

    def test_an_arabic_parent_gets_an_arabic_right_to_left_pdf(self):
        job, data, html = self.make_in("ar")
        ar = texts.texts("ar")["export"]
        self.assertIn('<html lang="ar" dir="rtl">', html)
        for key in ("your_child", "about_you", "contacts", "signals", "consents", "home"):
            with self.subTest(key=key):
                self.assertIn(f">{ar[key]}</h2>", html)
        self.assertIn(
            fill(ar["title"], {"school": self.school.name, "name": self.pupil.full_name}), html
        )
        self.assertIn(texts.day(timezone.now(), "ar"), html)  # the date written in Arabic
        self.assert_no_dutch_left(html, "ar", data)
        # The JSON: English keys, value names in Arabic, the same data as the PDF's.
        stored = json.loads(bytes(job.data))
        self.assertEqual(stored, data)
        self.assertEqual(stored["language"], "ar")
        self.assertEqual(
            stored["you"]["relation"],
            ar["relations"][
                Guardianship.objects.get(pupil=self.pupil, guardian=self.guardian).relation
            ],
        )
        self.assertEqual(
            stored["contacts"][0]["channel"], texts.texts("ar")["channels"][self.contact.channel]
        )
        shared = stored["signals"][0]["shared"][0]
        self.assertIn("observation", shared["fields"])  # ids stay stable
        observation = texts.texts("ar")["shared_fields"]["observation"]
        self.assertIn(observation, shared["field_names"])
        self.assertIn(observation, html)
        self.assertTrue(bytes(job.pdf).startswith(b"%PDF"))

    def test_a_turkish_parent_gets_a_turkish_pdf(self):
        job, data, html = self.make_in("tr")
        tr = texts.texts("tr")["export"]
        self.assertIn('<html lang="tr" dir="ltr">', html)
        for key in ("your_child", "about_you", "contacts", "signals", "consents", "home"):
            with self.subTest(key=key):
                self.assertIn(f">{tr[key]}</h2>", html)
        self.assertIn(texts.day(timezone.now(), "tr"), html)
        self.assertIn(texts.texts("tr")["purposes"][self.contact.purpose], html)
        self.assert_no_dutch_left(html, "tr", data)
        stored = json.loads(bytes(job.data))
        self.assertEqual(stored["language"], "tr")
        self.assertEqual(stored["contacts"][0]["tone"], tr["tones"][self.contact.tone])

    def test_a_dutch_parent_still_gets_dutch(self):  # positive control for the check above
        _job, _data, html = self.make_in("nl")
        self.assertIn(f">{texts.texts('nl')['export']['contacts']}</h2>", html)
        self.assertIn('dir="ltr"', html)

"""The administrator's import page: upload, preview (counts and examples, nothing
written), confirm (the task runs), bad files, access, the column mapping, and a crash
halfway (nothing left behind; trying again imports once)."""

from __future__ import annotations

import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bondgenoot.audit.models import AuditEntry
from bondgenoot.people.models import Guardian, Pupil, Role
from bondgenoot.roster import actions
from bondgenoot.roster.models import ColumnMapping, ImportRun, SourceLink
from bondgenoot.testing import BaseTestCase, make_user

from .base import oneroster_zip, replace


class ImportPageTest(BaseTestCase):
    def setUp(self):
        self.school.brin = "99XX"
        self.school.save()
        self.login(self.admin)
        self.url = reverse("roster:start")
        self.before = Pupil.objects.count()

    def upload(self, data: bytes | None = None, name: str = "export.zip"):
        return self.client.post(
            self.url, {"upload-file": SimpleUploadedFile(name, data or oneroster_zip())}
        )

    def test_it_previews_then_imports_after_confirmation(self):
        response = self.upload()
        run = ImportRun.objects.get()
        self.assertRedirects(response, reverse("roster:run", args=[run.pk]))
        self.assertEqual(run.status, ImportRun.Status.PREVIEW)
        self.assertEqual(Pupil.objects.count(), self.before)  # nothing written yet
        page = self.client.get(reverse("roster:run", args=[run.pk]))
        self.assertContains(page, "Nieuwe leerlingen")
        self.assertContains(page, "Noor Bakker")  # an example, on the page only
        self.assertContains(page, "users.csv, regel 10")  # the warning
        self.assertIn("no-store", page["Cache-Control"])
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(reverse("roster:confirm", args=[run.pk]))
        self.assertRedirects(response, reverse("roster:run", args=[run.pk]))
        run.refresh_from_db()
        # Tests run tasks at once (ImmediateBackend); the worker test runs a real one.
        self.assertEqual((run.status, run.progress), (ImportRun.Status.DONE, 100))
        self.assertEqual(Pupil.objects.count(), self.before + 4)
        self.assertIsNone(run.data)
        self.assertEqual(run.examples, {})
        self.assertNotContains(self.client.get(reverse("roster:run", args=[run.pk])), "Noor")
        entry = AuditEntry.objects.get(detail__event="roster_import")
        self.assertEqual((entry.actor_id, entry.object_id), (self.admin.pk, str(run.pk)))
        # Confirming again does nothing.
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(reverse("roster:confirm", args=[run.pk]))
        self.assertEqual(AuditEntry.objects.filter(detail__event="roster_import").count(), 1)

    def test_it_refuses_a_bad_file_with_line_numbers_and_keeps_nothing(self):
        response = self.upload(oneroster_zip(users_csv=replace("stu-2,,,true", "stu-1,,,true")))
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "Er is niets geïmporteerd", status_code=400)
        self.assertContains(response, "users.csv, regel 3", status_code=400)
        self.assertFalse(ImportRun.objects.exists())
        self.assertEqual(Pupil.objects.count(), self.before)

    def test_a_discarded_preview_keeps_no_file(self):
        self.upload()
        run = ImportRun.objects.get()
        self.client.post(reverse("roster:discard", args=[run.pk]))
        run.refresh_from_db()
        self.assertEqual(
            (run.status, run.data, run.examples), (ImportRun.Status.DISCARDED, None, {})
        )

    def test_only_administrators_of_the_school_may_import(self):
        for role in (Role.SCHOOL_LEADER, Role.CARE_COORDINATOR, Role.MENTOR):
            user = make_user(f"u-{role}", school=self.school, roles=[role])
            self.login(user)
            self.assertEqual(self.client.get(self.url).status_code, 403, role)
            self.assertEqual(self.upload().status_code, 403, role)
        self.login(self.admin)  # the positive control
        self.assertEqual(self.client.get(self.url).status_code, 200)

    def test_an_administrator_of_another_school_cannot_open_a_run(self):
        self.upload()
        run = ImportRun.objects.get()
        other = make_user("other-admin", school=self.other_school, roles=[Role.ADMINISTRATOR])
        self.login(other)
        self.assertEqual(self.client.get(reverse("roster:run", args=[run.pk])).status_code, 404)
        self.assertEqual(
            self.client.post(reverse("roster:confirm", args=[run.pk])).status_code, 404
        )
        self.login(self.admin)
        self.assertEqual(self.client.get(reverse("roster:run", args=[run.pk])).status_code, 200)

    def test_no_names_in_urls(self):
        self.upload()
        run = ImportRun.objects.get()
        page = self.client.get(reverse("roster:run", args=[run.pk])).content.decode()
        for href in re.findall(r'(?:href|action|hx-get)="([^"]+)"', page):
            self.assertNotIn("Bakker", href)

    def test_the_overview_links_to_the_import(self):
        self.assertContains(self.client.get(reverse("administration:overview")), self.url)
        self.login(self.leader)
        self.assertNotContains(self.client.get(reverse("administration:overview")), self.url)

    def test_it_saves_the_column_mapping(self):
        url = reverse("roster:mapping")
        text = self.client.get(url).context["form"]["text"].value()
        response = self.client.post(url, {"mapping-text": text.replace('"Klas"', '"Groep"')})
        self.assertEqual(response.status_code, 302)
        self.assertIn('"Groep"', ColumnMapping.objects.get(school=self.school).text)
        response = self.client.post(url, {"mapping-text": "[pupil"})
        self.assertContains(response, "geen geldige TOML", status_code=400)
        self.assertContains(response, "[pupil", status_code=400)  # what was typed stays


class CrashTest(BaseTestCase):
    def test_a_crash_halfway_leaves_nothing_and_trying_again_imports_once(self):
        self.school.brin = "99XX"
        self.school.save()
        run = actions.preview(self.admin, self.school, oneroster_zip(), "export.zip")
        ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.QUEUED)
        before = (Pupil.objects.count(), Guardian.objects.count())

        def crash():
            raise RuntimeError("the power went out")

        with self.assertRaises(RuntimeError):
            actions.run(str(run.pk), fail_after=crash)
        run.refresh_from_db()
        self.assertEqual(run.status, ImportRun.Status.FAILED)
        self.assertEqual((Pupil.objects.count(), Guardian.objects.count()), before)
        self.assertFalse(SourceLink.objects.exists())
        with self.captureOnCommitCallbacks(execute=True):
            self.assertTrue(actions.retry(self.admin, run))
        run.refresh_from_db()
        self.assertEqual(run.status, ImportRun.Status.DONE)
        self.assertEqual(Pupil.objects.count(), before[0] + 4)
        actions.run(str(run.pk))  # a duplicate task: done already, nothing happens
        self.assertEqual(Pupil.objects.count(), before[0] + 4)
        self.assertEqual(AuditEntry.objects.filter(detail__event="roster_import").count(), 1)

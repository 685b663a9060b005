"""A school's settings: shown with current value and default, audited, the small-cell
threshold never below 10, and used where they matter (retention)."""

from datetime import date, timedelta

from django.core.management import call_command
from django.urls import reverse

from bondgenoot.audit.models import AuditEntry
from bondgenoot.network import actions as network_actions
from bondgenoot.network.models import Signal
from bondgenoot.people import school_settings
from bondgenoot.people.models import Pupil, SchoolSettings
from bondgenoot.testing import BaseTestCase


class SettingsTest(BaseTestCase):
    url = reverse("administration:settings")

    def test_it_shows_current_values_and_defaults(self):
        self.login(self.leader)
        response = self.client.get(self.url)
        self.assertContains(response, "Aantallen verbergen kleiner dan")
        self.assertContains(response, "(standaard)")
        self.assertNotContains(response, 'name="small_cell"')  # the leader only reads

    def test_it_saves_audits_and_refuses_a_small_cell_below_ten(self):
        self.login(self.admin)
        response = self.client.post(self.url, {"small_cell": "5", "reachable_times": "ma-vr 8-16"})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, 'value="ma-vr 8-16"', status_code=400)
        self.assertFalse(SchoolSettings.objects.exists())
        self.client.post(
            self.url,
            {"small_cell": "12", "signal_delete_years": "3", "parent_languages": ["nl", "ar"]},
        )
        self.assertEqual(school_settings.value(self.school.pk, "small_cell"), 12)
        self.assertEqual(school_settings.value(self.school.pk, "parent_languages"), ["nl", "ar"])
        self.assertEqual(school_settings.value(self.other_school.pk, "small_cell"), 10)
        entry = AuditEntry.objects.get(object_type="people.schoolsettings")
        self.assertEqual(entry.detail["changes"]["small_cell"], {"from": None, "to": 12})
        response = self.client.post(self.url, {"parent_languages": ["ar"]})
        self.assertContains(response, "Nederlands is er altijd bij", status_code=400)

    def test_the_retention_terms_of_a_school_are_used(self):
        SchoolSettings.objects.create(
            school=self.school, signal_review_years=1, signal_delete_years=5
        )
        pupil = Pupil.objects.get(family=self.jansen)
        signal = network_actions.record_signal(
            self.care,
            pupil,
            {"category": "absence", "observed_on": date.today(), "observation": "Te laat."},
        )
        self.assertEqual(signal.review_on, date.today() + timedelta(days=365))
        pupil.left_on = date.today() - timedelta(days=365 * 3)
        pupil.save()
        call_command("apply_retention", stdout=open("/dev/null", "w"))  # noqa: SIM115
        self.assertTrue(Signal.objects.filter(pk=signal.pk).exists())  # 5 years here, not 2
        SchoolSettings.objects.filter(school=self.school).update(signal_delete_years=2)
        call_command("apply_retention", stdout=open("/dev/null", "w"))  # noqa: SIM115
        self.assertFalse(Signal.objects.filter(pk=signal.pk).exists())


class SmallCellTest(BaseTestCase):
    def test_figures_below_the_schools_threshold_are_hidden(self):
        pupil = Pupil.objects.get(family=self.jansen)
        Signal.objects.bulk_create(
            Signal(
                school=self.school,
                pupil=pupil,
                category="absence",
                observed_on=date.today(),
                observation="Te laat.",
                author=self.care,
            )
            for _ in range(12)
        )
        self.login(self.leader)
        url = reverse("network:counts")
        response = self.client.get(url)
        self.assertContains(response, "<td>12</td>", html=True)  # 12 >= 10, the default
        SchoolSettings.objects.create(school=self.school, small_cell=15)
        response = self.client.get(url)
        self.assertNotContains(response, "<td>12</td>", html=True)
        self.assertContains(response, "minder dan 15")

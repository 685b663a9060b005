"""Migration portal 0005: the old PortalSettings rows are copied into the school's
settings (into fields the administrator left empty) before the model goes."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import TransactionTestCase

from bondgenoot.testing import make_school

BEFORE = [("portal", "0004_share_consent_declined"), ("people", "0009_merge_20261130_2327")]


class TestCopyIntoSchoolSettings(TransactionTestCase):
    def migrate(self, targets=None):
        """Migrate to ``targets``; without them to the latest state (where the next
        tests expect the database)."""
        executor = MigrationExecutor(connection)
        targets = targets or executor.loader.graph.leaf_nodes()
        executor.migrate(targets)
        return executor.loader.project_state(targets).apps

    def test_it_copies_names_and_reachable_times_and_keeps_the_administrators_choice(self):
        quiet, chosen = make_school("Oud"), make_school("Gekozen")
        apps = self.migrate(BEFORE)
        PortalSettings = apps.get_model("portal", "PortalSettings")
        SchoolSettings = apps.get_model("people", "SchoolSettings")
        PortalSettings.objects.create(
            school_id=quiet.pk, show_staff_names=True, reachable="ma–vr 8–16"
        )
        PortalSettings.objects.create(school_id=chosen.pk, show_staff_names=True, reachable="x")
        SchoolSettings.objects.create(
            school_id=chosen.pk, parents_see_staff_names=False, reachable_times="di 9–12"
        )
        apps = self.migrate()
        SchoolSettings = apps.get_model("people", "SchoolSettings")
        copied = SchoolSettings.objects.get(school_id=quiet.pk)
        self.assertIs(copied.parents_see_staff_names, True)
        self.assertEqual(copied.reachable_times, "ma–vr 8–16")
        kept = SchoolSettings.objects.get(school_id=chosen.pk)
        self.assertIs(kept.parents_see_staff_names, False)
        self.assertEqual(kept.reachable_times, "di 9–12")
        self.assertNotIn("portal_portalsettings", connection.introspection.table_names())

"""PortalSettings goes: the portal reads the school's settings (people.SchoolSettings,
set by the administrator under /beheer/). Rows that exist are copied first, into fields
the administrator left empty: show_staff_names -> parents_see_staff_names,
reachable -> reachable_times."""

from django.db import migrations


def copy_into_school_settings(apps, schema_editor):
    PortalSettings = apps.get_model("portal", "PortalSettings")
    SchoolSettings = apps.get_model("people", "SchoolSettings")
    for old in PortalSettings.objects.all():
        row, _ = SchoolSettings.objects.get_or_create(school_id=old.school_id)
        if row.parents_see_staff_names is None:
            row.parents_see_staff_names = old.show_staff_names
        if not row.reachable_times and old.reachable:
            row.reachable_times = old.reachable
        row.save()


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0009_merge_20261130_2327"),
        ("portal", "0004_share_consent_declined"),
    ]

    operations = [
        migrations.RunPython(copy_into_school_settings, migrations.RunPython.noop),
        migrations.DeleteModel(name="PortalSettings"),
    ]

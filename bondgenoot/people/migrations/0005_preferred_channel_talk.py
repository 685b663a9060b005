"""Guardians' preferred channels use the one channel vocabulary (people.channels):
"at_school" became "talk", the value the contact ledger has always stored."""

from django.db import migrations

RENAMED = {"at_school": "talk"}


def forwards(apps, schema_editor, renamed=RENAMED):
    Guardian = apps.get_model("people", "Guardian")
    changed = []
    for guardian in Guardian.objects.only("pk", "preferred_channels").iterator():
        channels = guardian.preferred_channels or []
        new = list(dict.fromkeys(renamed.get(c, c) for c in channels))
        if new != channels:
            guardian.preferred_channels = new
            changed.append(guardian)
    Guardian.objects.bulk_update(changed, ["preferred_channels"], batch_size=1000)


def backwards(apps, schema_editor):
    forwards(apps, schema_editor, renamed={v: k for k, v in RENAMED.items()})


class Migration(migrations.Migration):
    dependencies = [("people", "0004_alter_organisation_kind")]

    operations = [migrations.RunPython(forwards, backwards)]

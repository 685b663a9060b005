from django.db import migrations

# The codes known to bondgenoot.people.languages at the time of this migration.
CODES = ["nl", "en", "ar", "tr", "zgh", "pl", "pap", "so", "ti", "uk", "fa", "prs", "ps", "ku",
         "srn", "bg", "ro", "es", "pt", "fr", "de", "zh", "hi", "ur", "am", "ru", "fy"]


def add_languages(apps, schema_editor):
    Language = apps.get_model("people", "Language")
    Language.objects.bulk_create([Language(code=c) for c in CODES], ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]
    operations = [migrations.RunPython(add_languages, migrations.RunPython.noop)]

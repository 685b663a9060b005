from django.db import migrations, models

from bondgenoot.lib.sqlite_stats import analyze_if_analyzed

class Migration(migrations.Migration):
    dependencies = [
        ("contacts", "0006_merge_20261130_2100"),
        ("people", "0010_restriction_review_label"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="familymonthsummary",
            name="contacts_fa_school__d36dfb_idx",
        ),
        migrations.AddIndex(
            model_name="familymonthsummary",
            index=models.Index(
                fields=["school", "month", "family", "positive", "neutral", "concern", "reached"],
                name="contacts_month_school_sums",
            ),
        ),
        migrations.RunPython(
            analyze_if_analyzed("contacts_familymonthsummary"), migrations.RunPython.noop
        ),
    ]

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery

from bondgenoot.lib.sqlite_stats import analyze_if_analyzed


def fill_school(apps, schema_editor):
    """Each summary's school is its family's (families do not change school)."""
    Family = apps.get_model("people", "Family")
    school = Subquery(Family.objects.filter(pk=OuterRef("family_id")).values("school_id"))
    for name in ("FamilySummary", "FamilyYearSummary"):
        apps.get_model("contacts", name).objects.update(school_id=school)
    if schema_editor.connection.vendor == "postgresql":
        # Check the new foreign keys now: PostgreSQL refuses to alter a table (NOT NULL,
        # below) with deferred checks of its rows still pending.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):
    dependencies = [
        ("contacts", "0007_month_summary_covering_index"),
        ("people", "0010_restriction_review_label"),
    ]

    operations = [
        migrations.AddField(
            model_name="familysummary",
            name="school",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="people.school",
            ),
        ),
        migrations.AddField(
            model_name="familyyearsummary",
            name="school",
            field=models.ForeignKey(
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="people.school",
            ),
        ),
        migrations.RunPython(fill_school, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="familysummary",
            name="school",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="people.school",
            ),
        ),
        migrations.AlterField(
            model_name="familyyearsummary",
            name="school",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="people.school",
            ),
        ),
        migrations.AddIndex(
            model_name="familysummary",
            index=models.Index(
                fields=["family", "school", "last_dialogue_at", "unreached_streak"],
                name="contacts_summary_monitor",
            ),
        ),
        migrations.AddIndex(
            model_name="familyyearsummary",
            index=models.Index(fields=["school", "school_year"], name="contacts_year_school"),
        ),
        migrations.AddIndex(
            model_name="familyyearsummary",
            index=models.Index(
                fields=[
                    "family",
                    "school_year",
                    "school",
                    "first_positive_personal_at",
                    "last_dialogue_at",
                ],
                name="contacts_year_monitor",
            ),
        ),
        migrations.RunPython(
            analyze_if_analyzed("contacts_familysummary", "contacts_familyyearsummary"),
            migrations.RunPython.noop,
        ),
    ]

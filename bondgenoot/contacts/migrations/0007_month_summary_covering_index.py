from django.db import migrations, models

TABLE = "contacts_familymonthsummary"


def analyze_if_analyzed(apps, schema_editor):
    """Statistics for the new index where SQLite has statistics for the table already.

    SQLite chooses between this table's indexes by ``sqlite_stat1``: with rows for the
    other indexes and none for the new one, it took the new one for a mentor's few
    families as well (a school's months instead of theirs). PostgreSQL keeps statistics
    per column, not per index; a database never analyzed keeps none (ANALYZE of an empty
    table would record it as empty).
    """
    connection = schema_editor.connection
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'"
        )
        if cursor.fetchone() is None:
            return
        cursor.execute("SELECT 1 FROM sqlite_stat1 WHERE tbl = %s LIMIT 1", [TABLE])
        if cursor.fetchone() is None:
            return
        cursor.execute(f"ANALYZE {TABLE}")


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
        migrations.RunPython(analyze_if_analyzed, migrations.RunPython.noop),
    ]

"""Form claims get Django's usual ``BigAutoField`` back on SQLite.

0005 once made their key a rowid without ``AUTOINCREMENT`` (a field class since removed; 0005 now
names ``BigAutoField``, the same integer key). A database migrated before keeps that table: this
rebuilds it with the field's own definition, rows kept. Fresh databases and PostgreSQL have
nothing to do.
"""

from django.db import migrations, models


def rebuild_without_rowid_key(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'core_formsubmission'")
        (sql,) = cursor.fetchone()
    if "AUTOINCREMENT" not in sql.upper():
        # Django's own way of changing a SQLite table: make it anew and copy the rows.
        schema_editor._remake_table(apps.get_model("core", "FormSubmission"))


class Migration(migrations.Migration):
    dependencies = [("core", "0005_lighter_form_claims")]

    operations = [
        migrations.AlterField(
            model_name="formsubmission",
            name="id",
            field=models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID"),
        ),
        migrations.RunPython(rebuild_without_rowid_key, migrations.RunPython.noop),
    ]

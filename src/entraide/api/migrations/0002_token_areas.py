from django.db import migrations, models


def areas_from_scope(apps, schema_editor):
    # A token made before areas keeps working as before: every area, with its old scope.
    PersonalToken = apps.get_model("api", "PersonalToken")
    for token in PersonalToken.objects.all().only("pk", "scope"):
        PersonalToken.objects.filter(pk=token.pk).update(areas=[f"*:{token.scope}"])


def scope_from_areas(apps, schema_editor):
    PersonalToken = apps.get_model("api", "PersonalToken")
    for token in PersonalToken.objects.all().only("pk", "areas"):
        scopes = {str(entry).partition(":")[2] for entry in token.areas or []}
        scope = "read_write" if "read_write" in scopes else "read"
        PersonalToken.objects.filter(pk=token.pk).update(scope=scope)


class Migration(migrations.Migration):
    dependencies = [("api", "0001_initial")]

    operations = [
        migrations.AddField(model_name="personaltoken", name="areas", field=models.JSONField(default=list)),
        migrations.RunPython(areas_from_scope, scope_from_areas),
        migrations.RemoveField(model_name="personaltoken", name="scope"),
    ]

"""Topics remember the highest number they gave (``Topic.last_number``): numbering new posts from
``post_count`` reused a number once a post was hidden or deleted. Existing topics take the highest
number among their posts, whatever their status."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce


def highest_numbers(apps, schema_editor):
    topic_model = apps.get_model("community", "Topic")
    post_model = apps.get_model("community", "Post")
    highest = post_model.objects.filter(topic=OuterRef("pk")).order_by("-number").values("number")[:1]
    topic_model.objects.update(last_number=Coalesce(Subquery(highest), 0))


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0006_ignores"),
    ]

    operations = [
        migrations.AddField(
            model_name="topic",
            name="last_number",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.RunPython(highest_numbers, migrations.RunPython.noop),
    ]

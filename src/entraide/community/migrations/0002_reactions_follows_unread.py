import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="space",
            name="mentions_enabled",
            field=models.BooleanField(default=True),
        ),
        migrations.AddField(
            model_name="post",
            name="support_count",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.CreateModel(
            name="Bookmark",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "member",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="community_bookmarks",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "post",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="bookmarks",
                        to="community.post",
                    ),
                ),
            ],
            options={
                "indexes": [models.Index(fields=["member", "-created_at"], name="bookmark_list")],
                "constraints": [
                    models.UniqueConstraint(fields=("member", "post"), name="one_bookmark_per_post")
                ],
            },
        ),
        migrations.CreateModel(
            name="Reaction",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "member",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="community_reactions",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "post",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="reactions",
                        to="community.post",
                    ),
                ),
            ],
            options={
                "indexes": [models.Index(fields=["member", "-created_at"], name="reaction_of_member")],
                "constraints": [
                    models.UniqueConstraint(fields=("post", "member"), name="one_reaction_per_post")
                ],
            },
        ),
        migrations.CreateModel(
            name="ReadPosition",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("last_read_number", models.PositiveIntegerField(default=0)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "member",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="community_read_positions",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "topic",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="read_positions",
                        to="community.topic",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("member", "topic"), name="one_read_position")
                ],
            },
        ),
        migrations.CreateModel(
            name="Subscription",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "level",
                    models.CharField(choices=[("following", "Following"), ("muted", "Muted")], max_length=10),
                ),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "member",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="community_subscriptions",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "space",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="subscriptions",
                        to="community.space",
                    ),
                ),
                (
                    "topic",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="subscriptions",
                        to="community.topic",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(fields=["topic", "level"], name="subscription_topic_level"),
                    models.Index(fields=["space", "level"], name="subscription_space_level"),
                ],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("topic__isnull", True), ("space__isnull", False))
                        | models.Q(("topic__isnull", False), ("space__isnull", True)),
                        name="subscription_topic_or_space",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("topic__isnull", False)),
                        fields=("member", "topic"),
                        name="one_topic_subscription",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("space__isnull", False)),
                        fields=("member", "space"),
                        name="one_space_subscription",
                    ),
                ],
            },
        ),
    ]

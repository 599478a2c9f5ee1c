"""The quiz tallies move here from campaigns, rows and all: this migration only takes
over the models (their tables are still campaigns'), campaigns 0007 lets go of them,
and 0004 renames the tables."""

import django.db.models.deletion
from django.db import migrations, models

MODELS = ["quiztally", "quiztallyrefresh"]


def move_content_types(apps, schema_editor):
    """What RenameModel does for a model that stays in its app: the content types (and
    with them any permission given on the tallies) follow the models."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if not ContentType.objects.filter(app_label="quizzes", model=model).exists():
            ContentType.objects.filter(app_label="campaigns", model=model).update(
                app_label="quizzes"
            )


def return_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="quizzes", model__in=MODELS).update(
        app_label="campaigns"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("quizzes", "0002_roles"),
        ("campaigns", "0006_campaign_quizzes"),
        ("schools", "0003_registry_permissions"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="QuizTally",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),  # fmt: skip
                        ("day", models.DateField(verbose_name="day")),
                        ("attempts", models.PositiveIntegerField(default=0)),
                        ("passed", models.PositiveIntegerField(default=0)),
                        ("score_sum", models.PositiveBigIntegerField(default=0)),
                        ("certificates", models.PositiveIntegerField(default=0)),
                        ("pairs", models.PositiveIntegerField(default=0)),
                        ("pre_score_sum", models.PositiveBigIntegerField(default=0)),
                        ("post_score_sum", models.PositiveBigIntegerField(default=0)),
                        ("improved", models.PositiveIntegerField(default=0)),
                        (
                            "campaign",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="campaigns.campaign",
                            ),
                        ),
                        (
                            "school",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="schools.school",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "quiz tally",
                        "verbose_name_plural": "quiz tallies",
                        "db_table": "campaigns_quiztally",
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("day", "school", "campaign"),
                                name="one_quiz_tally_per_day_school_campaign",
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="QuizTallyRefresh",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),  # fmt: skip
                        ("last_attempt_id", models.BigIntegerField(default=0)),
                        ("refreshed_at", models.DateTimeField(blank=True, null=True)),
                    ],
                    options={"db_table": "campaigns_quiztallyrefresh"},
                ),
            ],
        ),
        migrations.RunPython(move_content_types, return_content_types),
    ]

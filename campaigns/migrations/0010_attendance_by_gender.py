import django.core.validators
from django.db import migrations, models

import campaigns.models


def attendance(label):
    return models.PositiveIntegerField(
        default=0,
        validators=[django.core.validators.MaxValueValidator(campaigns.models.MAX_ATTENDANCE)],
        verbose_name=label,
    )


class Migration(migrations.Migration):
    """Teachers and parents are counted by gender, as students are. The counts recorded
    before keep their value as "gender not recorded": still in every total."""

    dependencies = [
        ("campaigns", "0009_visit_photo_consent"),
    ]

    operations = [
        migrations.RenameField("visit", "teachers", "teachers_unrecorded"),
        migrations.RenameField("visit", "parents_community", "parents_unrecorded"),
        migrations.AlterField(
            model_name="visit",
            name="teachers_unrecorded",
            field=models.PositiveIntegerField(
                default=0, editable=False, verbose_name="teachers, gender not recorded"
            ),
        ),
        migrations.AlterField(
            model_name="visit",
            name="parents_unrecorded",
            field=models.PositiveIntegerField(
                default=0,
                editable=False,
                verbose_name="parents and community, gender not recorded",
            ),
        ),
        migrations.AddField("visit", "teachers_male", attendance("male teachers")),
        migrations.AddField("visit", "teachers_female", attendance("female teachers")),
        migrations.AddField("visit", "parents_male", attendance("men: parents and community")),
        migrations.AddField(
            "visit", "parents_female", attendance("women: parents and community")
        ),
    ]

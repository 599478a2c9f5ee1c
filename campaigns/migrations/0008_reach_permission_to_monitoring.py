"""The permission to see the reach dashboard is monitoring's now: monitoring 0001 gives
it to everyone who had campaigns.view_reach and deletes the old one."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0007_quiz_tallies_to_quizzes")]

    operations = [
        migrations.AlterModelOptions(
            name="campaign",
            options={
                "ordering": ["-starts_on"],
                "verbose_name": "campaign",
                "verbose_name_plural": "campaigns",
            },
        ),
    ]

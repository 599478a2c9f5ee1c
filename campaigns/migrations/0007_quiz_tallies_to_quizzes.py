"""The quiz tallies now belong to quizzes (see quizzes 0003): campaigns forgets the
models and leaves their tables and rows to quizzes."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0006_campaign_quizzes"),
        ("quizzes", "0003_quiz_tallies_from_campaigns"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="QuizTally"),
                migrations.DeleteModel(name="QuizTallyRefresh"),
            ],
        ),
    ]

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("quizzes", "0003_quiz_tallies_from_campaigns"),
        ("campaigns", "0007_quiz_tallies_to_quizzes"),
    ]

    operations = [
        migrations.AlterModelTable(name="quiztally", table=None),
        migrations.AlterModelTable(name="quiztallyrefresh", table=None),
    ]

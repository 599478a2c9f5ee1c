from django.db import migrations

from cms import roles

SHOW_NAMES = ["quizzes.view_attempt", "quizzes.view_certificate"]


def grant(apps, schema_editor):
    roles.ensure_permissions(apps)
    authoring = [
        *roles.crud("quizzes", "quiz"),
        *roles.crud("quizzes", "quizsession"),
        "quizzes.view_results",
        "quizzes.change_certificatesettings",
        *SHOW_NAMES,
    ]
    roles.grant(apps, roles.ADMIN, [*authoring, *roles.crud("quizzes", "attempt"),
                                    *roles.crud("quizzes", "certificate")])  # fmt: skip
    roles.grant(apps, roles.STAFF, authoring)
    # Partners see figures, never a student's name.
    roles.grant(apps, roles.PARTNER, ["quizzes.view_results"])


class Migration(migrations.Migration):
    dependencies = [
        ("quizzes", "0001_initial"),
        ("cms", "0003_roles"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]

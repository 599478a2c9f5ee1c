"""The reach dashboard's permission moves from campaigns (Campaign's Meta) to
monitoring: whoever had campaigns.view_reach, group or user, has monitoring.view_reach
instead. Permissions are created after all migrations, so this one makes its own."""

from django.db import migrations, models

CODENAME = "view_reach"
NAME = "Can see the reach dashboard, its exports and reports"


def give_permission(apps, *, source: tuple[str, str], target: tuple[str, str]):
    """Give the permission on the `target` (app label, model) to the groups and users
    holding it on `source`; return the source's permission, if there is one."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    app_label, model = source
    old = Permission.objects.filter(
        content_type__app_label=app_label, content_type__model=model, codename=CODENAME
    ).first()
    app_label, model = target
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    new, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=CODENAME, defaults={"name": NAME}
    )
    if old is not None:
        new.group_set.add(*old.group_set.all())
        new.user_set.add(*old.user_set.all())
    return old


def forwards(apps, schema_editor):
    old = give_permission(apps, source=("campaigns", "campaign"), target=("monitoring", "reach"))
    if old is not None:
        old.delete()


def backwards(apps, schema_editor):
    # monitoring.view_reach is left in place: deleting a permission while unapplying
    # trips over Wagtail's historical models, and without the app it grants nothing.
    give_permission(apps, source=("monitoring", "reach"), target=("campaigns", "campaign"))


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("campaigns", "0008_reach_permission_to_monitoring"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.CreateModel(
            name="Reach",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),  # fmt: skip
            ],
            options={
                "managed": False,
                "default_permissions": (),
                "permissions": [("view_reach", NAME)],
            },
        ),
        migrations.RunPython(forwards, backwards),
    ]

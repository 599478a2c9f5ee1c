"""The administrators' role was named after one district's office (Admin DP3AP2KB); it
is "Admin Dinas" wherever the platform runs. A fresh database gets the new name from
0003_roles already."""

from django.db import migrations

OLD, NEW = "Admin DP3AP2KB", "Admin Dinas"


def rename(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    if not Group.objects.filter(name=NEW).exists():
        Group.objects.filter(name=OLD).update(name=NEW)


def rename_back(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name=NEW).update(name=OLD)


class Migration(migrations.Migration):
    dependencies = [("cms", "0010_district_profile")]

    operations = [migrations.RunPython(rename, rename_back)]

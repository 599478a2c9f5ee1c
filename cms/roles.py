"""The four staff roles as Wagtail groups. Migrations create them and grant each app's
permissions, so a fresh database and production end up with the same roles."""

ADMIN = "Admin Dinas"
STAFF = "Staf Sosialisasi"
EDITOR = "Editor Materi"
PARTNER = "Mitra"
ALL_ROLES = [ADMIN, STAFF, EDITOR, PARTNER]


def ensure_permissions(apps):
    """Permissions are normally created after all migrations run; data migrations that
    grant them need them now."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def grant(apps, role: str, permissions: list[str]) -> None:
    """Give `role` the model permissions named as 'app_label.codename'."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=role)
    for name in permissions:
        app_label, codename = name.split(".")
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )


def crud(app_label: str, model: str) -> list[str]:
    return [f"{app_label}.{action}_{model}" for action in ("add", "change", "delete", "view")]

from django.db import migrations

from cms import roles

REGISTRY = [*roles.crud("schools", "school"), *roles.crud("schools", "village")]


def grant_registry(apps, schema_editor):
    roles.ensure_permissions(apps)
    # The registry is staff work; partners see coverage on the dashboard, without the
    # headteacher and TPPK contacts a school record holds.
    for role in (roles.ADMIN, roles.STAFF):
        roles.grant(apps, role, REGISTRY)
    roles.grant(
        apps,
        roles.ADMIN,
        [
            *roles.crud("schools", "regency"),
            *roles.crud("schools", "district"),
            *roles.crud("schools", "schoolimport"),
        ],
    )


class Migration(migrations.Migration):
    dependencies = [
        ("schools", "0002_region_codes_and_school_imports"),
        ("cms", "0003_roles"),
    ]

    operations = [migrations.RunPython(grant_registry, migrations.RunPython.noop)]

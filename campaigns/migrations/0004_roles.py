from django.db import migrations

from cms import roles

MODELS = ["campaign", "visit", "partneragency", "visitstatuschange", "visitphoto",
          "calendarfeed", "visitemail"]  # fmt: skip


def grant(apps, schema_editor):
    roles.ensure_permissions(apps)
    roles.grant(apps, roles.ADMIN, [p for model in MODELS for p in roles.crud("campaigns", model)])
    # Staff plan and record visits; cancelling replaces deleting, so that the history
    # stays. Mitra (partners) get nothing here: visits hold contact persons' personal
    # data, and partners follow a campaign through its calendar link instead.
    roles.grant(
        apps,
        roles.STAFF,
        [
            f"campaigns.{action}_{model}"
            for model in ("campaign", "visit", "partneragency")
            for action in ("add", "change", "view")
        ],
    )


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0003_partner_agencies"), ("cms", "0003_roles")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]

from django.db import migrations

from cms import roles

MODELS = ["meeting", "meetingattendance", "followupaction", "actionupdate", "actionemail",
          "meetingpack"]  # fmt: skip


def grant(apps, schema_editor):
    roles.ensure_permissions(apps)
    roles.grant(apps, roles.ADMIN, [p for model in MODELS for p in roles.crud("monitoring", model)])
    roles.grant(apps, roles.ADMIN, roles.crud("campaigns", "partnermember"))
    # Staff hold the meetings and follow every action; deleting stays with admins so
    # that the history stays. They also say which agency a partner user belongs to.
    roles.grant(
        apps,
        roles.STAFF,
        [
            f"{app}.{action}_{model}"
            for app, model in [("monitoring", "meeting"), ("monitoring", "followupaction"),
                               ("campaigns", "partnermember")]  # fmt: skip
            for action in ("add", "change", "view")
        ],
    )
    # Partners update their own agency's actions, and see neither the meetings (their
    # minutes may name people) nor the other agencies' actions.
    roles.grant(apps, roles.PARTNER, ["monitoring.update_own_agency_action"])


class Migration(migrations.Migration):
    dependencies = [
        ("monitoring", "0003_coordination_meetings"),
        ("campaigns", "0011_partner_contacts_and_members"),
        ("cms", "0003_roles"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]

from django.db import migrations

PARTNER_AGENCIES = [
    "Polres PPU",
    "Pengadilan Agama PPU",
    "Kejaksaan Negeri PPU",
    "Kantor Kemenag PPU",
    "Dinas Pendidikan",
    "Puskesmas",
]


def create(apps, schema_editor):
    PartnerAgency = apps.get_model("campaigns", "PartnerAgency")
    for order, name in enumerate(PARTNER_AGENCIES):
        PartnerAgency.objects.get_or_create(name=name, defaults={"sort_order": order})


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0002_visit_details")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]

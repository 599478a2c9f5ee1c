from django.db import migrations

# Generic names: staff name them for their district in the admin (the demo data does
# it for its district).
PARTNER_AGENCIES = [
    "Polres",
    "Pengadilan Agama",
    "Kejaksaan Negeri",
    "Kementerian Agama",
    "Dinas Pendidikan",
    "Dinas Sosial",
]


def create(apps, schema_editor):
    PartnerAgency = apps.get_model("campaigns", "PartnerAgency")
    for order, name in enumerate(PARTNER_AGENCIES):
        PartnerAgency.objects.get_or_create(name=name, defaults={"sort_order": order})


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0002_visit_details")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]

from django.db import migrations

TOPICS = [
    ("perundungan", "Perundungan (bullying)"),
    ("kekerasan-seksual", "Kekerasan seksual"),
    ("kekerasan-terhadap-anak", "Kekerasan terhadap anak"),
    ("kekerasan-terhadap-perempuan", "Kekerasan terhadap perempuan"),
    ("tppo", "Perdagangan orang (TPPO)"),
    ("perkawinan-anak", "Perkawinan anak"),
    ("abh", "Anak berhadapan dengan hukum"),
    ("keamanan-digital", "Keamanan digital"),
]

AUDIENCES = [
    ("siswa-sd", "Siswa SD/MI"),
    ("siswa-smp", "Siswa SMP/MTs"),
    ("siswa-sma", "Siswa SMA/SMK/MA"),
    ("guru", "Guru"),
    ("orang-tua", "Orang tua"),
    ("masyarakat-desa", "Masyarakat desa"),
]


def create(apps, schema_editor):
    Topic = apps.get_model("cms", "Topic")
    Audience = apps.get_model("cms", "Audience")
    for order, (slug, name) in enumerate(TOPICS):
        Topic.objects.get_or_create(slug=slug, defaults={"name": name, "sort_order": order})
    for order, (slug, name) in enumerate(AUDIENCES):
        Audience.objects.get_or_create(slug=slug, defaults={"name": name, "sort_order": order})


class Migration(migrations.Migration):
    dependencies = [("cms", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]

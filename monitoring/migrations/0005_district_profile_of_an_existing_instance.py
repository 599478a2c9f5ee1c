"""An instance that ran before the district profile existed gets one from what it
holds: its certificate issuer names the office, its only regency the district, whose
code gives the time zone. A new instance has neither and starts from the defaults."""

from django.db import migrations

from cms.district import zone_of_region


def create(apps, schema_editor):
    Site = apps.get_model("wagtailcore", "Site")
    DistrictProfile = apps.get_model("cms", "DistrictProfile")
    CertificateSettings = apps.get_model("quizzes", "CertificateSettings")
    Regency = apps.get_model("schools", "Regency")
    regencies = list(Regency.objects.all()[:2])
    regency = regencies[0] if len(regencies) == 1 else None
    for site in Site.objects.all():
        certificate = CertificateSettings.objects.filter(site=site).first()
        if (certificate is None and regency is None) or DistrictProfile.objects.filter(
            site=site
        ).exists():
            continue
        profile = DistrictProfile(site=site)
        if certificate is not None and certificate.issuer:
            profile.office_name = certificate.issuer[:200]
        if regency is not None:
            profile.region_name = regency.name
            profile.region_code = regency.code
            profile.time_zone = zone_of_region(regency.code)
        profile.save()


class Migration(migrations.Migration):
    dependencies = [
        ("monitoring", "0004_meeting_permissions"),
        ("cms", "0010_district_profile"),
        ("quizzes", "0009_certificate_issuer_defaults_to_the_office"),
        ("schools", "0003_registry_permissions"),
    ]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]

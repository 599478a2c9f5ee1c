import csv
import io
from datetime import date, datetime, timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory
from openpyxl import Workbook

from campaigns.models import Campaign, Visit, VisitStatus
from schools.models import District, Regency, School, SchoolLevel, SchoolStatus, Village


class RegencyFactory(DjangoModelFactory):
    class Meta:
        model = Regency
        django_get_or_create = ["code"]

    code = "64.09"
    name = "Kabupaten Penajam Paser Utara"


class DistrictFactory(DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ["code"]

    regency = factory.SubFactory(RegencyFactory)
    code = factory.Sequence(lambda n: f"64.09.{n % 90 + 10:02d}")
    name = factory.Sequence(lambda n: f"Kecamatan {n}")


class VillageFactory(DjangoModelFactory):
    class Meta:
        model = Village

    district = factory.SubFactory(DistrictFactory)
    code = factory.LazyAttributeSequence(lambda o, n: f"{o.district.code}.{2001 + n % 7000}")
    name = factory.Sequence(lambda n: f"Desa {n}")
    kind = "desa"


class SchoolFactory(DjangoModelFactory):
    class Meta:
        model = School

    npsn = factory.Sequence(lambda n: f"{69000000 + n}")
    name = factory.Sequence(lambda n: f"SD Negeri {n:03d} Contoh")
    level = SchoolLevel.SD
    status = SchoolStatus.NEGERI
    district = factory.SubFactory(DistrictFactory)


def csv_file(rows, *, delimiter=",", encoding="utf-8", name="sekolah.csv") -> io.BytesIO:
    text = io.StringIO()
    csv.writer(text, delimiter=delimiter).writerows(rows)
    data = io.BytesIO(text.getvalue().encode(encoding))
    data.name = name
    return data


def xlsx_file(rows, *, name="sekolah.xlsx") -> io.BytesIO:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    data = io.BytesIO()
    workbook.save(data)
    data.seek(0)
    data.name = name
    return data


DAPODIK_HEADER = [
    "NPSN", "Nama Sekolah", "Bentuk Pendidikan", "Status Sekolah", "Alamat",
    "Desa/Kelurahan", "Kecamatan", "Lintang", "Bujur",
]  # fmt: skip


def campaign(name="Kampanye 2026", **fields) -> Campaign:
    fields.setdefault("starts_on", date(2026, 1, 1))
    fields.setdefault("ends_on", date(2026, 12, 31))
    return Campaign.objects.create(name=name, **fields)


def visit(
    *, on: str, at="09:00", school=None, village=None, status=VisitStatus.DONE, of=None, **counts
):
    """A visit starting at `at` WITA on the day `on` (YYYY-MM-DD)."""
    starts_at = timezone.make_aware(datetime.fromisoformat(f"{on} {at}"))
    return Visit.objects.create(
        campaign=of or Campaign.objects.first() or campaign(),
        school=school,
        village=village,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
        status=status,
        **counts,
    )

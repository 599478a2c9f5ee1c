import csv
import io

import factory
from factory.django import DjangoModelFactory
from openpyxl import Workbook

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
    # 64.09.10 and up: never one of the real kecamatan 64.09.01-04 that tests import or
    # create by hand.
    code = factory.Sequence(lambda n: f"64.09.{n % 90 + 10:02d}")
    name = factory.Sequence(lambda n: f"Kecamatan {n}")


class VillageFactory(DjangoModelFactory):
    class Meta:
        model = Village

    district = factory.SubFactory(DistrictFactory)
    # Within its kecamatan's code, as the model requires, and from 5001 up: real desa and
    # kelurahan codes (1xxx, 2xxx) stay free for the region import and for tests.
    code = factory.LazyAttributeSequence(lambda o, n: f"{o.district.code}.{5001 + n % 4999}")
    name = factory.Sequence(lambda n: f"Desa {n}")
    kind = "desa"


class SchoolFactory(DjangoModelFactory):
    class Meta:
        model = School

    # None of PPU's real NPSNs (3040xxxx, 6978xxxx-6994xxxx) that tests type in by hand.
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

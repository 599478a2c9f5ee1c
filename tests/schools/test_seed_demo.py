"""seed_demo loads every real PPU region and school (counts from schools/data/README.md)."""

from collections import Counter

import pytest

from schools import demo
from schools.models import Boundary, District, Regency, School, Village


@pytest.fixture
def seeded(db):
    demo.seed()


def test_loads_every_region_and_school_of_the_shared_data(seeded):
    assert Regency.objects.get().name == "Kabupaten Penajam Paser Utara"
    assert District.objects.count() == 4
    assert Village.objects.count() == 54
    assert Counter(Village.objects.values_list("kind", flat=True)) == {"desa": 30, "kelurahan": 24}
    assert School.objects.count() == 155
    assert Counter(School.objects.values_list("level", flat=True)) == {
        "sd": 105, "smp": 31, "sma": 8, "smk": 10, "slb": 1,
    }  # fmt: skip
    assert Counter(School.objects.values_list("status", flat=True)) == {
        "negeri": 135,
        "swasta": 20,
    }
    assert Counter(School.objects.values_list("district__name", flat=True)) == {
        "Penajam": 68, "Sepaku": 38, "Babulu": 33, "Waru": 16,
    }  # fmt: skip


def test_villages_come_from_the_coordinates_and_say_so(seeded):
    assert School.objects.filter(village__isnull=False).count() == 153
    assert all(
        "desa/kelurahan diturunkan dari koordinat" in source
        for source in School.objects.values_list("source", flat=True)
    )
    assert all(
        "suryavip/daftar-sekolah-indonesia@44eec60" in s.source for s in School.objects.all()
    )
    school = School.objects.get(npsn="30401950")
    assert (school.name, school.village.name, school.district.name) == (
        "SD NEGERI 001 BABULU",
        "Babulu Darat",
        "Babulu",
    )
    assert school.latitude is not None


def test_loads_the_boundaries_of_every_kecamatan_and_desa(seeded):
    assert Boundary.objects.filter(district__isnull=False).count() == 4
    assert Boundary.objects.filter(village__isnull=False).count() == 54
    assert Boundary.objects.get(district__name="Sepaku").geometry["type"] in {
        "Polygon",
        "MultiPolygon",
    }


def test_running_it_again_changes_nothing(seeded):
    before = list(School.objects.order_by("npsn").values())
    boundaries = list(Boundary.objects.order_by("pk").values())
    demo.seed()
    assert list(School.objects.order_by("npsn").values()) == before
    assert list(Boundary.objects.order_by("pk").values()) == boundaries
    assert Village.objects.count() == 54

import pytest
from django.utils import translation

from schools.models import District, Village
from schools.regions import BUNDLED_REGIONS, region_import


@pytest.fixture
def ppu(db):
    """The real regency, its 4 kecamatan and 54 desa/kelurahan."""
    with open(BUNDLED_REGIONS, "rb") as regions:
        assert region_import(file=regions).written


@pytest.fixture
def indonesian():
    """Import reports are read in Indonesian, whatever language an earlier test left on."""
    with translation.override("id"):
        yield


@pytest.fixture
def penajam(ppu):
    return District.objects.get(name="Penajam")


@pytest.fixture
def babulu(ppu):
    return District.objects.get(name="Babulu")


@pytest.fixture
def kel_penajam(ppu):
    return Village.objects.get(name="Penajam")

import pytest
from django.test import Client

from cms.roles import ADMIN, STAFF
from tests.campaigns.factories import CampaignFactory, UserFactory
from tests.schools.factories import DistrictFactory, SchoolFactory, VillageFactory


@pytest.fixture
def district(db):
    return DistrictFactory(code="64.09.01", name="Penajam")


@pytest.fixture
def school(district):
    return SchoolFactory(
        npsn="30401950",
        name="SD NEGERI 001 PENAJAM",
        district=district,
        email="sdn001penajam@example.id",  # reminders fall back to the school's address
    )


@pytest.fixture
def village(district):
    return VillageFactory(code="64.09.01.2001", name="Giri Mukti", district=district)


@pytest.fixture
def campaign(db):
    return CampaignFactory(name="Sekolah Ramah Anak 2026")


@pytest.fixture
def staff(db):
    return UserFactory(username="rina", first_name="Rina", last_name="Wulandari", role=STAFF)


@pytest.fixture
def staff_client(staff):
    client = Client()
    client.force_login(staff)
    return client


@pytest.fixture
def admin_user(db):
    return UserFactory(username="kepala", first_name="Kepala", last_name="Bidang", role=ADMIN)

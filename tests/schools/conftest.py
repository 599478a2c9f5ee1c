import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client

from cms.roles import ALL_ROLES
from schools.models import District, Village
from schools.services import BUNDLED_REGIONS, region_import


@pytest.fixture
def ppu(db):
    """The real regency, its 4 kecamatan and 54 desa/kelurahan."""
    with open(BUNDLED_REGIONS, "rb") as regions:
        assert region_import(file=regions).written


@pytest.fixture
def penajam(ppu):
    return District.objects.get(name="Penajam")


@pytest.fixture
def babulu(ppu):
    return District.objects.get(name="Babulu")


@pytest.fixture
def kel_penajam(ppu):
    return Village.objects.get(name="Penajam")


@pytest.fixture
def clients(db):
    """One logged-in client per role."""
    users = {}
    for role in ALL_ROLES:
        user = get_user_model().objects.create_user(username=role.lower().replace(" ", "-"))
        user.groups.add(Group.objects.get(name=role))
        client = Client()
        client.force_login(user)
        users[role] = client
    return users.__getitem__

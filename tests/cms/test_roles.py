import importlib

import pytest
from django.contrib.auth.models import Group
from wagtail.models import Site

from cms.roles import ADMIN, ALL_ROLES, EDITOR, PARTNER, STAFF
from tests.cms.factories import make_material
from tests.roles import assert_access, assert_login_required

EVERYONE = set(ALL_ROLES)


@pytest.fixture
def urls(materials_index):
    material = make_material(materials_index, title="Poster")
    site = Site.objects.get(is_default_site=True)
    return {
        "dashboard": "/admin/",
        "explore_pages": f"/admin/pages/{materials_index.id}/",
        "add_material": f"/admin/pages/add/cms/materialpage/{materials_index.id}/",
        "edit_material": f"/admin/pages/{material.id}/edit/",
        "documents": "/admin/documents/",
        "images": "/admin/images/",
        "users": "/admin/users/",
        "groups": "/admin/groups/",
        "topics": "/admin/snippets/cms/topic/",
        "add_topic": "/admin/snippets/cms/topic/add/",
        "hotlines": f"/admin/settings/cms/helpsettings/{site.id}/",
        "search_synonyms": f"/admin/settings/cms/searchsettings/{site.id}/",
        "district_profile": f"/admin/settings/cms/districtprofile/{site.id}/",
        "sites": "/admin/sites/",
    }


MATRIX = {
    "dashboard": EVERYONE,
    # outreach staff review the editors' pages, so they open and edit them too
    "explore_pages": {ADMIN, STAFF, EDITOR},
    "add_material": {ADMIN, EDITOR},
    "edit_material": {ADMIN, STAFF, EDITOR},
    "documents": {ADMIN, EDITOR},
    "images": {ADMIN, EDITOR},
    "users": {ADMIN},
    "groups": {ADMIN},
    "topics": {ADMIN, STAFF},
    "add_topic": {ADMIN, STAFF},
    "hotlines": {ADMIN, STAFF},
    # editors learn what people search for and extend the synonyms
    "search_synonyms": {ADMIN, STAFF, EDITOR},
    "sites": {ADMIN},
    "district_profile": {ADMIN},
}


@pytest.mark.parametrize("name", MATRIX)
def test_each_role_reaches_exactly_its_admin_screens(role_clients, urls, name):
    assert_access(role_clients, urls[name], MATRIX[name])


def test_anonymous_visitors_are_sent_to_the_login(client, urls):
    assert_login_required(client, urls.values())


def test_partner_role_has_no_write_permission(db):
    partner = Group.objects.get(name=PARTNER)
    codenames = set(partner.permissions.values_list("codename", flat=True))
    assert "access_admin" in codenames
    assert not [c for c in codenames if c.startswith(("add_", "change_", "delete_"))]


def test_editors_cannot_open_images_outside_the_materials_collection(role_clients, db):
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file
    from wagtail.models import Collection

    photos = Collection.get_first_root_node().add_child(name="Foto kunjungan")
    materials = Collection.objects.get(name="Materi")
    photo = Image.objects.create(title="Foto", file=get_test_image_file(), collection=photos)
    poster = Image.objects.create(title="Poster", file=get_test_image_file(), collection=materials)
    assert role_clients(EDITOR).get(f"/admin/images/{poster.id}/").status_code == 200
    assert role_clients(EDITOR).get(f"/admin/images/{photo.id}/").status_code in (302, 403)
    assert role_clients(ADMIN).get(f"/admin/images/{photo.id}/").status_code == 200


def test_an_instance_from_before_gets_its_admin_role_renamed(db):
    from django.apps import apps

    migration = importlib.import_module("cms.migrations.0011_admin_role_named_for_any_office")
    admins = Group.objects.get(name=ADMIN)
    Group.objects.filter(pk=admins.pk).update(name="Admin DP3AP2KB")
    migration.rename(apps, None)
    assert Group.objects.get(pk=admins.pk).name == "Admin Dinas" == ADMIN
    assert not Group.objects.filter(name="Admin DP3AP2KB").exists()

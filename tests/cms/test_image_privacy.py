"""Children's photos from visits are seen only by the staff who run visits: every
image address, per role, for a visit photo and a material image."""

import pytest
from django.test import Client
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Collection

from campaigns.services import PHOTO_COLLECTION
from cms.roles import ADMIN, EDITOR, PARTNER, STAFF

pytestmark = pytest.mark.django_db


@pytest.fixture
def images(db):
    photos = Collection.get_first_root_node().add_child(name=PHOTO_COLLECTION)
    materials = Collection.objects.get(name="Materi")
    return {
        "photo": Image.objects.create(
            title="Foto kunjungan SDN 1", file=get_test_image_file(), collection=photos
        ),
        "material": Image.objects.create(
            title="Poster stop perundungan", file=get_test_image_file(), collection=materials
        ),
    }


def addresses(image) -> dict[str, str]:
    # No URL generator: without Wagtail's public image serve view (not installed),
    # it answers 404 to everyone.
    return {
        "edit": f"/admin/images/{image.pk}/",
        "api_detail": f"/admin/api/main/images/{image.pk}/",
        "chooser_chosen": f"/admin/images/chooser/chosen/{image.pk}/",
        "select_format": f"/admin/images/chooser/{image.pk}/select_format/",
        "preview": f"/admin/images/{image.pk}/preview/fill-100x100/",
        "usage": f"/admin/images/usage/{image.pk}/",
    }


LISTINGS = {
    "listing": "/admin/images/",
    "api_list": "/admin/api/main/images/",
    "chooser": "/admin/images/chooser/",
    "chooser_results": "/admin/images/chooser/results/",
}


# Who sees each image in Wagtail's image pages, chooser and API. Staf Sosialisasi sees
# visit photos on the visit pages (campaigns' own, with their permission), not here.
SEEN_BY = {"photo": {ADMIN}, "material": {ADMIN, EDITOR}}


@pytest.mark.parametrize("role", [ADMIN, STAFF, EDITOR, PARTNER, None])
@pytest.mark.parametrize("kind", ["photo", "material"])
def test_each_image_address_per_role(images, role_clients, role, kind):
    client = role_clients(role) if role else Client()
    image = images[kind]
    seen = role in SEEN_BY[kind]
    for name, url in addresses(image).items():
        status = client.get(url).status_code
        if seen:
            assert status == 200, (name, status)
        else:
            assert status in (302, 403, 404), (name, status)
    for name, url in LISTINGS.items():
        response = client.get(url)
        assert response.status_code < 500, name
        assert (image.title in response.content.decode()) is seen, name


def test_a_partner_gets_no_image_address_from_the_api(images, role_clients):
    """The API once answered a partner with every photo's download address."""
    client = role_clients(PARTNER)
    listing = client.get("/admin/api/main/images/", {"fields": "download_url"}).json()
    assert listing["meta"]["total_count"] == 0
    assert listing["items"] == []


def test_wagtails_dynamic_image_serve_view_is_not_installed(images):
    """Renditions are files in media storage, made on the pages that show them; no
    address renders any image on request."""
    from django.urls import NoReverseMatch, reverse

    with pytest.raises(NoReverseMatch):
        reverse("wagtailimages_serve", args=["x", images["photo"].pk, "original"])

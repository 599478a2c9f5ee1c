"""Public pages must stay tiny for cheap phones on slow mobile data: at most 40 KB of
HTML + CSS, no script, no web font and nothing fetched from another host."""

import re

import pytest
from django.contrib.staticfiles import finders

from cms.models import Audience, Topic
from tests.cms.factories import make_material

PAGE_BUDGET = 40 * 1024


@pytest.fixture
def full_library(public_site, materials_index):
    topics = list(Topic.objects.all())
    audiences = list(Audience.objects.all())
    for n in range(15):
        make_material(
            materials_index,
            title=f"Materi sosialisasi dengan judul yang cukup panjang nomor {n}",
            summary="Ringkasan materi untuk guru dan kader desa. " * 5,
            body="<p>" + "Isi materi tentang pencegahan kekerasan. " * 40 + "</p>",
            topics=topics,
            audiences=audiences,
        )
    return materials_index


def stylesheet_bytes(html: str) -> int:
    total = 0
    for href in re.findall(r'<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"', html):
        path = finders.find(href.removeprefix("/static/"))
        with open(path, "rb") as css:
            total += len(css.read())
    return total


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/materi/",
        "/materi/?topik=perundungan&sasaran=guru&format=poster&q=materi",
        "/materi/materi-sosialisasi-dengan-judul-yang-cukup-panjang-nomor-3/",
        "/bantuan/",
        "/halaman-yang-tidak-ada/",
    ],
)
def test_public_page_is_small_and_self_contained(client, full_library, path):
    response = client.get(path)
    assert response.status_code in (200, 404)
    html = response.content.decode()
    weight = len(response.content) + stylesheet_bytes(html)
    assert weight <= PAGE_BUDGET, f"{path} weighs {weight} bytes"
    assert "<script" not in html
    assert "@font-face" not in html
    # Every asset (stylesheet, image, frame) comes from this site.
    for asset in re.findall(r'<(?:link|img|source)[^>]+(?:href|src)="([^"]+)"', html):
        assert asset.startswith(("/", "data:")), asset

import pytest

from cms.models import MaterialDocument, Topic
from tests.cms.factories import make_material


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_find_and_download_a_material_on_a_phone(phone, live_server, public_site, materials_index):
    material = make_material(
        materials_index,
        title="Stop Perundungan di Sekolah",
        topics=[Topic.objects.get(slug="perundungan")],
    )
    make_material(
        materials_index, title="Waspada Tawaran Kerja", topics=[Topic.objects.get(slug="tppo")]
    )

    phone.goto(live_server.url + "/")
    phone.get_by_role("link", name="Lihat materi").click()
    assert phone.get_by_role("heading", name="Materi Sosialisasi").is_visible()

    phone.get_by_label("Topik").select_option(label="Perundungan (bullying)")
    phone.get_by_role("button", name="Tampilkan").click()
    assert "topik=perundungan" in phone.url
    assert phone.get_by_text("1 materi").is_visible()
    assert phone.get_by_role("link", name="Waspada Tawaran Kerja").count() == 0

    phone.get_by_role("link", name="Stop Perundungan di Sekolah").click()
    assert phone.get_by_text("diunduh 0 kali").is_visible()
    document = MaterialDocument.objects.get(title=material.files.first().document.title)
    with phone.expect_download() as download:
        phone.locator(f'a[href="/unduh/{document.id}/{document.filename}"]').click()
    assert download.value.suggested_filename == document.filename

    phone.reload()
    assert phone.get_by_text("diunduh 1 kali").is_visible()
    document.refresh_from_db()
    assert document.download_count == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_visitor_types_an_english_word_and_finds_the_material(
    phone, live_server, public_site, materials_index
):
    make_material(
        materials_index,
        title="Stop Perundungan di Sekolah",
        summary="Mengenali dan melaporkan perundungan.",
    )
    make_material(materials_index, title="Waspada Tawaran Kerja", summary="Lowongan palsu.")

    phone.goto(live_server.url + "/materi/")
    phone.get_by_label("Cari").fill("bully")
    phone.get_by_role("button", name="Tampilkan").click()
    assert "q=bully" in phone.url
    assert phone.get_by_role("link", name="Stop Perundungan di Sekolah").is_visible()
    assert phone.get_by_role("link", name="Waspada Tawaran Kerja").count() == 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_video_spends_no_data_until_the_visitor_asks_for_it(
    phone, live_server, public_site, materials_index
):
    """Chromium without JavaScript ignores `loading="lazy"` and would fetch an embedded
    player at once, even one inside a closed <details>."""
    page = make_material(
        materials_index,
        title="Video Cerita Rina",
        format="video",
        video_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ",
    )
    elsewhere = []
    phone.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith(live_server.url)
            else (elsewhere.append(route.request.url), route.abort())
        ),
    )

    phone.goto(live_server.url + page.url)
    phone.wait_for_load_state("load")
    assert elsewhere == []

    phone.get_by_role("link", name="Putar video di sini (memakai kuota data)").click()
    phone.wait_for_load_state("load")
    assert elsewhere == ["https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"]

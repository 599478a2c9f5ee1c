import pytest

from cms.models import MATERIALS_PER_PAGE, Audience, Topic
from tests.cms.factories import make_material


@pytest.fixture
def library(materials_index):
    bullying = Topic.objects.get(slug="perundungan")
    trafficking = Topic.objects.get(slug="tppo")
    teachers = Audience.objects.get(slug="guru")
    villagers = Audience.objects.get(slug="masyarakat-desa")
    return {
        "poster": make_material(
            materials_index,
            title="Poster Stop Perundungan",
            format="poster",
            topics=[bullying],
            audiences=[teachers],
        ),
        "guide": make_material(
            materials_index,
            title="Panduan Guru",
            format="modul",
            topics=[bullying],
            audiences=[teachers, villagers],
            body="<p>Langkah menerima laporan dari murid.</p>",
        ),
        "slides": make_material(
            materials_index,
            title="Waspada Tawaran Kerja",
            format="slide",
            topics=[trafficking],
            audiences=[villagers],
            summary="Modus perdagangan orang lewat lowongan palsu.",
        ),
    }


def titles(response):
    return sorted(page.title for page in response.context["materials_page"])


def test_index_lists_every_live_material(client, library):
    response = client.get("/materi/")
    assert response.status_code == 200
    assert titles(response) == ["Panduan Guru", "Poster Stop Perundungan", "Waspada Tawaran Kerja"]


def test_unpublished_material_is_not_listed(client, library):
    library["slides"].unpublish()
    assert "Waspada Tawaran Kerja" not in titles(client.get("/materi/"))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?topik=perundungan", ["Panduan Guru", "Poster Stop Perundungan"]),
        ("?sasaran=masyarakat-desa", ["Panduan Guru", "Waspada Tawaran Kerja"]),
        ("?format=modul", ["Panduan Guru"]),
        ("?topik=perundungan&sasaran=masyarakat-desa", ["Panduan Guru"]),
        ("?topik=perundungan&format=poster", ["Poster Stop Perundungan"]),
        ("?topik=tppo&format=poster", []),
    ],
)
def test_filters_combine(client, library, query, expected):
    assert titles(client.get("/materi/" + query)) == expected


@pytest.mark.parametrize(
    "query",
    [
        "?topik=tidak-ada",
        "?sasaran=alien",
        "?format=hologram",
        "?topik[]=x&format=",
        "?halaman=abc",
        "?halaman=99999",
        "?halaman=-1",
        "?q=" + "x" * 500,
        "?topik=%00%ff",
    ],
)
def test_unknown_filter_values_are_ignored_not_500(client, library, query):
    response = client.get("/materi/" + query)
    assert response.status_code == 200
    assert len(response.context["materials_page"].object_list) >= 0


def test_unknown_filter_value_is_dropped_and_the_rest_still_applies(client, library):
    response = client.get("/materi/?topik=tidak-ada&format=modul")
    assert titles(response) == ["Panduan Guru"]
    assert response.context["filter_form"].ignored == ["topik"]
    assert "tidak dikenali" in response.content.decode()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?q=poster", ["Poster Stop Perundungan"]),  # title
        ("?q=lowongan", ["Waspada Tawaran Kerja"]),  # summary
        ("?q=laporan", ["Panduan Guru"]),  # body
        ("?q=laporan&topik=tppo", []),
        ("?q=tidakadasamasekali", []),
    ],
)
def test_search_covers_title_summary_and_body(client, library, query, expected):
    assert titles(client.get("/materi/" + query)) == expected


def test_pagination_keeps_the_filters(client, materials_index):
    bullying = Topic.objects.get(slug="perundungan")
    for n in range(MATERIALS_PER_PAGE + 2):
        make_material(materials_index, title=f"Materi {n:02d}", topics=[bullying])
    make_material(materials_index, title="Lain", topics=[])

    first = client.get("/materi/?topik=perundungan")
    assert first.context["materials_page"].paginator.count == MATERIALS_PER_PAGE + 2
    assert len(first.context["materials_page"]) == MATERIALS_PER_PAGE
    assert 'href="?topik=perundungan&amp;halaman=2"' in first.content.decode()

    second = client.get("/materi/?topik=perundungan&halaman=2")
    assert len(second.context["materials_page"]) == 2


def test_material_page_shows_files_with_type_size_and_download_link(client, library):
    page = library["guide"]
    document = page.files.first().document
    html = client.get(page.url).content.decode()
    assert f'href="/unduh/{document.id}/{document.filename}"' in html
    assert "PDF" in html
    assert "21\xa0bita" in html  # file size, in Indonesian
    assert "Guru" in html and "Masyarakat desa" in html


def test_youtube_video_is_embedded_privately_with_its_text_alternative(client, materials_index):
    page = make_material(
        materials_index,
        title="Video Cerita Rina",
        format="video",
        video_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        video_text_alternative="Rina bercerita kepada gurunya.",
    )
    html = client.get(page.url).content.decode()
    # Nothing from another host until the visitor asks to play it.
    assert "youtube-nocookie.com" not in html and "<iframe" not in html
    assert 'href="?video=1#video"' in html
    assert "Rina bercerita kepada gurunya." in html

    html = client.get(page.url, {"video": "1"}).content.decode()
    assert 'src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in html
    assert "Rina bercerita kepada gurunya." in html


def test_other_video_address_is_only_linked(client, materials_index):
    page = make_material(
        materials_index, title="Video lain", video_url="https://example.org/video.mp4"
    )
    html = client.get(page.url).content.decode()
    assert "<iframe" not in html
    assert 'href="https://example.org/video.mp4"' in html


def test_home_page_shows_message_latest_materials_and_help(client, public_site, library):
    html = client.get("/").content.decode()
    assert "Sekolah aman untuk anak" in html
    assert "Waspada Tawaran Kerja" in html
    assert 'href="/bantuan/"' in html
    assert 'href="tel:129"' in html


def test_help_page_lists_the_hotlines(client, public_site):
    response = client.get("/bantuan/")
    assert response.status_code == 200
    assert 'href="tel:129"' in response.content.decode()


def test_public_pages_are_in_indonesian_whatever_the_phone_language(client, public_site):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Butuh bantuan?" in html and "Need help?" not in html


ASK_TEXT = "Ajukan sosialisasi ke sekolah atau desa Anda"
ASK = f'<a class="button" href="/sosialisasi/ajukan/">{ASK_TEXT}</a>'
ASK_IN_FOOTER = f'<a class="tap" href="/sosialisasi/ajukan/">{ASK_TEXT}</a>'


@pytest.mark.parametrize("path", ["/", "/materi/", "/materi/panduan-guru/"])
def test_home_and_materials_pages_offer_the_request_form(client, public_site, library, path):
    html = client.get(path).content.decode()
    assert ASK in html and "Kepala sekolah, guru, dan kepala desa" in html
    assert ASK_IN_FOOTER in html


def test_every_public_page_links_the_request_form_in_its_footer(client, public_site):
    html = client.get("/bantuan/").content.decode()
    assert ASK_IN_FOOTER in html
    assert ASK_IN_FOOTER in client.get("/halaman-yang-tidak-ada/").content.decode()


def test_materials_list_headings_follow_each_other(client, library):
    html = client.get("/materi/").content.decode()
    # h1, then the count as h2, then the cards' h3: no level skipped.
    assert '<h2 class="count">3 materi</h2>' in html
    assert html.index("<h1>") < html.index('<h2 class="count">') < html.index("<h3>")

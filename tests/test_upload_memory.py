"""Hostile uploads stay within a memory bound: no upload grows the web process by more
than 100 MB, and none answers 500. The growth is measured as the peak resident size
during the request over the size just before, sampled from /proc by a thread (the
images' pixels are allocated by Pillow in C, where tracemalloc cannot see them)."""

import functools
import os
import struct
import threading
import time
import zlib
from collections.abc import Callable

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.images.models import Image

from cms.roles import ADMIN, STAFF
from quizzes.models import SheetPage
from tests.campaigns.factories import VisitFactory, wita
from tests.quizzes.factories import QuizSessionFactory
from tests.schools.test_import_files import sheet_xml, workbook_with

pytestmark = pytest.mark.django_db
LIMIT = 100 * 1024 * 1024
PAGE = os.sysconf("SC_PAGE_SIZE")


def resident_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * PAGE


def peak_growth(request: Callable):
    """(response, the peak growth of the resident size while `request` ran)."""
    baseline = resident_bytes()
    peak = baseline
    done = threading.Event()

    def sample():
        nonlocal peak
        while not done.is_set():
            peak = max(peak, resident_bytes())
            time.sleep(0.002)

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        response = request()
    finally:
        done.set()
        sampler.join()
    return response, max(peak, resident_bytes()) - baseline


@functools.cache
def png(width: int, height: int) -> bytes:
    """An RGB PNG of one colour, compressed row by row: 12000x12000 is about 420 KB
    on disk and 432 MB once decoded, built without ever holding its pixels."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    compressor = zlib.compressobj(9)
    row = b"\x00" * (1 + 3 * width)  # filter byte, then the pixels
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


def photo(width, height):
    return SimpleUploadedFile("foto.png", png(width, height), content_type="image/png")


HOSTILE = [(12000, 12000), (10000, 10000)]


@time_machine.travel(wita(2026, 5, 12, 14), tick=False)
@pytest.mark.parametrize(("width", "height"), HOSTILE)
def test_a_huge_photo_on_the_visit_record_form(role_clients, width, height):
    visit = VisitFactory()
    client = role_clients(STAFF)
    upload = photo(width, height)
    response, growth = peak_growth(
        lambda: client.post(
            reverse("visits:record", args=[visit.pk]),
            {"students_male": "40", "photos": [upload], "photo_consent": "on"},
        )
    )
    assert response.status_code == 200
    assert "megapiksel" in response.content.decode()
    assert not visit.photos.exists()
    assert growth < LIMIT, f"{growth / 2**20:.0f} MB"


@time_machine.travel(wita(2026, 5, 12, 14), tick=False)
def test_the_largest_photo_accepted_and_its_renditions_stay_bounded(role_clients):
    """4000 x 4000, just within the limit: recording it, then showing the visit page,
    which renders its thumbnail from the photo as kept."""
    visit = VisitFactory()
    client = role_clients(STAFF)
    upload = photo(4000, 4000)
    response, growth = peak_growth(
        lambda: client.post(
            reverse("visits:record", args=[visit.pk]),
            {"students_male": "40", "photos": [upload], "photo_consent": "on"},
        )
    )
    assert response.status_code == 302
    assert visit.photos.count() == 1
    assert growth < LIMIT, f"recording: {growth / 2**20:.0f} MB"
    page, growth = peak_growth(lambda: client.get(reverse("visits:inspect", args=[visit.pk])))
    assert page.status_code == 200
    assert growth < LIMIT, f"visit page: {growth / 2**20:.0f} MB"


@pytest.mark.parametrize(("width", "height"), HOSTILE)
@pytest.mark.parametrize(
    ("url", "field"), [("/admin/images/add/", "file"), ("/admin/images/multiple/add/", "files[]")]
)
def test_a_huge_image_in_wagtails_image_library(role_clients, url, field, width, height):
    client = role_clients(ADMIN)
    upload = photo(width, height)
    response, growth = peak_growth(lambda: client.post(url, {"title": "Poster", field: upload}))
    assert response.status_code == 200
    assert "16000000" in response.content.decode()
    assert not Image.objects.exists()
    assert growth < LIMIT, f"{growth / 2**20:.0f} MB"


@pytest.mark.parametrize(("width", "height"), HOSTILE)
def test_a_huge_photo_of_an_answer_sheet(
    role_clients, width, height, django_capture_on_commit_callbacks
):
    """Uploaded, then read by the job (eager here, in this process): refused unread."""
    session = QuizSessionFactory()
    client = role_clients(STAFF)
    upload = photo(width, height)
    with django_capture_on_commit_callbacks(execute=True):
        response, growth = peak_growth(
            lambda: client.post(
                f"/admin/quizzes/sessions/{session.pk}/lembar/unggah/", {"berkas": [upload]}
            )
        )
    assert response.status_code == 302
    page = SheetPage.objects.get()
    assert page.flags[0]["kind"] == "unreadable"
    assert growth < LIMIT, f"{growth / 2**20:.0f} MB"


def test_an_xlsx_zip_bomb_in_the_school_import(role_clients):
    bomb = workbook_with(sheet_xml("A1:B2", "A1") + " " * (100 * 1024 * 1024))
    client = role_clients(STAFF)
    response, growth = peak_growth(
        lambda: client.post(
            "/admin/schools/import/", {"file": SimpleUploadedFile("bom.xlsx", bomb)}
        )
    )
    assert response.status_code == 200
    assert "lebih dari 60 MB" in response.content.decode()
    assert growth < LIMIT, f"{growth / 2**20:.0f} MB"

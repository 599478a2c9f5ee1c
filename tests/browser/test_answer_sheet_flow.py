"""A staff member's paper path: print sheets for a session, upload phone photos of the
filled sheets, review the flagged one and type a name for a certificate."""

import numpy as np
import pypdfium2
import pytest
from playwright.sync_api import expect

from bench.answer_sheets import RENDER_DPI
from quizzes.models import Attempt, AttemptSource
from tests.quizzes.factories import QuizSessionFactory
from tests.quizzes.sheet_images import as_photo, fill


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_staff_print_upload_review_and_name(desk, live_server, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    session = QuizSessionFactory()
    desk.goto(f"{live_server.url}/admin/quizzes/sessions/edit/{session.pk}/")
    desk.get_by_role("link", name="Lembar jawaban").click()
    desk.get_by_label("Jumlah lembar").fill("2")
    with desk.expect_download() as download:
        desk.get_by_role("button", name="Cetak lembar jawaban (PDF)").click()
    pdf = pypdfium2.PdfDocument(download.value.path())
    sheets = [
        np.array(pdf[index].render(scale=RENDER_DPI / 72, grayscale=True).to_pil())
        for index in range(len(pdf))
    ]
    pdf.close()
    assert len(sheets) == 2
    fill(sheets[0], session, answers={1: "B", 2: "AB", 3: "B"}, grade="4", parallel="A")
    fill(sheets[1], session, answers={1: "BC", 2: "AB", 3: "B"}, grade="4", parallel="A")
    photos = []
    for index, sheet in enumerate(sheets):
        path = tmp_path / f"IMG_{index}.jpg"
        path.write_bytes(as_photo(sheet, np.random.default_rng(index)))
        photos.append(path)

    desk.get_by_role("link", name="Unggah foto atau pindaian lembar yang sudah diisi").click()
    desk.get_by_label("Foto atau PDF").set_input_files(photos)
    desk.get_by_role("button", name="Unggah dan baca").click()
    expect(desk.get_by_text("Selesai: 2 halaman dibaca.")).to_be_visible()
    expect(desk.get_by_text("Soal 1: lebih dari satu bulatan terisi.")).to_be_visible()
    assert Attempt.objects.count() == 1  # the flagged sheet waits

    desk.get_by_role("link", name="Periksa").click()
    expect(desk.get_by_role("img", name="Soal 1")).to_be_visible()
    desk.get_by_role("group", name="Soal 1").get_by_label("B").check()
    desk.get_by_label("Nama untuk sertifikat").fill("Sari Dewi")
    desk.get_by_role("button", name="Konfirmasi dan catat").click()
    expect(desk.get_by_text("Lembar no. 2 dicatat.")).to_be_visible()

    desk.get_by_label("Nama", exact=True).fill("Budi Santoso")
    desk.get_by_role("button", name="Simpan nama").click()
    expect(desk.get_by_text("1 nama disimpan.")).to_be_visible()
    attempts = Attempt.objects.order_by("token")
    assert [(a.name, a.score, a.source) for a in attempts] == [
        ("Budi Santoso", 100, AttemptSource.PAPER),
        ("Sari Dewi", 100, AttemptSource.PAPER),
    ]
    assert all(attempt.certificate for attempt in attempts)

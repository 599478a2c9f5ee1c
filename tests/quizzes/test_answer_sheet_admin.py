"""The staff's paper path in the admin: print sheets, upload photos, follow the reading,
confirm a flagged sheet, type names for certificates, or type a class's answers."""

import io
from datetime import timedelta
from pathlib import Path

import numpy as np
import pypdfium2
import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.html import escape
from PIL import Image

from cms.roles import STAFF
from quizzes.models import Attempt, AttemptSource, Certificate, SheetBatch, SheetFile, SheetPage
from quizzes.services import attempt_submit
from quizzes.sheets.jobs import sheet_batches_erase_expired, sheet_batches_requeue_stuck
from quizzes.sheets.models import BatchStatus, PageStatus
from quizzes.sheets.records import (
    answers_to_options,
    sheet_token,
    sheets_allocate,
    typed_answers,
)
from tests.indonesian import indonesian
from tests.quizzes.sheet_images import as_photo, fill, print_sheets

pytestmark = pytest.mark.django_db
RIGHT = {1: "B", 2: "AB", 3: "B"}


@pytest.fixture
def staff(role_clients):
    return role_clients(STAFF)


def photo(image, seed=5) -> bytes:
    return as_photo(image, np.random.default_rng(seed))


def test_staff_print_sheets_numbered_after_those_printed(staff, session):
    url = f"/admin/quizzes/sessions/{session.pk}/lembar/"
    page = staff.get(url)
    assert 'value="30"' in page.text and "Lembar soal (PDF)" in page.text
    pdf = staff.post(url, {"jumlah": "2"})
    assert pdf["Content-Type"] == "application/pdf"
    assert f"lembar-jawaban-{session.code}-1-2.pdf" in pdf["Content-Disposition"]
    assert len(pypdfium2.PdfDocument(pdf.content)) == 2
    assert "-3-3.pdf" in staff.post(url, {"jumlah": "1"})["Content-Disposition"]
    refused = staff.post(url, {"jumlah": "0"})
    assert refused.status_code == 200 and "Cetak paling sedikit 1 lembar." in refused.text
    session.refresh_from_db()
    assert session.sheets_printed == 3


def test_a_print_is_limited_to_what_the_web_request_draws_in_seconds(staff, session):
    url = f"/admin/quizzes/sessions/{session.pk}/lembar/"
    help_text = indonesian(
        "One sheet per student, at most %(max)d at a time: for more, print again. The "
        "numbers follow on from the sheets printed before.", max=60,
    )  # fmt: skip
    assert escape(help_text) in staff.get(url).text
    refused = staff.post(url, {"jumlah": "61"})
    assert refused.status_code == 200
    assert escape(indonesian(
        "Print at most %(limit_value)s sheets at a time: for more, print again (the "
        "numbers follow on).", limit_value=60,
    )) in refused.text  # fmt: skip
    session.refresh_from_db()
    assert session.sheets_printed == 0  # no number used up


def test_sheets_drawn_in_parts_make_one_pdf_in_order(staff, session, monkeypatch):
    monkeypatch.setattr("quizzes.sheets.drawing.SHEETS_PER_RENDER", 2)
    pdf = staff.post(f"/admin/quizzes/sessions/{session.pk}/lembar/", {"jumlah": "3"})
    document = pypdfium2.PdfDocument(pdf.content)
    texts = [page.get_textpage().get_text_range() for page in document]
    assert len(texts) == 3
    assert all(f"Lembar no. {number}" in text for number, text in enumerate(texts, start=1))


def test_the_session_page_links_the_answer_sheets(staff, session):
    html = staff.get(f"/admin/quizzes/sessions/edit/{session.pk}/").text
    assert f"/admin/quizzes/sessions/{session.pk}/lembar/" in html and "Lembar jawaban" in html


def test_question_sheet_lists_the_questions(staff, session):
    response = staff.get(f"/admin/quizzes/sessions/{session.pk}/lembar/soal.pdf")
    text = pypdfium2.PdfDocument(response.content)[0].get_textpage().get_text_range()
    assert "Apa itu perundungan?" in text and "Menyakiti berulang" in text


def test_upload_review_confirm_and_name(
    staff, session, django_capture_on_commit_callbacks, fake_certificate_pdf
):
    clean, doubtful = print_sheets(session, sheets_allocate(session=session, count=2))
    fill(clean, session, answers=RIGHT, grade="3", parallel="A")
    fill(doubtful, session, answers={1: "AB", 2: "AB", 3: "B"}, grade="3", parallel="A")
    files = [
        SimpleUploadedFile("IMG_0001.jpg", photo(clean), "image/jpeg"),
        SimpleUploadedFile("IMG_0002.jpg", photo(doubtful, seed=6), "image/jpeg"),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(f"/admin/quizzes/sessions/{session.pk}/lembar/unggah/",
                              {"berkas": files})  # fmt: skip
    batch = SheetBatch.objects.get()
    assert response["Location"] == f"/admin/quizzes/lembar/{batch.pk}/"
    assert batch.status == BatchStatus.DONE and batch.pages_read == 2
    html = staff.get(response["Location"]).text
    assert "Selesai: 2 halaman dibaca." in html
    assert "Soal 1: lebih dari satu bulatan terisi." in html
    flagged = SheetPage.objects.get(status=PageStatus.FLAGGED)
    recorded = SheetPage.objects.get(status=PageStatus.RECORDED)
    assert f"/admin/quizzes/lembar/halaman/{recorded.pk}/nama.png" in html

    home = staff.get("/admin/").text
    assert "Lembar jawaban perlu diperiksa" in home and f"/admin/quizzes/lembar/{batch.pk}/" in home
    review = staff.get(f"/admin/quizzes/lembar/halaman/{flagged.pk}/")
    assert f"/admin/quizzes/lembar/halaman/{flagged.pk}/q1.png" in review.text
    assert 'value="B" id="id_q1_2" checked' not in review.text  # doubted: nothing chosen
    assert 'value="B" id="id_q3_2" checked' in review.text  # read plainly: as read
    unchosen = staff.post(f"/admin/quizzes/lembar/halaman/{flagged.pk}/",
                          {"q2": ["A", "B"], "q3": "B", "kelas": "3A"})  # fmt: skip
    assert "Pilih jawabannya, atau &#x27;kosong&#x27;." in unchosen.text
    assert Attempt.objects.count() == 1
    crop = staff.get(f"/admin/quizzes/lembar/halaman/{flagged.pk}/q1.png")
    assert crop["Content-Type"] == "image/png" and crop.content.startswith(b"\x89PNG")
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = staff.post(
            f"/admin/quizzes/lembar/halaman/{flagged.pk}/",
            {"q1": "B", "q2": ["A", "B"], "q3": "B", "kelas": "3A", "nama": "Sari"},
        )
    assert confirmed.status_code == 302
    assert "Lembar jawaban perlu diperiksa" not in staff.get("/admin/").text
    assert Attempt.objects.get(name="Sari").certificate

    with django_capture_on_commit_callbacks(execute=True):
        staff.post(f"/admin/quizzes/lembar/{batch.pk}/nama/", {f"nama-{recorded.pk}": "Budi"})
    budi = Attempt.objects.get(name="Budi")
    assert (budi.source, budi.score, budi.class_name) == (AttemptSource.PAPER, 100, "3A")
    assert Certificate.objects.count() == 2
    results = staff.get(f"/admin/quizzes/sessions/{session.pk}/results/").text
    assert indonesian("%(paper)s on paper", paper=2) in results


def test_an_upload_of_no_photo_is_refused_in_indonesian(staff, session):
    response = staff.post(
        f"/admin/quizzes/sessions/{session.pk}/lembar/unggah/",
        {"berkas": [SimpleUploadedFile("catatan.txt", b"halo", "text/plain")]},
    )
    assert response.status_code == 400
    assert "catatan.txt bukan foto JPEG/PNG atau PDF." in response.text
    assert not SheetBatch.objects.exists()


def test_a_multi_page_scanned_pdf_is_read_page_by_page(
    staff, session, django_capture_on_commit_callbacks
):
    images = print_sheets(session, sheets_allocate(session=session, count=2))
    for image in images:
        fill(image, session, answers=RIGHT, grade="6")
    pdf = io.BytesIO()
    pages = [Image.fromarray(image) for image in images]
    pages[0].save(pdf, "PDF", resolution=200, save_all=True, append_images=pages[1:])
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(
            f"/admin/quizzes/sessions/{session.pk}/lembar/unggah/",
            {"berkas": [SimpleUploadedFile("pindai.pdf", pdf.getvalue(), "application/pdf")]},
        )
    assert sorted(Attempt.objects.values_list("token", flat=True)) == [
        f"paper-{session.pk}-1", f"paper-{session.pk}-2"
    ]  # fmt: skip


def test_typed_grid_keeps_bad_rows_and_records_the_grid_once_right(staff, session):
    sheets_allocate(session=session, count=3)
    url = f"/admin/quizzes/sessions/{session.pk}/lembar/ketik/"
    form = staff.get(url)
    assert form.status_code == 200
    data = {"form-TOTAL_FORMS": "3", "form-INITIAL_FORMS": "0", "token": "abc123"}
    data.update({"form-0-nomor": "1", "form-0-kelas": "4B", "form-0-jawaban": "B(AB)B",
                 "form-0-nama": "Ani"})  # fmt: skip
    data.update({"form-1-kelas": "4B", "form-1-jawaban": "AZ"})
    data.update({"form-2-nomor": "9", "form-2-kelas": "4B", "form-2-jawaban": "AAA"})
    response = staff.post(url, data)
    assert response.status_code == 200
    assert "2 jawaban untuk 3 soal." in response.text
    assert "Lembar no. 9 tidak pernah dicetak untuk sesi ini." in response.text
    assert 'value="AZ"' in response.text and 'value="Ani"' in response.text  # nothing lost
    assert indonesian(
        "Nothing recorded yet: correct the marked rows, then press “Record” again."
    ) in (response.text)
    assert not Attempt.objects.exists()  # nothing counts until the grid is right
    data.update({"form-1-jawaban": "AAA", "form-2-nomor": "3"})
    assert staff.post(url, data).status_code == 302
    assert Attempt.objects.count() == 3
    ani = Attempt.objects.get(name="Ani")
    assert (ani.name, ani.score, ani.source) == ("Ani", 100, AttemptSource.PAPER)
    staff.post(url, data)  # sent again: still the same attempts
    assert Attempt.objects.count() == 3
    data["form-1-jawaban"] = "BAB"
    changed = staff.post(url, data)
    assert escape(indonesian(
        "This row was recorded from this grid before, with other answers. "
        "Open the grid again to type more sheets."
    )) in changed.text  # fmt: skip
    assert Attempt.objects.count() == 3


def test_uploads_and_their_files_go_after_the_retention_period(
    session, settings, django_capture_on_commit_callbacks
):
    batch = SheetBatch.objects.create(session=session)
    upload = SheetFile.objects.create(batch=batch, file=ContentFile(b"jpeg", "IMG_1.jpg"))
    page = SheetPage(batch=batch, session=session, number=1, status=PageStatus.RECORDED)
    page.image.save("1-1.jpg", ContentFile(b"jpeg"))
    paths = [Path(upload.file.path), Path(page.image.path)]
    later = timezone.now() + timedelta(days=31 * settings.QUIZ_RETENTION_MONTHS)
    with time_machine.travel(later - timedelta(days=40)):
        assert sheet_batches_erase_expired() == 0
    with time_machine.travel(later), django_capture_on_commit_callbacks(execute=True):
        assert sheet_batches_erase_expired() == 3  # batch, file, page
    assert not SheetBatch.objects.exists()
    assert not any(path.exists() for path in paths)


def test_an_upload_left_unread_is_queued_again(session, staff):
    batch = SheetBatch.objects.create(session=session, status=BatchStatus.READING)
    SheetFile.objects.create(batch=batch, file=ContentFile(b"not a photo", "IMG_9.jpg"),
                             name="IMG_9.jpg")  # fmt: skip
    assert sheet_batches_requeue_stuck() == 0  # still being read, perhaps
    with time_machine.travel(timezone.now() + timedelta(minutes=21)):
        assert sheet_batches_requeue_stuck() == 1
    batch.refresh_from_db()
    assert (batch.status, batch.pages_read) == (BatchStatus.DONE, 1)
    page = batch.pages.get()
    assert page.status == PageStatus.REFUSED and page.flags[0]["kind"] == "unreadable"
    assert sheet_batches_requeue_stuck() == 0


def scanned(session, number: int, letters: str, class_name="3C", gender="") -> Attempt:
    """Sheet `number` recorded as a scan records it (its answers as typed in the grid)."""
    answers = typed_answers(session=session, letters=letters)
    attempt, _ = attempt_submit(
        session=session, token=sheet_token(session, number), class_name=class_name,
        gender=gender, answers=answers_to_options(session, answers), source=AttemptSource.PAPER,
    )  # fmt: skip
    return attempt


def grid(*rows: dict) -> dict:
    data = {"form-TOTAL_FORMS": str(len(rows)), "form-INITIAL_FORMS": "0", "token": "abc123"}
    for index, row in enumerate(rows):
        data.update({f"form-{index}-{field}": value for field, value in row.items()})
    return data


JOKO = {"nomor": "2", "kelas": "3C", "jenis_kelamin": "l", "nama": "Joko Susilo",
        "jawaban": "B(AB)B"}  # fmt: skip
CONFLICT_IN_GRID = (
    "A sheet with this number is already recorded with other answers: perhaps the sheet "
    "was photocopied. If this is another child's sheet, clear its number to record it as "
    "a sheet of its own."
)

RECORDED_ON_REVIEW = (
    "Sheet no. %(number)s is already recorded, from another photo or typed. Confirmed "
    "with the same answers, class and gender, it counts once; with others, you will be "
    "asked whether it is another child's sheet."
)
CONFLICT_ON_CONFIRM = (
    "Not recorded yet: a sheet with this number is already recorded with other answers. "
    "Check the answers; if this is another child's sheet (a photocopy), press “Confirm "
    "and record” again to record it as a sheet of its own."
)


def test_typed_grid_refuses_a_sheet_number_recorded_with_other_answers(staff, session):
    sheets_allocate(session=session, count=4)
    for number in (1, 2, 3):
        scanned(session, number, "AAA")
    url = f"/admin/quizzes/sessions/{session.pk}/lembar/ketik/"
    data = grid(JOKO, {"nomor": "4", "kelas": "3C", "nama": "Sari", "jawaban": "B(AB)B"})
    response = staff.post(url, data)
    assert response.status_code == 200
    assert escape(indonesian(CONFLICT_IN_GRID)) in response.text
    assert 'value="Joko Susilo"' in response.text and 'value="Sari"' in response.text
    # Nothing is recorded until every row is right: sheet 4 waits, sheet 2 is the scan's.
    assert Attempt.objects.count() == 3
    assert Attempt.objects.get(token=f"paper-{session.pk}-2").score == 0

    data["form-0-nomor"] = ""  # another child's sheet: recorded without the number
    recorded = staff.post(url, data, follow=True)
    assert "2 lembar dicatat." in recorded.text
    assert sorted(Attempt.objects.filter(score=100).values_list("name", flat=True)) == [
        "Joko Susilo", "Sari"
    ]  # fmt: skip
    assert Attempt.objects.get(token=f"paper-{session.pk}-2").score == 0


def test_typed_grid_counts_a_sheet_already_recorded_as_such(staff, session):
    sheets_allocate(session=session, count=3)
    for number in (1, 2, 3):
        scanned(session, number, "B(AB)B" if number == 2 else "AAA", gender="l")
    response = staff.post(f"/admin/quizzes/sessions/{session.pk}/lembar/ketik/", grid(JOKO),
                          follow=True)  # fmt: skip
    assert "0 lembar dicatat." in response.text
    assert escape(indonesian("%(count)d sheet already recorded: counted once.", count=1)) in (
        response.text
    )
    assert Attempt.objects.count() == 3
    # The same sheet, typed: the name typed from it is its name, as on the batch page.
    assert Attempt.objects.get(token=f"paper-{session.pk}-2").name == "Joko Susilo"


def test_review_of_a_sheet_whose_number_is_recorded_keeps_what_staff_typed(staff, session):
    sheets_allocate(session=session, count=3)
    scanned(session, 2, "AAA")
    batch = SheetBatch.objects.create(session=session, status=BatchStatus.DONE)
    page = SheetPage.objects.create(
        batch=batch, file_name="IMG_0007.jpg", session=session, number=2,
        status=PageStatus.FLAGGED, answers={"1": ["A", "B"], "2": ["A", "B"], "3": ["B"]},
        flags=[{"kind": "several", "question": 1, "detail": ""}],
    )  # fmt: skip
    url = f"/admin/quizzes/lembar/halaman/{page.pk}/"
    opened = staff.get(url).text
    assert escape(indonesian(RECORDED_ON_REVIEW, number=2)) in opened  # known before typing

    typed = {"q1": "B", "q2": ["A", "B"], "q3": "B", "kelas": "3C", "jenis_kelamin": "l",
             "nama": "Joko Susilo"}  # fmt: skip
    refused = staff.post(url, typed)
    assert refused.status_code == 200
    assert escape(indonesian(CONFLICT_ON_CONFIRM)) in refused.text
    assert 'value="Joko Susilo"' in refused.text and 'value="3C"' in refused.text
    assert 'value="B" required id="id_q1_2" checked' in refused.text
    assert Attempt.objects.count() == 1

    confirmed = staff.post(url, typed)  # it is another child's sheet, staff say again
    assert confirmed["Location"] == f"/admin/quizzes/lembar/{batch.pk}/"
    joko = Attempt.objects.get(name="Joko Susilo")
    assert (joko.token, joko.score) == (f"paper-{session.pk}-2-p{page.pk}", 100)
    assert Attempt.objects.get(token=f"paper-{session.pk}-2").score == 0


def test_typed_grid_on_a_full_session_says_so(staff, session):
    session.max_attempts = 1
    session.save(update_fields=["max_attempts"])
    sheets_allocate(session=session, count=2)
    scanned(session, 1, "AAA")
    response = staff.post(f"/admin/quizzes/sessions/{session.pk}/lembar/ketik/",
                          grid(JOKO))  # fmt: skip
    assert response.status_code == 200
    assert "Sesi sudah mencapai batas jumlah jawaban." in response.text
    assert 'value="Joko Susilo"' in response.text


@pytest.mark.parametrize("token", ["a\x00", "a" * 40, ""])
def test_typed_grid_with_a_tampered_token_is_refused_keeping_the_rows(staff, session, token):
    sheets_allocate(session=session, count=2)
    data = grid({**JOKO, "nomor": ""})
    data["token"] = token
    url = f"/admin/quizzes/sessions/{session.pk}/lembar/ketik/"
    response = staff.post(url, data)
    assert response.status_code == 200
    assert escape(indonesian(
        "This grid's form was damaged: nothing recorded. Check the rows, then press "
        "“Record” again."
    )) in response.text  # fmt: skip
    assert 'value="Joko Susilo"' in response.text and 'value="B(AB)B"' in response.text
    assert not Attempt.objects.exists()
    fresh = response.context["token"]
    assert fresh != token and len(fresh) == 16
    data["token"] = fresh  # the page sent again as shown: recorded
    assert staff.post(url, data).status_code == 302
    assert Attempt.objects.get().name == "Joko Susilo"


def recorded_pages(session, count: int) -> tuple[SheetBatch, list[SheetPage]]:
    """A read batch of `count` recorded sheets without names, their name boxes kept."""
    sheets_allocate(session=session, count=count)
    batch = SheetBatch.objects.create(session=session, status=BatchStatus.DONE)
    pages = []
    for number in range(1, count + 1):
        page = SheetPage(batch=batch, file_name=f"IMG_{number}.jpg", session=session,
                         number=number, status=PageStatus.RECORDED,
                         attempt=scanned(session, number, "B(AB)B"))  # fmt: skip
        page.image.save(f"{batch.pk}-{number}.jpg", ContentFile(b"jpeg"))
        pages.append(page)
    return batch, pages


@pytest.mark.parametrize("bad", ["Budi\x00", "B" * 81])
def test_names_typed_from_sheets_are_checked_and_all_kept_when_one_is_wrong(
    staff, session, bad, django_capture_on_commit_callbacks
):
    batch, (first, second) = recorded_pages(session, 2)
    url = f"/admin/quizzes/lembar/{batch.pk}/nama/"
    response = staff.post(url, {f"nama-{first.pk}": "Sari Dewi", f"nama-{second.pk}": bad})
    assert response.status_code == 400
    assert escape(indonesian(
        "No name saved yet: correct the marked names, then save again."
    )) in response.text  # fmt: skip
    assert 'value="Sari Dewi"' in response.text  # the right name, kept as typed
    assert response.context["to_name"][1].name_field.errors  # the wrong one, marked
    assert not Attempt.objects.exclude(name="").exists()

    with django_capture_on_commit_callbacks(execute=True):
        saved = staff.post(url, {f"nama-{first.pk}": "  Sari Dewi ", f"nama-{second.pk}": "Budi"})
    assert saved.status_code == 302
    assert sorted(Attempt.objects.values_list("name", flat=True)) == ["Budi", "Sari Dewi"]


def test_a_pdf_of_more_pages_than_read_is_refused_at_upload(staff, session, settings):
    from pypdf import PdfWriter

    from quizzes.sheets.jobs import MAX_PDF_PAGES

    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0  # streamed to a temporary file, as a scan is
    url = f"/admin/quizzes/sessions/{session.pk}/lembar/unggah/"
    assert indonesian("A PDF may have at most %(max_pdf_pages)s pages.",
                      max_pdf_pages=MAX_PDF_PAGES) in staff.get(url).text  # fmt: skip
    writer = PdfWriter()
    for _page in range(MAX_PDF_PAGES + 1):
        writer.add_blank_page(595, 842)
    pdf = io.BytesIO()
    writer.write(pdf)
    upload = SimpleUploadedFile("pindai.pdf", pdf.getvalue(), "application/pdf")
    response = staff.post(url, {"berkas": [upload]})
    assert response.status_code == 400
    assert escape(indonesian(
        "%(name)s has %(pages)d pages; a PDF may have at most %(max)d: split the scan into "
        "several files.", name="pindai.pdf", pages=MAX_PDF_PAGES + 1, max=MAX_PDF_PAGES,
    )) in response.text  # fmt: skip
    assert not SheetBatch.objects.exists()

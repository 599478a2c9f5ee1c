"""Certificates: rendering, idempotency, download, verification and retention."""

import datetime
import io
import math
import os
import re
import time
import unicodedata
import zoneinfo

import pytest
from django.conf import settings
from django.db import IntegrityError
from django.test import Client
from fontTools.ttLib import TTFont
from limits import parse
from pypdf import PdfReader
from wagtail.models import Site

from quizzes import tasks
from quizzes.certificates import (
    attempts_erase_expired,
    certificates_requeue_stuck,
    name_font_size,
)
from quizzes.models import (
    CODE_ALPHABET,
    VERIFICATION_CODE_LENGTH,
    Attempt,
    Certificate,
    CertificateSettings,
    CertificateStatus,
)
from quizzes.views import mask_name
from tests.downloads import pdf_text
from tests.quizzes.conftest import form_token
from tests.quizzes.factories import QuizSessionFactory, answers_for
from tests.quizzes.qr_decode import decode_pdf_qr
from tests.schools.factories import SchoolFactory

WITA = zoneinfo.ZoneInfo("Asia/Makassar")


def pdf_glyph_coverage(content: bytes) -> set[str]:
    """Every character that the fonts embedded in the PDF can draw (Arabic contextual
    forms counted as their base letters). A character outside it would be a tofu box."""
    covered = set()
    for font in PdfReader(io.BytesIO(content)).pages[0]["/Resources"]["/Font"].values():
        font = font.get_object()
        if "/DescendantFonts" in font:
            font = font["/DescendantFonts"][0].get_object()
        descriptor = font["/FontDescriptor"].get_object()
        stream = next(descriptor[k] for k in ("/FontFile2", "/FontFile3") if k in descriptor)
        cmap = TTFont(io.BytesIO(stream.get_object().get_data())).getBestCmap() or {}
        covered |= {unicodedata.normalize("NFKC", chr(code)) for code in cmap}
    return covered


@pytest.fixture
def old_session(quiz, school):
    return QuizSessionFactory(
        quiz=quiz, school=school, opens_at=datetime.datetime(2025, 1, 1, tzinfo=WITA)
    )


def certificate_of(take, session, **fields) -> Certificate:
    take(session, **fields)
    return Attempt.objects.latest("pk").certificate


def test_certificate_pdf_says_who_what_where_when_and_how_to_check(
    take, old_session, time_machine, settings, set_district_profile
):
    # With no issuer set, the certificate names the office of the district profile.
    set_district_profile(office_name="DP3A Kota Contoh")
    settings.WAGTAILADMIN_BASE_URL = "https://sekolahaman.example.id"
    time_machine.move_to(datetime.datetime(2026, 8, 17, 9, 30, tzinfo=WITA))
    certificate = certificate_of(take, old_session)
    content = certificate.file.read()
    text = pdf_text(content)
    assert certificate.status == CertificateStatus.READY
    assert len(PdfReader(io.BytesIO(content)).pages) == 1
    for expected in (
        "SERTIFIKAT",
        "Rina Sari",
        "Kuis Perundungan",
        "SMP Negeri 1 Penajam",
        "17 Agustus 2026",
        "DP3A Kota Contoh",
        certificate.display_code,
    ):
        assert expected in text, expected
    assert decode_pdf_qr(content) == [f"https://sekolahaman.example.id/v/{certificate.code}/"]


def test_signatory_from_settings_appears_on_the_certificate(take, session):
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file

    issuer = CertificateSettings.for_site(Site.objects.get(is_default_site=True))
    issuer.signatory_name = "Dra. Siti Aminah"
    issuer.signatory_title = "Kepala DP3AP2KB"
    issuer.signature = Image.objects.create(title="ttd", file=get_test_image_file())
    unsigned = certificate_of(take, session).file.read()
    issuer.save()
    content = certificate_of(take, session).file.read()
    text = pdf_text(content)
    assert "Dra. Siti Aminah" in text and "Kepala DP3AP2KB" in text

    def images(pdf):
        return len(PdfReader(io.BytesIO(pdf)).pages[0]["/Resources"].get("/XObject", {}))

    assert images(content) == images(unsigned) + 1


def test_html_in_the_name_is_printed_as_text(take, session):
    name = '<b>Rina</b> <img src="http://example.com/x.png">'
    text = pdf_text(certificate_of(take, session, nama=name).file.read())
    assert "<b>Rina</b>" in text and "<img" in text


def test_names_in_any_script_get_real_glyphs(take, session):
    name = "王小明 محمد 😀 Ñandú"
    content = certificate_of(take, session, nama=name).file.read()
    assert set(name.replace(" ", "")) <= pdf_glyph_coverage(content)
    assert "王小明" in pdf_text(content)


def test_long_names_shrink_and_stay_on_one_page(take, session):
    sizes = [name_font_size("x" * n) for n in (10, 25, 40, 55, 80)]
    assert sizes == sorted(sizes, reverse=True) and sizes[0] > sizes[-1]
    name = "Muhammad Rizky Pratama Putra Kusumawardhani Wijayakusuma Nugroho Setiabudi Raharjo"[:80]
    content = certificate_of(take, session, nama=name).file.read()
    assert len(PdfReader(io.BytesIO(content)).pages) == 1
    assert "Setiabudi" in pdf_text(content)


def test_rendering_again_never_makes_a_second_certificate(take, session):
    certificate = certificate_of(take, session)
    first_file = certificate.file.name
    tasks.certificate_render.delay(certificate.pk)
    tasks.certificate_render.delay(certificate.pk)
    certificate.refresh_from_db()
    assert certificate.file.name == first_file
    assert Certificate.objects.count() == 1
    with pytest.raises(IntegrityError):
        Certificate.objects.create(attempt=certificate.attempt)


def test_a_second_run_does_not_render_a_ready_certificate(take, session, monkeypatch):
    certificate = certificate_of(take, session)
    calls = []
    monkeypatch.setattr("quizzes.certificates.certificate_pdf", lambda c: calls.append(c))
    tasks.certificate_render.delay(certificate.pk)
    assert calls == []


def test_a_failing_render_is_retried_then_marked_failed_and_the_attempt_kept(
    take, client, session, monkeypatch
):
    def broken(certificate):
        raise OSError("font cache unavailable")

    monkeypatch.setattr("quizzes.certificates.certificate_pdf", broken)
    response = take(session)
    assert response.status_code == 302  # the student's answers are recorded all the same
    certificate = Certificate.objects.get()
    assert certificate.status == CertificateStatus.FAILED
    html = client.get(response["Location"]).content.decode()
    assert "Sertifikatmu gagal dibuat" in html
    assert 'http-equiv="refresh"' not in html


def test_result_page_refreshes_itself_while_the_certificate_is_made(client, public_site, session):
    form = client.get(f"/q/{session.code}/")
    data = {"token": form_token(form), "kelas": "8B", "nama": "Rina", **answers_for(session.quiz)}
    # Without running the on-commit callbacks the certificate stays pending.
    response = client.post(f"/q/{session.code}/", data)
    pending = client.get(response["Location"]).content.decode()
    assert Certificate.objects.get().status == CertificateStatus.PENDING
    assert '<meta http-equiv="refresh" content="4">' in pending
    assert "Sertifikatmu sedang dibuat" in pending
    tasks.certificate_render.delay(Certificate.objects.get().pk)
    ready = client.get(response["Location"]).content.decode()
    assert 'http-equiv="refresh"' not in ready and "Unduh sertifikat" in ready


def test_stuck_pending_certificates_are_queued_again(client, public_site, session, time_machine):
    form = client.get(f"/q/{session.code}/")
    data = {"token": form_token(form), "kelas": "8B", "nama": "Rina", **answers_for(session.quiz)}
    time_machine.move_to(datetime.datetime.now(tz=WITA))
    client.post(f"/q/{session.code}/", data)  # on-commit never ran: the task was lost
    assert certificates_requeue_stuck() == 0  # too recent to call stuck
    time_machine.shift(datetime.timedelta(minutes=20))
    assert certificates_requeue_stuck() == 1
    assert Certificate.objects.get().status == CertificateStatus.READY


@pytest.mark.usefixtures("fake_certificate_pdf")
def test_download_needs_the_secret_key_not_the_verification_code(take, client, session):
    certificate = certificate_of(take, session)
    response = client.get(f"/sertifikat/{certificate.download_key}.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert f"sertifikat-{certificate.code}.pdf" in response["Content-Disposition"]
    assert client.get(f"/sertifikat/{certificate.code}.pdf").status_code == 404
    assert client.get("/sertifikat/tidak-ada.pdf").status_code == 404


@pytest.mark.usefixtures("fake_certificate_pdf")
def test_verification_shows_a_masked_name_the_quiz_and_the_date(take, client, session):
    # A class name that no certificate code can contain, so its absence means something.
    certificate = certificate_of(take, session, kelas="VIII Melati")
    for code in (certificate.code, certificate.display_code.lower()):
        response = client.get(f"/v/{code}/")
        html = response.content.decode()
        assert response.status_code == 200
        assert "Sertifikat sah" in html and "R*** S***" in html
        assert "Rina" not in html and "Sari" not in html and "Melati" not in html
        assert "Kuis Perundungan" in html


@pytest.mark.usefixtures("fake_certificate_pdf")
def test_verification_names_the_issuer_or_else_the_office(
    take, client, session, set_district_profile
):
    set_district_profile(office_name="Dinas PPPA Kota Contoh")
    certificate = certificate_of(take, session)
    html = client.get(f"/v/{certificate.code}/").content.decode()
    assert "<dd>Dinas PPPA Kota Contoh</dd>" in html

    issuer = CertificateSettings.for_site(Site.objects.get(is_default_site=True))
    issuer.issuer = "Tim Sosialisasi Bersama"
    issuer.save()
    html = client.get(f"/v/{certificate.code}/").content.decode()
    assert "<dd>Tim Sosialisasi Bersama</dd>" in html


@pytest.mark.parametrize(
    "name, masked, hidden",
    [
        ("Sukarno", "S***", ["Sukarno", "ukarno"]),
        ("王小明", "王***", ["王小明", "小明"]),
        ("Muhammad Rizky Pratama", "M*** R*** P***", ["Muhammad", "Rizky", "Pratama"]),
        ("Yo", "Y***", ["Yo"]),
        ("🦸‍♀️ Putri", "*** P***", ["🦸", "Putri"]),
    ],
)
@pytest.mark.usefixtures("fake_certificate_pdf")
def test_the_check_page_masks_every_name(take, client, session, name, masked, hidden):
    certificate = certificate_of(take, session, nama=name)
    html = client.get(f"/v/{certificate.code}/").content.decode()
    assert f"<dd>{masked}</dd>" in html
    for part in hidden:
        assert part not in html


@pytest.mark.usefixtures("fake_certificate_pdf")
def test_wrong_codes_reveal_nothing(take, client, session):
    certificate = certificate_of(take, session)
    wrong = certificate.code[:-1] + ("A" if certificate.code[-1] != "A" else "B")
    for code in (wrong, "x", "<script>", "A" * 200):
        response = client.get(f"/v/{code}/")
        assert response.status_code == 404
        html = response.content.decode()
        assert "Tidak ada sertifikat dengan kode ini" in html
        assert "Rina" not in html and "Kuis Perundungan" not in html


def test_a_certificate_being_made_is_not_valid_yet(client, public_site, session):
    form = client.get(f"/q/{session.code}/")
    data = {"token": form_token(form), "kelas": "8B", "nama": "Rina", **answers_for(session.quiz)}
    client.post(f"/q/{session.code}/", data)
    assert client.get(f"/v/{Certificate.objects.get().code}/").status_code == 404


def check_when_let(client, time_machine, code: str) -> tuple[int, int]:
    """(status, seconds waited): check `code`, waiting as long as a 429 asks."""
    response = client.get(f"/v/{code}/")
    if response.status_code != 429:
        return response.status_code, 0
    waited = int(response["Retry-After"])
    assert f"Tunggu {waited} detik" in response.content.decode()
    time_machine.shift(datetime.timedelta(seconds=waited))
    return client.get(f"/v/{code}/").status_code, waited


@pytest.mark.usefixtures("fake_certificate_pdf")
def test_a_school_mistyping_codes_is_slowed_down_never_locked_out(take, session, time_machine):
    time_machine.move_to(datetime.datetime.now(tz=WITA), tick=False)
    certificate = certificate_of(take, session)
    school = Client(REMOTE_ADDR="10.1.1.1")
    # A class mistypes a hundred codes, each as soon as it is let.
    checks = [check_when_let(school, time_machine, f"SALAH{n:07d}") for n in range(100)]
    assert {status for status, _waited in checks} == {404}
    waits = [waited for _status, waited in checks]
    assert waits[:20] == [0] * 20  # the first twenty wait for nothing
    # Then longer, never long: 10 s, then 30 s (to the whole second by which the wait
    # is surely over; Redis rounds its stamps).
    assert max(waits[20:40]) in (10, 11) and max(waits) in (30, 31)
    # Another student of that school, with a valid code, gets through within 31 s.
    status, waited = check_when_let(school, time_machine, certificate.code)
    assert status == 200 and waited <= 31
    # An address that mistyped nothing waits for nothing.
    assert Client(REMOTE_ADDR="10.9.9.9").get(f"/v/{certificate.code}/").status_code == 200


def test_one_address_guesses_fewer_codes_than_before(client, public_site, time_machine):
    """Guessing as fast as allowed for ten minutes from one address: at most 55 codes
    (the old limit let 100 through, then blocked)."""
    start = datetime.datetime.now(tz=WITA)
    time_machine.move_to(start, tick=False)
    guesses = 0
    while datetime.datetime.now(tz=WITA) < start + datetime.timedelta(minutes=10):
        response = client.get(f"/v/TEBAKAN{guesses:05d}/")
        if response.status_code == 404:
            guesses += 1
        else:
            assert response.status_code == 429 and int(response["Retry-After"]) <= 31
        time_machine.shift(datetime.timedelta(seconds=1))
    assert 40 <= guesses <= 55


@pytest.mark.usefixtures("fake_certificate_pdf")
def test_guessing_from_many_addresses_is_capped_site_wide(take, session, monkeypatch, time_machine):
    time_machine.move_to(datetime.datetime.now(tz=WITA), tick=False)
    monkeypatch.setattr("quizzes.views.FAILED_VERIFICATIONS_SITE_WIDE", parse("15/10 minutes"))
    certificate = certificate_of(take, session)
    for n in range(15):
        assert Client(REMOTE_ADDR=f"10.2.0.{n}").get(f"/v/LAGI{n:08d}/").status_code == 404
    response = Client(REMOTE_ADDR="10.9.9.9").get(f"/v/{certificate.code}/")
    assert response.status_code == 429
    assert "Terlalu banyak kode sertifikat diperiksa" in response.content.decode()
    assert "Tunggu 10 menit" in response.content.decode()


@pytest.mark.usefixtures("fake_certificate_pdf")
def test_verification_codes_are_long_and_random(take, session):
    assert VERIFICATION_CODE_LENGTH * math.log2(len(CODE_ALPHABET)) >= 50
    assert not set(CODE_ALPHABET) & set("0O1IL")
    codes = {certificate_of(take, session).code for _ in range(5)}
    assert len(codes) == 5
    assert all(re.fullmatch(f"[{CODE_ALPHABET}]{{12}}", code) for code in codes)


@pytest.mark.parametrize(
    "name, masked",
    [
        ("Rina Sari", "R*** S***"),
        ("Sukarno", "S***"),
        ("Rina Sari Dewi", "R*** S*** D***"),
        ("  Rina   Sari ", "R*** S***"),
        # Any script: the first letter of each word, nothing of its length.
        ("王小明", "王***"),
        ("王 小明", "王*** 小***"),
        ("김민준", "김***"),
        (unicodedata.normalize("NFD", "김민준"), "김***"),  # jamo joined into syllables
        ("สมชาย", "ส***"),
        ("محمد علي", "م*** ع***"),
        ("E\u0301sa", "\u00c9***"),  # E and a combining accent, joined
        ("q\u0307ori", "q\u0307***"),  # no precomposed letter: the mark stays with it
        # Very short names: one letter shows, and not that it is all of the name.
        ("A", "A***"),
        ("Li Na", "L*** N***"),
        # Emoji, digits and invisible characters show only stars.
        ("🦸‍♀️", "***"),
        ("👩🏽‍🎓 Rina", "*** R***"),
        ("007", "***"),
        ("\u200bSukarno", "***"),
        ("\u202eonrakuS", "***"),
        ("", ""),
        ("   ", ""),
    ],
)
def test_mask_name(name, masked):
    assert mask_name(name) == masked


def test_after_retention_names_and_pdfs_go_and_figures_stay(
    take, client, old_session, time_machine
):
    session = old_session
    assert settings.QUIZ_RETENTION_MONTHS == 12
    time_machine.move_to(datetime.datetime(2026, 1, 10, 10, 0, tzinfo=WITA))
    old = certificate_of(take, session, nama="Rina Sari")
    take(session, nama="Budi")
    time_machine.move_to(datetime.datetime(2026, 6, 1, 10, 0, tzinfo=WITA))
    recent = certificate_of(take, session, nama="Sari Dewi")
    path = old.file.path

    time_machine.move_to(datetime.datetime(2027, 1, 11, 3, 0, tzinfo=WITA))
    assert tasks.attempts_erase_expired.delay().get() == 2
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.attempt.name == "" and old.attempt.name_erased_at is not None
    assert not old.file and not os.path.exists(path)
    assert old.attempt.score == 100 and old.status == CertificateStatus.READY
    assert recent.attempt.name == "Sari Dewi" and recent.file
    assert Attempt.objects.count() == 3

    html = client.get(f"/v/{old.code}/").content.decode()
    assert "Sertifikat sah" in html and "Nama sudah dihapus" in html and "Rina" not in html
    assert client.get(f"/sertifikat/{old.download_key}.pdf").status_code == 410
    assert not Attempt.objects.filter(name="Budi").exists()
    assert attempts_erase_expired() == 0  # nothing left to erase


def test_retention_runs_every_night_in_wita():
    entry = settings.CELERY_BEAT_SCHEDULE["quizzes-erase-expired-names"]
    assert entry["task"] == "quizzes.tasks.attempts_erase_expired"
    assert entry["schedule"].hour == {2} and entry["schedule"].minute == {30}
    assert settings.CELERY_TIMEZONE == "Asia/Makassar"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_renders_the_certificate_and_it_downloads(live_worker, public_site):
    session = QuizSessionFactory(school=SchoolFactory())
    client = Client()
    form = client.get(f"/q/{session.code}/")
    data = {
        "token": form_token(form),
        "kelas": "9A",
        "nama": "Rina Sari",
        **answers_for(session.quiz),
    }
    result_url = client.post(f"/q/{session.code}/", data)["Location"]
    certificate = Certificate.objects.get()
    deadline = time.monotonic() + 60
    while certificate.status == CertificateStatus.PENDING and time.monotonic() < deadline:
        time.sleep(0.3)
        certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.READY
    assert "Unduh sertifikat" in client.get(result_url).content.decode()
    response = client.get(f"/sertifikat/{certificate.download_key}.pdf")
    content = b"".join(response.streaming_content)
    assert response.status_code == 200 and "Rina Sari" in pdf_text(content)

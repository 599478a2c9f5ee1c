"""The teacher link: the class's results at a secret address, revoking and expiry, the
headers that keep it private, and the class's certificates merged for printing."""

import datetime
import io
import os
import re
import zoneinfo

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from pypdf import PdfReader

from cms.links import absolute_url
from cms.roles import STAFF
from quizzes import teacher
from quizzes.certificates import attempts_erase_expired, certificate_files_delete_orphans
from quizzes.models import Attempt, Certificate, CertificateBundle, CertificateStatus, TeacherLink
from quizzes.teacher import (
    certificate_bundles_request,
    teacher_link_create,
    teacher_link_live,
    teacher_link_revoke,
)
from tests.cms.test_page_weight import stylesheet_bytes
from tests.quizzes.conftest import certificate_attempts
from tests.quizzes.factories import QuizSessionFactory

WITA = zoneinfo.ZoneInfo("Asia/Makassar")


def cells(html: str, table_id: str) -> list[list[str]]:
    """The body rows of the table with this id, each as its cells' text."""
    table = re.search(rf'<table[^>]*id="{table_id}".*?<tbody>(.*?)</tbody>', html, re.S).group(1)
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row)]
        for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)
    ]


def names(reader) -> list[str]:
    return [Attempt.objects.get(pk=pk).name for pk in certificate_attempts(reader)]


@pytest.fixture
def class_session(take, session, one_page_certificates):
    """A class of five: three pass with a name (certificates), one passes without a name,
    one fails. The quiz has three questions; `right=2` gets the first two right."""
    take(session, kelas="8B", nama="Rina Sari")  # 3/3
    take(session, kelas="8B", nama="Budi", right=2)  # 2/3, fails (pass mark 70)
    take(session, kelas="8A", nama="Sari Dewi", right=0)  # 0/3
    take(session, kelas="8B", nama="")  # 3/3, no certificate
    take(session, kelas="8A", nama="Andi <b>Kuat</b>")  # 3/3
    return session


@pytest.fixture
def link(class_session):
    return teacher_link_create(session=class_session)


def test_page_shows_right_answers_per_question_and_each_student(client, link):
    response = client.get(f"/guru/{link.key}/")
    assert response.status_code == 200
    html = response.content.decode()
    # Q1 and Q2: right for everyone but Sari Dewi; Q3: only for the three with 3/3.
    figures = [re.findall(r"\d+", row[1]) for row in cells(html, "per-soal")]
    assert figures == [["4", "5", "80"], ["4", "5", "80"], ["3", "5", "60"]]
    assert cells(html, "per-soal")[0][0] == "1. Apa itu perundungan?"
    students = cells(html, "per-siswa")
    assert [row[:2] for row in students] == [
        ["Andi &lt;b&gt;Kuat&lt;/b&gt;", "8A"],
        ["Sari Dewi", "8A"],
        [students[2][0], "8B"],  # no name: said so, in the page's language
        ["Budi", "8B"],
        ["Rina Sari", "8B"],
    ]
    assert [row[2] for row in students] == ["100% ✓", "0%", "100% ✓", "67%", "100% ✓"]
    assert "Andi <b>" not in html  # typed HTML is shown as text
    assert '<meta name="robots" content="noindex">' in html
    assert 'id="jumlah-siswa">5<' in html


def test_every_answer_is_private_uncached_and_sends_no_referrer(client, link):
    other = teacher_link_create(session=QuizSessionFactory(school=link.session.school))
    teacher_link_revoke(session=other.session)
    responses = {
        "page": client.get(f"/guru/{link.key}/"),
        "certificates": client.get(f"/guru/{link.key}/sertifikat/"),
        "unknown": client.get("/guru/tidak-ada-kunci-seperti-ini/"),
        "revoked": client.get(f"/guru/{other.key}/"),
    }
    for name, response in responses.items():
        assert response["X-Robots-Tag"] == "noindex, nofollow", name
        assert response["Cache-Control"] == "private, no-store", name
        assert response["Referrer-Policy"] == "no-referrer", name
    assert [responses[name].status_code for name in responses] == [200, 200, 404, 410]


def test_a_revoked_link_is_gone_and_the_new_one_works(client, link):
    new = teacher_link_create(session=link.session)
    link.refresh_from_db()
    assert link.revoked_at is not None and teacher_link_live(link.session) == new
    assert client.get(f"/guru/{link.key}/").status_code == 410
    assert client.get(f"/guru/{link.key}/sertifikat.pdf").status_code == 410
    assert client.get(f"/guru/{new.key}/").status_code == 200
    assert teacher_link_revoke(session=link.session) == 1
    assert client.get(f"/guru/{new.key}/").status_code == 410
    assert teacher_link_revoke(session=link.session) == 0
    assert TeacherLink.objects.filter(session=link.session).count() == 2


def test_keys_are_long_random_and_unique(link):
    keys = {teacher_link_create(session=link.session).key for _ in range(20)}
    assert len(keys) == 20
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{32}", key) for key in keys)


def test_the_link_expires_with_the_retention_of_names(client, link, time_machine):
    """Twelve months (QUIZ_RETENTION_MONTHS) after the session closes, or opens when it
    never closes, as the names it shows are erased."""
    session = link.session
    session.closes_at = datetime.datetime(2026, 3, 2, 12, 0, tzinfo=WITA)
    session.opens_at = session.closes_at - datetime.timedelta(hours=3)
    session.save()
    time_machine.move_to(datetime.datetime(2027, 3, 2, 11, 59, tzinfo=WITA))
    assert client.get(f"/guru/{link.key}/").status_code == 200
    time_machine.move_to(datetime.datetime(2027, 3, 2, 12, 0, tzinfo=WITA))
    response = client.get(f"/guru/{link.key}/")
    assert response.status_code == 410
    assert "Rina" not in response.content.decode()
    assert client.get(f"/guru/{link.key}/sertifikat/").status_code == 410


def test_wrong_keys_slow_one_network_down_never_the_others(client, link, time_machine):
    time_machine.move_to(datetime.datetime.now(tz=WITA), tick=False)
    school = Client(REMOTE_ADDR="10.1.1.1")
    for n in range(20):
        assert school.get(f"/guru/tebakan-{n:04d}/").status_code == 404
    # The next try from that network waits ten seconds, even with the right key...
    busy = school.get(f"/guru/{link.key}/")
    assert busy.status_code == 429 and int(busy["Retry-After"]) in (10, 11)
    assert busy["Cache-Control"] == "private, no-store"
    # ...another network does not.
    assert Client(REMOTE_ADDR="10.9.9.9").get(f"/guru/{link.key}/").status_code == 200
    time_machine.shift(datetime.timedelta(seconds=11))
    assert school.get(f"/guru/{link.key}/").status_code == 200


def test_revoked_and_expired_keys_are_not_counted_as_guesses(client, link):
    teacher_link_revoke(session=link.session)
    for _ in range(25):
        assert client.get(f"/guru/{link.key}/").status_code == 410


def test_the_merged_pdf_has_one_page_per_ready_certificate(
    client, link, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/guru/{link.key}/sertifikat/")
    assert response.status_code == 302
    assert response["Location"] == f"/guru/{link.key}/sertifikat/"
    progress = client.get(response["Location"]).content.decode()
    assert f'href="/guru/{link.key}/sertifikat.pdf"' in progress
    assert 'http-equiv="refresh"' not in progress

    pdf = client.get(f"/guru/{link.key}/sertifikat.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf["Cache-Control"] == "private, no-store"
    assert f"sertifikat-{link.session.code}.pdf" in pdf["Content-Disposition"]
    reader = PdfReader(io.BytesIO(b"".join(pdf.streaming_content)))
    # The ready certificates (the two who passed with a name), in class then name order.
    assert len(reader.pages) == Certificate.objects.filter(status="ready").count() == 2
    assert names(reader) == ["Andi <b>Kuat</b>", "Rina Sari"]
    assert CertificateBundle.objects.get().page_count == 2


def test_while_it_is_made_the_page_reloads_itself(client, link):
    # Asked for, its task not yet run (it runs after commit, never here).
    certificate_bundles_request(session=link.session)
    page = client.get(f"/guru/{link.key}/sertifikat/").content.decode()
    assert '<meta http-equiv="refresh" content="3">' in page
    # The PDF's address leads back to the progress page until it is ready.
    response = client.get(f"/guru/{link.key}/sertifikat.pdf")
    assert response.status_code == 302 and response["Location"].endswith("/sertifikat/")


def test_a_stuck_or_failed_bundle_can_be_asked_for_again(
    client, link, time_machine, django_capture_on_commit_callbacks
):
    certificate_bundles_request(session=link.session)  # its task is lost
    time_machine.move_to(datetime.datetime.now(tz=WITA) + datetime.timedelta(minutes=11))
    page = client.get(f"/guru/{link.key}/sertifikat/").content.decode()
    assert 'http-equiv="refresh"' not in page and '<form method="post">' in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/guru/{link.key}/sertifikat/")
    assert CertificateBundle.objects.get().status == CertificateStatus.READY

    CertificateBundle.objects.update(status=CertificateStatus.FAILED)
    assert '<form method="post">' in client.get(f"/guru/{link.key}/sertifikat/").content.decode()


def test_asking_again_keeps_current_pdfs_and_remakes_stale_ones(
    take, link, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = certificate_bundles_request(session=link.session)
    with django_capture_on_commit_callbacks(execute=True) as queued:
        assert certificate_bundles_request(session=link.session) == first
    assert queued == []
    old_file = CertificateBundle.objects.get().file.name

    take(link.session, kelas="8C", nama="Citra")  # a late student passes
    with django_capture_on_commit_callbacks(execute=True):
        (bundle,) = certificate_bundles_request(session=link.session)
    bundle.refresh_from_db()
    assert bundle.page_count == 3 and bundle.status == CertificateStatus.READY
    assert not default_storage.exists(old_file)


def test_a_large_class_gets_several_bounded_pdfs(
    client, link, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(teacher, "CERTIFICATES_PER_BUNDLE", 1)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/guru/{link.key}/sertifikat/")
    progress = client.get(f"/guru/{link.key}/sertifikat/").content.decode()
    assert f'href="/guru/{link.key}/sertifikat.pdf?bagian=2"' in progress
    second = client.get(f"/guru/{link.key}/sertifikat.pdf?bagian=2")
    reader = PdfReader(io.BytesIO(b"".join(second.streaming_content)))
    assert names(reader) == ["Rina Sari"]
    assert f"sertifikat-{link.session.code}-2.pdf" in second["Content-Disposition"]
    for part in ("3", "x", "0"):
        assert client.get(f"/guru/{link.key}/sertifikat.pdf?bagian={part}").status_code in (
            200,
            302,
        )


def test_merged_pdfs_go_with_the_names_after_retention(
    link, time_machine, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        certificate_bundles_request(session=link.session)
    path = CertificateBundle.objects.get().file.path
    assert os.path.exists(path)
    time_machine.move_to(datetime.datetime.now(tz=WITA) + datetime.timedelta(days=400))
    with django_capture_on_commit_callbacks(execute=True):
        assert attempts_erase_expired() == 5
    assert not CertificateBundle.objects.exists()
    assert not os.path.exists(path)


def test_staff_make_copy_revoke_and_remake_the_link_in_the_admin(role_clients, client, session):
    staff = role_clients(STAFF)
    results = f"/admin/quizzes/sessions/{session.pk}/results/"
    assert 'id="teacher-link-url"' not in staff.get(results).text
    response = staff.post(f"/admin/quizzes/sessions/{session.pk}/teacher-link/new/")
    assert response["Location"] == results + "#tautan-guru"
    first = teacher_link_live(session)
    assert first.created_by.username == "staf-sosialisasi"
    page = staff.get(results).text
    assert f'value="{absolute_url(first.path)}"' in page and first.key in first.path
    assert f'action="/admin/quizzes/sessions/{session.pk}/teacher-link/revoke/"' in page
    assert "Tautan guru dibuat." in page and "sebelumnya" not in page

    staff.post(f"/admin/quizzes/sessions/{session.pk}/teacher-link/new/")
    second = teacher_link_live(session)
    assert second != first and client.get(f"/guru/{first.key}/").status_code == 410
    assert "tautan sebelumnya tidak berlaku lagi" in staff.get(results).text

    staff.post(f"/admin/quizzes/sessions/{session.pk}/teacher-link/revoke/")
    assert teacher_link_live(session) is None
    assert client.get(f"/guru/{second.key}/").status_code == 410
    assert 'id="teacher-link-url"' not in staff.get(results).text


def test_the_nightly_sweep_deletes_merged_pdfs_without_a_row(
    link, settings, time_machine, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        certificate_bundles_request(session=link.session)
    kept = CertificateBundle.objects.get().file.path
    left = settings.MEDIA_ROOT / "sertifikat" / "kelas" / "left-by-a-killed-worker.pdf"
    left.write_bytes(b"%PDF-1.4\n")
    time_machine.move_to(datetime.datetime.now(tz=WITA) + datetime.timedelta(hours=2))
    assert certificate_files_delete_orphans() == 1
    assert not left.exists() and os.path.exists(kept)


def test_the_pages_are_tiny_and_load_nothing_from_elsewhere(client, link):
    client.post(f"/guru/{link.key}/sertifikat/")
    for path in (link.path, f"{link.path}sertifikat/", "/guru/tidak-ada/"):
        response = client.get(path)
        html = response.content.decode()
        assert len(response.content) + stylesheet_bytes(html) <= 25 * 1024, path
        assert "<script" not in html and " style=" not in html, path
        for asset in re.findall(r'<(?:link|img|source)[^>]+(?:href|src)="([^"]+)"', html):
            assert asset.startswith(("/", "data:")), asset


@pytest.mark.parametrize(
    "path",
    ["/guru/%00/", "/guru/a%00b/sertifikat/", "/guru/%00/sertifikat.pdf",
     "/sertifikat/%00.pdf", "/q/DEMO/hasil/%00/"],
)  # fmt: skip
def test_a_key_with_a_nul_byte_is_not_found(client, db, path):
    """PostgreSQL refuses to compare text holding NUL: these answered 500."""
    assert client.get(path).status_code == 404

"""The printable A4 session kit."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from campaigns.kit import agenda
from campaigns.models import PartnerAgency
from cms.models import Topic
from tests.campaigns.factories import UserFactory, VisitFactory, wita
from tests.cms.factories import MaterialDocumentFactory, make_material
from tests.downloads import pdf_text
from tests.quizzes.factories import QuizFactory, QuizSessionFactory
from tests.quizzes.qr_decode import decode_pdf_qr

pytestmark = pytest.mark.django_db


@pytest.fixture
def visit(school, campaign, staff, materials_index, settings):
    settings.WAGTAILADMIN_BASE_URL = "https://sekolahaman.example.id"
    document = MaterialDocumentFactory(title="Poster Stop Perundungan")
    material = make_material(materials_index, title="Stop Perundungan", documents=[document])
    visit = VisitFactory(
        school=school,
        campaign=campaign,
        starts_at=wita(2026, 5, 12, 8),
        ends_at=wita(2026, 5, 12, 10),
        facilitators=[staff, UserFactory(username="andi", first_name="Andi", last_name="P")],
        venue="Aula sekolah",
        expected_participants=35,
        contact_name="Bu Sari",
    )
    visit.partners.set(PartnerAgency.objects.filter(name__in=["Polres", "Dinas Sosial"]))
    visit.topics.set(Topic.objects.filter(slug__in=["perundungan", "keamanan-digital"]))
    visit.materials.set([material])
    visit.document = document
    return visit


def test_the_kit_is_an_a4_pdf_with_everything_for_the_session(staff_client, visit):
    response = staff_client.get(reverse("visits:kit", args=[visit.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "kit-2026-05-12-sd-negeri-001-penajam-30401950.pdf" in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.content))
    text = pdf_text(response.content)
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    flat = " ".join(text.split())
    for expected in (
        "Kit sesi: SD NEGERI 001 PENAJAM",
        "Selasa, 12 Mei 2026",
        "08:00–10:00 WITA",
        "Susunan acara",
        "Pembukaan, doa, dan perkenalan tim",
        "Materi: Perundungan (bullying)",
        "Rina Wulandari, Andi P",
        "Polres, Dinas Sosial",
        "Stop Perundungan",
        "Daftar hadir",
        "Tanda tangan",
    ):
        assert expected in flat, expected
    link = f"https://sekolahaman.example.id/unduh/{visit.document.id}/"
    assert link in flat.replace(" ", "") or link in text.replace("\n", "")
    # Numbered empty rows for the expected participants.
    assert " 35 " in flat and " 36 " not in flat


def test_the_kit_ends_with_a_qr_poster_for_each_quiz_session(staff_client, visit):
    pre = QuizSessionFactory(quiz=QuizFactory(title="Kuis Awal"), visit=visit, kind="pre")
    post = QuizSessionFactory(quiz=QuizFactory(title="Kuis Akhir"), visit=visit, kind="post")
    content = staff_client.get(reverse("visits:kit", args=[visit.pk])).content
    reader = PdfReader(io.BytesIO(content))
    pages = len(reader.pages)
    posters = {
        next(
            line for line in reader.pages[page].extract_text().split("\n") if "Kuis" in line
        ): decode_pdf_qr(content, page=page)
        for page in (pages - 2, pages - 1)
    }
    assert posters == {
        "Kuis Awal": [f"https://sekolahaman.example.id/q/{pre.code}/"],
        "Kuis Akhir": [f"https://sekolahaman.example.id/q/{post.code}/"],
    }


def test_the_kit_has_each_quiz_sessions_question_sheet(staff_client, visit):
    session = QuizSessionFactory(quiz=QuizFactory(title="Kuis Awal"), visit=visit, kind="pre")
    content = staff_client.get(reverse("visits:kit", args=[visit.pk])).content
    reader = PdfReader(io.BytesIO(content))
    text = " ".join(page.extract_text() for page in reader.pages).replace("\n", " ")
    assert "Lembar soal: Kuis Awal" in text
    assert "A Bercanda" in text and "B Menyakiti berulang" in text
    assert f"/admin/quizzes/sessions/{session.pk}/lembar/" in text.replace(" ", "")


def test_a_visit_without_quiz_sessions_has_no_poster(staff_client, visit):
    content = staff_client.get(reverse("visits:kit", args=[visit.pk])).content
    reader = PdfReader(io.BytesIO(content))
    assert decode_pdf_qr(content, page=len(reader.pages) - 1) == []


def test_a_cancelled_visit_has_no_kit(staff_client, school, campaign):
    visit = VisitFactory(school=school, campaign=campaign, status="cancelled")
    response = staff_client.get(reverse("visits:kit", args=[visit.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("visits:inspect", args=[visit.pk])


def test_the_agenda_fills_the_session_in_whole_five_minutes(school, campaign):
    visit = VisitFactory(
        school=school,
        campaign=campaign,
        starts_at=wita(2026, 5, 12, 8),
        ends_at=wita(2026, 5, 12, 10),
    )
    topics = list(Topic.objects.filter(slug__in=["perundungan", "keamanan-digital"]))
    assert [time for time, _item in agenda(visit, topics)] == [
        "08:00",
        "08:10",
        "08:50",
        "09:30",
        "09:50",
    ]

"""The printable A4 session kit."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from campaigns.kit import SECTIONS, agenda
from campaigns.models import PartnerAgency
from cms.models import Topic
from tests.campaigns.factories import UserFactory, VisitFactory, wita
from tests.cms.factories import MaterialDocumentFactory, make_material

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
    visit.partners.set(PartnerAgency.objects.filter(name__in=["Polres PPU", "Puskesmas"]))
    visit.topics.set(Topic.objects.filter(slug__in=["perundungan", "keamanan-digital"]))
    visit.materials.set([material])
    visit.document = document
    return visit


def pdf_text(content: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(content))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def test_the_kit_is_an_a4_pdf_with_everything_for_the_session(staff_client, visit):
    response = staff_client.get(reverse("visits:kit", args=[visit.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "kit-2026-05-12-sd-negeri-001-penajam-30401950.pdf" in response["Content-Disposition"]
    reader, text = pdf_text(response.content)
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
        "Polres PPU, Puskesmas",
        "Stop Perundungan",
        "Daftar hadir",
        "Tanda tangan",
    ):
        assert expected in flat, expected
    link = f"https://sekolahaman.example.id/unduh/{visit.document.id}/"
    assert link in flat.replace(" ", "") or link in text.replace("\n", "")
    # Numbered empty rows for the expected participants.
    assert " 35 " in flat and " 36 " not in flat


def test_sections_are_a_list_that_can_grow():
    assert SECTIONS[-1] == "campaigns/pdf/kit_attendance.html"
    assert "campaigns/pdf/kit_materials.html" in SECTIONS


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

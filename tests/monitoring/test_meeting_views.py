"""The meeting screens at work: staff record a meeting, its minutes and decisions and
its actions; partners move their actions on; bad input is told plainly and loses
nothing typed."""

import datetime as dt
import io
import zipfile

import openpyxl
import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from campaigns.models import PartnerMember
from cms.roles import PARTNER
from monitoring.meeting_forms import ATTACHMENT_MAX_BYTES
from monitoring.models import ActionStatus, FollowUpAction, Meeting
from tests.campaigns.factories import wita
from tests.indonesian import indonesian
from tests.monitoring.meeting_data import (
    action,
    agency,
    logged_in,
    meeting,
    partner,
    staff,
    user_with,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_october_2026():
    with time_machine.travel(wita(2026, 10, 1, 8), tick=False):
        yield


def test_staff_record_a_meeting_then_its_decisions_and_an_action():
    by = staff()
    client = logged_in(by)
    meeting(by, held_at=wita(2026, 6, 30, 9))
    polres = agency("Polres")
    response = client.post(
        "/admin/rapat/baru/",
        {"date": "2026-09-30", "time": "09:00", "place": "Aula Bupati",
         f"people_{polres.pk}": "3"},
    )  # fmt: skip
    held = Meeting.objects.get(place="Aula Bupati")
    assert response["Location"] == f"/admin/rapat/{held.pk}/"
    assert held.held_at == wita(2026, 9, 30, 9)
    assert (held.reviews_from, held.reviews_to) == (dt.date(2026, 7, 1), dt.date(2026, 9, 30))
    assert [(row.agency, row.people) for row in held.attendance.all()] == [(polres, 3)]

    client.post(
        f"/admin/rapat/{held.pk}/ubah/",
        {"date": "2026-09-30", "time": "09:00", "place": "Aula Bupati",
         f"people_{polres.pk}": "3", "minutes": "Dibahas kendala.",
         "decisions": "Patroli tiap bulan."},
    )  # fmt: skip
    held.refresh_from_db()
    assert held.decisions == "Patroli tiap bulan."
    assert held.reviews_from == dt.date(2026, 7, 1)  # an emptied period keeps its own

    client.post(
        f"/admin/rapat/{held.pk}/tindak-lanjut/",
        {"what": "Patroli sekolah", "agency": polres.pk, "due_on": "2026-10-31"},
    )
    assert FollowUpAction.objects.get(meeting=held).what == "Patroli sekolah"
    page = client.get(f"/admin/rapat/{held.pk}/").content.decode()
    assert "Patroli sekolah" in page and "Patroli tiap bulan." in page
    assert page.count("Staf-Rapat") >= 2  # the history: created and edited, by whom


def test_a_meeting_form_with_mistakes_keeps_what_was_typed():
    client = logged_in(staff())
    response = client.post(
        "/admin/rapat/baru/",
        {"date": "kemarin", "time": "09:00", "place": "Aula Bupati",
         "minutes": "Catatan panjang", "reviews_from": "2026-09-01", "reviews_to": "2026-08-01"},
    )  # fmt: skip
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"date", "reviews_to"}
    html = response.content.decode()
    assert "Catatan panjang" in html and "Aula Bupati" in html
    assert not Meeting.objects.exists()


@pytest.mark.parametrize(
    "dates",
    [
        {"date": "0001-01-01"},
        {"date": "9999-12-31"},
        {"date": "2026-09-30", "reviews_to": "9999-12-31"},
        {"date": "2026-09-30", "reviews_from": "1999-12-31"},
    ],
)
def test_a_meeting_dated_beyond_reason_is_refused_not_an_error(dates):
    """0001-01-01 had no day before it for the period reviewed (an HTTP 500), 9999-12-31
    no month after it for the pack, which then failed every time."""
    client = logged_in(staff())
    response = client.post(
        "/admin/rapat/baru/",
        {"time": "09:00", "place": "Aula Bupati", "minutes": "Catatan panjang", **dates},
    )
    assert response.status_code == 200
    [field] = response.context["form"].errors
    assert response.context["form"].errors[field] == ["Pilih tanggal antara 2000 dan 2100."]
    assert "Catatan panjang" in response.content.decode()
    assert not Meeting.objects.exists()


def test_an_action_due_beyond_reason_is_refused():
    by = staff()
    held = meeting(by)
    response = logged_in(by).post(
        f"/admin/rapat/{held.pk}/tindak-lanjut/",
        {"what": "Patroli sekolah", "agency": agency("Polres").pk, "due_on": "9999-12-31"},
    )
    assert response.status_code == 200
    assert "Pilih tanggal antara 2000 dan 2100." in response.content.decode()
    assert not FollowUpAction.objects.filter(meeting=held).exists()


def test_a_partner_marks_their_action_done_with_a_note_and_an_attachment():
    by = staff()
    polres_action = action(meeting(by), by)
    mitra = logged_in(partner())
    response = mitra.post(
        f"/admin/tindak-lanjut/{polres_action.pk}/",
        {"status": "done", "note": "Selesai.",
         "attachment": SimpleUploadedFile("Laporan Patroli.PDF", b"%PDF-1.4 x")},
    )  # fmt: skip
    assert response["Location"] == f"/admin/tindak-lanjut/{polres_action.pk}/"
    polres_action.refresh_from_db()
    assert polres_action.status == ActionStatus.DONE
    update = polres_action.updates.last()
    assert (update.note, update.attachment_name) == ("Selesai.", "laporan-patroli.pdf")


@pytest.mark.parametrize(
    ("name", "size", "message"),
    [
        ("skrip.exe", 10, "bukan PDF"),
        ("besar.pdf", ATTACHMENT_MAX_BYTES + 1, "10,0"),
    ],
)
def test_a_wrong_or_too_big_attachment_is_refused_and_the_note_kept(name, size, message):
    by = staff()
    polres_action = action(meeting(by), by)
    response = logged_in(partner()).post(
        f"/admin/tindak-lanjut/{polres_action.pk}/",
        {"status": "done", "note": "Catatan saya",
         "attachment": SimpleUploadedFile(name, b"x" * size)},
    )  # fmt: skip
    assert response.status_code == 200
    assert "attachment" in response.context["form"].errors
    assert "Catatan saya" in response.content.decode()
    assert polres_action.updates.count() == 1
    polres_action.refresh_from_db()
    assert polres_action.status == ActionStatus.NOT_STARTED


def zipped(parts: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for name, text in parts.items():
            package.writestr(name, text)
    return buffer.getvalue()


def image(format: str, size=(4, 3)) -> bytes:
    buffer = io.BytesIO()
    Image.new("1" if format == "PNG" else "RGB", size).save(buffer, format)
    return buffer.getvalue()


def ooxml(main: str, content_type: str) -> bytes:
    types = f'<Types><Override PartName="/{main}" ContentType="{content_type}"/></Types>'
    return zipped({"[Content_Types].xml": types, main: "<x/>"})


def spreadsheet() -> bytes:
    buffer = io.BytesIO()
    openpyxl.Workbook().save(buffer)
    return buffer.getvalue()


MAIN = "application/vnd.openxmlformats-officedocument.{}.main+xml"
DOCX = ooxml("word/document.xml", MAIN.format("wordprocessingml.document"))
PPTX = ooxml("ppt/presentation.xml", MAIN.format("presentationml.presentation"))
OLE = bytes.fromhex("D0CF11E0A1B11AE1") + bytes(504)
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + bytes(56)
ODT = zipped({"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<x/>"})
ODS = zipped({"mimetype": "application/vnd.oasis.opendocument.spreadsheet"})


def update_with(name: str, content: bytes):
    by = staff()
    polres_action = action(meeting(by), by)
    response = logged_in(partner()).post(
        f"/admin/tindak-lanjut/{polres_action.pk}/",
        {"status": "done", "note": "Catatan saya",
         "attachment": SimpleUploadedFile(name, content)},
    )  # fmt: skip
    return polres_action, response


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("surat.pdf", b"%PDF-1.7\n1 0 obj"),
        ("foto.jpg", image("JPEG")),
        ("foto.JPEG", image("JPEG")),
        ("daftar.png", image("PNG")),
        ("daftar.webp", image("WEBP")),
        ("laporan.docx", DOCX),
        ("rekap.xlsx", spreadsheet()),
        ("paparan.pptx", PPTX),
        ("lama.doc", OLE),
        ("lama.xls", OLE),
        ("lama.ppt", OLE),
        ("laporan.odt", ODT),
        ("rekap.ods", ODS),
    ],
)
def test_an_attachment_holding_what_its_name_says_is_kept(name, content):
    polres_action, response = update_with(name, content)
    assert response.status_code == 302
    assert polres_action.updates.last().attachment.read() == content


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("evil.pdf", EXE),
        ("notes.pdf", b"Catatan rapat, bukan PDF."),
        ("foto.jpg", image("PNG")),
        ("foto.jpeg", b"\xff\xd8\xff but no image after"),
        ("daftar.png", EXE),
        ("daftar.webp", image("JPEG")),
        ("laporan.docx", spreadsheet()),
        ("laporan.docx", zipped({"word/document.xml": "<x/>"})),  # no [Content_Types].xml
        ("rekap.xlsx", DOCX),
        ("rekap.xlsx", b"PK\x03\x04 broken zip"),
        ("paparan.pptx", EXE),
        ("lama.doc", EXE),
        ("lama.xls", b"nama,kelas\n"),
        ("lama.ppt", DOCX),
        ("laporan.odt", ODS),
        ("rekap.ods", zipped({"content.xml": "<x/>"})),
    ],
)
def test_an_attachment_not_holding_what_its_name_says_is_refused_and_the_note_kept(name, content):
    polres_action, response = update_with(name, content)
    assert response.status_code == 200
    kind = name.rsplit(".", 1)[1].upper()
    assert response.context["form"].errors["attachment"] == [
        indonesian(
            "%(name)s does not hold what its name says (a %(type)s file). Choose the right "
            "file again: files are not kept after an error.",
            name=name,
            type=kind,
        )
    ]
    assert "Catatan saya" in response.content.decode()
    assert polres_action.updates.count() == 1


def test_a_photo_of_too_many_pixels_is_refused():
    polres_action, response = update_with("daftar.png", image("PNG", size=(5000, 4000)))
    assert response.status_code == 200
    assert response.context["form"].errors["attachment"] == [
        indonesian(
            "%(name)s has more than %(max)d megapixels: send a smaller photo.",
            name="daftar.png",
            max=16,
        )
    ]
    assert polres_action.updates.count() == 1


def test_an_update_that_changes_nothing_says_so():
    by = staff()
    polres_action = action(meeting(by), by)
    response = logged_in(by).post(
        f"/admin/tindak-lanjut/{polres_action.pk}/", {"status": "not_started"}
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()


def test_staff_say_which_agency_each_partner_user_belongs_to():
    loose = user_with(PARTNER, "mitra-baru")
    polres_partner = partner()
    pa = agency("Pengadilan Agama")
    client = logged_in(staff())
    page = client.get("/admin/rapat/mitra/").content.decode()
    assert "Mitra-Baru" in page and "Mitra-Polres" in page
    client.post(
        "/admin/rapat/mitra/",
        {f"agency_{loose.pk}": str(pa.pk), f"agency_{polres_partner.pk}": ""},
    )
    assert PartnerMember.objects.get(user=loose).agency == pa
    assert not PartnerMember.objects.filter(user=polres_partner).exists()


def test_staff_give_an_agency_its_contact_email_in_the_partner_agency_form():
    polres = agency("Polres")
    client = logged_in(staff())
    url = f"/admin/snippets/campaigns/partneragency/edit/{polres.pk}/"
    assert 'name="contact_email"' in client.get(url).content.decode()
    client.post(
        url, {"name": "Polres", "sort_order": "0", "contact_email": "humas@polres.example.id"}
    )
    polres.refresh_from_db()
    assert polres.contact_email == "humas@polres.example.id"

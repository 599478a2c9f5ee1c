"""A second district, set up as its IT officer would (setup_district with its public
files), next to PPU's demo registry: Kota Sabang (Aceh), in WIB where PPU is WITA.
Its times carry its zone's label, and no page, PDF or email of it names PPU."""

import datetime as dt
import io
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse
from icalendar import Calendar

from campaigns import emails, services
from cms.district import DistrictProfile, profile
from cms.roles import STAFF
from quizzes.models import Attempt
from schools import demo
from schools.models import Boundary, RegencyMember, School
from tests.campaigns.factories import CampaignFactory, UserFactory, VisitFactory
from tests.downloads import pdf_text
from tests.quizzes.factories import QuizFactory, QuizSessionFactory, answers_for

pytestmark = pytest.mark.django_db

SABANG = Path(__file__).parent / "data" / "sabang"
WIB = ZoneInfo("Asia/Jakarta")
# What must not show for Sabang: PPU's names and its zone. (PPU's kecamatan Penajam is
# in this registry too, and lists of every place, like the request form's, show it.)
PPU = re.compile(r"Penajam Paser Utara|PPU|WITA", re.IGNORECASE)
User = get_user_model()


def setup_sabang(stdout=None):
    call_command(
        "setup_district",
        "11.72",
        "--regions", str(SABANG / "regions.csv"),
        "--schools", str(SABANG / "schools.csv"),
        "--kecamatan-boundaries", str(SABANG / "kecamatan.geojson"),
        "--office", "DP3A Kota Sabang",
        "--office-short", "DP3A",
        stdout=stdout or io.StringIO(),
    )  # fmt: skip


@pytest.fixture
def sabang(db):
    demo.seed()  # PPU's regions, schools and boundaries, as seed_demo loads them
    setup_sabang()
    return School.objects.filter(district__regency__code="11.72").order_by("npsn").first()


def test_setup_district_takes_a_district_from_its_files_to_its_profile(db):
    out = io.StringIO()
    setup_sabang(out)
    assert School.objects.filter(district__regency__code="11.72").count() == 40
    assert Boundary.objects.filter(district__regency__code="11.72").count() == 3
    saved = DistrictProfile.objects.get()
    assert (saved.office_name, saved.region_name, saved.region_code, saved.time_zone) == (
        "DP3A Kota Sabang", "Kota Sabang", "11.72", "Asia/Jakarta"
    )  # fmt: skip
    assert profile().zone_label == "WIB"
    assert "DP3A Kota Sabang, Kota Sabang (11.72), waktu dalam WIB." in out.getvalue()
    assert "TIME_ZONE=Asia/Jakarta" in out.getvalue()  # the server's is WITA here
    setup_sabang()  # again: nothing doubles
    assert School.objects.filter(district__regency__code="11.72").count() == 40


def test_setup_district_refuses_a_code_without_a_name_and_a_bad_file(db, tmp_path):
    with pytest.raises(CommandError, match="bukan kabupaten/kota di registri"):
        call_command("setup_district", "11.72", stdout=io.StringIO())
    bad = tmp_path / "regions.csv"
    bad.write_text("code,name\n11.7x,Kota Sabang\n")  # not a Kemendagri code
    with pytest.raises(CommandError):
        call_command("setup_district", "11.72", "--regions", str(bad), stdout=io.StringIO())
    for code in ("64.09.1", "", "6409"):
        with pytest.raises(CommandError, match="^Tulis kode Kemendagri"):
            call_command("setup_district", code, "--name", "X", stdout=io.StringIO())
    assert not DistrictProfile.objects.exists()


def test_a_provincial_office_names_its_province(db):
    call_command(
        "setup_district", "11", "--name", "Provinsi Aceh", "--office", "DP3A Aceh",
        stdout=io.StringIO(),
    )  # fmt: skip
    assert (profile().region_name, profile().zone_label) == ("Provinsi Aceh", "WIB")


def test_the_districts_times_are_entered_and_shown_in_its_zone(sabang, client, time_machine):
    time_machine.move_to(dt.datetime(2026, 6, 1, 9, tzinfo=WIB), tick=False)
    staff = UserFactory(username="staf-sabang", role=STAFF)
    client.force_login(staff)
    form = client.get(reverse("visits:add")).content.decode()
    assert "Mulai (WIB)" in form and "WITA" not in form
    response = client.post(
        reverse("visits:add"),
        {"campaign": CampaignFactory().pk, "school": sabang.pk, "date": "10-06-2026",
         "start_time": "09.00", "end_time": "11.00", "facilitators": [staff.pk]},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    visit = sabang.visits.get()
    assert visit.starts_at == dt.datetime(2026, 6, 10, 2, tzinfo=dt.UTC)  # 09.00 WIB

    page = client.get(reverse("visits:inspect", args=[visit.pk])).content.decode()
    assert "09:00–11:00 WIB" in page and not PPU.search(page)
    kit = pdf_text(client.get(reverse("visits:kit", args=[visit.pk])).content)
    assert "09:00–11:00 WIB" in kit and "DP3A KOTA SABANG" in kit  # the brand line is capitals
    assert not PPU.search(kit), PPU.search(kit)

    feed = client.get(
        reverse("calendar_feed", args=[services.calendar_feed_create(by=staff, user=staff)])
    )
    body = feed.content.decode()
    assert "DTSTART;TZID=Asia/Jakarta:20260610T090000" in body
    assert "BEGIN:VTIMEZONE\r\nTZID:Asia/Jakarta" in body and "TZOFFSETTO:+0700" in body
    event = next(iter(Calendar.from_ical(feed.content).walk("VEVENT")))
    assert event.decoded("DTSTART") == dt.datetime(2026, 6, 10, 9, tzinfo=WIB)


def test_no_page_pdf_or_email_of_the_district_names_ppu(
    sabang, client, public_site, role_clients, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to(dt.datetime(2026, 6, 9, 8, tzinfo=WIB), tick=False)
    pages = {"/": 200, "/materi/": 200, "/bantuan/": 200, "/sosialisasi/ajukan/": 200,
             "/v/ABCD-EFGH-JKLM/": 404}  # fmt: skip
    for url, status in pages.items():
        page = client.get(url)
        assert page.status_code == status, url
        html = page.content.decode()
        assert not PPU.search(html), (url, PPU.search(html))
        assert "DP3A Kota Sabang" in html, url
    request_form = client.get("/sosialisasi/ajukan/").content.decode()
    assert "Pagi (08.00–10.00 WIB)" in request_form

    # A session that opens later says when, in WIB; one open takes an answer and
    # gives a certificate that names the district's office.
    later = QuizSessionFactory(school=sabang, opens_at=dt.datetime(2026, 6, 10, 9, tzinfo=WIB))
    page = client.get(f"/q/{later.code}/").content.decode()
    assert "10 Juni 2026, 09.00 WIB" in page and not PPU.search(page)
    session = QuizSessionFactory(quiz=QuizFactory(), school=sabang)
    form = client.get(f"/q/{session.code}/").content.decode()
    token = re.search(r'name="token" value="([^"]+)"', form).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/q/{session.code}/",
            {"token": token, "kelas": "VIII", "nama": "Cut Nyak", **answers_for(session.quiz)},
        )
    certificate = pdf_text(Attempt.objects.get().certificate.file.read())
    assert "DP3A Kota Sabang" in certificate and not PPU.search(certificate)

    # Tomorrow's visit: the facilitator's reminder and the school's confirmation.
    staff = UserFactory(username="staf-sabang", role=STAFF)
    VisitFactory(
        school=sabang, facilitators=[staff], contact_email="kepsek@sekolah.example.id",
        starts_at=dt.datetime(2026, 6, 10, 9, tzinfo=WIB),
        ends_at=dt.datetime(2026, 6, 10, 11, tzinfo=WIB),
    )  # fmt: skip
    emails.reminders_send(today=dt.date(2026, 6, 9))
    assert len(mail.outbox) == 2
    for email in mail.outbox:
        text = email.subject + email.body
        assert "09:00–11:00 WIB" in text and "DP3A Kota Sabang" in text
        assert not PPU.search(text), PPU.search(text)

    # The dashboard and report of the district's staff (limited to it): nothing of PPU,
    # not even its kecamatan, and the map is Sabang's.
    staff_client = role_clients(STAFF)
    regency = sabang.district.regency
    RegencyMember.objects.create(
        user=User.objects.get(username="staf-sosialisasi"), regency=regency
    )
    dashboard = staff_client.get(f"/admin/jangkauan/?kabupaten={regency.pk}")
    html = dashboard.content.decode()
    assert "(WIB)" in html and "Sukajaya" in html
    assert not re.search(r"Penajam|PPU|WITA|Sepaku", html), re.search(r"Penajam|PPU|WITA", html)
    with django_capture_on_commit_callbacks(execute=True):
        asked = staff_client.post("/admin/jangkauan/laporan/", {"kabupaten": regency.pk})
    pdf = staff_client.get(asked["Location"].rstrip("/") + ".pdf")
    text = pdf_text(b"".join(pdf.streaming_content))
    assert "DP3A Kota Sabang" in text and "(WIB)" in text
    assert not PPU.search(text), PPU.search(text)

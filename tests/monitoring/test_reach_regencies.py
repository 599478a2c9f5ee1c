"""A provincial instance: two regencies (tests/monitoring/regency_data.py). The dashboard,
its exports, the report and the meeting pack filter by kabupaten/kota; a user limited to
one regency gets its figures only, whatever the address asks."""

import datetime as dt
import re

import pytest
import time_machine
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cms.roles import PARTNER, STAFF
from monitoring import services
from monitoring.pack import pack_context, pack_html
from quizzes.tallies import quiz_tallies_refresh
from schools.models import RegencyMember
from tests.campaigns.factories import wita
from tests.downloads import csv_rows, pdf_text
from tests.indonesian import indonesian
from tests.monitoring.meeting_data import action, logged_in, partner, staff
from tests.monitoring.regency_data import limited_client, make_paser

pytestmark = pytest.mark.django_db
YEAR = "?dari=2026-01-01&sampai=2026-12-31"
DASHBOARD = "/admin/jangkauan/"
XLSX, CSV = "/admin/jangkauan/jangkauan.xlsx", "/admin/jangkauan/jangkauan.csv"
PPU_NAMES = ["SD NEGERI 001 PENAJAM", "SMP SWASTA BUDI", "Penajam", "Waru"]
PASER_NAMES = ["SD PASER 1", "SD PASER 2", "Tanah Grogot", "Desa Lima"]


@pytest.fixture(autouse=True)
def in_2026():
    with time_machine.travel(wita(2026, 11, 20, 10), tick=False):
        yield


@pytest.fixture
def province(world):
    """The world (Kabupaten Penajam Paser Utara) and Kabupaten Paser, tallies refreshed."""
    paser = make_paser(world)
    quiz_tallies_refresh()
    return paser


def messages_of(response) -> list[str]:
    return [str(message).strip() for message in response.context["messages"]]


def figures(reach) -> tuple:
    return (
        reach.schools.reached, reach.schools.total, reach.villages.reached, reach.villages.total,
        reach.sessions, reach.participants.students, reach.quiz.attempts,
    )  # fmt: skip


def csv_text(client, query: str) -> str:
    response = client.get(f"{CSV}{query}")
    assert response.status_code == 200
    return "\n".join(",".join(row) for row in csv_rows(response))


# Unlimited staff (a provincial DP3A): every regency, or one


def test_unlimited_staff_see_both_regencies_and_the_totals_add_up(staff_client, world, province):
    every = staff_client.get(f"{DASHBOARD}{YEAR}").context["reach"]
    ppu = staff_client.get(f"{DASHBOARD}{YEAR}&kabupaten={province.ppu.pk}").context["reach"]
    paser = staff_client.get(f"{DASHBOARD}{YEAR}&kabupaten={province.regency.pk}").context["reach"]
    assert figures(ppu) == (2, 4, 1, 3, 4, 72, 7)  # the world alone, as before
    assert figures(paser) == (1, 2, 1, 1, 2, 15, 2)
    assert figures(every) == (3, 6, 2, 4, 6, 87, 9)
    assert every.participants.total == ppu.participants.total + paser.participants.total
    assert every.tppk_formed == ppu.tppk_formed + paser.tppk_formed
    assert [row.district.name for row in paser.districts] == ["Tanah Grogot"]
    assert [row.district.name for row in ppu.districts] == ["Penajam", "Waru"]
    assert {row.district.name for row in every.districts} == {"Penajam", "Waru", "Tanah Grogot"}
    # The regency's own trend, per kecamatan and unreached lists
    assert sum(row.sessions for row in paser.months) == 2
    assert [group.district.name for group in paser.unreached] == ["Tanah Grogot"]
    assert all(group.district.regency_id == province.ppu.pk for group in ppu.unreached)


def test_the_regency_choice_is_offered_with_two_regencies_and_carried_to_the_exports(
    staff_client, world, province
):
    response = staff_client.get(f"{DASHBOARD}{YEAR}&kabupaten={province.regency.pk}")
    html = response.content.decode()
    assert 'name="kabupaten"' in html
    assert re.search(rf'<option value="{province.regency.pk}" selected>Kabupaten Paser', html)
    # The kecamatan offered are the chosen regency's.
    kecamatan = re.search(r'<select name="kecamatan".*?</select>', html, re.S).group(0)
    assert "Tanah Grogot" in kecamatan and "Waru" not in kecamatan
    assert f"kabupaten={province.regency.pk}" in response.context["xlsx_url"]
    assert response.context["report_filters"]["kabupaten"] == str(province.regency.pk)
    assert "Kabupaten Paser" in html.split('class="reach-period"')[1].split("</p>")[0]


def test_one_regency_offers_no_choice(staff_client, world):
    response = staff_client.get(f"{DASHBOARD}{YEAR}&kabupaten={world.penajam.regency_id}")
    assert 'name="kabupaten"' not in response.content.decode()
    assert messages_of(response) == []
    assert figures(response.context["reach"]) == (2, 4, 1, 3, 4, 72, 7)


def test_the_csv_of_one_regency_has_none_of_the_others_rows(staff_client, world, province):
    ppu = csv_text(staff_client, f"{YEAR}&kabupaten={province.ppu.pk}")
    paser = csv_text(staff_client, f"{YEAR}&kabupaten={province.regency.pk}")
    every = csv_text(staff_client, YEAR)
    for name in PASER_NAMES:
        assert name not in ppu and name in every
        assert name in paser
    for name in PPU_NAMES:
        assert name in ppu and name in every
        assert name not in paser
    assert f"{indonesian('Kabupaten/kota')},Kabupaten Paser" in paser


def test_the_xlsx_file_is_named_after_the_regency(staff_client, world, province):
    response = staff_client.get(f"{XLSX}{YEAR}&kabupaten={province.regency.pk}")
    assert (
        "jangkauan-2026-01-01-2026-12-31-kabupaten-paser.xlsx" in (response["Content-Disposition"])
    )


def test_the_report_of_one_regency_is_its_figures_only(staff_client, world, province, report_pdf):
    pdf = report_pdf(staff_client, f"{YEAR}&kabupaten={province.regency.pk}")
    text = " ".join(pdf_text(b"".join(pdf.streaming_content)).split())
    assert "SD PASER 1" in text and "Kabupaten Paser" in text  # a session, and the scope
    for name in ("SD NEGERI 001 PENAJAM", "SD NEGERI 001 WARU", "Desa Satu"):
        assert name not in text


def test_a_kecamatan_of_another_regency_is_dropped_with_a_notice(staff_client, world, province):
    response = staff_client.get(
        f"{DASHBOARD}{YEAR}&kabupaten={province.regency.pk}&kecamatan={world.waru.pk}"
    )
    assert response.status_code == 200
    reach = response.context["reach"]
    assert reach.district is None and reach.regency == province.regency
    assert figures(reach) == (1, 2, 1, 1, 2, 15, 2)
    assert messages_of(response) == [
        indonesian(
            "Kecamatan %(district)s is not in %(regency)s: it is ignored.",
            district="Waru",
            regency="Kabupaten Paser",
        )
    ]
    # Of the same regency, it applies.
    same = staff_client.get(
        f"{DASHBOARD}{YEAR}&kabupaten={province.ppu.pk}&kecamatan={world.waru.pk}"
    ).context["reach"]
    assert same.district == world.waru and same.schools.total == 1


BAD = ["abc", "%C2%B2", "9" * 30, "-1", "1.5", "%00", "99999"]


@pytest.mark.parametrize("value", BAD)
def test_a_bad_regency_is_ignored_with_a_notice_never_an_error(
    staff_client, world, province, value
):
    for url in (DASHBOARD, XLSX, CSV):
        assert staff_client.get(f"{url}{YEAR}&kabupaten={value}").status_code == 200, url
    response = staff_client.get(f"{DASHBOARD}{YEAR}&kabupaten={value}")
    assert len(messages_of(response)) == 1
    assert figures(response.context["reach"]) == (3, 6, 2, 4, 6, 87, 9)


def test_choosing_a_regency_costs_the_dashboard_no_query(staff_client, world, province):
    def count(query: str) -> int:
        staff_client.get(f"{DASHBOARD}{query}")  # what the process caches is read
        cache.clear()  # the figures are counted again
        with CaptureQueriesContext(connection) as captured:
            assert staff_client.get(f"{DASHBOARD}{query}").status_code == 200
        return len(captured)

    assert count(YEAR) == count(f"{YEAR}&kabupaten={province.regency.pk}")


# A user limited to one regency


def test_a_limited_user_gets_their_regencys_figures_whatever_the_address_asks(world, province):
    client = limited_client(STAFF, province.ppu)
    plain = client.get(f"{DASHBOARD}{YEAR}")
    assert figures(plain.context["reach"]) == (2, 4, 1, 3, 4, 72, 7)
    assert '<select name="kabupaten"' not in plain.content.decode()
    assert "Tanah Grogot" not in plain.content.decode()
    assert messages_of(plain) == []
    asking = client.get(f"{DASHBOARD}{YEAR}&kabupaten={province.regency.pk}")
    assert figures(asking.context["reach"]) == (2, 4, 1, 3, 4, 72, 7)
    assert messages_of(asking) == [
        indonesian(
            "You see the figures of %(regency)s only.", regency="Kabupaten Penajam Paser Utara"
        )
    ]
    # Another regency's kecamatan is not one they can choose.
    by_kecamatan = client.get(f"{DASHBOARD}{YEAR}&kecamatan={province.grogot.pk}")
    assert by_kecamatan.context["reach"].district is None
    assert figures(by_kecamatan.context["reach"]) == (2, 4, 1, 3, 4, 72, 7)
    assert len(messages_of(by_kecamatan)) == 1
    for value in BAD:
        response = client.get(f"{DASHBOARD}{YEAR}&kabupaten={value}")
        assert response.status_code == 200
        assert figures(response.context["reach"]) == (2, 4, 1, 3, 4, 72, 7)


@pytest.mark.parametrize("role", [STAFF, PARTNER])
def test_a_limited_user_gets_no_other_regencys_rows_in_the_exports_or_report(
    world, province, role, report_pdf
):
    client = limited_client(role, province.ppu)
    for query in (
        YEAR,
        f"{YEAR}&kabupaten={province.regency.pk}",
        f"{YEAR}&kecamatan={province.grogot.pk}",
        f"{YEAR}&kabupaten={province.regency.pk}&kecamatan={province.grogot.pk}",
    ):
        text = csv_text(client, query)
        assert "SD NEGERI 001 PENAJAM" in text
        assert not any(name in text for name in PASER_NAMES), query
        xlsx = client.get(f"{XLSX}{query}")
        assert xlsx.status_code == 200 and b"Kabupaten Paser" not in xlsx.content
    pdf = report_pdf(client, f"{YEAR}&kabupaten={province.regency.pk}")
    text = " ".join(pdf_text(b"".join(pdf.streaming_content)).split())
    assert "SD NEGERI 001 PENAJAM" in text
    assert not any(name in text for name in PASER_NAMES)


def test_the_first_screen_shows_a_limited_user_their_regencys_year(world, province):
    html = limited_client(STAFF, province.regency).get("/admin/").content.decode()
    line = re.search(r'id="reach-summary-section".*?</p>', html, re.S).group(0)
    line = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", line))
    assert "Kabupaten Paser" in line
    # 1 of its 2 schools, 1 of 1 village, its 15 students in 2 sessions.
    assert re.findall(r"\d+", line) == ["2026", "1", "2", "1", "1", "15", "2"]


# Coordination meetings about one regency


@pytest.fixture
def meetings(province):
    by = staff()
    paser = services.meeting_create(
        by=by, held_at=wita(2026, 11, 20, 9), place="Aula Paser", regency=province.regency,
        reviews_from=wita(2026, 1, 1).date(), reviews_to=wita(2026, 12, 31).date(),
    )  # fmt: skip
    ppu = services.meeting_create(
        by=by, held_at=wita(2026, 11, 19, 9), place="Aula PPU", regency=province.ppu,
        reviews_from=wita(2026, 1, 1).date(), reviews_to=wita(2026, 12, 31).date(),
    )  # fmt: skip
    every = services.meeting_create(
        by=by, held_at=wita(2026, 11, 18, 9), place="Aula Provinsi",
        reviews_from=wita(2026, 1, 1).date(), reviews_to=wita(2026, 12, 31).date(),
    )  # fmt: skip
    return paser, ppu, every


def test_a_regency_meetings_pack_has_the_dashboards_figures_for_that_regency(
    staff_client, world, province, meetings
):
    paser, ppu, every = meetings
    for meeting, query in (
        (paser, f"&kabupaten={province.regency.pk}"),
        (ppu, f"&kabupaten={province.ppu.pk}"),
        (every, ""),
    ):
        dashboard = staff_client.get(f"{DASHBOARD}{YEAR}{query}").context["reach"]
        assert pack_context(meeting)["reach"] == dashboard, meeting.place
    html = pack_html(paser)
    assert "Kabupaten Paser" in html and "SD PASER 2" in html
    assert "SMP SWASTA BUDI" not in html and "Desa Dua" not in html


def test_a_regency_meeting_follows_on_from_that_regencys_previous_meeting(province, meetings):
    paser, _ppu, _every = meetings
    # The province-wide and PPU meetings of the days before are not Paser's.
    assert pack_context(paser)["previous"] is None
    later = services.meeting_create(
        by=staff("staf-2"), held_at=wita(2026, 12, 20, 9), place="Aula", regency=province.regency
    )
    assert pack_context(later)["previous"] == paser
    assert later.reviews_from == wita(2026, 11, 21).date()


def test_staff_choose_the_meetings_regency_in_its_form(staff_client, province):
    form = staff_client.get("/admin/rapat/baru/").content.decode()
    assert 'name="kabupaten"' in form and "Kabupaten Paser" in form
    response = staff_client.post(
        "/admin/rapat/baru/",
        {"date": "2026-11-25", "time": "09:00", "place": "Aula", "kabupaten": province.regency.pk},
    )
    assert response.status_code == 302
    assert pack_context_regency(response) == province.regency
    bad = staff_client.post(
        "/admin/rapat/baru/",
        {"date": "2026-11-25", "time": "09:00", "place": "Aula", "kabupaten": "abc"},
    )
    assert bad.status_code == 200 and bad.context["form"].errors["kabupaten"]


def pack_context_regency(response):
    from monitoring.models import Meeting

    pk = int(re.search(r"/admin/rapat/(\d+)/", response["Location"]).group(1))
    return Meeting.objects.get(pk=pk).regency


def test_a_limited_user_sees_their_regencys_meetings_and_those_about_none(
    world, province, meetings
):
    paser, ppu, every = meetings
    client = limited_client(STAFF, province.ppu)
    listing = client.get("/admin/rapat/").content.decode()
    assert "Aula PPU" in listing and "Aula Provinsi" in listing
    assert "Aula Paser" not in listing
    for meeting in (ppu, every):
        for url in (
            f"/admin/rapat/{meeting.pk}/",
            f"/admin/rapat/{meeting.pk}/ubah/",
            f"/admin/rapat/{meeting.pk}/tindak-lanjut/",
        ):
            assert client.get(url).status_code == 200, url
    assert client.get(f"/admin/rapat/{ppu.pk}/paket/").status_code == 200
    for url in (
        f"/admin/rapat/{paser.pk}/",
        f"/admin/rapat/{paser.pk}/ubah/",
        f"/admin/rapat/{paser.pk}/paket/",
        f"/admin/rapat/{paser.pk}/paket.pdf",
        f"/admin/rapat/{paser.pk}/tindak-lanjut/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/admin/rapat/{paser.pk}/paket/").status_code == 404
    # The province-wide meeting's pack has every regency's figures: not theirs to see.
    assert (
        f"/admin/rapat/{every.pk}/paket/"
        not in client.get(f"/admin/rapat/{every.pk}/").content.decode()
    )
    for url in (f"/admin/rapat/{every.pk}/paket/", f"/admin/rapat/{every.pk}/paket.pdf"):
        assert client.get(url).status_code == 403, url
    assert client.post(f"/admin/rapat/{every.pk}/paket/").status_code == 403
    # Editing the province-wide meeting leaves it about every regency.
    edited = client.post(
        f"/admin/rapat/{every.pk}/ubah/",
        {"date": "2026-11-18", "time": "09:00", "place": "Aula Provinsi Baru"},
    )
    assert edited.status_code == 302
    every.refresh_from_db()
    assert every.place == "Aula Provinsi Baru" and every.regency is None
    # Their new meetings are about their regency, with no choice offered.
    form = client.get("/admin/rapat/baru/").content.decode()
    assert 'name="kabupaten"' not in form
    response = client.post(
        "/admin/rapat/baru/",
        {"date": "2026-11-25", "time": "09:00", "place": "Aula", "kabupaten": province.regency.pk},
    )
    assert pack_context_regency(response) == province.ppu


@pytest.mark.parametrize("role", [STAFF, PARTNER])
def test_a_limited_users_follow_up_actions_are_those_of_the_meetings_they_see(
    world, province, meetings, role
):
    paser, ppu, every = meetings
    by = staff("staf-provinsi")
    overdue = dt.date(2026, 11, 1)
    seen = [
        action(ppu, by, what="Patroli di PPU", due_on=overdue),
        action(every, by, what="Patroli se-provinsi", due_on=overdue),
    ]
    hidden = action(paser, by, what="Patroli di Paser", due_on=overdue)
    with_file = services.action_update(
        action=hidden, by=by, status="in_progress",
        attachment=SimpleUploadedFile("surat.pdf", b"%PDF-1.4 surat"),
    )  # fmt: skip
    if role == PARTNER:  # a partner of the agency the actions are for (Polres)
        user = partner()
        RegencyMember.objects.create(user=user, regency=province.ppu)
        client = logged_in(user)
    else:
        client = limited_client(STAFF, province.ppu)
    with time_machine.travel(wita(2026, 11, 25, 9), tick=False):
        listing = client.get("/admin/tindak-lanjut/").content.decode()
        home = client.get("/admin/").content.decode()
    for page in (listing, home):
        assert "Patroli di PPU" in page and "Patroli se-provinsi" in page
        assert "Patroli di Paser" not in page
    for each in seen:
        assert client.get(f"/admin/tindak-lanjut/{each.pk}/").status_code == 200
    assert client.get(f"/admin/tindak-lanjut/{hidden.pk}/").status_code == 403
    assert client.get(f"/admin/tindak-lanjut/lampiran/{with_file.pk}/").status_code == 403
    if role == STAFF:
        # The province-wide meeting carries the open actions of the meetings they see.
        with time_machine.travel(wita(2026, 11, 25, 9), tick=False):
            later = services.meeting_create(by=by, held_at=wita(2026, 11, 24, 9), place="Aula")
        carried = client.get(f"/admin/rapat/{later.pk}/").content.decode()
        assert "Patroli di PPU" in carried and "Patroli se-provinsi" in carried
        assert "Patroli di Paser" not in carried
    # The unlimited staff member sees all three.
    everyone = Client()
    everyone.force_login(by)
    listing = everyone.get("/admin/tindak-lanjut/").content.decode()
    assert all(
        what in listing for what in ("Patroli di PPU", "Patroli di Paser", "Patroli se-provinsi")
    )

"""The reach dashboard's screen, filters, exports and printed report."""

import csv
import io
import re

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook
from pypdf import PdfReader

from cms.roles import PARTNER, STAFF
from monitoring.selectors import UNREACHED_SHOWN
from quizzes.models import Attempt
from quizzes.selectors import quiz_tally_state
from quizzes.tallies import quiz_tallies_refresh
from tests.campaigns.factories import wita
from tests.downloads import pdf_text
from tests.indonesian import indonesian
from tests.monitoring.reach_data import attempt
from tests.schools.factories import SchoolFactory

pytestmark = pytest.mark.django_db
YEAR = "?dari=2026-01-01&sampai=2026-12-31"


@pytest.fixture(autouse=True)
def in_2026():
    with time_machine.travel(wita(2026, 11, 20, 10), tick=False):
        yield


def messages_of(response) -> list[str]:
    return [str(message).strip() for message in response.context["messages"]]


def test_the_dashboard_shows_this_years_figures_map_trend_and_unreached(staff_client, world):
    response = staff_client.get("/admin/jangkauan/")
    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["reach"].starts_on.isoformat() == "2026-01-01"
    assert "2 / 4" in html and "1 / 3" in html  # schools, villages
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg"') == 4  # the map, 3 charts
    assert "<circle" in html
    assert html.count('class="reach-chart"') == 3
    assert "SMP SWASTA BUDI" in html and "Desa Dua" in html
    assert "jangkauan.xlsx?dari=2026-01-01&amp;sampai=2026-12-31" in html


def test_filtering_to_one_kecamatan(staff_client, world):
    response = staff_client.get(f"/admin/jangkauan/{YEAR}&kecamatan={world.waru.pk}")
    reach = response.context["reach"]
    assert reach.district == world.waru
    assert [group.district for group in reach.unreached] == [world.waru]
    html = response.content.decode()
    assert "SD NEGERI 001 WARU" in html and "SMP SWASTA BUDI" not in html
    assert f"kecamatan={world.waru.pk}" in response.context["xlsx_url"]


def test_an_end_before_the_start_puts_the_period_back_to_this_year(staff_client, world):
    response = staff_client.get("/admin/jangkauan/?dari=2026-06-01&sampai=2026-01-31")
    assert response.status_code == 200
    reach = response.context["reach"]
    assert (reach.starts_on.isoformat(), reach.ends_on.isoformat()) == ("2026-01-01", "2026-12-31")
    assert messages_of(response) == [
        "Tanggal akhir sebelum tanggal mulai: periode kembali ke tahun ini."
    ]
    assert 'value="2026-01-01"' in response.content.decode()


def test_a_start_alone_runs_to_the_end_of_its_year(staff_client, world):
    reach = staff_client.get("/admin/jangkauan/?dari=2026-04-01").context["reach"]
    assert (reach.starts_on.isoformat(), reach.ends_on.isoformat()) == ("2026-04-01", "2026-12-31")
    assert reach.schools.reached == 2  # SD A in May, SD C on 1 April


@pytest.mark.parametrize(
    "query",
    [
        "dari=kemarin",
        "dari=2026-02-30",
        "sampai=31/31/2026",
        "kampanye=abc",
        "kampanye=999999",
        "kampanye=99999999999999999999999999",
        "kecamatan=-1",
        "kecamatan=1.5",
        "jenjang=universitas",
        "jenjang=%00",
        "kampanye=%F0%9F%98%80",
        "dari=0001-01-01&sampai=0001-12-31",
        "dari=2026-01-01&sampai=9999-12-31",
    ],
)
def test_garbage_filters_are_ignored_with_a_message_never_an_error(staff_client, world, query):
    for url in ("/admin/jangkauan/", "/admin/jangkauan/jangkauan.xlsx",
                "/admin/jangkauan/jangkauan.csv"):  # fmt: skip
        response = staff_client.get(f"{url}?{query}")
        assert response.status_code == 200, (url, query)
    dashboard = staff_client.get(f"/admin/jangkauan/?{query}")
    assert len(messages_of(dashboard)) == 1
    assert dashboard.context["reach"].schools.total in (4, 3)  # everything, or kecamatan only


def test_unknown_filters_name_what_was_ignored(staff_client, world):
    response = staff_client.get("/admin/jangkauan/?kampanye=abc&jenjang=x")
    [message] = messages_of(response)
    assert "Kampanye" in message and "Jenjang" in message


def test_schedule_a_visit_opens_the_form_prefilled(staff_client, world):
    html = staff_client.get(f"/admin/jangkauan/{YEAR}&kampanye={world.k1.pk}").content.decode()
    link = re.search(r'href="(/admin/kunjungan/new/\?school=\d+[^"]*)"', html).group(1)
    assert link == f"/admin/kunjungan/new/?school={world.b.pk}&amp;campaign={world.k1.pk}"
    form = staff_client.get(link.replace("&amp;", "&")).content.decode()
    assert re.search(rf'<option value="{world.b.pk}" selected>SMP SWASTA BUDI', form)
    assert re.search(rf'<option value="{world.k1.pk}" selected>', form)


def test_a_prefill_with_an_unknown_or_bad_id_just_chooses_nothing(staff_client, world):
    for query in ("school=999999", "village=abc", "campaign=-3", "school=" + "9" * 40):
        response = staff_client.get(f"/admin/kunjungan/new/?{query}")
        assert response.status_code == 200, query
        assert not re.search(r'<option value="\d+" selected>', response.content.decode())


def test_many_unreached_schools_are_counted_and_linked_to_the_registry(staff_client, world):
    SchoolFactory.create_batch(UNREACHED_SHOWN + 2, district=world.waru)
    html = staff_client.get(f"/admin/jangkauan/{YEAR}").content.decode()
    assert "dan 3 sekolah lainnya" in html
    assert f"/admin/schools/?district={world.waru.pk}&amp;reached=no" in html


def test_the_page_shows_the_last_refresh_of_the_quiz_tallies_and_writes_nothing(
    staff_client, world
):
    attempt(world.standalone, 100, when=wita(2026, 11, 20, 9))
    with CaptureQueriesContext(connection) as queries:
        response = staff_client.get("/admin/jangkauan/")
    writes = [q["sql"] for q in queries if q["sql"].split()[0] in ("INSERT", "UPDATE", "DELETE")]
    assert writes == []
    assert response.context["reach"].quiz.attempts == 7  # the new one waits for beat
    refreshed_at = response.context["reach"].quiz_updated_at
    assert refreshed_at == quiz_tally_state().refreshed_at
    assert "Angka kuis per" in response.content.decode()

    with time_machine.travel(wita(2026, 11, 20, 10, 10), tick=False):
        quiz_tallies_refresh()  # beat's next run
        reach = staff_client.get("/admin/jangkauan/").context["reach"]
    assert reach.quiz.attempts == Attempt.objects.count() == 8
    assert reach.quiz_updated_at == wita(2026, 11, 20, 10, 10) > refreshed_at


def test_before_the_first_count_the_page_says_quiz_figures_are_not_counted_yet(staff_client, db):
    html = staff_client.get("/admin/jangkauan/").content.decode()
    assert "Angka kuis belum dihitung: dihitung setiap 10 menit." in html
    assert "Angka kuis per" not in html


# Exports


def test_xlsx_has_one_sheet_per_table_with_the_dashboards_figures(staff_client, world):
    response = staff_client.get(f"/admin/jangkauan/jangkauan.xlsx{YEAR}")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="jangkauan-2026-01-01-2026-12-31.xlsx"' in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    assert workbook.sheetnames == [
        "Ringkasan", "Sekolah per jenjang", "Sekolah per status", "Kunjungan", "Peserta",
        "Menurut instansi mitra", "Menurut fasilitator", "Menurut topik",
        "Menurut kategori SIMFONI-PPA", "Unduhan materi", "Per kecamatan", "Tren",
        "Belum terjangkau", "Sesi",
    ]  # fmt: skip
    summary = {row[0]: row[1] for row in workbook["Ringkasan"].iter_rows(values_only=True)}
    assert summary["Sekolah terjangkau"] == 2
    assert summary["Desa dan kelurahan"] == 3
    assert summary["Jawaban kuis masuk"] == 7
    assert summary[indonesian("Of which on paper")] == 1
    assert summary["Rata-rata kenaikan (poin)"] == 10
    unreached = list(workbook["Belum terjangkau"].iter_rows(values_only=True))
    assert len(unreached) == 1 + 4  # SMP B, Desa Dua, SD D, Desa Tiga
    sessions = list(workbook["Sesi"].iter_rows(values_only=True))
    assert len(sessions) == 1 + 4
    assert sessions[1][1] == f"SD NEGERI 001 PENAJAM ({world.a.npsn})" and sessions[1][-1] == 25


def test_partners_see_every_breakdown_but_the_facilitators_names(role_clients, world):
    """Facilitators are staff, named: the visits' people are not shown to partners."""
    world.a.visits.get(starts_at__month=3).facilitators.set(
        [get_user_model().objects.create_user("dewi", first_name="Dewi", last_name="Lestari")]
    )
    for role, sees_names in ((STAFF, True), (PARTNER, False)):
        client = role_clients(role)
        html = client.get(f"/admin/jangkauan/{YEAR}").content.decode()
        assert "Menurut instansi mitra" in html and "Menurut kategori SIMFONI-PPA" in html
        assert ("Dewi Lestari" in html) is sees_names
        assert ("Menurut fasilitator" in html) is sees_names
        workbook = load_workbook(
            io.BytesIO(client.get(f"/admin/jangkauan/jangkauan.xlsx{YEAR}").content),
            read_only=True,
        )
        assert ("Menurut fasilitator" in workbook.sheetnames) is sees_names
        assert "Menurut topik" in workbook.sheetnames
        csv = b"".join(client.get(f"/admin/jangkauan/jangkauan.csv{YEAR}").streaming_content)
        assert (b"Dewi Lestari" in csv) is sees_names


def test_exports_cannot_smuggle_a_formula(staff_client, world):
    SchoolFactory(name='=HYPERLINK("http://jahat.example","klik")', district=world.waru)
    workbook = load_workbook(
        io.BytesIO(staff_client.get(f"/admin/jangkauan/jangkauan.xlsx{YEAR}").content)
    )
    names = [row[2].value for row in workbook["Belum terjangkau"].iter_rows(min_row=2)]
    assert '\'=HYPERLINK("http://jahat.example","klik")' in names
    assert not any(str(name).startswith("=") for name in names)
    lines = b"".join(staff_client.get(f"/admin/jangkauan/jangkauan.csv{YEAR}").streaming_content)
    assert b"'=HYPERLINK" in lines and b',"=HYPERLINK' not in lines


def test_csv_is_streamed_with_each_table_under_its_title(staff_client, world):
    response = staff_client.get(f"/admin/jangkauan/jangkauan.csv{YEAR}&kecamatan={world.waru.pk}")
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "waru.csv" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == ["Ringkasan"]
    assert ["Sekolah terjangkau", "0"] in rows and ["Sekolah di registri", "1"] in rows
    titles = [row[0] for row, before in zip(rows[1:], rows, strict=False) if before == []]
    assert titles == [
        "Sekolah per jenjang", "Sekolah per status", "Kunjungan", "Peserta",
        "Menurut instansi mitra", "Menurut fasilitator", "Menurut topik",
        "Menurut kategori SIMFONI-PPA", "Unduhan materi", "Per kecamatan", "Tren",
        "Belum terjangkau", "Sesi",
    ]  # fmt: skip


def test_the_report_is_an_a4_pdf_in_indonesian(role_clients, world, report_pdf):
    client = role_clients(PARTNER)
    client.cookies["django_language"] = "en"
    response = report_pdf(client, YEAR)
    assert response["Content-Type"] == "application/pdf"
    assert (
        'filename="laporan-jangkauan-2026-01-01-2026-12-31.pdf"' in response["Content-Disposition"]
    )
    content = b"".join(response.streaming_content)
    reader = PdfReader(io.BytesIO(content))
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (210, 297)
    text = pdf_text(content)
    assert "Laporan jangkauan kampanye" in text
    assert "SD NEGERI 001 PENAJAM" in text  # in the list of sessions
    assert "Desa Satu" in text


def test_the_report_lists_the_newest_sessions_and_says_how_many_more(
    staff_client, world, monkeypatch, report_pdf
):
    monkeypatch.setattr("monitoring.reports.REPORT_SESSIONS", 2)
    pdf = b"".join(report_pdf(staff_client, YEAR).streaming_content)
    text = " ".join(pdf_text(pdf).split())
    assert "2 sesi terakhir dari 4; berkas Excel memuat semuanya." in text
    assert "20-04-2026" in text and "05-05-2026" in text  # the newest two
    assert "10-03-2026" not in text

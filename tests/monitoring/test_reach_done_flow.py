"""The issue's "Done when", on seed_demo's data: staff open "Jangkauan", filter to one
kecamatan, see the map and the unreached schools, schedule a visit from the list,
download the XLSX and the PDF report, whose figures are the dashboard's."""

import io
import re
from html import unescape

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from openpyxl import load_workbook

from campaigns.models import Campaign, Visit, VisitStatus
from cms.roles import PARTNER
from schools.models import District
from tests.campaigns.factories import wita
from tests.downloads import pdf_text

NUMBER = re.compile(r"[+-]?\d[\d.]*(?:,\d+)?%?")
TODAY = wita(2026, 6, 15, 10)


@pytest.fixture(scope="module", autouse=True)
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    """seed_demo once for the module, on 15 June 2026, rolled back at the end."""
    media = tmp_path_factory.mktemp("media")
    with (
        time_machine.travel(TODAY, tick=False),
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media),
        transaction.atomic(),
    ):
        call_command("seed_demo", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


def dashboard_numbers(html: str) -> list[str]:
    """The figures shown on the dashboard, in order: from its "Summary" to its map."""
    start = html.index('<div class="reach-figures">')
    section = html[start : html.index('<div class="reach-map-section">', start)]
    return NUMBER.findall(unescape(re.sub(r"<[^>]+>", " ", section)))


def report_numbers(pdf: bytes) -> list[str]:
    """The same part of the printed report, read back from the PDF's text."""
    text = pdf_text(pdf)
    text = re.sub(r"Sekolah Aman · [^\n]*\s*\d+ / \d+", " ", text)  # page footers
    start = text.index("\nRingkasan\n")
    return NUMBER.findall(text[start : text.index("\nPeta\n", start)])


@pytest.mark.django_db
def test_staff_filter_schedule_from_the_unreached_list_and_download(staff_client, report_pdf):
    with time_machine.travel(TODAY, tick=False):
        assert "/admin/jangkauan/" in staff_client.get("/admin/").content.decode()  # the menu
        penajam = District.objects.get(name="Penajam")
        campaign = Campaign.objects.get(is_request_inbox=False)
        page = staff_client.get(f"/admin/jangkauan/?kecamatan={penajam.pk}&kampanye={campaign.pk}")
        html = page.content.decode()
        reach = page.context["reach"]
        assert reach.district == penajam and reach.schools.reached >= 1
        assert reach.schools.total == penajam.schools.count()
        assert "<path d=" in html and "<circle" in html  # the map
        assert "Belum terjangkau" in html

        link = re.search(r'href="(/admin/kunjungan/new/\?school=(\d+)&amp;campaign=\d+)"', html)
        url, school_id = unescape(link.group(1)), int(link.group(2))
        form = staff_client.get(url).content.decode()
        assert re.search(rf'<option value="{school_id}" selected>', form)
        assert re.search(rf'<option value="{campaign.pk}" selected>', form)
        response = staff_client.post(
            url,
            {
                "campaign": campaign.pk,
                "school": school_id,
                "date": "22-06-2026",
                "start_time": "08.00",
                "end_time": "10.00",
            },
        )
        assert response.status_code == 302, response.content.decode()[:3000]
        visit = Visit.objects.get(school_id=school_id, status=VisitStatus.SCHEDULED)
        assert visit.campaign == campaign

        xlsx = staff_client.get(reach_url("jangkauan.xlsx", page))
        sheet = load_workbook(io.BytesIO(xlsx.content))["Ringkasan"]
        summary = {row[0]: row[1] for row in sheet.iter_rows(values_only=True)}
        assert summary["Sekolah terjangkau"] == reach.schools.reached
        assert summary["Sekolah di registri"] == reach.schools.total

        again = staff_client.get(f"/admin/jangkauan/?kecamatan={penajam.pk}")
        pdf = report_pdf(staff_client, again.context["report_filters"])
        assert pdf["Content-Type"] == "application/pdf"
        content = b"".join(pdf.streaming_content)
        assert report_numbers(content) == dashboard_numbers(again.content.decode())


def reach_url(name: str, page) -> str:
    return page.context[{"jangkauan.xlsx": "xlsx_url"}[name]]


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["", "?jenjang=sd", "?dari=2026-01-01&sampai=2026-03-31"])
def test_the_reports_figures_are_the_dashboards(role_clients, query, report_pdf):
    client = role_clients(PARTNER)
    with time_machine.travel(TODAY, tick=False):
        page = client.get(f"/admin/jangkauan/{query}")
        numbers = dashboard_numbers(page.content.decode())
        pdf = b"".join(report_pdf(client, page.context["report_filters"]).streaming_content)
    assert len(numbers) > 60
    assert report_numbers(pdf) == numbers

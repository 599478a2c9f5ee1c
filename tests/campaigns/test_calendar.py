"""The month calendar: server-rendered, plain links and a GET form."""

import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.campaigns.factories import CampaignFactory, UserFactory, VisitFactory, wita
from tests.schools.factories import DistrictFactory, SchoolFactory, VillageFactory

pytestmark = pytest.mark.django_db
URL = reverse("visits:calendar")


def day_cell(html: str, day: int) -> str:
    """The contents of the shown month's `day` cell (the grid starts on a Monday, so
    it may begin with the previous month's last days)."""
    cells = re.findall(r'<span class="calendar-day">(\d+)</span>(.*?)</td>', html, re.S)
    first = next(i for i, (number, _body) in enumerate(cells) if number == "1")
    return cells[first + day - 1][1]


@time_machine.travel(wita(2026, 5, 4, 10), tick=False)
def test_visits_appear_on_their_wita_day(staff_client, school, campaign):
    VisitFactory(school=school, campaign=campaign, starts_at=wita(2026, 5, 12, 9))
    # 00:30 WITA on 13 May is still 12 May in UTC: it must show on the 13th.
    VisitFactory(
        school=SchoolFactory(name="SMP NEGERI 3 PPU", district=school.district),
        campaign=campaign,
        starts_at=wita(2026, 5, 13, 0, 30),
    )
    html = staff_client.get(URL).content.decode()
    assert "Mei 2026" in html
    assert "09:00 SD NEGERI 001 PENAJAM" in day_cell(html, 12)
    assert "00:30 SMP NEGERI 3 PPU" in day_cell(html, 13)
    assert "SMP NEGERI 3 PPU" not in day_cell(html, 12)
    assert "<script" not in html.split("<main", 1)[1].split("</main>")[0]


@time_machine.travel(wita(2026, 5, 4, 10), tick=False)
def test_months_are_reached_with_plain_links(staff_client, campaign):
    VisitFactory(campaign=campaign, starts_at=wita(2026, 7, 2, 9))
    html = staff_client.get(URL).content.decode()
    assert 'href="?bulan=2026-06"' in html and 'href="?bulan=2026-04"' in html
    july = staff_client.get(URL + "?bulan=2026-07").content.decode()
    assert "Juli 2026" in july
    assert "(1 kunjungan)" in july


@pytest.mark.parametrize("month", ["2026-13", "kemarin", "99999-01", "<script>"])
def test_a_bad_month_shows_the_current_one(staff_client, month):
    with time_machine.travel(wita(2026, 5, 4, 10), tick=False):
        response = staff_client.get(URL, {"bulan": month})
    assert response.status_code == 200
    assert "Mei 2026" in response.content.decode()


@time_machine.travel(wita(2026, 5, 4, 10), tick=False)
def test_filters_by_campaign_facilitator_and_kecamatan(staff_client, staff, campaign):
    sepaku = DistrictFactory(code="64.09.04", name="Sepaku")
    other = CampaignFactory(name="Desa Ramah Anak")
    VisitFactory(
        school=SchoolFactory(name="SD NEGERI 010 SEPAKU", district=sepaku),
        campaign=campaign,
        facilitators=[staff],
    )
    VisitFactory(
        village=VillageFactory(name="Sotek", district=sepaku),
        campaign=other,
        facilitators=[UserFactory()],
    )
    VisitFactory(school=SchoolFactory(name="SD NEGERI 020 PENAJAM"), campaign=campaign)

    def shown(**params):
        html = staff_client.get(URL, params).content.decode()
        names = ("SD NEGERI 010 SEPAKU", "Sotek", "SD NEGERI 020 PENAJAM")
        return {name for name in names if name in html}

    assert shown(kampanye=other.pk) == {"Sotek"}
    assert shown(fasilitator=staff.pk) == {"SD NEGERI 010 SEPAKU"}
    assert shown(kecamatan=sepaku.pk) == {"SD NEGERI 010 SEPAKU", "Sotek"}
    # The month links keep the filters.
    html = staff_client.get(URL, {"kampanye": other.pk}).content.decode()
    assert f"kampanye={other.pk}&amp;bulan=2026-06" in html
    # Unknown values are ignored, not an error.
    assert shown(kampanye="x", kecamatan=999) == {
        "SD NEGERI 010 SEPAKU",
        "Sotek",
        "SD NEGERI 020 PENAJAM",
    }


@time_machine.travel(wita(2026, 5, 4, 10), tick=False)
def test_query_count_does_not_grow_with_the_visits(staff_client, staff, campaign):
    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            assert staff_client.get(URL).status_code == 200
        return len(queries)

    VisitFactory(campaign=campaign, starts_at=wita(2026, 5, 5, 9), facilitators=[staff])
    count_queries()  # the process reads the district profile once a minute
    few = count_queries()
    for day in range(1, 29):
        VisitFactory(campaign=campaign, starts_at=wita(2026, 5, day, 13), facilitators=[staff])
    assert count_queries() == few

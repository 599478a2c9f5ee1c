"""coverage(): which schools and villages have had sessions, in a fixed number of queries."""

from datetime import date

import pytest

from campaigns.models import VisitStatus
from campaigns.selectors import reached_ids
from schools.models import School, SchoolLevel, Village
from schools.selectors import coverage
from tests.campaigns.factories import CampaignFactory, VisitFactory, wita
from tests.schools.factories import SchoolFactory

YEAR = {"starts_on": date(2026, 1, 1), "ends_on": date(2026, 12, 31)}


@pytest.fixture
def schools(penajam, babulu):
    return {
        "sd": SchoolFactory(name="SD 1", district=penajam, level=SchoolLevel.SD),
        "smp": SchoolFactory(name="SMP 1", district=penajam, level=SchoolLevel.SMP),
        "babulu": SchoolFactory(name="SD 2", district=babulu, level=SchoolLevel.SD),
        "closed": SchoolFactory(name="SD Tutup", district=babulu, is_active=False),
    }


def by_name(result):
    return {row.school.name: row for row in result.schools}


def test_nothing_is_reached_without_done_visits(schools):
    VisitFactory(school=schools["sd"], status=VisitStatus.SCHEDULED, starts_at=wita(2026, 3, 2, 9))
    VisitFactory(school=schools["sd"], status=VisitStatus.CANCELLED, starts_at=wita(2026, 3, 3, 9))

    result = coverage(**YEAR)

    assert [row.reached for row in result.schools] == [False, False, False]
    assert result.school_totals.reached == 0 and result.school_totals.total == 3
    assert result.village_totals.total == 54
    assert (result.sessions, result.participants) == (0, 0)


def test_counts_sessions_last_date_and_participants_per_school_and_village(schools, kel_penajam):
    VisitFactory(
        school=schools["sd"],
        students_male=10,
        students_female=12,
        teachers=2,
        status=VisitStatus.DONE,
        starts_at=wita(2026, 2, 10, 9),
    )
    VisitFactory(
        school=schools["sd"],
        students_female=30,
        others=1,
        status=VisitStatus.DONE,
        starts_at=wita(2026, 5, 20, 9),
    )
    VisitFactory(
        school=schools["smp"],
        students_male=99,
        status=VisitStatus.DONE,
        starts_at=wita(2025, 12, 31, 9),
    )  # before the period
    VisitFactory(
        village=kel_penajam,
        parents_community=40,
        status=VisitStatus.DONE,
        starts_at=wita(2026, 4, 1, 9),
    )

    result = coverage(**YEAR)

    sd = by_name(result)["SD 1"]
    assert (sd.sessions, sd.last_session_on, sd.participants) == (2, date(2026, 5, 20), 55)
    assert not by_name(result)["SMP 1"].reached
    village = next(row for row in result.villages if row.village == kel_penajam)
    assert (village.sessions, village.participants) == (1, 40)
    assert (result.sessions, result.participants) == (3, 95)


def test_tallies_per_kecamatan_and_level(schools, kel_penajam):
    VisitFactory(school=schools["sd"], status=VisitStatus.DONE, starts_at=wita(2026, 2, 10, 9))
    VisitFactory(school=schools["babulu"], status=VisitStatus.DONE, starts_at=wita(2026, 2, 11, 9))
    VisitFactory(village=kel_penajam, status=VisitStatus.DONE, starts_at=wita(2026, 4, 1, 9))

    result = coverage(**YEAR)

    districts = {row.district.name: row for row in result.districts}
    assert (districts["Penajam"].schools.reached, districts["Penajam"].schools.total) == (1, 2)
    assert districts["Penajam"].schools.percent == 50
    assert (districts["Penajam"].villages.reached, districts["Penajam"].villages.total) == (1, 23)
    assert (districts["Babulu"].schools.reached, districts["Babulu"].schools.total) == (1, 1)
    assert districts["Waru"].schools.total == 0 and districts["Waru"].schools.percent == 0
    levels = {row.level: row.schools for row in result.levels}
    assert (levels["sd"].reached, levels["sd"].total) == (2, 2)
    assert (levels["smp"].reached, levels["smp"].total) == (0, 1)
    assert [row.label for row in result.levels] == ["SD", "SMP"]


def test_days_are_local_days(schools):
    # 00:30 WITA on 1 January is still 31 December in UTC.
    VisitFactory(
        school=schools["sd"], status=VisitStatus.DONE, starts_at=wita(2025, 12, 31, 23, 30)
    )
    VisitFactory(school=schools["smp"], status=VisitStatus.DONE, starts_at=wita(2026, 1, 1, 0, 30))

    result = by_name(coverage(**YEAR))

    assert not result["SD 1"].reached
    assert result["SMP 1"].last_session_on == date(2026, 1, 1)


def test_narrows_by_campaign_kecamatan_and_level(schools, penajam):
    first, second = CampaignFactory(name="Pertama"), CampaignFactory(name="Kedua")
    VisitFactory(
        school=schools["sd"],
        campaign=first,
        status=VisitStatus.DONE,
        starts_at=wita(2026, 2, 10, 9),
    )
    VisitFactory(
        school=schools["smp"],
        campaign=second,
        status=VisitStatus.DONE,
        starts_at=wita(2026, 2, 11, 9),
    )

    assert [r.school.name for r in coverage(**YEAR, campaign=first).schools if r.reached] == [
        "SD 1"
    ]
    in_penajam = coverage(**YEAR, district=penajam)
    assert {row.school.name for row in in_penajam.schools} == {"SD 1", "SMP 1"}
    assert [row.district for row in in_penajam.districts] == [penajam]
    assert len(in_penajam.villages) == 23
    smp = coverage(**YEAR, level=SchoolLevel.SMP)
    assert [row.school.name for row in smp.schools] == ["SMP 1"]


def test_an_inactive_school_counts_only_when_reached_in_the_period(schools):
    assert "SD Tutup" not in by_name(coverage(**YEAR))
    VisitFactory(school=schools["closed"], status=VisitStatus.DONE, starts_at=wita(2026, 2, 10, 9))
    assert by_name(coverage(**YEAR))["SD Tutup"].reached


def test_reached_ids_feed_the_list_filters(schools, kel_penajam):
    VisitFactory(school=schools["sd"], status=VisitStatus.DONE, starts_at=wita(2026, 2, 10, 9))
    VisitFactory(village=kel_penajam, status=VisitStatus.DONE, starts_at=wita(2026, 4, 1, 9))
    assert list(School.objects.filter(pk__in=reached_ids(target="school", **YEAR))) == [
        schools["sd"]
    ]
    assert list(Village.objects.filter(pk__in=reached_ids(target="village", **YEAR))) == [
        kel_penajam
    ]


@pytest.mark.parametrize("count", [10, 1000])
def test_query_count_does_not_grow_with_the_number_of_schools(
    ppu, count, django_assert_max_num_queries
):
    villages = list(Village.objects.all())
    School.objects.bulk_create(
        School(
            npsn=f"{50000000 + n}",
            name=f"Sekolah {n}",
            level=SchoolLevel.SD,
            status="negeri",
            district_id=villages[n % len(villages)].district_id,
            village=villages[n % len(villages)],
        )
        for n in range(count)
    )
    for school in School.objects.all()[:5]:
        VisitFactory(
            school=school, students_male=5, status=VisitStatus.DONE, starts_at=wita(2026, 3, 1, 9)
        )
    VisitFactory(
        village=Village.objects.first(), status=VisitStatus.DONE, starts_at=wita(2026, 3, 2, 9)
    )

    with django_assert_max_num_queries(6):
        result = coverage(**YEAR)
        # Everything a dashboard shows is loaded: no query per row.
        [(row.school.district.name, row.school.village.name) for row in result.schools]
        [row.village.district.name for row in result.villages]

    assert result.school_totals.total == count
    assert result.school_totals.reached == 5
    assert result.participants == 25

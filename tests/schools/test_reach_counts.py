"""The registry's reads for the reach figures: schools and villages with `reached`
(given as ids, as campaigns.selectors.reached_ids gives them), counted, listed and
located, each in one query whatever the number of schools."""

from datetime import date

import pytest

from campaigns.models import VisitStatus
from campaigns.selectors import reached_ids
from schools import selectors
from schools.models import School, SchoolLevel, Village
from tests.campaigns.factories import VisitFactory, wita
from tests.schools.factories import SchoolFactory

YEAR = {"starts_on": date(2026, 1, 1), "ends_on": date(2026, 12, 31)}


@pytest.fixture
def schools(penajam, babulu):
    return {
        "sd": SchoolFactory(
            name="SD 1",
            district=penajam,
            level=SchoolLevel.SD,
            tppk_status="yes",
            latitude="-1.250000",
            longitude="116.700000",
        ),  # fmt: skip
        "smp": SchoolFactory(
            name="SMP 1",
            district=penajam,
            level=SchoolLevel.SMP,
            status="swasta",
            latitude="-1.300000",
            longitude="116.650000",
        ),  # fmt: skip
        "babulu": SchoolFactory(name="SD 2", district=babulu, level=SchoolLevel.SD),
        "closed": SchoolFactory(name="SD Tutup", district=babulu, is_active=False),
    }


def ids(*places):
    """What `reached` is: a subquery of ids."""
    if not places:
        return School.objects.none().values("pk")
    return type(places[0]).objects.filter(pk__in=[place.pk for place in places]).values("pk")


def test_schools_in_scope_are_the_active_ones_and_the_inactive_ones_reached(schools):
    names = {s.name: s.reached for s in selectors.schools_with_reach(reached=ids(schools["sd"]))}
    assert names == {"SD 1": True, "SMP 1": False, "SD 2": False}
    closed = selectors.schools_with_reach(reached=ids(schools["closed"]))
    assert {s.name: s.reached for s in closed}["SD Tutup"] is True


def test_schools_narrow_by_kecamatan_and_level(schools, penajam):
    reached = ids(schools["sd"])
    in_penajam = selectors.schools_with_reach(reached=reached, district=penajam)
    assert {s.name for s in in_penajam} == {"SD 1", "SMP 1"}
    smp = selectors.schools_with_reach(reached=reached, level=SchoolLevel.SMP)
    assert [s.name for s in smp] == ["SMP 1"]
    villages = selectors.villages_with_reach(reached=ids(), district=penajam)
    assert villages.count() == 23 and not any(v.reached for v in villages)


def test_counts_per_kecamatan_level_status_and_reached_with_tppks(schools, penajam, babulu):
    rows = selectors.school_counts(
        selectors.schools_with_reach(reached=ids(schools["sd"], schools["babulu"]))
    )
    counted = {
        (row["district_id"], row["level"], row["status"], row["reached"]): (
            row["schools"], row["tppk_formed"],
        )
        for row in rows
    }  # fmt: skip
    assert counted == {
        (penajam.pk, "sd", "negeri", True): (1, 1),
        (penajam.pk, "smp", "swasta", False): (1, 0),
        (babulu.pk, "sd", "negeri", True): (1, 0),
    }


def test_village_counts_per_kecamatan_and_reached(schools, penajam, kel_penajam):
    villages = selectors.villages_with_reach(reached=ids(kel_penajam))
    counted = {
        (row["district_id"], row["reached"]): row["villages"]
        for row in selectors.village_counts(villages)
    }
    assert counted[penajam.pk, True] == 1 and counted[penajam.pk, False] == 22
    assert sum(counted.values()) == Village.objects.count() == 54


def test_the_first_unreached_per_kecamatan_by_name_and_all_of_them(schools, penajam, babulu):
    SchoolFactory(name="SD 0", district=babulu)
    places = selectors.schools_with_reach(reached=ids(schools["sd"]))
    first = selectors.first_unreached(places, "level", per_district=1)
    assert first == {
        penajam.pk: [[schools["smp"].pk, "SMP 1", "smp"]],
        babulu.pk: [[School.objects.get(name="SD 0").pk, "SD 0", "sd"]],
    }
    assert list(selectors.all_unreached(places, "npsn")) == [
        ("Babulu", "SD 0", School.objects.get(name="SD 0").npsn),
        ("Babulu", "SD 2", schools["babulu"].npsn),
        ("Penajam", "SMP 1", schools["smp"].npsn),
    ]


def test_locations_one_by_one_or_grouped_in_squares(schools):
    places = selectors.schools_with_reach(reached=ids(schools["sd"]))
    assert sorted(selectors.school_locations(places)) == [
        (-1.3, 116.65, False, "SMP 1"),
        (-1.25, 116.7, True, "SD 1"),
    ]
    cells = selectors.school_location_cells(places, cell_degrees=1.0)
    assert sorted((reached, n) for _lat, _lng, reached, n in cells) == [(False, 1), (True, 1)]
    [(lat, lng, _reached, _n)] = [cell for cell in cells if cell[2]]
    assert (lat, lng) == pytest.approx((-1.25, 116.7))


def test_reached_ids_of_done_visits_in_local_days_say_who_is_reached(schools, kel_penajam):
    # 23:30 WITA on 31 December 2025 is before the period, 00:30 on 1 January inside.
    VisitFactory(
        school=schools["sd"], status=VisitStatus.DONE, starts_at=wita(2025, 12, 31, 23, 30)
    )
    VisitFactory(school=schools["smp"], status=VisitStatus.DONE, starts_at=wita(2026, 1, 1, 0, 30))
    VisitFactory(
        school=schools["babulu"], status=VisitStatus.SCHEDULED, starts_at=wita(2026, 3, 2, 9)
    )
    VisitFactory(village=kel_penajam, status=VisitStatus.DONE, starts_at=wita(2026, 4, 1, 9))
    reached = selectors.schools_with_reach(reached=reached_ids(target="school", **YEAR))
    assert [s.name for s in reached.filter(reached=True)] == ["SMP 1"]
    villages = selectors.villages_with_reach(reached=reached_ids(target="village", **YEAR))
    assert list(villages.filter(reached=True)) == [kel_penajam]


@pytest.mark.parametrize("count", [10, 1000])
def test_query_count_does_not_grow_with_the_number_of_schools(
    ppu, count, django_assert_num_queries
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
            latitude="-1.250000",
            longitude="116.700000",
        )
        for n in range(count)
    )
    for school in School.objects.all()[:5]:
        VisitFactory(school=school, status=VisitStatus.DONE, starts_at=wita(2026, 3, 1, 9))
    reached = reached_ids(target="school", **YEAR)
    schools = selectors.schools_with_reach(reached=reached)

    with django_assert_num_queries(5):
        rows = selectors.school_counts(schools)
        first = selectors.first_unreached(schools, "level", per_district=25)
        located = selectors.school_locations(schools)
        cells = selectors.school_location_cells(schools, cell_degrees=0.1)
        unreached = list(selectors.all_unreached(schools, "npsn"))

    assert sum(row["schools"] for row in rows if row["reached"]) == 5
    assert sum(row["schools"] for row in rows) == count == len(located)
    assert sum(len(places) for places in first.values()) <= 4 * 25
    assert sum(n for *_where, n in cells) == count
    assert len(unreached) == count - 5

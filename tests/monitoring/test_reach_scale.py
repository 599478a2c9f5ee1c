"""The dashboard asks the database the same number of questions for 100 schools as for
10,000 (past MAP_DOTS the map groups its dots in SQL: still one query)."""

import pytest

from campaigns.models import Visit
from cms.district import profile
from monitoring.selectors import MAP_DOTS
from quizzes.tallies import quiz_tallies_refresh
from schools.models import School
from tests.campaigns.factories import CampaignFactory, wita
from tests.monitoring.reach_data import attempt
from tests.quizzes.factories import QuizSessionFactory
from tests.schools.factories import DistrictFactory

pytestmark = pytest.mark.django_db
URL = "/admin/jangkauan/?dari=2026-01-01&sampai=2026-12-31"
MAX_QUERIES = 35  # with the boundaries' fingerprint, the map's shapes, the user's regencies


def add_schools(districts, campaign, start, count):
    """`count` schools with coordinates, every other one visited in 2026."""
    schools = School.objects.bulk_create(
        School(
            npsn=f"{90000000 + n}",
            name=f"SEKOLAH {n:05d}",
            level="sd" if n % 3 else "smp",
            status="negeri",
            district=districts[n % len(districts)],
            latitude=f"-1.{200 + n % 300:03d}",
            longitude=f"116.{500 + n % 300:03d}",
        )
        for n in range(start, start + count)
    )
    Visit.objects.bulk_create(
        Visit(campaign=campaign, school=school, status="done", starts_at=wita(2026, 3, 2, 9),
              ends_at=wita(2026, 3, 2, 11), students_male=10, students_female=10)
        for school in schools[::2]
    )  # fmt: skip
    return schools


def queries_for(client, assert_max_queries) -> int:
    quiz_tallies_refresh()
    with assert_max_queries(MAX_QUERIES) as queries:
        assert client.get(URL).status_code == 200
    return len(queries)


def test_the_same_queries_for_100_and_10000_schools(
    staff_client, public_site, django_assert_max_num_queries
):
    districts = [DistrictFactory(code=f"64.09.0{n}", name=f"Kec {n}") for n in range(1, 5)]
    campaign = CampaignFactory()
    first = add_schools(districts, campaign, 0, 100)
    session = QuizSessionFactory(school=first[0], opens_at=wita(2026, 3, 2, 9))
    attempt(session, 80)
    profile()  # a process reads the district profile once a minute, not per request
    few = queries_for(staff_client, django_assert_max_num_queries)

    add_schools(districts, campaign, 100, 9_900)
    assert School.objects.count() == 10_000 > MAP_DOTS
    many = queries_for(staff_client, django_assert_max_num_queries)
    assert many == few

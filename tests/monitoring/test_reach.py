"""The reach figures (monitoring.selectors), against the small world worked out by hand in
tests/monitoring/reach_data.py."""

import datetime as dt

import pytest

from campaigns.models import PartnerAgency
from campaigns.selectors import reached_ids, visits_done
from cms.models import DocumentDownloadDay, Topic
from monitoring.figures import Tally
from monitoring.selectors import UNREACHED_SHOWN, reach, reach_cached
from quizzes.results import attempt_figures, prepost_figures
from quizzes.selectors import attempts_in
from quizzes.tallies import quiz_tallies_refresh
from schools.models import School, Village
from tests.campaigns.factories import wita
from tests.cms.factories import MaterialDocumentFactory, make_material
from tests.monitoring.reach_data import YEAR, attempt, visit
from tests.quizzes.factories import QuizSessionFactory
from tests.schools.factories import SchoolFactory

pytestmark = pytest.mark.django_db


def figures(**filters):
    return reach(starts_on=YEAR[0], ends_on=YEAR[1], **filters)


def test_schools_and_villages_reached_by_level_status_and_kecamatan(world):
    result = figures()
    assert result.schools == Tally(reached=2, total=4)  # the inactive SD C was reached
    assert [(row.label, row.schools) for row in result.levels] == [
        ("SD", Tally(2, 3)),
        ("SMP", Tally(0, 1)),
    ]
    assert [row.schools for row in result.statuses] == [Tally(2, 3), Tally(0, 1)]
    assert result.villages == Tally(reached=1, total=3)
    assert result.tppk_formed == 2
    by_district = {row.district.name: row for row in result.districts}
    assert by_district["Penajam"].schools == Tally(2, 3)
    assert by_district["Penajam"].villages == Tally(1, 2)
    assert by_district["Waru"].schools == Tally(0, 1)
    assert by_district["Waru"].tppk_formed == 1
    assert result.district_ratios == {"64.09.01": 2 / 3, "64.09.02": 0}


def test_the_same_reach_as_the_done_visits_say(world):
    period = {"starts_on": YEAR[0], "ends_on": YEAR[1]}
    result = figures()
    reached_schools = School.objects.filter(pk__in=reached_ids(target="school", **period))
    reached_villages = Village.objects.filter(pk__in=reached_ids(target="village", **period))
    assert result.schools.reached == reached_schools.count()
    assert result.villages == Tally(reached_villages.count(), Village.objects.count())
    done = visits_done(**period)
    assert result.sessions == done.count()
    assert result.participants.total == sum(visit.participants for visit in done)


def test_visits_by_status_and_participants_by_role_and_gender(world):
    result = figures()
    assert result.visits == [
        ("requested", "Diajukan", 1),
        ("scheduled", "Terjadwal", 1),
        ("done", "Selesai", 4),
        ("cancelled", "Dibatalkan", 1),
        ("postponed", "Ditunda", 1),
    ]
    people = result.participants
    assert (people.students_male, people.students_female, people.students) == (35, 37, 72)
    assert (people.teachers, people.parents, people.others) == (2, 30, 3)
    assert (people.teachers_male, people.teachers_female, people.teachers_unrecorded) == (0, 0, 2)
    assert (people.parents_male, people.parents_female, people.unrecorded) == (12, 18, 2)
    assert people.total == 107


def test_quiz_figures_equal_the_quizzes_apps_own(world):
    quiz = figures().quiz
    attempts = attempts_in(starts_on=YEAR[0], ends_on=YEAR[1])
    own = attempt_figures(attempts)
    pairs = prepost_figures(attempts)
    assert (quiz.attempts, quiz.passed, quiz.certificates) == (7, 3, 2)
    assert (quiz.attempts, quiz.passed, quiz.certificates) == (
        own["attempts"], own["passed"], own["certificates"],
    )  # fmt: skip
    assert quiz.pass_rate == pytest.approx(own["pass_rate"])
    assert quiz.mean_score == pytest.approx(own["mean_score"]) == pytest.approx(440 / 7)
    assert quiz.pairs == pairs["pairs"] == 2
    assert quiz.pre_mean == pairs["pre_mean"] == 55
    assert quiz.post_mean == pairs["post_mean"] == 65
    assert quiz.mean_gain == pairs["mean_gain"] == 10
    assert quiz.improved_rate == pairs["improved_rate"] == 50


def test_filters_narrow_every_figure(world):
    k2 = figures(campaign=world.k2)
    assert k2.schools == Tally(1, 3)  # only SD A; the unreached inactive SD C is out
    assert k2.sessions == 1 and k2.participants.total == 10
    assert k2.quiz.attempts == 0  # the quizzes were at the K1 visit

    waru = figures(district=world.waru)
    assert waru.schools == Tally(0, 1) and waru.villages == Tally(0, 1)
    assert [row.district for row in waru.districts] == [world.waru]
    assert waru.quiz.attempts == 1 and waru.quiz.certificates == 1  # the standalone session

    smp = figures(level="smp")
    assert smp.schools == Tally(0, 1)
    assert smp.villages == Tally(1, 3)  # villages have no level
    assert {status: n for status, _label, n in smp.visits} == {
        "requested": 0, "scheduled": 1, "done": 0, "cancelled": 0, "postponed": 0,
    }  # fmt: skip
    assert smp.quiz.attempts == 0 and smp.participants.total == 0


def shares(rows):
    return [(row.label, row.sessions, row.participants) for row in rows]


def test_sessions_and_participants_by_partner_facilitator_topic_and_category(
    world, django_user_model
):
    staff = django_user_model.objects.create_user("dewi", first_name="Dewi", last_name="Lestari")
    polres = PartnerAgency.objects.get(name__startswith="Polres")
    kejaksaan = PartnerAgency.objects.get(name__startswith="Kejaksaan")
    bullying = Topic.objects.get(slug="perundungan")  # physical, psychological
    against_children = Topic.objects.get(slug="kekerasan-terhadap-anak")  # + sexual, neglect
    march = world.a.visits.get(starts_at__month=3)  # 25 participants
    village = world.v1.visits.get()  # 32 participants
    march.partners.set([polres, kejaksaan])
    village.partners.set([polres])
    march.topics.set([bullying, against_children])
    village.topics.set([bullying])
    march.facilitators.set([staff])

    result = figures()
    others = (2, 40 + 10)  # SD C in April and SD A in May: no partner, no topic
    assert shares(result.by_partner) == [
        (polres.name, 2, 57), ("Tanpa instansi mitra", *others), (kejaksaan.name, 1, 25),
    ]  # fmt: skip
    assert shares(result.by_facilitator) == [
        ("Tanpa fasilitator tercatat", 3, 82), ("Dewi Lestari", 1, 25),
    ]  # fmt: skip
    assert shares(result.by_topic) == [
        (bullying.name, 2, 57), (against_children.name, 1, 25), ("Tanpa topik tercatat", *others),
    ]  # fmt: skip
    categories = {label: (n, people) for label, n, people in shares(result.by_category)}
    assert len(categories) == 10  # every SIMFONI-PPA category, even with no session
    # The March session has two topics about physical violence: it counts once there.
    assert categories["Kekerasan fisik"] == categories["Kekerasan psikis"] == (2, 57)
    assert categories["Kekerasan seksual"] == categories["Penelantaran"] == (1, 25)
    assert categories["Perdagangan orang (TPPO)"] == (0, 0)
    assert shares(figures(district=world.waru).by_partner) == []


def test_a_campaigns_target_levels_narrow_the_schools_still_to_reach(world):
    world.k2.school_levels = ["smp"]
    world.k2.save()
    k2 = figures(campaign=world.k2)
    # SD A stays (K2 reached it); SMP B is the one target school left; SD D is no target.
    assert k2.schools == Tally(reached=1, total=2)
    penajam = {row.district.name: row for row in k2.unreached}["Penajam"]
    assert [place.name for place in penajam.schools] == ["SMP SWASTA BUDI"]
    assert "Waru" not in {row.district.name for row in k2.unreached if row.school_count}
    assert figures(campaign=world.k2, level="sd").schools == Tally(1, 1)


def test_attempts_at_a_village_session_count_for_its_kecamatan(world):
    """5 attempts at Desa Tiga's session (Waru) count for Waru, on every path: the
    dashboard's tallies, its kecamatan filter and the quizzes app's own figures."""
    village_visit = visit(world.v3, wita(2026, 8, 3, 14), campaign=world.k1)
    session = QuizSessionFactory(quiz=world.quiz, visit=village_visit, school=None,
                                 opens_at=wita(2026, 8, 3, 14))  # fmt: skip
    for score in (90, 80, 70, 60, 50):
        attempt(session, score)
    quiz_tallies_refresh()

    result = figures()
    assert result.quiz.attempts == 12
    by_district = {row.district.name: row for row in result.districts}
    assert by_district["Waru"].quiz.attempts == 1 + 5
    assert by_district["Penajam"].quiz.attempts == 6
    waru = figures(district=world.waru)
    assert waru.quiz.attempts == 6 and waru.quiz.passed == 1 + 3
    assert attempts_in(district=world.waru, starts_on=YEAR[0], ends_on=YEAR[1]).count() == 6
    assert figures(district=world.penajam).quiz.attempts == 6
    assert figures(level="sd").quiz.attempts == 7  # a village has no school level


def test_the_period_is_whole_wita_days(world):
    # SD D's session on 31 December 2025 at 23:30 WITA is 15:30 UTC: in 2025, not 2026.
    assert figures().districts[1].schools.reached == 0
    late_2025 = reach(starts_on=dt.date(2025, 12, 31), ends_on=dt.date(2025, 12, 31))
    assert late_2025.schools.reached == 1 and late_2025.participants.students == 100


def test_monthly_trend(world):
    months = {row.month.month: row for row in figures().months}
    assert len(months) == 12
    assert (months[3].sessions, months[3].participants, months[3].attempts) == (1, 25, 6)
    assert (months[4].sessions, months[4].participants) == (2, 72)
    assert months[6].attempts == 1
    assert sum(row.sessions for row in months.values()) == 4


def test_a_long_period_trends_by_year(world):
    long = reach(starts_on=dt.date(2023, 1, 1), ends_on=dt.date(2026, 12, 31))
    assert long.by_year
    assert [(row.month.year, row.sessions) for row in long.trend] == [
        (2023, 0), (2024, 0), (2025, 1), (2026, 4),
    ]  # fmt: skip


def test_unreached_schools_and_villages_by_kecamatan(world):
    unreached = {group.district.name: group for group in figures().unreached}
    penajam, waru = unreached["Penajam"], unreached["Waru"]
    assert [place.name for place in penajam.schools] == ["SMP SWASTA BUDI"]
    assert penajam.schools[0].id == world.b.pk
    assert "SMP" in penajam.schools[0].detail and world.b.npsn in penajam.schools[0].detail
    assert [place.name for place in penajam.villages] == ["Desa Dua"]
    assert [place.name for place in waru.schools] == ["SD NEGERI 001 WARU"]
    assert [place.name for place in waru.villages] == ["Desa Tiga"]


def test_the_unreached_list_is_capped_per_kecamatan_with_a_count(world):
    SchoolFactory.create_batch(UNREACHED_SHOWN + 5, district=world.waru)
    waru = next(group for group in figures().unreached if group.district == world.waru)
    assert len(waru.schools) == UNREACHED_SHOWN
    assert waru.school_count == UNREACHED_SHOWN + 6
    assert waru.more_schools == 6
    names = [place.name for place in waru.schools]
    assert names == sorted(names)


def test_map_points_mark_the_reached_schools(world):
    points = {point.label: point.reached for point in figures().points}
    assert points == {"SD NEGERI 001 PENAJAM": True, "SMP SWASTA BUDI": False}


def test_many_schools_become_grouped_dots(world, monkeypatch):
    monkeypatch.setattr("monitoring.selectors.MAP_DOTS", 1)
    points = figures().points
    assert sorted(point.label for point in points) == [
        "1 sekolah belum terjangkau",
        "1 sekolah sudah terjangkau",
    ]


def downloaded(document, day: dt.date, count: int):
    DocumentDownloadDay.objects.create(document=document, day=day, count=count)


def test_downloads_by_topic_count_each_file_once_per_topic_in_the_period(world, materials_index):
    from cms.models import Topic

    bullying, trafficking = Topic.objects.order_by("sort_order")[:2]
    poster, guide, other = (MaterialDocumentFactory() for _ in range(3))
    downloaded(poster, YEAR[0], 4)
    downloaded(poster, YEAR[1], 3)
    downloaded(poster, YEAR[0] - dt.timedelta(days=1), 50)  # before the period
    downloaded(guide, dt.date(YEAR[0].year, 6, 1), 3)
    downloaded(other, dt.date(YEAR[0].year, 6, 1), 1)
    make_material(materials_index, topics=[bullying, trafficking], documents=[poster])
    material = make_material(materials_index, topics=[bullying], documents=[guide])
    make_material(materials_index, topics=[], documents=[other])

    result = figures()
    assert result.downloads == [(bullying.name, 10), (trafficking.name, 7)]
    assert result.downloads_total == 11
    june = reach(starts_on=dt.date(YEAR[0].year, 6, 1), ends_on=dt.date(YEAR[0].year, 6, 30))
    assert june.downloads == [(bullying.name, 3), (trafficking.name, 0)]
    assert june.downloads_total == 4
    world.k1.materials.set([material])
    assert figures(campaign=world.k1).downloads == [(bullying.name, 3)]


def test_nothing_to_count_gives_empty_rates(db):
    result = figures()
    assert result.schools == Tally(0, 0) and result.schools.percent == 0
    assert result.quiz.pass_rate is None and result.quiz.mean_gain is None
    assert result.unreached == [] and result.points == []


def test_cached_figures_last_until_the_data_changes(world, django_assert_num_queries):
    first = reach_cached(starts_on=YEAR[0], ends_on=YEAR[1], district=world.penajam)
    with django_assert_num_queries(6):  # the fingerprint only
        again = reach_cached(starts_on=YEAR[0], ends_on=YEAR[1], district=world.penajam)
    assert again == first
    assert reach_cached(starts_on=YEAR[0], ends_on=YEAR[1]).schools == Tally(2, 4)  # own key

    scheduled = world.b.visits.get()
    scheduled.status, scheduled.students_male = "done", 9
    scheduled.save()
    changed = reach_cached(starts_on=YEAR[0], ends_on=YEAR[1], district=world.penajam)
    assert changed.schools == Tally(3, 3)

    attempt(world.standalone, 100)
    quiz_tallies_refresh()
    assert reach_cached(starts_on=YEAR[0], ends_on=YEAR[1]).quiz.attempts == 8

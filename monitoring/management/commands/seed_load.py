"""Synthetic load data for the reach dashboard and its bench: thousands of schools,
their visits this year, pre- and post-test sessions and up to millions of attempts.

Everything it makes is marked: schools are "SEKOLAH UJI BEBAN 00001"... with NPSNs from
LOAD_NPSN_START up (PPU's real NPSNs begin with 30 or 69), the campaign is "UJI BEBAN",
the quiz "KUIS UJI BEBAN". `--delete` removes it all again. Rows are bulk inserted in
chunks, so memory stays flat however many attempts are asked for.

Refused when DEBUG is off: load data has no place in production.
"""

import random
from datetime import datetime, time, timedelta
from itertools import count, islice

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from campaigns.models import Campaign, Visit, VisitStatus
from cms.models import Audience, Topic
from quizzes.models import (
    Attempt,
    Certificate,
    CertificateStatus,
    Question,
    Quiz,
    QuizSession,
    SessionKind,
)
from quizzes.tallies import quiz_tallies_refresh
from schools import demo as schools_demo
from schools.models import District, School, Village
from schools.regions import BUNDLED_REGIONS, region_import
from schools.selectors import kecamatan_shapes

CAMPAIGN = "UJI BEBAN"
QUIZ = "KUIS UJI BEBAN"
SCHOOL_NAME = "SEKOLAH UJI BEBAN {:05d}"
LOAD_NPSN_START = 99_000_000
CHUNK = 5_000
QUESTIONS = 10
PASS_MARK = 70
# Levels in roughly the proportions of a kabupaten's registry.
LEVELS = ["sd"] * 12 + ["mi"] * 2 + ["smp"] * 4 + ["mts"] * 2 + ["sma", "ma", "smk", "paud"]
# Share of schools whose visit this year has each status; the rest have none.
VISIT_SHARES = [
    (VisitStatus.DONE, 0.45),
    (VisitStatus.SCHEDULED, 0.10),
    (VisitStatus.CANCELLED, 0.04),
    (VisitStatus.POSTPONED, 0.03),
    (VisitStatus.REQUESTED, 0.03),
]
WITA = timezone.get_default_timezone()


class Command(BaseCommand):
    help = (
        "Generate synthetic, clearly marked load data (schools 'SEKOLAH UJI BEBAN ...', "
        "campaign 'UJI BEBAN'). Only with DJANGO_DEBUG=1."
    )

    def add_arguments(self, parser):
        parser.add_argument("--schools", type=int, default=10_000)
        parser.add_argument("--attempts", type=int, default=1_000_000)
        parser.add_argument("--seed", type=int, default=1, help="random seed, for repeatable data")
        parser.add_argument("--delete", action="store_true", help="remove the load data")

    def handle(self, *args, **options):
        with translation.override(settings.LANGUAGE_CODE):
            self.run(**options)

    def run(self, *, schools, attempts, seed, delete, **options):
        if not settings.DEBUG:
            raise CommandError(
                _(
                    "seed_load makes fake schools and results: it runs only in development "
                    "(DJANGO_DEBUG=1), never on a production database."
                )
            )
        if delete:
            self.stdout.write(_("Deleted: %(counts)s") % {"counts": delete_load_data()})
            return
        if schools < 1 or attempts < 0:
            raise CommandError(_("--schools must be at least 1 and --attempts at least 0."))
        if Campaign.objects.filter(name=CAMPAIGN).exists():
            raise CommandError(_("Load data is already here. Remove it first with --delete."))
        counts = Loader(random.Random(seed)).load(  # noqa: S311 - synthetic data
            schools=schools, attempts=attempts
        )
        self.stdout.write(
            _(
                "Load data: %(schools)d schools, %(visits)d visits, %(sessions)d quiz "
                "sessions, %(attempts)d attempts, %(certificates)d certificates."
            )
            % counts
        )


def delete_load_data() -> dict:
    sessions = QuizSession.objects.filter(quiz__title=QUIZ)
    with transaction.atomic():
        # In chunks: deleting a million attempts at once would load them all.
        attempts = 0
        ids = Attempt.objects.filter(session__in=sessions).values_list("pk", flat=True)
        for batch in chunked(ids.iterator(chunk_size=CHUNK)):
            attempts += Attempt.objects.filter(pk__in=batch).delete()[1].get("quizzes.Attempt", 0)
        deleted = {
            "attempts": attempts,
            "sessions": sessions.delete()[0],
            "quizzes": Quiz.objects.filter(title=QUIZ).delete()[0],
            "visits": Visit.objects.filter(campaign__name=CAMPAIGN).delete()[0],
            "campaigns": Campaign.objects.filter(name=CAMPAIGN).delete()[0],
            "schools": School.objects.filter(npsn__gte=str(LOAD_NPSN_START)).delete()[0],
        }
    quiz_tallies_refresh(full=True)
    return deleted


def chunked(rows, size=CHUNK):
    rows = iter(rows)
    while batch := list(islice(rows, size)):
        yield batch


class Loader:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.now = timezone.now()
        today = timezone.localdate()
        self.year_start = datetime.combine(today.replace(month=1, day=1), time(8), tzinfo=WITA)
        self.year_end = datetime.combine(today.replace(month=12, day=31), time(8), tzinfo=WITA)

    def load(self, *, schools: int, attempts: int) -> dict:
        if not District.objects.exists():
            with open(BUNDLED_REGIONS, "rb") as regions:
                region_import(file=regions)
            schools_demo.seed_boundaries()
        with transaction.atomic():
            campaign = Campaign.objects.create(
                name=CAMPAIGN,
                description="Data uji beban buatan (sintetis), bukan data sebenarnya.",
                starts_on=self.year_start.date(),
                ends_on=self.year_end.date(),
            )
            school_ids = self.schools(schools)
            visits = self.visits(campaign, school_ids)
            quiz = self.quiz()
            sessions = self.sessions(quiz, visits)
            attempt_count, certificates = self.attempts(sessions, attempts)
        if connection.vendor == "postgresql":
            # Tell the planner the tables' new sizes now rather than at autovacuum's pace.
            with connection.cursor() as cursor:
                for model in (School, Visit, QuizSession, Attempt, Certificate):
                    cursor.execute(f"ANALYZE {model._meta.db_table}")
        quiz_tallies_refresh(full=True)
        return {
            "schools": len(school_ids),
            "visits": len(visits),
            "sessions": len(sessions),
            "attempts": attempt_count,
            "certificates": certificates,
        }

    # Schools

    def schools(self, count: int) -> list[int]:
        districts = list(District.objects.order_by("code"))
        villages: dict[int, list[int]] = {}
        for village_id, district_id in Village.objects.values_list("pk", "district_id"):
            villages.setdefault(district_id, []).append(village_id)
        shapes = {shape.code: shape for shape in kecamatan_shapes().regions}
        start = LOAD_NPSN_START + 1
        School.objects.bulk_create(
            (self.school(n, districts[n % len(districts)], villages, shapes) for n in range(count)),
            batch_size=CHUNK,
        )
        return list(
            School.objects.filter(npsn__gte=str(start), npsn__lt=str(start + count))
            .order_by("npsn")
            .values_list("pk", flat=True)
        )

    def school(self, n, district, villages, shapes) -> School:
        rng = self.rng
        point = self.point_in(shapes[district.code]) if district.code in shapes else None
        male, female = rng.randint(40, 400), rng.randint(40, 400)
        return School(
            npsn=str(LOAD_NPSN_START + 1 + n),
            name=SCHOOL_NAME.format(n + 1),
            level=rng.choice(LEVELS),
            status="negeri" if rng.random() < 0.7 else "swasta",
            district=district,
            village_id=rng.choice(villages[district.pk]) if villages.get(district.pk) else None,
            latitude=round(point[1], 6) if point else None,
            longitude=round(point[0], 6) if point else None,
            students_male=male,
            students_female=female,
            tppk_status=rng.choices(["yes", "no", "unknown"], weights=[5, 2, 3])[0],
            source="seed_load: data uji beban sintetis",
        )

    def point_in(self, shape) -> tuple[float, float]:
        """A random (lng, lat) inside the kecamatan, by rejection sampling."""
        points = [point for ring in shape.rings for point in ring]
        lngs, lats = [p[0] for p in points], [p[1] for p in points]
        for _try in range(200):
            lng = self.rng.uniform(min(lngs), max(lngs))
            lat = self.rng.uniform(min(lats), max(lats))
            if sum(_inside(lng, lat, ring) for ring in shape.rings) % 2:
                return lng, lat
        return shape.centre

    # Visits

    def visits(self, campaign, school_ids) -> list[Visit]:
        """One visit for most schools, and a community session in half the villages.
        Done visits took place between January and yesterday; the others are ahead."""
        rng = self.rng
        rows = []
        for school_id in school_ids:
            status = self.pick_status()
            if status is not None:
                rows.append(self.visit(campaign, status, school_id=school_id))
        for village_id in Village.objects.values_list("pk", flat=True):
            if rng.random() < 0.5:
                rows.append(self.visit(campaign, VisitStatus.DONE, village_id=village_id))
        created = []
        for batch in chunked(rows):
            created += Visit.objects.bulk_create(batch)
        return created

    def pick_status(self):
        draw = self.rng.random()
        for status, share in VISIT_SHARES:
            if draw < share:
                return status
            draw -= share
        return None

    def visit(self, campaign, status, **target) -> Visit:
        rng = self.rng
        past = self.now - timedelta(days=1)
        if status == VisitStatus.DONE and past > self.year_start:
            start = self.year_start + (past - self.year_start) * rng.random()
        else:
            start = self.now + (self.year_end - self.now) * rng.random()
        start = start.astimezone(WITA).replace(hour=rng.choice([8, 9, 10, 13]), minute=0)
        visit = Visit(
            campaign=campaign,
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            status=status,
            venue="Data uji beban",
            **target,
        )
        if status == VisitStatus.DONE:
            if "school_id" in target:
                visit.students_male = rng.randint(20, 120)
                visit.students_female = rng.randint(20, 120)
                visit.teachers_male = rng.randint(1, 6)
                visit.teachers_female = rng.randint(1, 9)
            else:
                visit.parents_male = rng.randint(10, 40)
                visit.parents_female = rng.randint(10, 50)
                visit.others = rng.randint(0, 10)
        return visit

    # Quizzes

    def quiz(self) -> Quiz:
        quiz = Quiz.objects.create(
            title=QUIZ,
            introduction="Kuis buatan untuk uji beban.",
            topic=Topic.objects.order_by("sort_order").first(),
            audience=Audience.objects.order_by("sort_order").first(),
            pass_mark=PASS_MARK,
        )
        Question.objects.bulk_create(
            Question(quiz=quiz, text=f"Soal uji {n}", explanation="-", sort_order=n)
            for n in range(QUESTIONS)
        )
        return quiz

    def sessions(self, quiz, visits) -> list[QuizSession]:
        """A pre-test and a post-test for each done visit at a school."""
        rows = []
        for visit in visits:
            if visit.status == VisitStatus.DONE and visit.school_id:
                for kind in (SessionKind.PRE, SessionKind.POST):
                    rows.append(
                        QuizSession(
                            quiz=quiz,
                            kind=kind,
                            visit=visit,
                            school_id=visit.school_id,
                            code=f"UB{len(rows):08d}",
                            opens_at=visit.starts_at,
                            closes_at=visit.ends_at,
                        )
                    )
        created = []
        for batch in chunked(rows):
            created += QuizSession.objects.bulk_create(batch)
        return created

    def attempts(self, sessions, total: int) -> tuple[int, int]:
        """`total` attempts spread over the sessions: each student of a visit takes the
        pre-test and then the post-test on the same phone, and mostly scores better."""
        if not sessions or not total:
            return 0, 0
        pairs = list(zip(sessions[::2], sessions[1::2], strict=True))
        per_pair = max(total // (2 * len(pairs)), 1)
        made = certificates = 0
        for batch in chunked(self.attempt_rows(pairs, per_pair, total)):
            created = Attempt.objects.bulk_create(batch)
            made += len(created)
            certified = [
                Certificate(
                    attempt=attempt,
                    status=CertificateStatus.READY,
                    ready_at=attempt.submitted_at,
                )
                for attempt in created
                if attempt.name
            ]
            Certificate.objects.bulk_create(certified)
            certificates += len(certified)
        return made, certificates

    def attempt_rows(self, pairs, per_pair, total):
        rng = self.rng
        made = 0
        # When one round of students leaves some attempts to make, more students
        # (new phones) join the first visits.
        for round_number in count():
            for pre, post in pairs:
                for student in range(per_pair):
                    device = f"ub{round_number}x{pre.pk}x{student}"
                    class_name = f"{rng.randint(1, 9)}{rng.choice('ABC')}"
                    gender = rng.choice("lp")
                    before = _score(rng.gauss(55, 15))
                    after = _score(before + rng.gauss(15, 10))
                    for session, score, minute in ((pre, before, 5), (post, after, 110)):
                        if made >= total:
                            return
                        passed = score >= PASS_MARK
                        certified = passed and session is post and rng.random() < 0.1
                        yield Attempt(
                            session=session,
                            school_id=session.school_id,
                            class_name=class_name,
                            gender=gender,
                            name=f"PESERTA UJI BEBAN {made:07d}" if certified else "",
                            device_id=device,
                            token=f"ub{made:030d}",
                            correct_count=round(score * QUESTIONS / 100),
                            question_count=QUESTIONS,
                            score=score,
                            passed=passed,
                            submitted_at=session.opens_at + timedelta(minutes=minute),
                        )
                        made += 1


def _score(value: float) -> int:
    """A score on the quiz's grid (multiples of 100 / QUESTIONS), within 0..100."""
    step = 100 // QUESTIONS
    return int(min(max(round(value / step) * step, 0), 100))


def _inside(x: float, y: float, ring) -> bool:
    """Ray casting: is (x, y) inside the closed ring?"""
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside

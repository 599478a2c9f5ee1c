"""A small registry with visits and quiz attempts in 2026 whose reach is worked out by
hand in the docstring of `make_world`, for the reach tests."""

import datetime as dt
from types import SimpleNamespace

from django.utils import timezone

from campaigns.models import Visit
from quizzes.models import Attempt, Certificate, CertificateStatus
from tests.campaigns.factories import CampaignFactory, VisitFactory, wita
from tests.quizzes.factories import QuizFactory, QuizSessionFactory
from tests.schools.factories import DistrictFactory, SchoolFactory, VillageFactory

YEAR = (dt.date(2026, 1, 1), dt.date(2026, 12, 31))


def visit(target, when, status="done", campaign=None, **attendance) -> Visit:
    school = target if hasattr(target, "npsn") else None
    return VisitFactory(
        school=school,
        village=None if school else target,
        starts_at=when,
        status=status,
        campaign=campaign,
        **attendance,
    )


def attempt(
    session, score, *, device="", class_name="8A", when=None, certificate=False, source="phone"
):
    made = Attempt.objects.create(
        source=source,
        session=session,
        school=session.school,
        class_name=class_name,
        device_id=device,
        token=f"t{Attempt.objects.count()}-{device}-{score}",
        correct_count=score // 10,
        question_count=10,
        score=score,
        passed=score >= 70,
        submitted_at=when or session.opens_at + dt.timedelta(minutes=10),
        name="Rina Sari" if certificate else "",
    )
    if certificate:
        Certificate.objects.create(
            attempt=made, status=CertificateStatus.READY, ready_at=timezone.now()
        )
    return made


def make_world():
    """Two kecamatan of the map, two campaigns, 2026:

    Penajam: SD A (SD, negeri, TPPK formed) done twice (K1 in March: 10 boys, 12 girls,
    2 teachers recorded before genders were, 1 other; K2 in May: 5 + 5); SMP B (SMP,
    swasta) only scheduled; SD C,
    inactive, done in April (K1, 20 + 20), so it counts; Desa Satu done in April (K1, 12
    men and 18 women, 2 others); Desa Dua never.
    Waru: SD D (SD, negeri, TPPK formed) cancelled, postponed, requested in 2026, done
    only on 31 December 2025 23:30 WITA (before the period); Desa Tiga never.

    Schools 2/4 reached (SD 2/3, SMP 0/1; negeri 2/3, swasta 0/1), villages 1/3, TPPK 2.
    Visits in 2026: 1 requested, 1 scheduled, 4 done, 1 cancelled, 1 postponed.
    Participants: 35 boys and 37 girls (72 students), 2 teachers, 30 parents, 3 others.

    Quizzes at SD A's March visit (K1): a pre-test and a post-test; student d1 50 -> 80
    (certificate), d2 60 -> 50; a phone "shared" used twice in the pre-test (no pair);
    plus a standalone session at SD D in June, one attempt of 90 with a certificate.
    Attempts 7 (1 on paper), passed 3, mean score 440 / 7, certificates 2; pairs 2, pre 55, post 65,
    gain +10, improved 50%.
    """
    penajam = DistrictFactory(code="64.09.01", name="Penajam")
    waru = DistrictFactory(code="64.09.02", name="Waru")
    k1 = CampaignFactory(name="Sekolah Ramah Anak 2026")
    k2 = CampaignFactory(name="Desa Ramah Anak 2026")
    a = SchoolFactory(
        name="SD NEGERI 001 PENAJAM", district=penajam, tppk_status="yes",
        latitude="-1.250000", longitude="116.700000",
    )  # fmt: skip
    b = SchoolFactory(
        name="SMP SWASTA BUDI", level="smp", status="swasta", district=penajam,
        tppk_status="no", latitude="-1.300000", longitude="116.650000",
    )  # fmt: skip
    c = SchoolFactory(name="SD NEGERI 009 PENAJAM", district=penajam, is_active=False)
    d = SchoolFactory(name="SD NEGERI 001 WARU", district=waru, tppk_status="yes")
    v1 = VillageFactory(code="64.09.01.2001", name="Satu", district=penajam)
    v2 = VillageFactory(code="64.09.01.2002", name="Dua", district=penajam)
    v3 = VillageFactory(code="64.09.02.2001", name="Tiga", district=waru)

    a_march = visit(a, wita(2026, 3, 10, 9), campaign=k1, students_male=10,
                    students_female=12, teachers_unrecorded=2, others=1)  # fmt: skip
    visit(a, wita(2026, 5, 5, 9), campaign=k2, students_male=5, students_female=5)
    visit(c, wita(2026, 4, 1, 9), campaign=k1, students_male=20, students_female=20)
    visit(v1, wita(2026, 4, 20, 14), campaign=k1, parents_male=12, parents_female=18, others=2)
    visit(b, wita(2026, 6, 1, 9), status="scheduled", campaign=k1)
    visit(d, wita(2026, 2, 2, 9), status="cancelled", campaign=k1)
    visit(d, wita(2026, 2, 9, 9), status="postponed", campaign=k1)
    visit(d, wita(2026, 7, 1, 9), status="requested", campaign=k1)
    visit(d, wita(2025, 12, 31, 23, 30), campaign=k1, students_male=50, students_female=50)

    quiz = QuizFactory()
    pre = QuizSessionFactory(
        quiz=quiz, kind="pre", visit=a_march, school=a, opens_at=wita(2026, 3, 10, 9)
    )
    post = QuizSessionFactory(
        quiz=quiz, kind="post", visit=a_march, school=a, opens_at=wita(2026, 3, 10, 10, 30)
    )
    attempt(pre, 50, device="d1")
    attempt(post, 80, device="d1", certificate=True)
    attempt(pre, 60, device="d2")
    attempt(post, 50, device="d2")
    attempt(pre, 40, device="shared")
    attempt(pre, 70, device="shared")
    standalone = QuizSessionFactory(quiz=quiz, school=d, opens_at=wita(2026, 6, 3, 9))
    attempt(standalone, 90, certificate=True, source="paper")
    return SimpleNamespace(
        penajam=penajam, waru=waru, k1=k1, k2=k2, a=a, b=b, c=c, d=d, v1=v1, v2=v2, v3=v3,
        pre=pre, post=post, standalone=standalone, quiz=quiz,
    )  # fmt: skip

"""A second regency beside the small world of reach_data (whose places are all in
Kabupaten Penajam Paser Utara, 64.09), for a provincial instance's tests.

Kabupaten Paser (64.01), kecamatan Tanah Grogot, in 2026: SD PASER 1 done in April (7 +
8 students), with a quiz session of two attempts (80 and 60, one passed); SD PASER 2
never; Desa Lima done in August (4 men, 6 women). So schools 1/2, villages 1/1, 2
sessions, 15 students, 25 participants, 2 attempts.

With the world: schools 3/6, villages 2/4, 6 sessions, 87 students, 9 attempts.
"""

from types import SimpleNamespace

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client

from schools.models import RegencyMember
from tests.campaigns.factories import wita
from tests.monitoring.reach_data import attempt, visit
from tests.quizzes.factories import QuizSessionFactory
from tests.schools.factories import (
    DistrictFactory,
    RegencyFactory,
    SchoolFactory,
    VillageFactory,
)


def make_paser(world) -> SimpleNamespace:
    paser = RegencyFactory(code="64.01", name="Kabupaten Paser")
    grogot = DistrictFactory(code="64.01.01", name="Tanah Grogot", regency=paser)
    e = SchoolFactory(name="SD PASER 1", district=grogot)
    f = SchoolFactory(name="SD PASER 2", district=grogot)
    v5 = VillageFactory(code="64.01.01.2001", name="Lima", district=grogot)
    done = visit(e, wita(2026, 4, 14, 9), campaign=world.k1, students_male=7, students_female=8)
    visit(v5, wita(2026, 8, 3, 9), campaign=world.k2, parents_male=4, parents_female=6)
    session = QuizSessionFactory(
        quiz=world.quiz, visit=done, school=e, opens_at=wita(2026, 4, 14, 10)
    )
    attempt(session, 80, device="p1")
    attempt(session, 60, device="p2")
    return SimpleNamespace(regency=paser, ppu=world.penajam.regency, grogot=grogot, e=e, f=f, v5=v5)


def limited_client(role: str, regency, username: str = "staf-ppu") -> Client:
    """A client logged in as a user of `role` limited to `regency`."""
    user = get_user_model().objects.create_user(username=username)
    user.groups.add(Group.objects.get(name=role))
    RegencyMember.objects.create(user=user, regency=regency)
    client = Client()
    client.force_login(user)
    return client

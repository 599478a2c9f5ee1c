"""seed_load: synthetic, clearly marked load data, only in development."""

import io

import pytest
from django.core.management import CommandError, call_command

from campaigns.models import Campaign, Visit
from monitoring.management.commands.seed_load import CAMPAIGN, LOAD_NPSN_START
from quizzes.models import Attempt, Certificate, QuizSession, QuizTally
from schools.models import District, School

pytestmark = pytest.mark.django_db


def test_it_is_refused_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DJANGO_DEBUG=1"):
        call_command("seed_load", schools=5, attempts=10)
    assert not School.objects.exists()


def test_small_load_data_is_marked_and_complete(settings):
    settings.DEBUG = True
    out = io.StringIO()
    call_command("seed_load", schools=40, attempts=301, stdout=out)

    schools = School.objects.all()
    assert schools.count() == 40 and District.objects.count() == 4  # regions imported
    assert all(s.name.startswith("SEKOLAH UJI BEBAN ") for s in schools)
    assert all(int(s.npsn) > LOAD_NPSN_START for s in schools)
    assert schools.filter(latitude__isnull=False).count() == 40
    campaign = Campaign.objects.get(name=CAMPAIGN)
    assert set(Visit.objects.values_list("campaign", flat=True)) == {campaign.pk}
    assert Visit.objects.filter(status="done", school__isnull=False).exists()
    assert Attempt.objects.count() == 301
    assert set(QuizSession.objects.values_list("kind", flat=True)) == {"pre", "post"}
    named = Attempt.objects.exclude(name="")
    assert all(a.name.startswith("PESERTA UJI BEBAN") for a in named)
    assert Certificate.objects.count() == named.count()
    assert sum(QuizTally.objects.values_list("attempts", flat=True)) == 301  # tallied
    assert "40 sekolah" in out.getvalue() and "301 jawaban kuis" in out.getvalue()


def test_it_runs_once_and_deletes_what_it_made(settings):
    settings.DEBUG = True
    call_command("seed_load", schools=10, attempts=50, stdout=io.StringIO())
    with pytest.raises(CommandError, match="--delete"):
        call_command("seed_load", schools=10, attempts=50)
    call_command("seed_load", delete=True, stdout=io.StringIO())
    assert not School.objects.exists() and not Attempt.objects.exists()
    assert not Campaign.objects.filter(name=CAMPAIGN).exists()
    assert not QuizTally.objects.exists()
    assert District.objects.count() == 4  # the real regions stay


def test_bad_sizes_are_refused(settings):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="--schools"):
        call_command("seed_load", schools=0, attempts=10)

import io
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from campaigns import demo
from campaigns.models import Campaign, Visit, VisitStatus, VisitStatusChange
from campaigns.selectors import visits_done
from cms.roles import ADMIN
from tests.schools.factories import DistrictFactory, SchoolFactory, VillageFactory

pytestmark = pytest.mark.django_db
User = get_user_model()
KECAMATAN = [("64.09.01", "Penajam"), ("64.09.02", "Waru"), ("64.09.03", "Babulu"),
             ("64.09.04", "Sepaku")]  # fmt: skip


@pytest.fixture
def registry():
    districts = []
    for code, name in KECAMATAN:
        district = DistrictFactory(code=code, name=name)
        for n in range(3):
            SchoolFactory(name=f"SD NEGERI {n + 1:03d} {name.upper()}", district=district)
            VillageFactory(code=f"{code}.200{n}", name=f"{name} {n}", district=district)
        districts.append(district)
    return districts


def test_a_campaign_with_done_and_scheduled_visits_in_every_kecamatan(registry):
    out = io.StringIO()
    demo.seed(out)
    campaign = Campaign.objects.get(is_request_inbox=False)
    visits = campaign.visits.all()
    assert {visit.district for visit in visits} == set(registry)
    done = visits.filter(status=VisitStatus.DONE)
    scheduled = visits.filter(status=VisitStatus.SCHEDULED)
    assert done.exists() and scheduled.exists()
    now = timezone.now()
    assert all(v.starts_at < now and v.participants > 0 for v in done)
    assert all(v.starts_at > now for v in scheduled)
    for district in registry:
        assert done.filter(school__district=district).exists()
    assert all(visit.facilitators.exists() for visit in visits)
    today = timezone.localdate()
    reached = visits_done(starts_on=today - timedelta(days=60), ends_on=today)
    assert set(reached) == set(done)
    assert Visit.objects.filter(status=VisitStatus.REQUESTED, village__isnull=False).count() == 1
    assert "Kunjungan:" in out.getvalue()


def test_running_it_twice_changes_nothing(registry):
    demo.seed()
    counts = [Visit.objects.count(), VisitStatusChange.objects.count(), User.objects.count()]
    demo.seed()
    assert [Visit.objects.count(), VisitStatusChange.objects.count(),
            User.objects.count()] == counts  # fmt: skip


def test_the_history_says_demo_data_not_the_public_form(registry, role_clients):
    demo.seed()
    changes = VisitStatusChange.objects.select_related("changed_by")
    assert {change.changed_by.get_full_name() for change in changes} == {"Data contoh (seed_demo)"}
    assert not changes[0].changed_by.is_active  # names the data, cannot log in
    requested = Visit.objects.get(status=VisitStatus.REQUESTED)
    page = role_clients(ADMIN).get(reverse("visits:inspect", args=[requested.pk]))
    history = page.content.decode().split("<h2>Riwayat</h2>")[1]
    assert "Data contoh (seed_demo)" in history
    assert "Formulir publik" not in history


def test_without_a_registry_it_does_nothing(db):
    out = io.StringIO()
    demo.seed(out)
    assert not Campaign.objects.exists()
    assert "belum ada wilayah" in out.getvalue()

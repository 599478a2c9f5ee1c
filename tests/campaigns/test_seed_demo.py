import io
from datetime import timedelta

import pytest
from django.utils import timezone

from campaigns import demo
from campaigns.models import Campaign, Visit, VisitStatus
from campaigns.selectors import visits_done
from tests.schools.factories import DistrictFactory, SchoolFactory, VillageFactory

pytestmark = pytest.mark.django_db
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
    count = Visit.objects.count()
    demo.seed()
    assert Visit.objects.count() == count


def test_without_a_registry_it_does_nothing(db):
    out = io.StringIO()
    demo.seed(out)
    assert not Campaign.objects.exists()
    assert "belum ada wilayah" in out.getvalue()

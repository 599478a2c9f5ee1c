import pytest
from django.urls import reverse

from campaigns.models import Campaign
from cms.models import Topic
from tests.campaigns.factories import VisitFactory

pytestmark = pytest.mark.django_db


def campaign_data(**overrides):
    data = {
        "name": "Sekolah Ramah Anak 2027",
        "description": "Kampanye <b>tahunan</b>",
        "starts_on": "2027-01-10",
        "ends_on": "2027-11-30",
        "lead": "",
        "topics": [Topic.objects.get(slug="perundungan").pk],
        "school_levels": ["sd", "smp"],
    }
    data.update(overrides)
    return data


def test_staff_create_a_campaign(staff_client, staff):
    response = staff_client.post(reverse("campaigns:add"), campaign_data(lead=staff.pk))
    assert response.status_code == 302
    campaign = Campaign.objects.get()
    assert campaign.school_levels == ["sd", "smp"]
    assert campaign.lead == staff
    assert list(campaign.topics.values_list("slug", flat=True)) == ["perundungan"]


def test_an_end_before_the_start_is_refused(staff_client):
    response = staff_client.post(reverse("campaigns:add"), campaign_data(ends_on="2026-12-31"))
    html = response.content.decode()
    assert "Tanggal selesai harus sama dengan atau setelah tanggal mulai." in html
    assert 'value="Sekolah Ramah Anak 2027"' in html
    assert not Campaign.objects.exists()


def test_the_campaign_page_sums_its_reach(staff_client, campaign, school):
    VisitFactory(campaign=campaign, school=school, status="done", students_male=30, teachers=4)
    VisitFactory(campaign=campaign, status="scheduled")
    VisitFactory(campaign=campaign, status="cancelled")
    html = staff_client.get(reverse("campaigns:inspect", args=[campaign.pk])).content.decode()
    assert "<strong>34</strong>" in html
    listing = staff_client.get(reverse("campaigns:index")).content.decode()
    assert "Sekolah Ramah Anak 2026" in listing


def test_a_campaign_with_visits_cannot_be_deleted(admin_user, client, campaign):
    VisitFactory(campaign=campaign)
    client.force_login(admin_user)
    client.post(reverse("campaigns:delete", args=[campaign.pk]))
    assert Campaign.objects.filter(pk=campaign.pk).exists()

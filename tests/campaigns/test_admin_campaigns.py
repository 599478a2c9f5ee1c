import pytest
from django.urls import reverse

from campaigns.models import Campaign
from cms.models import Topic
from tests.campaigns.factories import VisitFactory
from tests.quizzes.factories import QuizFactory, QuizSessionFactory

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


def test_a_campaign_lists_the_quizzes_it_uses(staff_client):
    quiz = QuizFactory(title="Kuis Perundungan SMP")
    response = staff_client.post(reverse("campaigns:add"), campaign_data(quizzes=[quiz.pk]))
    assert response.status_code == 302
    assert list(Campaign.objects.get().quizzes.all()) == [quiz]
    assert list(quiz.campaigns.all()) == [Campaign.objects.get()]


def test_the_campaign_page_shows_its_quizzes_and_target_levels(staff_client, campaign):
    campaign.quizzes.set([QuizFactory(title="Kuis Perundungan SMP")])
    campaign.school_levels = ["smp", "mts"]
    campaign.save()
    html = staff_client.get(reverse("campaigns:inspect", args=[campaign.pk])).content.decode()
    assert "<dd>SMP, MTs</dd>" in html
    assert "<dd>Kuis Perundungan SMP</dd>" in html


def test_an_end_before_the_start_is_refused(staff_client):
    response = staff_client.post(reverse("campaigns:add"), campaign_data(ends_on="2026-12-31"))
    html = response.content.decode()
    assert "Tanggal selesai harus sama dengan atau setelah tanggal mulai." in html
    assert 'value="Sekolah Ramah Anak 2027"' in html
    assert not Campaign.objects.exists()


def test_the_campaign_page_sums_its_reach(staff_client, campaign, school):
    VisitFactory(
        campaign=campaign, school=school, status="done", students_male=30, teachers_female=4
    )
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


def test_a_visit_page_lists_its_quiz_sessions_and_opens_a_new_one(staff_client, campaign, school):
    visit = VisitFactory(campaign=campaign, school=school, status="done")
    session = QuizSessionFactory(
        quiz=QuizFactory(title="Kuis Akhir Sesi"), visit=visit, kind="post"
    )
    html = staff_client.get(reverse("visits:inspect", args=[visit.pk])).content.decode()
    assert "Kuis Akhir Sesi" in html and session.code in html
    add_url = reverse("quizzes_session:add") + f"?visit={visit.pk}"
    assert add_url in html

    form = staff_client.get(add_url).context["form"]
    assert form.initial["visit"] == visit
    assert form.initial["opens_at"] == visit.starts_at


@pytest.mark.parametrize("value", ["abc", "999999", "", "1; DROP"])
def test_a_bad_visit_in_the_quiz_session_address_is_ignored(staff_client, value):
    response = staff_client.get(reverse("quizzes_session:add") + f"?visit={value}")
    assert response.status_code == 200
    assert "visit" not in response.context["form"].initial

"""Scheduling in the admin: the visit form, its warnings, the list and its filters."""

import re

import pytest
import time_machine
from django.urls import reverse
from wagtail.users.models import UserProfile

from campaigns.models import PartnerAgency, Visit
from cms.models import Topic
from tests.campaigns.factories import CampaignFactory, UserFactory, VisitFactory, wita
from tests.schools.factories import DistrictFactory, SchoolFactory, VillageFactory

pytestmark = pytest.mark.django_db
NOW = wita(2026, 5, 4, 10)


def form_data(**overrides):
    data = {
        "campaign": "",
        "school": "",
        "village": "",
        "date": "2026-05-12",
        "start_time": "09:00",
        "end_time": "11:00",
        "venue": "Aula sekolah",
        "expected_participants": "80",
        "repeat_reason": "",
        "contact_name": "Bu Sari",
        "contact_role": "Guru BK",
        "contact_phone": "0812 1111 2222",
        "contact_email": "sari@example.id",
    }
    data.update(overrides)
    return data


def add(client, data):
    return client.post(reverse("visits:add"), data)


@time_machine.travel(NOW, tick=False)
def test_staff_schedule_a_visit_with_two_facilitators_and_a_partner(
    staff_client, staff, school, campaign
):
    colleague = UserFactory(username="andi", first_name="Andi")
    polres = PartnerAgency.objects.get(name="Polres")
    topic = Topic.objects.get(slug="perundungan")
    response = add(
        staff_client,
        form_data(
            campaign=campaign.pk,
            school=school.pk,
            facilitators=[staff.pk, colleague.pk],
            partners=[polres.pk],
            topics=[topic.pk],
        ),
    )
    visit = Visit.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("visits:inspect", args=[visit.pk])
    # Entered in WITA (UTC+8), stored in UTC.
    assert visit.starts_at == wita(2026, 5, 12, 9)
    assert visit.starts_at.astimezone(tz=None).utcoffset() is not None
    assert visit.starts_at.timestamp() == wita(2026, 5, 12, 1).timestamp() + 8 * 3600
    assert set(visit.facilitators.all()) == {staff, colleague}
    assert list(visit.partners.all()) == [polres]
    assert visit.status == "scheduled" and visit.created_by == staff

    page = staff_client.get(response["Location"]).content.decode()
    assert "Polres" in page and "Andi" in page and "09:00–11:00 WITA" in page


def test_the_form_is_in_indonesian(staff_client, school, campaign):
    html = staff_client.get(reverse("visits:add")).content.decode()
    for label in ("Kampanye", "Mulai (WITA)", "Selesai (WITA)", "Fasilitator", "Instansi mitra"):
        assert label in html, label


@time_machine.travel(NOW, tick=False)
def test_times_are_wita_even_when_the_user_chose_another_time_zone(
    staff_client, staff, school, campaign
):
    profile = UserProfile.get_for_user(staff)
    profile.current_time_zone = "Asia/Jakarta"
    profile.save()
    add(staff_client, form_data(campaign=campaign.pk, school=school.pk))
    visit = Visit.objects.get()
    assert visit.starts_at == wita(2026, 5, 12, 9)
    html = staff_client.get(reverse("visits:edit", args=[visit.pk])).content.decode()
    assert 'value="09:00"' in html


@time_machine.travel(NOW, tick=False)
def test_end_before_start_keeps_what_was_typed(staff_client, school, campaign):
    response = add(
        staff_client,
        form_data(campaign=campaign.pk, school=school.pk, end_time="08:30", venue="Aula <b>"),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Waktu selesai harus setelah waktu mulai." in html
    assert 'value="Aula &lt;b&gt;"' in html
    assert not Visit.objects.exists()


@pytest.mark.parametrize("date", ["9999-12-31", "0001-01-01"])
def test_a_visit_dated_beyond_reason_is_refused(staff_client, school, campaign, date):
    response = add(
        staff_client, form_data(campaign=campaign.pk, school=school.pk, date=date, venue="Aula")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["date"] == ["Pilih tanggal antara 2000 dan 2100."]
    assert 'value="Aula"' in response.content.decode()
    assert not Visit.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_a_school_and_a_village_together_or_neither_are_refused(
    staff_client, school, village, campaign
):
    both = add(staff_client, form_data(campaign=campaign.pk, school=school.pk, village=village.pk))
    assert "Pilih sekolah atau desa/kelurahan, jangan keduanya." in both.content.decode()
    neither = add(staff_client, form_data(campaign=campaign.pk))
    assert "Pilih sekolah atau desa/kelurahan tujuan kunjungan ini." in neither.content.decode()
    assert not Visit.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_a_double_booked_facilitator_is_shown_before_saving(staff_client, staff, school, campaign):
    other_school = SchoolFactory(name="SD NEGERI 002 PENAJAM", district=school.district)
    VisitFactory(
        school=other_school,
        campaign=campaign,
        starts_at=wita(2026, 5, 12, 10),
        facilitators=[staff],
    )
    data = form_data(campaign=campaign.pk, school=school.pk, facilitators=[staff.pk])
    warned = add(staff_client, data)
    html = warned.content.decode()
    assert warned.status_code == 200
    assert "Rina Wulandari sudah dijadwalkan di SD NEGERI 002 PENAJAM" in html
    assert "10:00–12:00" in html
    assert 'name="confirm_warnings"' in html
    assert Visit.objects.count() == 1

    confirmed = add(staff_client, {**data, "confirm_warnings": "on"})
    assert confirmed.status_code == 302
    assert Visit.objects.count() == 2


@time_machine.travel(NOW, tick=False)
def test_a_past_date_is_allowed_after_a_warning(staff_client, school, campaign):
    data = form_data(campaign=campaign.pk, school=school.pk, date="2026-04-20")
    warned = add(staff_client, data)
    assert "Tanggalnya sudah lewat." in warned.content.decode()
    assert not Visit.objects.exists()
    assert add(staff_client, {**data, "confirm_warnings": "on"}).status_code == 302
    assert Visit.objects.get().starts_at == wita(2026, 4, 20, 9)


@time_machine.travel(NOW, tick=False)
def test_the_confirmation_box_is_hidden_without_warnings(staff_client, school, campaign):
    html = add(staff_client, form_data(campaign=campaign.pk)).content.decode()
    assert 'name="confirm_warnings"' not in html


@time_machine.travel(NOW, tick=False)
def test_a_second_visit_in_the_same_campaign_needs_a_reason(staff_client, school, campaign):
    VisitFactory(school=school, campaign=campaign, starts_at=wita(2026, 3, 3, 9))
    data = form_data(campaign=campaign.pk, school=school.pk)
    refused = add(staff_client, data)
    html = refused.content.decode()
    assert "sudah punya kunjungan dalam kampanye ini (03-03-2026)" in html
    assert 'name="repeat_reason"' in html
    accepted = add(staff_client, {**data, "repeat_reason": "Kelas 5 dan 6 belum ikut"})
    assert accepted.status_code == 302
    # Another campaign is not a repeat.
    other = CampaignFactory()
    assert add(staff_client, form_data(campaign=other.pk, school=school.pk)).status_code == 302


@time_machine.travel(NOW, tick=False)
def test_editing_the_time_moves_the_calendar_event(staff_client, school, campaign):
    visit = VisitFactory(school=school, campaign=campaign)
    response = staff_client.post(
        reverse("visits:edit", args=[visit.pk]),
        form_data(campaign=campaign.pk, school=school.pk, date="2026-05-14"),
    )
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.starts_at == wita(2026, 5, 14, 9)
    assert visit.ics_sequence == 1


@pytest.fixture
def listed(staff, campaign):
    penajam = DistrictFactory(code="64.09.01", name="Penajam")
    sepaku = DistrictFactory(code="64.09.04", name="Sepaku")
    other_campaign = CampaignFactory(name="Desa Ramah Anak")
    return {
        "penajam_school": VisitFactory(
            school=SchoolFactory(name="SD NEGERI 003 PENAJAM", district=penajam),
            campaign=campaign,
            starts_at=wita(2026, 5, 5, 9),
            facilitators=[staff],
        ),
        "sepaku_village": VisitFactory(
            village=VillageFactory(name="Bumi Harapan", district=sepaku),
            campaign=campaign,
            status="requested",
            reference="K7QM-3XRT",
            starts_at=wita(2026, 6, 9, 9),
        ),
        "other_campaign": VisitFactory(
            school=SchoolFactory(name="SMP NEGERI 11 PPU", district=sepaku),
            campaign=other_campaign,
            status="done",
            starts_at=wita(2026, 5, 31, 23, 30),
        ),
        "districts": (penajam, sepaku),
        "other": other_campaign,
    }


def listed_names(client, query):
    html = client.get(reverse("visits:index") + query).content.decode()
    names = ["SD NEGERI 003 PENAJAM", "Bumi Harapan", "SMP NEGERI 11 PPU"]
    return {name for name in names if name in html}


def test_the_list_filters_by_status_campaign_kecamatan_facilitator_and_period(
    staff_client, staff, listed
):
    penajam, sepaku = listed["districts"]
    everything = {"SD NEGERI 003 PENAJAM", "Bumi Harapan", "SMP NEGERI 11 PPU"}
    assert listed_names(staff_client, "") == everything
    assert listed_names(staff_client, "?status=requested") == {"Bumi Harapan"}
    assert listed_names(staff_client, f"?campaign={listed['other'].pk}") == {"SMP NEGERI 11 PPU"}
    assert listed_names(staff_client, f"?kecamatan={sepaku.pk}") == {
        "Bumi Harapan",
        "SMP NEGERI 11 PPU",
    }
    assert listed_names(staff_client, f"?facilitator={staff.pk}") == {"SD NEGERI 003 PENAJAM"}
    # May in WITA days: 31 May 23:30 WITA is 15:30 UTC, still May.
    assert listed_names(staff_client, "?period_from=2026-05-01&period_to=2026-05-31") == {
        "SD NEGERI 003 PENAJAM",
        "SMP NEGERI 11 PPU",
    }
    assert listed_names(staff_client, "?q=K7QM-3XRT") == {"Bumi Harapan"}


def test_a_bad_filter_value_is_a_message_not_an_error(staff_client, listed):
    response = staff_client.get(reverse("visits:index") + "?period_from=kemarin&kecamatan=x")
    assert response.status_code == 200


@pytest.mark.parametrize("period", ["period_to=9999-12-31", "period_from=0001-01-01"])
def test_a_period_beyond_reason_is_dropped(staff_client, listed, period):
    """9999-12-31 has no day after it: the list answered 500."""
    everything = {"SD NEGERI 003 PENAJAM", "Bumi Harapan", "SMP NEGERI 11 PPU"}
    assert listed_names(staff_client, f"?{period}") == everything


def test_the_list_runs_a_fixed_number_of_queries(
    staff_client, staff, campaign, django_assert_max_num_queries
):
    for day in range(1, 21):
        VisitFactory(campaign=campaign, starts_at=wita(2026, 5, day, 9), facilitators=[staff])
    with django_assert_max_num_queries(25):
        assert staff_client.get(reverse("visits:index")).status_code == 200


def test_a_prefill_with_unicode_digits_chooses_nothing(staff_client, school, campaign):
    """ "²" and "①" pass str.isdigit() but not int(): the form opens, nothing chosen."""
    for query in ("school=²", "village=²", "campaign=①", "school=١٢", f"school={school.pk}²"):
        response = staff_client.get(reverse("visits:add") + f"?{query}")
        assert response.status_code == 200, query
        assert not re.search(r'<option value="\d+" selected>', response.content.decode())
    prefilled = staff_client.get(reverse("visits:add") + f"?school={school.pk}&campaign=²")
    assert re.search(rf'<option value="{school.pk}" selected>', prefilled.content.decode())

import re
from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from campaigns import services
from campaigns.models import Campaign, Visit, VisitStatus
from tests.campaigns.factories import VisitFactory, wita

pytestmark = pytest.mark.django_db


def schedule(school, campaign, staff, **fields):
    fields.setdefault("starts_at", wita(2026, 5, 12, 9))
    fields.setdefault("ends_at", wita(2026, 5, 12, 11))
    return services.visit_create(by=staff, campaign=campaign, school=school, **fields)


def test_creating_a_visit_logs_its_first_status(school, campaign, staff):
    visit = schedule(school, campaign, staff, facilitators=[staff])
    change = visit.status_changes.get()
    assert (change.from_status, change.to_status, change.changed_by) == ("", "scheduled", staff)
    assert list(visit.facilitators.all()) == [staff]


def test_a_visit_needs_exactly_one_target(school, village, campaign, staff):
    with pytest.raises(ValidationError, match="satu sekolah atau satu desa"):
        schedule(school, campaign, staff, village=village)
    with pytest.raises(ValidationError, match="satu sekolah atau satu desa"):
        schedule(None, campaign, staff)


def test_the_database_refuses_a_visit_with_both_targets_or_none(school, village, campaign):
    visit = VisitFactory(school=school, campaign=campaign)
    with pytest.raises(IntegrityError), transaction.atomic():
        Visit.objects.filter(pk=visit.pk).update(village=village)
    with pytest.raises(IntegrityError), transaction.atomic():
        Visit.objects.filter(pk=visit.pk).update(school=None)


def test_end_before_start_is_refused(school, campaign, staff):
    with pytest.raises(ValidationError, match="Waktu selesai harus setelah waktu mulai"):
        schedule(school, campaign, staff, ends_at=wita(2026, 5, 12, 8))
    visit = VisitFactory(school=school, campaign=campaign)
    with pytest.raises(IntegrityError), transaction.atomic():
        Visit.objects.filter(pk=visit.pk).update(ends_at=visit.starts_at)


def test_moving_a_visit_raises_its_calendar_sequence_but_editing_notes_does_not(
    school, campaign, staff
):
    visit = schedule(school, campaign, staff)
    visit = services.visit_update(visit=visit, by=staff, contact_name="Bu Sari")
    assert visit.ics_sequence == 0
    visit = services.visit_update(
        visit=visit, by=staff, starts_at=wita(2026, 5, 13, 9), ends_at=wita(2026, 5, 13, 11)
    )
    assert visit.ics_sequence == 1
    assert visit.uid == Visit.objects.get(pk=visit.pk).uid


def test_status_moves_along_the_allowed_paths_and_every_change_is_logged(school, campaign, staff):
    visit = schedule(school, campaign, staff)
    visit = services.visit_change_status(
        visit=visit, to_status="postponed", reason="Ujian sekolah", by=staff
    )
    visit = services.visit_change_status(visit=visit, to_status="scheduled", by=staff)
    visit = services.visit_change_status(
        visit=visit, to_status="cancelled", reason="Sekolah libur", by=staff
    )
    log = list(visit.status_changes.values_list("from_status", "to_status", "reason"))
    assert log == [
        ("", "scheduled", ""),
        ("scheduled", "postponed", "Ujian sekolah"),
        ("postponed", "scheduled", ""),
        ("scheduled", "cancelled", "Sekolah libur"),
    ]
    assert visit.ics_sequence == 3
    with pytest.raises(ValidationError, match="tidak bisa diubah menjadi terjadwal"):
        services.visit_change_status(visit=visit, to_status="scheduled", by=staff)


def test_cancelling_or_postponing_needs_a_reason(school, campaign, staff):
    visit = schedule(school, campaign, staff)
    for status in ("cancelled", "postponed"):
        with pytest.raises(ValidationError, match="Tuliskan alasannya"):
            services.visit_change_status(visit=visit, to_status=status, reason="  ", by=staff)
    assert Visit.objects.get(pk=visit.pk).status == "scheduled"


ATTENDANCE = {
    "students_male": 40,
    "students_female": 45,
    "teachers_male": 2,
    "teachers_female": 4,
    "parents_male": 0,
    "parents_female": 0,
    "others": 2,
}


@time_machine.travel(wita(2026, 5, 12, 13), tick=False)
def test_recording_marks_the_visit_done(school, campaign, staff):
    visit = schedule(school, campaign, staff)
    visit = services.visit_record(visit=visit, by=staff, attendance=ATTENDANCE, notes="Lancar")
    assert visit.status == VisitStatus.DONE
    assert visit.participants == 93
    assert visit.status_changes.last().to_status == "done"


@time_machine.travel(wita(2026, 5, 11, 13), tick=False)
def test_a_visit_cannot_be_recorded_before_its_day(school, campaign, staff):
    visit = schedule(school, campaign, staff)
    with pytest.raises(ValidationError, match="pada hari itu atau sesudahnya"):
        services.visit_record(visit=visit, by=staff, attendance=ATTENDANCE)


def test_only_scheduled_or_done_visits_can_be_recorded(school, campaign, staff):
    visit = schedule(school, campaign, staff, status=VisitStatus.REQUESTED)
    with pytest.raises(ValidationError, match="Hanya kunjungan terjadwal"):
        services.visit_record(visit=visit, by=staff, attendance=ATTENDANCE)


def test_attendance_over_the_limit_is_refused(school, campaign, staff):
    visit = VisitFactory(school=school, campaign=campaign, starts_at=wita(2026, 1, 5, 9))
    with pytest.raises(ValidationError):
        services.visit_record(
            visit=visit, by=staff, attendance={**ATTENDANCE, "teachers_male": 5001}
        )


@time_machine.travel(wita(2026, 3, 2, 10), tick=False)
def test_requests_land_in_the_years_inbox_with_a_random_reference(village):
    first = services.visit_request(
        village=village,
        preferred_date=date(2026, 3, 20),
        time_slot="siang",
        contact_name="Pak Kades",
        contact_phone="0812 3456 7890",
        expected_participants=60,
    )
    second = services.visit_request(
        village=village,
        preferred_date=date(2026, 3, 21),
        time_slot="pagi",
        contact_name="Pak Kades",
        contact_phone="0812 3456 7890",
        expected_participants=60,
    )
    assert first.status == second.status == VisitStatus.REQUESTED
    assert first.campaign == second.campaign
    inbox = Campaign.objects.get(is_request_inbox=True)
    assert inbox.name == "Permintaan sekolah/desa 2026"
    assert (inbox.starts_on, inbox.ends_on) == (date(2026, 1, 1), date(2026, 12, 31))
    assert first.starts_at == wita(2026, 3, 20, 10)
    assert first.ends_at - first.starts_at == timedelta(hours=2)
    for visit in (first, second):
        assert re.fullmatch(r"[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}", visit.reference)
    assert first.reference != second.reference
    assert first.status_changes.get().changed_by is None

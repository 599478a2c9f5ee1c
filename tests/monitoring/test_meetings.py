"""Meetings and follow-up actions: the period a meeting reviews, who came, and who may
move an action on, each change recorded with who and when."""

import datetime as dt
from pathlib import Path

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.models import ModelLogEntry

from cms.roles import PARTNER
from monitoring import services
from monitoring.meetings import meeting_list, open_actions_by_agency, overdue_actions
from monitoring.models import ActionStatus
from tests.campaigns.factories import wita
from tests.monitoring.meeting_data import action, agency, meeting, partner, staff, user_with

pytestmark = pytest.mark.django_db


def test_the_first_meeting_reviews_ninety_days_and_the_next_one_the_time_since():
    by = staff()
    first = meeting(by, held_at=wita(2026, 6, 30, 9))
    assert (first.reviews_from, first.reviews_to) == (dt.date(2026, 4, 1), dt.date(2026, 6, 30))
    # At 00:30 WITA on 1 October it is still 30 September in UTC: the WITA day counts.
    second = meeting(by, held_at=wita(2026, 10, 1, 0, 30))
    assert (second.reviews_from, second.reviews_to) == (dt.date(2026, 7, 1), dt.date(2026, 10, 1))


def test_a_chosen_period_is_kept_and_must_not_end_before_it_starts():
    by = staff()
    chosen = meeting(by, reviews_from=dt.date(2026, 1, 1), reviews_to=dt.date(2026, 3, 31))
    assert (chosen.reviews_from, chosen.reviews_to) == (dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    with pytest.raises(ValidationError):
        meeting(by, reviews_from=dt.date(2026, 3, 1), reviews_to=dt.date(2026, 2, 1))


def test_attendance_is_people_per_agency_and_an_edit_replaces_it_and_is_logged():
    by = staff()
    polres, pa = agency("Polres"), agency("Pengadilan Agama")
    held = meeting(by, attendance={polres: 3, pa: 2})
    assert {(row.agency.name, row.people) for row in held.attendance.all()} == {
        ("Polres", 3),
        ("Pengadilan Agama", 2),
    }
    services.meeting_update(
        meeting=held, by=by, attendance={polres: 4, pa: None}, decisions="Patroli tiap bulan."
    )
    assert [(row.agency.name, row.people) for row in held.attendance.all()] == [("Polres", 4)]
    logged = ModelLogEntry.objects.filter(object_id=str(held.pk)).order_by("timestamp")
    assert [(entry.action, entry.user_id) for entry in logged] == [
        ("wagtail.create", by.pk),
        ("wagtail.edit", by.pk),
    ]


@time_machine.travel(wita(2026, 10, 1, 8), tick=False)
def test_a_partner_updates_their_agencys_actions_only_and_each_update_says_who_and_when():
    by = staff()
    held = meeting(by)
    polres_action = action(held, by)
    pa_action = action(held, by, agency_name="Pengadilan Agama")
    polres = partner()
    with time_machine.travel(wita(2026, 10, 5, 10), tick=False):
        update = services.action_update(
            action=polres_action, by=polres, status=ActionStatus.DONE, note="Patroli selesai."
        )
    polres_action.refresh_from_db()
    assert polres_action.status == ActionStatus.DONE
    assert (update.by, update.by_agency, update.at) == (
        polres,
        agency("Polres"),
        wita(2026, 10, 5, 10),
    )
    assert [u.status for u in polres_action.updates.all()] == ["not_started", "done"]
    with pytest.raises(PermissionDenied):
        services.action_update(action=pa_action, by=polres, status=ActionStatus.DONE)
    # Staff update any action; their updates name no agency.
    update = services.action_update(action=pa_action, by=by, status=ActionStatus.IN_PROGRESS)
    assert update.by_agency is None


def test_a_partner_without_an_agency_updates_nothing_and_cannot_add_actions():
    by = staff()
    held = meeting(by)
    polres_action = action(held, by)
    loose = user_with(PARTNER, "mitra-tanpa-instansi")
    with pytest.raises(PermissionDenied):
        services.action_update(action=polres_action, by=loose, status=ActionStatus.DONE)
    with pytest.raises(PermissionDenied):
        action(held, partner())


def test_an_update_that_changes_nothing_is_refused():
    by = staff()
    polres_action = action(meeting(by), by)
    with pytest.raises(ValidationError):
        services.action_update(action=polres_action, by=by, status=ActionStatus.NOT_STARTED)
    services.action_update(action=polres_action, by=by, status="not_started", note="Dijadwalkan.")
    assert polres_action.updates.count() == 2


@time_machine.travel(wita(2026, 11, 2, 8), tick=False)
def test_open_actions_past_their_due_date_are_overdue():
    by = staff()
    held = meeting(by)
    late = action(held, by, due_on=dt.date(2026, 11, 1))
    action(held, by, due_on=dt.date(2026, 11, 2), agency_name="Pengadilan Agama")
    done = action(held, by, due_on=dt.date(2026, 10, 1), agency_name="Kejaksaan Negeri")
    services.action_update(action=done, by=by, status=ActionStatus.DONE)
    done.refresh_from_db()
    assert list(overdue_actions()) == [late]
    assert late.is_overdue and not done.is_overdue
    row = meeting_list().get(pk=held.pk)
    assert (row.open_count, row.overdue_count) == (2, 1)
    grouped = open_actions_by_agency()
    assert [(agency.name, len(actions)) for agency, actions in grouped] == [
        ("Polres", 1),
        ("Pengadilan Agama", 1),
    ]


def test_deleting_a_meeting_deletes_its_attachments(django_capture_on_commit_callbacks):
    by = staff()
    held = meeting(by)
    polres_action = action(held, by)
    update = services.action_update(
        action=polres_action,
        by=by,
        status=ActionStatus.IN_PROGRESS,
        attachment=SimpleUploadedFile("Surat Tugas.pdf", b"%PDF-1.4 surat"),
    )
    path = update.attachment.path
    assert update.attachment.name.startswith("tindak-lanjut/")
    assert update.attachment_name == "surat-tugas.pdf"
    with open(path, "rb") as stored:
        assert stored.read() == b"%PDF-1.4 surat"
    with django_capture_on_commit_callbacks(execute=True):
        held.delete()
    assert not Path(path).exists()

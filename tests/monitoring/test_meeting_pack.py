"""The meeting pack: an A4 PDF made by a Celery job behind a progress page, with the
dashboard's own figures for the period the meeting reviews."""

import datetime as dt
import io
import re
from pathlib import Path

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import gettext
from pypdf import PdfReader

from monitoring import services
from monitoring.models import ActionStatus, JobStatus, MeetingPack
from monitoring.pack import meeting_pack_request, pack_context, pack_html
from tests.campaigns.factories import VisitFactory, wita
from tests.downloads import pdf_text
from tests.monitoring.meeting_data import action, meeting, staff
from tests.monitoring.reach_data import attempt
from tests.schools.factories import SchoolFactory

pytestmark = pytest.mark.django_db


def indonesian(msgid: str) -> str:
    """What the pack, always in Indonesian, says for `msgid`."""
    with translation.override("id"):
        return gettext(msgid)


@pytest.fixture(autouse=True)
def in_may_2026():
    with time_machine.travel(wita(2026, 5, 20, 8), tick=False):
        yield


@pytest.fixture
def quarter(world):
    """Last quarter's meeting (its decisions and three actions, one done) and this
    quarter's, held on 20 May 2026 and reviewing 1 January to 20 May."""
    by = staff()
    last = meeting(by, held_at=wita(2025, 12, 31, 9), decisions="Patroli sekolah tiap bulan.")
    late = action(last, by, due_on=dt.date(2026, 3, 31))
    action(last, by, due_on=dt.date(2026, 6, 30), agency_name="Pengadilan Agama",
           what="Sosialisasi dispensasi kawin")  # fmt: skip
    done = action(last, by, agency_name="Kejaksaan Negeri", what="Jaksa masuk sekolah")
    services.action_update(action=done, by=by, status=ActionStatus.DONE)
    this = meeting(by, held_at=wita(2026, 5, 20, 9))
    return by, last, this, late


def test_the_period_reviewed_starts_after_the_previous_meeting(quarter):
    _by, _last, this, _late = quarter
    assert (this.reviews_from, this.reviews_to) == (dt.date(2026, 1, 1), dt.date(2026, 5, 20))


def test_the_packs_figures_are_the_dashboards_for_the_same_filters(quarter, staff_client):
    _by, _last, this, _late = quarter
    response = staff_client.get("/admin/jangkauan/?dari=2026-01-01&sampai=2026-05-20")
    dashboard = response.context["reach"]
    pack = pack_context(this)["reach"]
    assert pack == dashboard
    assert (pack.schools.reached, pack.schools.total, pack.sessions) == (2, 4, 4)

    def cards(html: str) -> list[str]:
        block = re.search(r'<dl class="reach-cards">(.*?)</dl>', html, re.S).group(1)
        return [
            " ".join(re.sub(r"<[^>]+>", " ", dd).split())
            for dd in re.findall(r"<dd>(.*?)</dd>", block, re.S)
        ]

    assert cards(pack_html(this)) == cards(response.content.decode())


def test_the_pack_is_made_by_the_job_and_holds_what_the_meeting_discusses(
    quarter, staff_client, django_capture_on_commit_callbacks
):
    by, _last, this, late = quarter
    url = f"/admin/rapat/{this.pk}/paket/"
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(url)
    assert response.status_code == 302 and response["Location"] == url
    page = staff_client.get(url).content.decode()
    assert 'http-equiv="refresh"' not in page
    assert f"/admin/rapat/{this.pk}/paket.pdf" in page
    download = staff_client.get(f"/admin/rapat/{this.pk}/paket.pdf")
    pdf = b"".join(download.streaming_content)
    reader = PdfReader(io.BytesIO(pdf))
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    text = " ".join(pdf_text(pdf).split())
    assert "2 / 4" in text and "1 / 3" in text  # schools and villages reached
    assert "SMP SWASTA BUDI" in text  # unreached, and visited on 1 June: planned
    assert "Desa Dua" in text
    # The overdue action, its due date marked as such; the other open one not. The
    # meeting's date (bold, as the row is overdue) ends before the due date's column:
    # running into it, the two read "31-12-202531-03-2026".
    assert re.search(rf"{late.what} 31-12-2025 31-03-2026 {indonesian('Overdue')}", text)
    assert not re.search(rf"30-06-2026 {indonesian('Overdue')}", text)
    assert "Sosialisasi dispensasi kawin" in text and "Jaksa masuk sekolah" not in text
    assert "Patroli sekolah tiap bulan." in text  # last meeting's decisions
    assert indonesian("New decisions") in text


def test_the_progress_page_reloads_itself_while_the_pack_is_made_and_offers_a_retry(
    quarter, staff_client
):
    _by, _last, this, _late = quarter
    pack = MeetingPack.objects.create(meeting=this)
    url = f"/admin/rapat/{this.pk}/paket/"
    assert '<meta http-equiv="refresh" content="3">' in staff_client.get(url).content.decode()
    # The PDF's address leads back to the progress page until it is ready.
    assert staff_client.get(f"/admin/rapat/{this.pk}/paket.pdf")["Location"] == url
    # Pending for longer than a pack takes: its task was lost; the button is back.
    with time_machine.travel(wita(2026, 5, 20, 8, 11), tick=False):
        page = staff_client.get(url).content.decode()
    assert 'http-equiv="refresh"' not in page and '<form method="post">' in page
    pack.status = JobStatus.FAILED
    pack.save()
    page = staff_client.get(url).content.decode()
    assert 'http-equiv="refresh"' not in page and '<form method="post">' in page


def test_asking_again_replaces_the_pack_and_deletes_the_old_file(
    quarter, django_capture_on_commit_callbacks
):
    by, _last, this, _late = quarter
    with django_capture_on_commit_callbacks(execute=True):
        first = meeting_pack_request(meeting=this, by=by)
    first.refresh_from_db()
    old_path = Path(first.file.path)
    assert first.status == JobStatus.READY and old_path.exists()
    # Asking again for a ready pack makes a new one, with the figures of now.
    with django_capture_on_commit_callbacks(execute=True):
        second = meeting_pack_request(meeting=this, by=by)
    second.refresh_from_db()
    assert second.pk != first.pk and second.status == JobStatus.READY
    assert not old_path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        this.delete()
    assert not Path(second.file.path).exists()


def test_a_pending_pack_is_not_asked_for_twice_unless_stuck(quarter):
    by, _last, this, _late = quarter
    pending = MeetingPack.objects.create(meeting=this)
    assert meeting_pack_request(meeting=this, by=by) == pending
    with time_machine.travel(wita(2026, 5, 20, 8, 11), tick=False):
        assert meeting_pack_request(meeting=this, by=by) != pending
    assert MeetingPack.objects.get(meeting=this).pk != pending.pk


def test_the_packs_queries_do_not_grow_with_schools_attempts_or_actions(quarter, world):
    by, last, this, _late = quarter

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            pack_context(this)
        return len(captured)

    before = queries()
    for number in range(20):
        school = SchoolFactory(name=f"SD BARU {number}", district=world.penajam)
        VisitFactory(school=school, status="done", starts_at=wita(2026, 4, 2, 9), campaign=world.k1)
        attempt(world.post, 70, device=f"x{number}")
        action(last, by, due_on=dt.date(2026, 4, 1), what=f"Tindakan {number}")
    VisitFactory(school=world.d, starts_at=wita(2026, 6, 2, 9), campaign=world.k1)
    assert queries() == before


def test_the_pack_lists_the_soonest_planned_visits_and_counts_the_rest(quarter, world, monkeypatch):
    _by, _last, this, _late = quarter
    monkeypatch.setattr("monitoring.pack.PLANNED_SHOWN", 1)
    VisitFactory(school=world.d, starts_at=wita(2026, 6, 10, 9), campaign=world.k1)
    VisitFactory(school=world.a, starts_at=wita(2026, 6, 19, 9), campaign=world.k1)  # 31st day
    context = pack_context(this)
    assert [visit.school for visit in context["planned"]] == [world.b]  # 1 June
    assert context["planned_count"] == 2

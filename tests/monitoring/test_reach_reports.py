"""The printed report is a job: asked for by a POST, rendered by a task, followed on a
page that reloads itself, downloaded by its requester, deleted after a day."""

import datetime as dt

import pytest
from django.core.files.storage import default_storage

from monitoring.models import JobStatus, ReachReport
from monitoring.reports import reach_report_render, reach_reports_delete_old

YEAR = {"dari": "2026-01-01", "sampai": "2026-12-31"}


def test_the_dashboard_makes_no_report_and_no_pdf(
    staff_client, world, django_assert_max_num_queries
):
    page = staff_client.get("/admin/jangkauan/?dari=2026-01-01&sampai=2026-12-31")
    html = page.content.decode()
    assert 'action="/admin/jangkauan/laporan/"' in html and 'method="post"' in html
    assert '<input type="hidden" name="dari" value="2026-01-01">' in html
    assert not ReachReport.objects.exists()
    assert staff_client.get("/admin/jangkauan/laporan/").status_code == 405


def test_a_pending_report_reloads_its_page_until_it_is_ready(staff_client, world):
    response = staff_client.post("/admin/jangkauan/laporan/", YEAR)  # the task waits for commit
    report = ReachReport.objects.get()
    assert response["Location"] == f"/admin/jangkauan/laporan/{report.pk}/"
    assert report.filters == YEAR and report.with_facilitators
    page = staff_client.get(response["Location"])
    assert page["Refresh"] == "3"
    assert "sedang dibuat" in page.content.decode()
    assert staff_client.get(f"/admin/jangkauan/laporan/{report.pk}.pdf").status_code == 404

    reach_report_render(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == JobStatus.READY and default_storage.exists(report.file.name)
    page = staff_client.get(response["Location"])
    assert (
        "Refresh" not in page
        and f"/admin/jangkauan/laporan/{report.pk}.pdf" in page.content.decode()
    )


def test_a_stuck_or_failed_report_offers_to_ask_again(staff_client, world, time_machine):
    time_machine.move_to(dt.datetime(2026, 9, 1, 8, tzinfo=dt.UTC))
    staff_client.post("/admin/jangkauan/laporan/", YEAR)
    report = ReachReport.objects.get()
    time_machine.move_to(dt.datetime(2026, 9, 1, 8, 11, tzinfo=dt.UTC))
    page = staff_client.get(f"/admin/jangkauan/laporan/{report.pk}/")
    html = page.content.decode()
    assert "Refresh" not in page and "jauh lebih lama" in html
    assert '<input type="hidden" name="sampai" value="2026-12-31">' in html
    report.status = JobStatus.FAILED
    report.save()
    html = staff_client.get(f"/admin/jangkauan/laporan/{report.pk}/").content.decode()
    assert "tidak berhasil dibuat" in html and "Minta laporan lagi" in html


def test_partners_reports_leave_out_the_facilitators(role_clients, world):
    from cms.roles import PARTNER

    role_clients(PARTNER).post("/admin/jangkauan/laporan/", YEAR)
    assert ReachReport.objects.get().with_facilitators is False


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_old_reports_go_with_their_files(staff_client, world, time_machine):
    time_machine.move_to(dt.datetime(2026, 9, 1, 8, tzinfo=dt.UTC))
    staff_client.post("/admin/jangkauan/laporan/", YEAR)  # rendered at commit (eager)
    old = ReachReport.objects.get()
    assert old.status == JobStatus.READY
    time_machine.move_to(dt.datetime(2026, 9, 2, 7, tzinfo=dt.UTC))
    staff_client.post("/admin/jangkauan/laporan/", YEAR)
    time_machine.move_to(dt.datetime(2026, 9, 2, 9, tzinfo=dt.UTC))
    assert reach_reports_delete_old() == 1
    assert list(ReachReport.objects.values_list("created_at__day", flat=True)) == [2]
    assert not default_storage.exists(old.file.name)

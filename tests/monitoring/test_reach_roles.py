"""Who reaches the reach dashboard, its exports and report: admin, staff and partners
(Mitra). Partners see figures only: every screen or file of the other apps with a
student's name, or a contact person's, is a 403 for them."""

import importlib

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from cms.roles import ADMIN, ALL_ROLES, EDITOR, PARTNER, STAFF
from monitoring.models import ReachReport
from tests.downloads import pdf_text
from tests.monitoring.reach_data import attempt
from tests.roles import assert_access, assert_login_required

REACH = {ADMIN, STAFF, PARTNER}
FILTERS = "?dari=2026-01-01&sampai=2026-12-31"


REACH_URLS = {
    "dashboard": "/admin/jangkauan/",
    "dashboard_filtered": f"/admin/jangkauan/{FILTERS}&kecamatan=1&jenjang=sd",
    "xlsx": f"/admin/jangkauan/jangkauan.xlsx{FILTERS}",
    "csv": f"/admin/jangkauan/jangkauan.csv{FILTERS}",
}


@pytest.mark.parametrize("name", REACH_URLS)
def test_admin_staff_and_partners_reach_the_dashboard_exports_and_report(role_clients, world, name):
    assert_access(role_clients, REACH_URLS[name], REACH)


def test_admin_staff_and_partners_ask_for_reports_and_only_see_their_own(
    role_clients, world, report_pdf
):
    mine = {}
    for role in ALL_ROLES:
        client = role_clients(role)
        if role in REACH:
            assert report_pdf(client, FILTERS).status_code == 200
            mine[role] = ReachReport.objects.latest("pk").pk
        else:
            assert client.post("/admin/jangkauan/laporan/", {}).status_code in (302, 403)
    assert ReachReport.objects.count() == len(REACH)
    for role in ALL_ROLES:
        client = role_clients(role)
        for owner, pk in mine.items():
            for url in (f"/admin/jangkauan/laporan/{pk}/", f"/admin/jangkauan/laporan/{pk}.pdf"):
                status = client.get(url).status_code
                if role == owner:
                    assert status == 200, (role, url)
                else:  # someone else's report is not found; no role sees it
                    assert status in (302, 403, 404), (role, url, status)


def test_anonymous_visitors_are_sent_to_the_login(client, world):
    assert_login_required(client, REACH_URLS.values())
    assert_login_required(client, ["/admin/jangkauan/laporan/1/", "/admin/jangkauan/laporan/1.pdf"])


def test_the_menu_shows_reach_to_admin_staff_and_partners(role_clients, world):
    for role in ALL_ROLES:
        menu = role_clients(role).get("/admin/").content.decode()
        assert ("/admin/jangkauan/" in menu) == (role in REACH), role


def student_and_contact_urls(world) -> dict[str, str]:
    """Screens and files of the other apps that show a student's name or a contact
    person's."""
    visit = world.pre.visit
    return {
        "quiz results CSV (names)": f"/admin/quizzes/sessions/{world.post.pk}/hasil.csv",
        "quiz results XLSX (names)": f"/admin/quizzes/sessions/{world.post.pk}/hasil.xlsx",
        "certificates PDF": f"/admin/quizzes/sessions/{world.post.pk}/sertifikat.pdf",
        "quiz projector": f"/admin/quizzes/sessions/{world.post.pk}/projector/",
        "visits list (contact search)": "/admin/kunjungan/",
        "visit page (contact)": f"/admin/kunjungan/inspect/{visit.pk}/",
        "visit form (contact)": f"/admin/kunjungan/edit/{visit.pk}/",
        "session kit (contact)": f"/admin/kunjungan/{visit.pk}/kit/",
        "calendar": "/admin/kunjungan/kalender/",
        "school page (headteacher)": f"/admin/schools/inspect/{world.a.pk}/",
        "schools export (headteachers)": "/admin/schools/?export=xlsx",
    }


def test_partners_get_a_403_for_every_page_with_names(role_clients, world):
    partner = role_clients(PARTNER)
    for label, url in student_and_contact_urls(world).items():
        assert partner.get(url).status_code == 403, label


def test_editors_are_refused_too(role_clients, world):
    editor = role_clients(EDITOR)
    for label, url in student_and_contact_urls(world).items():
        assert editor.get(url).status_code in (302, 403), label


def test_partners_see_figures_but_no_name_and_no_button_to_schedule(
    role_clients, world, report_pdf
):
    attempt(world.post, 90, device="d9", certificate=True)  # "Rina Sari" on a certificate
    partner = role_clients(PARTNER)
    html = partner.get(f"/admin/jangkauan/{FILTERS}").content.decode()
    assert "SMP SWASTA BUDI" in html  # unreached schools are places, not people
    assert "/admin/kunjungan/new/" not in html and "/admin/schools/" not in html
    for url in (REACH_URLS["xlsx"], REACH_URLS["csv"]):
        response = partner.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert b"Rina" not in body, url
    report = " ".join(pdf_text(b"".join(report_pdf(partner, FILTERS).streaming_content)).split())
    assert "Rina" not in report and "SD NEGERI 001 PENAJAM" in report
    assert "Rina" not in html


def test_staff_get_the_buttons_to_schedule_and_to_the_registry(role_clients, world):
    html = role_clients(STAFF).get(f"/admin/jangkauan/{FILTERS}").content.decode()
    assert f"/admin/kunjungan/new/?school={world.b.pk}" in html
    assert f"/admin/kunjungan/new/?village={world.v2.pk}" in html


def test_the_permission_is_monitorings_and_held_by_admin_staff_and_partners(db):
    holders = Group.objects.filter(
        permissions__content_type__app_label="monitoring", permissions__codename="view_reach"
    )
    assert set(holders.values_list("name", flat=True)) == REACH
    assert (
        not Permission.objects.filter(codename="view_reach")
        .exclude(content_type__app_label="monitoring")
        .exists()
    )


def test_the_migration_gives_the_new_permission_to_whoever_had_the_old(db, django_user_model):
    migration = importlib.import_module("monitoring.migrations.0001_initial")
    apps = MigrationExecutor(connection).loader.project_state([("monitoring", "0001_initial")]).apps
    # Back to campaigns.view_reach, then held by one more group and by one user directly.
    migration.backwards(apps, None)
    old = Permission.objects.get(content_type__app_label="campaigns", codename="view_reach")
    Group.objects.create(name="Pemantau").permissions.add(old)
    user = django_user_model.objects.create_user(username="pemantau")
    user.user_permissions.add(old)
    holders = set(old.group_set.values_list("name", flat=True))
    assert holders == REACH | {"Pemantau"}

    migration.forwards(apps, None)
    new = Permission.objects.get(content_type__app_label="monitoring", codename="view_reach")
    assert set(new.group_set.values_list("name", flat=True)) == holders
    assert list(new.user_set.all()) == [user]
    assert not Permission.objects.filter(
        content_type__app_label="campaigns", codename="view_reach"
    ).exists()
    assert django_user_model.objects.get(pk=user.pk).has_perm("monitoring.view_reach")

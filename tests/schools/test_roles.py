"""Who reaches which registry screen: every admin URL this app adds, for every role."""

import pytest
from django.contrib.auth.models import Group

from cms.roles import ADMIN, ALL_ROLES, EDITOR, PARTNER, STAFF
from schools.models import School, SchoolImport
from tests.roles import assert_access, assert_login_required
from tests.schools.factories import DAPODIK_HEADER, SchoolFactory, csv_file

REGISTRY = {ADMIN, STAFF}


@pytest.fixture
def urls(role_clients, penajam, kel_penajam):
    school = SchoolFactory(district=penajam, village=kel_penajam)
    role_clients(STAFF).post(
        "/admin/schools/import/",
        {"file": csv_file([DAPODIK_HEADER, ["30401950", "SD A", "SD", "Negeri", "", "", "Waru"]])},
    )
    record = SchoolImport.objects.get()
    urls = {
        "import": "/admin/schools/import/",
        "import_preview": f"/admin/schools/import/{record.pk}/",
    }
    for prefix, obj in (("schools", school), ("villages", kel_penajam)):
        urls |= {
            f"{prefix}_list": f"/admin/{prefix}/",
            f"{prefix}_results": f"/admin/{prefix}/results/?district={penajam.pk}",
            f"{prefix}_add": f"/admin/{prefix}/new/",
            f"{prefix}_edit": f"/admin/{prefix}/edit/{obj.pk}/",
            f"{prefix}_delete": f"/admin/{prefix}/delete/{obj.pk}/",
            f"{prefix}_inspect": f"/admin/{prefix}/inspect/{obj.pk}/",
            f"{prefix}_history": f"/admin/{prefix}/history/{obj.pk}/",
            f"{prefix}_usage": f"/admin/{prefix}/usage/{obj.pk}/",
            f"{prefix}_export_csv": f"/admin/{prefix}/?export=csv",
            f"{prefix}_export_xlsx": f"/admin/{prefix}/?export=xlsx",
        }
    return urls


URL_NAMES = [
    "import", "import_preview",
    *(f"{prefix}_{view}" for prefix in ("schools", "villages")
      for view in ("list", "results", "add", "edit", "delete", "inspect", "history", "usage",
                   "export_csv", "export_xlsx")),
]  # fmt: skip


@pytest.mark.parametrize("name", URL_NAMES)
def test_only_admin_and_staff_reach_the_registry(role_clients, urls, name):
    assert_access(role_clients, urls[name], REGISTRY)


def test_anonymous_visitors_are_sent_to_the_login(client, urls):
    assert_login_required(client, urls.values())


@pytest.mark.parametrize("role", [EDITOR, PARTNER])
def test_other_roles_cannot_write_through_the_registry(role_clients, urls, role):
    client = role_clients(role)
    school = School.objects.get()
    record = SchoolImport.objects.get()
    csv = csv_file([DAPODIK_HEADER, ["30401999", "SD B", "SD", "Negeri", "", "", "Waru"]])

    responses = [
        client.post("/admin/schools/import/", {"file": csv}),
        client.post(f"/admin/schools/import/{record.pk}/"),
        client.post(f"/admin/schools/delete/{school.pk}/"),
        client.post(f"/admin/schools/edit/{school.pk}/", {"name": "Diretas"}),
    ]

    assert [response.status_code in (302, 403) for response in responses] == [True] * 4
    assert list(School.objects.values_list("name", flat=True)) == [school.name]
    assert SchoolImport.objects.get().status == SchoolImport.Status.PREVIEWED


def test_the_menu_shows_the_registry_to_staff_only(role_clients, urls):
    for role in ALL_ROLES:
        menu = role_clients(role).get("/admin/").content.decode()
        assert ("/admin/schools/" in menu) == (role in REGISTRY), role


def test_registry_permissions_come_from_the_migration(db):
    for role in REGISTRY:
        codenames = set(Group.objects.get(name=role).permissions.values_list("codename", flat=True))
        assert {"add_school", "change_school", "delete_school", "view_school"} <= codenames
        assert {"add_village", "change_village", "delete_village", "view_village"} <= codenames
    for role in (EDITOR, PARTNER):
        permissions = Group.objects.get(name=role).permissions
        assert not permissions.filter(content_type__app_label="schools").exists()

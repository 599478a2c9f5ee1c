"""Which users are limited to one regency (schools.RegencyMember): set by admins under
Settings, and by no other role."""

import pytest
from django.contrib.auth.models import Group
from django.db.models import ProtectedError

from cms.roles import ADMIN, ALL_ROLES, EDITOR, PARTNER, STAFF
from schools.models import RegencyMember
from schools.selectors import regencies_for, user_regency
from tests.roles import assert_access, assert_login_required
from tests.schools.factories import RegencyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def regencies(db):
    return RegencyFactory(code="64.09", name="Kabupaten Penajam Paser Utara"), RegencyFactory(
        code="64.01", name="Kabupaten Paser"
    )


@pytest.fixture
def member(regencies, django_user_model):
    user = django_user_model.objects.create_user(username="staf-paser")
    user.groups.add(Group.objects.get(name=STAFF))
    return RegencyMember.objects.create(user=user, regency=regencies[1])


def urls(member) -> dict[str, str]:
    return {
        "list": "/admin/regency_members/",
        "add": "/admin/regency_members/new/",
        "edit": f"/admin/regency_members/edit/{member.pk}/",
        "delete": f"/admin/regency_members/delete/{member.pk}/",
    }


@pytest.mark.parametrize("name", ["list", "add", "edit", "delete"])
def test_only_admins_reach_the_regency_members(role_clients, member, name):
    assert_access(role_clients, urls(member)[name], {ADMIN})


def test_anonymous_visitors_are_sent_to_the_login(client, member):
    assert_login_required(client, urls(member).values())


def test_an_admin_limits_a_user_and_a_second_limit_for_the_same_user_is_refused(
    role_clients, regencies, member, django_user_model
):
    admin = role_clients(ADMIN)
    user = django_user_model.objects.create_user(username="mitra-ppu")
    response = admin.post(
        "/admin/regency_members/new/", {"user": user.pk, "regency": regencies[0].pk}
    )
    assert response.status_code == 302
    assert user_regency(user) == regencies[0]
    again = admin.post("/admin/regency_members/new/", {"user": user.pk, "regency": regencies[1].pk})
    assert again.status_code == 200
    assert again.context["form"].errors["user"] == [
        "Pengguna ini sudah dibatasi ke satu kabupaten/kota: ubah batas itu saja."
    ]
    assert user_regency(user) == regencies[0]


@pytest.mark.parametrize("role", [STAFF, PARTNER, EDITOR])
def test_no_other_role_can_widen_or_set_a_limit(role_clients, regencies, member, role):
    client = role_clients(role)
    responses = [
        client.post(f"/admin/regency_members/delete/{member.pk}/"),
        client.post(
            f"/admin/regency_members/edit/{member.pk}/",
            {"user": member.user_id, "regency": regencies[0].pk},
        ),
        client.post(
            "/admin/regency_members/new/", {"user": member.user_id, "regency": regencies[0].pk}
        ),
    ]
    assert all(response.status_code in (302, 403) for response in responses)
    assert list(RegencyMember.objects.values_list("regency", flat=True)) == [regencies[1].pk]


def test_the_settings_menu_shows_them_to_admins_only(role_clients, member):
    for role in ALL_ROLES:
        menu = role_clients(role).get("/admin/").content.decode()
        assert ("/admin/regency_members/" in menu) == (role == ADMIN), role


def test_a_user_sees_every_regency_unless_limited_to_one(regencies, member, django_user_model):
    ppu, paser = regencies
    assert regencies_for(member.user) == (paser, [paser])
    assert user_regency(member.user) == paser
    other = django_user_model.objects.create_user(username="staf-provinsi")
    assert regencies_for(other) == (None, [paser, ppu])  # by code: 64.01, 64.09
    assert user_regency(other) is None


def test_a_regency_with_members_cannot_be_deleted(regencies, member):
    """Deleting it would quietly widen what its members see."""
    with pytest.raises(ProtectedError):
        regencies[1].delete()

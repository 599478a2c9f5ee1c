"""Role x URL matrix for every admin screen of campaigns and visits."""

import pytest
from django.contrib.auth.models import Group

from campaigns.models import PartnerAgency
from cms.roles import ADMIN, ALL_ROLES, EDITOR, PARTNER, STAFF
from tests.campaigns.factories import VisitFactory
from tests.roles import assert_access, assert_login_required

OUTREACH = {ADMIN, STAFF}


@pytest.fixture
def urls(school, campaign):
    visit = VisitFactory(school=school, campaign=campaign)
    partner = PartnerAgency.objects.first()
    v, c = visit.pk, campaign.pk
    return {
        "visits": "/admin/kunjungan/",
        "visit_add": "/admin/kunjungan/new/",
        "visit_edit": f"/admin/kunjungan/edit/{v}/",
        "visit_inspect": f"/admin/kunjungan/inspect/{v}/",
        "visit_history": f"/admin/kunjungan/history/{v}/",
        "visit_delete": f"/admin/kunjungan/delete/{v}/",
        "visit_status": f"/admin/kunjungan/{v}/status/",
        "visit_record": f"/admin/kunjungan/{v}/catat/",
        "visit_kit": f"/admin/kunjungan/{v}/kit/",
        "calendar": "/admin/kunjungan/kalender/",
        "my_feed": "/admin/kunjungan/kalender-saya/",
        "campaigns": "/admin/kampanye/",
        "campaign_add": "/admin/kampanye/new/",
        "campaign_edit": f"/admin/kampanye/edit/{c}/",
        "campaign_inspect": f"/admin/kampanye/inspect/{c}/",
        "campaign_delete": f"/admin/kampanye/delete/{c}/",
        "campaign_feed": f"/admin/kampanye/{c}/kalender/",
        "partners": "/admin/snippets/campaigns/partneragency/",
        "partner_add": "/admin/snippets/campaigns/partneragency/add/",
        "partner_edit": f"/admin/snippets/campaigns/partneragency/edit/{partner.pk}/",
        "partner_delete": f"/admin/snippets/campaigns/partneragency/delete/{partner.pk}/",
    }


MATRIX = {
    "visits": OUTREACH,
    "visit_add": OUTREACH,
    "visit_edit": OUTREACH,
    "visit_inspect": OUTREACH,
    "visit_history": OUTREACH,
    "visit_delete": {ADMIN},
    "visit_status": OUTREACH,
    "visit_record": OUTREACH,
    "visit_kit": OUTREACH,
    "calendar": OUTREACH,
    "my_feed": OUTREACH,
    "campaigns": OUTREACH,
    "campaign_add": OUTREACH,
    "campaign_edit": OUTREACH,
    "campaign_inspect": OUTREACH,
    "campaign_delete": {ADMIN},
    "campaign_feed": OUTREACH,
    "partners": OUTREACH,
    "partner_add": OUTREACH,
    "partner_edit": OUTREACH,
    "partner_delete": {ADMIN},
}


@pytest.mark.parametrize("name", MATRIX)
def test_each_role_reaches_exactly_its_screens(role_clients, urls, name):
    assert_access(role_clients, urls[name], MATRIX[name])


def test_anonymous_visitors_are_sent_to_the_login(client, urls):
    assert_login_required(client, urls.values())


@pytest.mark.parametrize("name", ["visit_status", "visit_record", "my_feed", "campaign_feed"])
def test_roles_without_access_cannot_post_either(role_clients, urls, name):
    for role in (EDITOR, PARTNER):
        response = role_clients(role).post(urls[name], {"action": "create", "status": "cancelled"})
        assert response.status_code in (302, 403), (role, name)


def test_the_menus_show_only_to_outreach_staff(role_clients):
    for role in ALL_ROLES:
        html = role_clients(role).get("/admin/").content.decode()
        shown = "/admin/kunjungan/" in html and "/admin/kampanye/" in html
        assert shown == (role in OUTREACH), role


def test_partners_and_editors_get_nothing_of_campaigns(db):
    def codenames(role):
        permissions = Group.objects.get(name=role).permissions
        return set(
            permissions.filter(content_type__app_label="campaigns").values_list(
                "codename", flat=True
            )
        )

    # Partners see the reach through monitoring.view_reach (tests/monitoring).
    assert codenames(PARTNER) == set()
    assert codenames(EDITOR) == set()

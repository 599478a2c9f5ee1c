"""Who reaches the coordination meetings' screens and files. Meetings (minutes may name
people) and their pack are for admin and outreach staff; a partner (Mitra) gets a plain
403 there, and sees and updates only their own agency's follow-up actions, whose history
names agencies, never a person."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cms.roles import ADMIN, ALL_ROLES, EDITOR, PARTNER, STAFF
from monitoring import services
from monitoring.models import ActionStatus
from monitoring.pack import meeting_pack_request
from schools.models import RegencyMember
from tests.monitoring.meeting_data import action, logged_in, meeting, partner, staff, user_with
from tests.roles import assert_access, assert_login_required
from tests.schools.factories import RegencyFactory

pytestmark = pytest.mark.django_db
STAFF_ROLES = {ADMIN, STAFF}


@pytest.fixture
def held(db, django_capture_on_commit_callbacks):
    by = staff()
    held = meeting(by, minutes="Bapak Kapolres hadir.")
    polres = action(held, by)
    other = action(held, by, agency_name="Pengadilan Agama")
    update = services.action_update(
        action=polres,
        by=by,
        status=ActionStatus.IN_PROGRESS,
        note="Surat tugas terlampir.",
        attachment=SimpleUploadedFile("surat.pdf", b"%PDF-1.4 surat"),
    )
    other_update = services.action_update(
        action=other,
        by=by,
        status=ActionStatus.IN_PROGRESS,
        attachment=SimpleUploadedFile("putusan.pdf", b"%PDF-1.4 putusan"),
    )
    with django_capture_on_commit_callbacks(execute=True):  # Celery is eager in tests
        meeting_pack_request(meeting=held, by=by)
    return held, polres, other, update, other_update


def meeting_urls(held) -> dict[str, str]:
    pk = held.pk
    return {
        "meetings": "/admin/rapat/",
        "new meeting": "/admin/rapat/baru/",
        "meeting": f"/admin/rapat/{pk}/",
        "meeting form": f"/admin/rapat/{pk}/ubah/",
        "new action": f"/admin/rapat/{pk}/tindak-lanjut/",
        "pack progress": f"/admin/rapat/{pk}/paket/",
        "pack PDF": f"/admin/rapat/{pk}/paket.pdf",
        "partner users": "/admin/rapat/mitra/",
    }


def test_admin_and_staff_reach_every_meeting_screen_and_the_pack(role_clients, held):
    for url in meeting_urls(held[0]).values():
        assert_access(role_clients, url, STAFF_ROLES)


def test_partners_and_editors_get_a_plain_403_for_every_meeting_screen(role_clients, held):
    for role in (PARTNER, EDITOR):
        for name, url in meeting_urls(held[0]).items():
            assert role_clients(role).get(url).status_code == 403, (role, name)
    # Posting is refused too: a partner cannot build a pack or add an action.
    mitra = role_clients(PARTNER)
    assert mitra.post(f"/admin/rapat/{held[0].pk}/paket/").status_code == 403
    assert mitra.post(f"/admin/rapat/{held[0].pk}/tindak-lanjut/", {}).status_code == 403


def test_anonymous_visitors_are_sent_to_the_login(client, held):
    _meeting, polres, _other, update, _ = held
    urls = [
        *meeting_urls(held[0]).values(),
        "/admin/tindak-lanjut/",
        f"/admin/tindak-lanjut/{polres.pk}/",
        f"/admin/tindak-lanjut/lampiran/{update.pk}/",
    ]
    assert_login_required(client, urls)


def test_staff_see_and_download_every_action_and_attachment(role_clients, held):
    _meeting, polres, other, update, other_update = held
    # The list is open to partners too (their agency's actions, here none: the role's
    # user belongs to no agency); each action and attachment is not.
    assert_access(role_clients, "/admin/tindak-lanjut/", STAFF_ROLES | {PARTNER})
    for url in (
        f"/admin/tindak-lanjut/{polres.pk}/",
        f"/admin/tindak-lanjut/{other.pk}/",
        f"/admin/tindak-lanjut/lampiran/{update.pk}/",
        f"/admin/tindak-lanjut/lampiran/{other_update.pk}/",
    ):
        assert_access(role_clients, url, STAFF_ROLES)


def test_a_partner_sees_their_agencys_actions_only_and_no_name(held, set_district_profile):
    set_district_profile(office_short_name="Dinas PPPA Contoh")
    _meeting, polres, other, update, other_update = held
    mitra = logged_in(partner())
    listing = mitra.get("/admin/tindak-lanjut/").content.decode()
    assert polres.what in listing and other.what not in listing
    page = mitra.get(f"/admin/tindak-lanjut/{polres.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    # The history says the office, not the staff member; the meeting's minutes stay hidden.
    assert "Dinas PPPA Contoh" in html and "Staf-Rapat" not in html and "Kapolres" not in html
    attachment = mitra.get(f"/admin/tindak-lanjut/lampiran/{update.pk}/")
    assert b"".join(attachment.streaming_content) == b"%PDF-1.4 surat"
    assert mitra.get(f"/admin/tindak-lanjut/{other.pk}/").status_code == 403
    assert mitra.post(f"/admin/tindak-lanjut/{other.pk}/", {"status": "done"}).status_code == 403
    assert mitra.get(f"/admin/tindak-lanjut/lampiran/{other_update.pk}/").status_code == 403


def test_users_limited_to_the_only_regency_see_as_much_as_without_the_limit(held):
    """With one regency, every meeting is about no regency in particular, which
    concerns that one too."""
    meeting_, polres, other, update, other_update = held
    regency = RegencyFactory()
    mitra_user, staff_user = partner(), staff("staf-terbatas")
    for user in (mitra_user, staff_user):
        RegencyMember.objects.create(user=user, regency=regency)
    mitra = logged_in(mitra_user)
    for page in ("/admin/tindak-lanjut/", "/admin/"):
        html = mitra.get(page).content.decode()
        assert polres.what in html and other.what not in html, page
    assert mitra.get(f"/admin/tindak-lanjut/{polres.pk}/").status_code == 200
    attachment = mitra.get(f"/admin/tindak-lanjut/lampiran/{update.pk}/")
    assert b"".join(attachment.streaming_content) == b"%PDF-1.4 surat"
    assert mitra.get(f"/admin/tindak-lanjut/{other.pk}/").status_code == 403
    assert mitra.get(f"/admin/tindak-lanjut/lampiran/{other_update.pk}/").status_code == 403
    # Staff so limited reach the meeting, its actions and its pack.
    limited_staff = logged_in(staff_user)
    for url in meeting_urls(meeting_).values():
        assert limited_staff.get(url).status_code == 200, url
    assert (
        f"/admin/rapat/{meeting_.pk}/paket/"
        in limited_staff.get(f"/admin/rapat/{meeting_.pk}/").content.decode()
    )
    listing = limited_staff.get("/admin/tindak-lanjut/").content.decode()
    assert polres.what in listing and other.what in listing
    assert limited_staff.get(f"/admin/tindak-lanjut/lampiran/{other_update.pk}/").status_code == 200


def test_a_partner_without_an_agency_sees_no_action(held):
    loose = logged_in(user_with(PARTNER, "mitra-baru"))
    html = loose.get("/admin/tindak-lanjut/").content.decode()
    assert held[1].what not in html and held[2].what not in html
    assert loose.get(f"/admin/tindak-lanjut/{held[1].pk}/").status_code == 403


def test_the_menu_shows_meetings_to_staff_and_follow_up_actions_to_partners(role_clients, held):
    for role in ALL_ROLES:
        menu = role_clients(role).get("/admin/").content.decode()
        assert ("/admin/rapat/" in menu) == (role in STAFF_ROLES), role
        assert ("/admin/tindak-lanjut/" in menu) == (role in STAFF_ROLES | {PARTNER}), role


def test_the_first_screen_shows_overdue_actions_to_staff_and_the_agencys_to_a_partner(held):
    _meeting, polres, other, *_ = held
    # Due 31 October 2026, and today (the machine's clock) is later: both overdue.
    staff_home = logged_in(staff("staf-lain")).get("/admin/").content.decode()
    assert polres.what in staff_home and other.what in staff_home
    partner_home = logged_in(partner()).get("/admin/").content.decode()
    assert polres.what in partner_home and other.what not in partner_home

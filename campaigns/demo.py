"""Demo campaign: visits in every kecamatan of the registry, some done with attendance,
some scheduled, and one village's request waiting in the inbox.

It picks the first schools and villages of each kecamatan, so it needs the registry
loaded first; with no regions it does nothing. Running it again changes nothing.
"""

from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils.translation import gettext as _

from campaigns import services
from campaigns.models import Campaign, PartnerAgency, VisitStatus
from cms.district import district_zone, local_today
from cms.models import Audience, MaterialPage, Topic
from cms.roles import STAFF
from schools.models import District, School

CAMPAIGN = "Sekolah dan Desa Ramah Anak {year}"
FACILITATORS = [
    ("demo.rina", "Rina", "Wulandari"),
    ("demo.andi", "Andi", "Pratama"),
]
# The seeded agencies' generic names, named for the demo's district.
AGENCY_NAMES = {
    "Polres": "Polres PPU",
    "Pengadilan Agama": "Pengadilan Agama PPU",
    "Kejaksaan Negeri": "Kejaksaan Negeri PPU",
    "Kementerian Agama": "Kantor Kemenag PPU",
}
# Who the demo visits' history credits: a changed_by left empty reads "Public form".
SEEDER = ("seed_demo", "Data contoh", "(seed_demo)")


def seed(stdout=None) -> None:
    districts = list(District.objects.order_by("code"))
    if not districts:
        if stdout:
            stdout.write(_("Visits: no regions in the registry yet, nothing added."))
        return
    name_agencies()
    today = local_today()
    campaign, _created = Campaign.objects.get_or_create(
        name=CAMPAIGN.format(year=today.year),
        defaults={
            "description": "Sosialisasi pencegahan perundungan, kekerasan seksual, dan "
            "perkawinan anak di sekolah dan desa, bersama instansi mitra.",
            "starts_on": today.replace(month=1, day=1),
            "ends_on": today.replace(month=12, day=31),
        },
    )
    if campaign.visits.exists():
        return
    campaign.topics.set(
        Topic.objects.filter(slug__in=["perundungan", "kekerasan-seksual", "perkawinan-anak"])
    )
    campaign.materials.set(MaterialPage.objects.live())
    staff = _facilitators()
    seeder = _seeder()
    campaign.lead = staff[0]
    campaign.save()
    partners = list(PartnerAgency.objects.order_by("sort_order"))
    count = 0
    for n, district in enumerate(districts):
        targets = [
            *district.schools.filter(is_active=True).order_by("npsn")[:2],
            *district.villages.order_by("code")[:1],
        ]
        for k, target in enumerate(targets):
            _visit(campaign, target, n, k, staff, partners, today, seeder)
            count += 1
    _request(districts, today, seeder)
    if stdout:
        stdout.write(
            _("Visits: %(count)d in %(campaign)s.") % {"count": count, "campaign": campaign}
        )


def name_agencies() -> None:
    """The seeded agencies under the demo district's names (the meetings' demo too)."""
    for generic, name in AGENCY_NAMES.items():
        if not PartnerAgency.objects.filter(name=name).exists():
            PartnerAgency.objects.filter(name=generic).update(name=name)


def _facilitators() -> list:
    """Two demo staff members to show facilitators; they cannot log in."""
    group = Group.objects.get(name=STAFF)
    users = []
    for username, first_name, last_name in FACILITATORS:
        user, created = get_user_model().objects.get_or_create(
            username=username,
            defaults={
                "first_name": first_name,
                "last_name": last_name,
                "email": f"{username}@example.org",
            },
        )
        if created:
            user.set_unusable_password()
            user.save()
            user.groups.add(group)
        users.append(user)
    return users


def _seeder():
    """An account that only names the demo data in the visits' history: inactive, no
    group, no password."""
    username, first_name, last_name = SEEDER
    user, created = get_user_model().objects.get_or_create(
        username=username,
        defaults={"first_name": first_name, "last_name": last_name, "is_active": False},
    )
    if created:
        user.set_unusable_password()
        user.save()
    return user


def _visit(campaign, target, n, k, staff, partners, today, seeder) -> None:
    """The first target of each kecamatan was visited, the second is scheduled, and
    the village alternates."""
    done = k == 0 or (k == 2 and n % 2 == 0)
    day = today - timedelta(days=7 * (k + 1) + n) if done else today + timedelta(days=2 + 5 * k + n)
    is_school = isinstance(target, School)
    start = datetime.combine(day, time(9 if is_school else 14), tzinfo=district_zone())
    audiences = ["siswa-sd", "guru"] if is_school else ["orang-tua", "masyarakat-desa"]
    visit = services.visit_create(
        by=seeder,
        campaign=campaign,
        school=target if is_school else None,
        village=None if is_school else target,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        venue="Aula sekolah" if is_school else "Balai desa",
        expected_participants=80 if is_school else 50,
        facilitators=staff if k != 1 else staff[:1],
        partners=[partners[(n + k) % len(partners)]] if partners else [],
        topics=campaign.topics.all(),
        audiences=Audience.objects.filter(slug__in=audiences),
        materials=campaign.materials.all()[:2],
    )
    if done:
        attendance = (
            {
                "students_male": 30 + 3 * n,
                "students_female": 34 + 2 * n,
                "teachers_male": 2 + k,
                "teachers_female": 3 + k,
            }
            if is_school
            else {"parents_male": 15 + 2 * n, "parents_female": 20 + 2 * n, "others": 3}
        )
        services.visit_record(
            visit=visit,
            by=seeder,
            attendance=attendance,
            notes="Peserta antusias; banyak pertanyaan tentang cara melapor.",
        )


def _request(districts, today, seeder) -> None:
    """A village head's request as the public form makes it, waiting for staff."""
    village = districts[-1].villages.order_by("-code").first()
    if village is None:
        return
    start = datetime.combine(today + timedelta(days=20), time(10), tzinfo=district_zone())
    services.visit_create(
        by=seeder,
        status=VisitStatus.REQUESTED,
        campaign=services.request_inbox(year=today.year),
        village=village,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        reference=services.new_reference(),
        contact_name="Kepala Desa (contoh)",
        contact_role="Kepala Desa",
        contact_phone="0812 0000 0000",
        expected_participants=60,
        request_message="Mohon sosialisasi pencegahan perkawinan anak untuk orang tua.",
        topics=Topic.objects.filter(slug="perkawinan-anak"),
    )

"""Demo coordination meetings for seed_demo: last quarter's meeting, with its decisions
and four follow-up actions, three of them overdue, and a partner user of Polres PPU to
mark theirs done. Runs once: nothing is added when the demo meeting exists."""

from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils.translation import gettext as _

from campaigns import demo as campaigns_demo
from campaigns.models import PartnerAgency, PartnerMember
from cms.district import district_zone, local_today
from cms.roles import PARTNER
from monitoring.models import ActionStatus, ActionUpdate, FollowUpAction, Meeting, MeetingAttendance

PLACE = "Aula DP3AP2KB PPU (contoh)"
PARTNER_USER = ("mitra-polres", "Mitra", "Polres PPU")
# (agency, action, days before today it was due, status)
ACTIONS = [
    ("Polres PPU", "Patroli rutin di sekolah rawan perundungan", 20, ActionStatus.IN_PROGRESS),
    (
        "Pengadilan Agama PPU",
        "Sosialisasi dispensasi kawin di 3 desa",
        10,
        ActionStatus.NOT_STARTED,
    ),
    ("Kejaksaan Negeri PPU", "Jaksa Masuk Sekolah di SMP negeri", 5, ActionStatus.NOT_STARTED),
    ("Dinas Pendidikan", "Surat edaran pembentukan TPPK", -30, ActionStatus.IN_PROGRESS),
]


def seed(stdout=None) -> None:
    if Meeting.objects.filter(place=PLACE).exists():
        return
    campaigns_demo.name_agencies()
    agencies = {agency.name: agency for agency in PartnerAgency.objects.all()}
    if not all(name in agencies for name, *_rest in ACTIONS):
        if stdout:
            stdout.write(_("Meetings: the partner agencies are missing, nothing added."))
        return
    today = local_today()
    held_on = today - timedelta(days=90)
    zone = district_zone()
    meeting = Meeting.objects.create(
        held_at=datetime.combine(held_on, time(9), tzinfo=zone),
        place=PLACE,
        reviews_from=held_on - timedelta(days=90),
        reviews_to=held_on,
        minutes="Rapat koordinasi lintas sektor membahas capaian sosialisasi triwulan lalu, "
        "kendala di sekolah yang belum terjangkau, dan pembagian tugas tiap instansi.",
        decisions="1. Patroli rutin di sekolah rawan perundungan.\n"
        "2. Sosialisasi dispensasi kawin di desa dengan angka perkawinan anak tinggi.\n"
        "3. Jaksa Masuk Sekolah di SMP negeri.\n4. Surat edaran pembentukan TPPK.",
    )
    for name, people in [("Polres PPU", 2), ("Pengadilan Agama PPU", 1),
                         ("Kejaksaan Negeri PPU", 1), ("Dinas Pendidikan", 2)]:  # fmt: skip
        MeetingAttendance.objects.create(meeting=meeting, agency=agencies[name], people=people)
    for name, what, days_late, status in ACTIONS:
        action = FollowUpAction.objects.create(
            meeting=meeting,
            what=what,
            agency=agencies[name],
            due_on=today - timedelta(days=days_late),
            status=status,
        )
        ActionUpdate.objects.create(
            action=action, status=ActionStatus.NOT_STARTED, at=meeting.held_at,
            note="Diputuskan dalam rapat.",
        )  # fmt: skip
        if status != ActionStatus.NOT_STARTED:
            ActionUpdate.objects.create(
                action=action, status=status, by_agency=agencies[name],
                at=meeting.held_at + timedelta(days=30), note="Sudah dimulai.",
            )  # fmt: skip
    _partner_user(agencies["Polres PPU"])
    if stdout:
        stdout.write(_("Meetings: one past meeting with three overdue actions."))


def _partner_user(agency: PartnerAgency) -> None:
    """A Polres PPU partner with no password: an admin sets one to try the partner's
    screens."""
    username, first_name, last_name = PARTNER_USER
    user, created = get_user_model().objects.get_or_create(
        username=username, defaults={"first_name": first_name, "last_name": last_name}
    )
    if created:
        user.set_unusable_password()
        user.save()
        user.groups.add(Group.objects.get(name=PARTNER))
    PartnerMember.objects.get_or_create(user=user, defaults={"agency": agency})

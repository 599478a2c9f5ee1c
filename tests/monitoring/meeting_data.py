"""Meetings, actions and partner users for the coordination meeting tests. The partner
agencies are those the campaigns migration creates (Polres, Pengadilan Agama...)."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client

from campaigns.models import PartnerAgency, PartnerMember
from cms.roles import PARTNER, STAFF
from monitoring import services
from tests.campaigns.factories import wita


def agency(name: str) -> PartnerAgency:
    return PartnerAgency.objects.get(name=name)


def user_with(role: str, username: str, *, of: PartnerAgency | None = None):
    user = get_user_model().objects.create_user(username=username, first_name=username.title())
    user.groups.add(Group.objects.get(name=role))
    if of is not None:
        PartnerMember.objects.create(user=user, agency=of)
    return user


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def staff(username="staf-rapat"):
    return user_with(STAFF, username)


def partner(agency_name="Polres", username="mitra-polres"):
    return user_with(PARTNER, username, of=agency(agency_name))


def meeting(by, held_at=None, **fields):
    return services.meeting_create(
        by=by, held_at=held_at or wita(2026, 9, 30, 9), place=fields.pop("place", "Aula DP3AP2KB"),
        **fields,
    )  # fmt: skip


def action(meeting, by, *, agency_name="Polres", due_on=dt.date(2026, 10, 31), what=None):
    return services.action_create(
        meeting=meeting,
        by=by,
        what=what or f"Patroli sekolah oleh {agency_name}",
        agency=agency(agency_name),
        due_on=due_on,
    )

import datetime as dt

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from factory.django import DjangoModelFactory

from campaigns.models import Campaign, Visit
from cms.roles import STAFF
from tests.schools.factories import SchoolFactory


def wita(year, month, day, hour=0, minute=0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=timezone.get_default_timezone())


class CampaignFactory(DjangoModelFactory):
    class Meta:
        model = Campaign

    name = factory.Sequence(lambda n: f"Kampanye {n + 1}")
    starts_on = dt.date(2026, 1, 1)
    ends_on = dt.date(2026, 12, 31)


class VisitFactory(DjangoModelFactory):
    class Meta:
        model = Visit
        skip_postgeneration_save = True

    campaign = factory.SubFactory(CampaignFactory)
    village = None
    # A visit is at one school or in one village: a school only when no village is given.
    school = factory.Maybe(
        "village", yes_declaration=None, no_declaration=factory.SubFactory(SchoolFactory)
    )
    starts_at = factory.LazyFunction(lambda: wita(2026, 5, 12, 9))
    ends_at = factory.LazyAttribute(lambda visit: visit.starts_at + dt.timedelta(hours=2))
    status = "scheduled"

    @factory.post_generation
    def facilitators(self, create, extracted, **kwargs):
        if create and extracted:
            self.facilitators.set(extracted)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"staf{n}")
    first_name = factory.Sequence(lambda n: f"Staf {n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@dp3ap2kb.example.id")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create:
            self.groups.add(Group.objects.get(name=extracted or STAFF))

import datetime as dt

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from factory.django import DjangoModelFactory

from campaigns.models import Campaign, Visit
from cms.roles import STAFF
from schools.models import District, Regency, School, Village


def wita(year, month, day, hour=0, minute=0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=timezone.get_default_timezone())


class RegencyFactory(DjangoModelFactory):
    class Meta:
        model = Regency
        django_get_or_create = ["code"]

    code = "64.09"
    name = "Kabupaten Penajam Paser Utara"


class DistrictFactory(DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ["code"]

    # "9x.xx.xx": never one of the real 64.09.0x codes that tests create by hand.
    code = factory.Sequence(lambda n: f"9{n // 10000 % 10}.{n // 100 % 100:02d}.{n % 100:02d}")
    name = factory.Sequence(lambda n: f"Kecamatan {n + 50}")
    regency = factory.SubFactory(RegencyFactory)


class VillageFactory(DjangoModelFactory):
    class Meta:
        model = Village

    code = factory.Sequence(lambda n: f"64.09.01.{2001 + n}")
    name = factory.Sequence(lambda n: f"Desa {n + 1}")
    kind = "desa"
    district = factory.SubFactory(DistrictFactory)


class SchoolFactory(DjangoModelFactory):
    class Meta:
        model = School

    npsn = factory.Sequence(lambda n: f"{30400000 + n}")
    name = factory.Sequence(lambda n: f"SD NEGERI {n + 1:03d} PENAJAM")
    level = "sd"
    status = "negeri"
    district = factory.SubFactory(DistrictFactory)
    email = factory.Sequence(lambda n: f"sekolah{n}@example.id")


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
    school = factory.SubFactory(SchoolFactory)
    village = None
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

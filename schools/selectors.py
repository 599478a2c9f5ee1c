"""Reads of the registry used by the admin and by other apps (the dashboard).

Reach means done visits, as campaigns.selectors.visits_done defines them: a school is
reached in a period when a socialization session took place there, a village when a
community session took place in it. A session at a school does not count as reaching
its village.
"""

from collections import defaultdict
from collections.abc import Iterator
from datetime import date

from django.db.models import (
    Avg,
    BooleanField,
    Count,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Window,
)
from django.db.models.functions import Cast, Coalesce, Floor, RowNumber

from campaigns.selectors import visits_done
from schools.models import District, School, TPPKStatus, Village

# The registry in figures, for the reach dashboard. Which schools and villages were
# reached comes in as ids (`reached`, e.g. campaigns.selectors.reached_ids): the
# registry does not know what a visit is. Each read is one query, however many
# schools there are.


def district_list() -> QuerySet[District]:
    """The kecamatan by name."""
    return District.objects.order_by("name")


def schools_with_reach(*, reached: QuerySet, district=None, level: str = "") -> QuerySet[School]:
    """The schools a reach figure counts, each with `reached` (its id is in `reached`):
    the active ones, and the inactive ones that were reached; of one kecamatan and one
    school level if given."""
    schools = School.objects.annotate(reached=_among(reached)).filter(
        Q(is_active=True) | Q(reached=True)
    )
    if district is not None:
        schools = schools.filter(district=district)
    if level:
        schools = schools.filter(level=level)
    return schools


def villages_with_reach(*, reached: QuerySet, district=None) -> QuerySet[Village]:
    """Every desa and kelurahan (of one kecamatan if given), each with `reached`.
    Villages have no school level."""
    villages = Village.objects.annotate(reached=_among(reached))
    if district is not None:
        villages = villages.filter(district=district)
    return villages


def _among(ids: QuerySet) -> ExpressionWrapper:
    return ExpressionWrapper(Q(pk__in=ids), output_field=BooleanField())


def school_counts(schools: QuerySet[School]) -> list[dict]:
    """`schools` (from schools_with_reach) counted per kecamatan, level, status and
    reached or not: rows of district_id, level, status, reached, schools and
    tppk_formed (how many have formed their TPPK)."""
    return list(
        schools.values("district_id", "level", "status", "reached")
        .annotate(
            schools=Count("pk"), tppk_formed=Count("pk", filter=Q(tppk_status=TPPKStatus.YES))
        )
        .order_by()
    )


def village_counts(villages: QuerySet[Village]) -> list[dict]:
    """`villages` (from villages_with_reach) counted per kecamatan and reached or not:
    rows of district_id, reached and villages."""
    return list(villages.values("district_id", "reached").annotate(villages=Count("pk")).order_by())


def first_unreached(places: QuerySet, *fields: str, per_district: int) -> dict[int, list]:
    """The first `per_district` unreached schools or villages of each kecamatan by name
    (`places` from schools_with_reach or villages_with_reach), one windowed query:
    {district id: [[id, name, *fields], ...]}."""
    ranked = (
        places.filter(reached=False)
        .annotate(
            rank=Window(RowNumber(), partition_by=[F("district_id")], order_by=["name", "pk"])
        )
        .filter(rank__lte=per_district)
        .values_list("district_id", "pk", "name", *fields)
        .order_by("district_id", "name", "pk")
    )
    grouped = defaultdict(list)
    for district_id, *place in ranked:
        grouped[district_id].append(place)
    return grouped


def all_unreached(places: QuerySet, *fields: str) -> Iterator[tuple]:
    """Every unreached school or village of `places`, by kecamatan and name, as
    (kecamatan name, name, *fields) read in chunks, for the exports."""
    return (
        places.filter(reached=False)
        .values_list("district__name", "name", *fields)
        .order_by("district__name", "name", "pk")
        .iterator(chunk_size=2000)
    )


def school_locations(schools: QuerySet[School]) -> list[tuple[float, float, bool, str]]:
    """(latitude, longitude, reached, name) of the schools with coordinates."""
    rows = _located(schools).values_list("latitude", "longitude", "reached", "name").order_by()
    return [(float(lat), float(lng), reached, name) for lat, lng, reached, name in rows]


def school_location_cells(
    schools: QuerySet[School], *, cell_degrees: float
) -> list[tuple[float, float, bool, int]]:
    """The schools with coordinates grouped in SQL by square of `cell_degrees` and by
    reached or not: (mean latitude, mean longitude, reached, schools) per group."""
    latitude, longitude = Cast("latitude", FloatField()), Cast("longitude", FloatField())
    return list(
        _located(schools)
        .annotate(column=Floor(longitude / cell_degrees), row=Floor(latitude / cell_degrees))
        .values("column", "row", "reached")
        .annotate(n=Count("pk"), lat=Avg(latitude), lng=Avg(longitude))
        .values_list("lat", "lng", "reached", "n")
        .order_by()
    )


def _located(schools: QuerySet[School]) -> QuerySet[School]:
    return schools.filter(latitude__isnull=False, longitude__isnull=False)


def registry_fingerprint() -> list:
    """Something that changes whenever a school is added, edited or removed, or a
    village added or removed (two small queries), for caches of registry figures."""
    return [
        School.objects.aggregate(n=Count("pk"), last=Max("updated_at")),
        Village.objects.count(),
    ]


def with_sessions(
    queryset: QuerySet, *, target: str, starts_on: date, ends_on: date, campaign=None
) -> QuerySet:
    """Annotate schools or villages with `sessions` (done sessions in the period) and
    `last_session_at` (start of the latest one), for admin listings."""
    visits = visits_done(starts_on=starts_on, ends_on=ends_on, campaign=campaign).filter(
        **{target: OuterRef("pk")}
    )
    grouped = visits.order_by().values(target)
    return queryset.annotate(
        sessions=Coalesce(
            Subquery(grouped.annotate(n=Count("pk")).values("n"), output_field=IntegerField()),
            0,
        ),
        last_session_at=Subquery(grouped.annotate(last=Max("starts_at")).values("last")),
    )

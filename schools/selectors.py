"""Reads of the registry, for its admin screens and for the other apps: the school
pickers, the request form's search, the reach dashboard.

The registry imports no other app, so it does not know what a visit is: which schools
and villages were reached comes in as ids (campaigns.selectors.reached_ids: a done
session at the school, or a community session in the village; a session at a school
does not reach its village), and the sessions its admin lists come through the hooks
that campaigns registers (see sessions_held).
"""

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from time import monotonic

from django.db.models import (
    Avg,
    BooleanField,
    Count,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    Window,
)
from django.db.models.functions import Cast, Coalesce, Floor, RowNumber
from wagtail import hooks

from schools.models import Boundary, District, Regency, RegencyMember, School, TPPKStatus, Village

# The registry in figures, for the reach dashboard. Each read is one query, however
# many schools there are.


def regency_by_code(code: str) -> Regency | None:
    return Regency.objects.filter(code=code).first()


def regency_list() -> QuerySet[Regency]:
    """The regencies (kabupaten/kota) by Kemendagri code."""
    return Regency.objects.order_by("code")


def user_regency(user) -> Regency | None:
    """The one regency `user` is limited to (a RegencyMember), or None: all of them.
    One query, kept on the user object for the rest of its request (as Django keeps its
    permissions), since several panels of one page ask."""
    if not hasattr(user, "_regency_limit"):
        member = RegencyMember.objects.select_related("regency").filter(user_id=user.pk).first()
        user._regency_limit = member.regency if member else None
    return user._regency_limit


def regencies_for(user) -> tuple[Regency | None, list[Regency]]:
    """The regency `user` is limited to (or None) and the regencies they see: that one,
    or every one by code. One query, for the filter forms."""
    limits = RegencyMember.objects.filter(user_id=user.pk, regency=OuterRef("pk"))
    regencies = list(regency_list().annotate(limits=Exists(limits)))
    limit = next((regency for regency in regencies if regency.limits), None)
    return limit, [limit] if limit else regencies


def district_list(*, regency=None) -> QuerySet[District]:
    """The kecamatan by name, of one regency if given."""
    districts = District.objects.order_by("name")
    if regency is not None:
        districts = districts.filter(regency=regency)
    return districts


def schools_with_reach(
    *,
    reached: QuerySet,
    regency=None,
    district=None,
    level: str = "",
    target_levels: Iterable[str] = (),
) -> QuerySet[School]:
    """The schools a reach figure counts, each with `reached` (its id is in `reached`):
    the active ones, and the inactive ones that were reached; of one regency, one
    kecamatan and one school level if given. With `target_levels` (a campaign's), the
    schools of those levels, and the others only if they were reached."""
    schools = School.objects.annotate(reached=_among(reached)).filter(
        Q(is_active=True) | Q(reached=True)
    )
    if regency is not None:
        schools = schools.filter(district__regency=regency)
    if district is not None:
        schools = schools.filter(district=district)
    if level:
        schools = schools.filter(level=level)
    if target_levels:
        schools = schools.filter(Q(level__in=target_levels) | Q(reached=True))
    return schools


def villages_with_reach(*, reached: QuerySet, regency=None, district=None) -> QuerySet[Village]:
    """Every desa and kelurahan (of one regency and one kecamatan if given), each with
    `reached`. Villages have no school level."""
    villages = Village.objects.annotate(reached=_among(reached))
    if regency is not None:
        villages = villages.filter(district__regency=regency)
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
    """Something that changes whenever a school is added, edited or removed, a village
    added or removed, or a boundary loaded (three small queries), for caches of
    registry figures and of the map drawn from them."""
    return [
        School.objects.aggregate(n=Count("pk"), last=Max("updated_at")),
        Village.objects.count(),
        Boundary.objects.aggregate(n=Count("pk"), last=Max("updated_at")),
    ]


# Boundaries, for the reach map: what import_boundaries stored.


@dataclass(frozen=True)
class RegionShape:
    code: str
    name: str
    rings: tuple[tuple[tuple[float, float], ...], ...]  # (lng, lat) points; outer and holes
    centre: tuple[float, float]  # (lng, lat): the region's centre point, else its box's


@dataclass(frozen=True)
class Shapes:
    regions: tuple[RegionShape, ...]
    bbox: tuple[float, float, float, float] | None  # min lng, min lat, max lng, max lat


def kecamatan_shapes(
    *, regency_ids: Iterable[int] | None = None, district_ids: Iterable[int] | None = None
) -> Shapes:
    """The kecamatan with a stored boundary (of these regencies, or these kecamatan),
    by code, and the box around them all. One query."""
    boundaries = Boundary.objects.filter(district__isnull=False)
    if regency_ids is not None:
        boundaries = boundaries.filter(district__regency__in=list(regency_ids))
    if district_ids is not None:
        boundaries = boundaries.filter(district__in=list(district_ids))
    return _shapes(boundaries.order_by("district__code"), "district")


def village_shapes(*, district: District) -> Shapes:
    """The desa/kelurahan of a kecamatan with a stored boundary, by code. One query."""
    boundaries = Boundary.objects.filter(village__district=district)
    return _shapes(boundaries.order_by("village__code"), "village")


def _shapes(boundaries: QuerySet[Boundary], region: str) -> Shapes:
    rows = boundaries.values_list(
        f"{region}__code", f"{region}__name", f"{region}__latitude", f"{region}__longitude",
        "geometry", "min_longitude", "min_latitude", "max_longitude", "max_latitude",
    )  # fmt: skip
    shapes, boxes = [], []
    for code, name, latitude, longitude, geometry, *box in rows:
        polygons = geometry["coordinates"]
        if geometry["type"] == "Polygon":
            polygons = [polygons]
        rings = tuple(
            tuple((lng, lat) for lng, lat in ring) for polygon in polygons for ring in polygon
        )
        if latitude is None or longitude is None:
            centre = ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2)
        else:
            centre = (float(longitude), float(latitude))
        shapes.append(RegionShape(code=code, name=name, rings=rings, centre=centre))
        boxes.append(box)
    return Shapes(regions=tuple(shapes), bbox=bbox_union(boxes))


def bbox_union(boxes: list) -> tuple[float, float, float, float] | None:
    """The box (west, south, east, north) around `boxes`; None when there are none."""
    if not boxes:
        return None
    return (
        min(box[0] for box in boxes),
        min(box[1] for box in boxes),
        max(box[2] for box in boxes),
        max(box[3] for box in boxes),
    )


# Sessions come from the app that holds them (campaigns: its visits), through two hooks
# it registers, since the registry imports no other app:
#   "registry_sessions": fn(*, starts_on, ends_on) -> the sessions held in that period
#       (rows with a `school` or a `village` and a `starts_at`), for the listings;
#   "registry_place_sessions": fn(*, school=None, village=None) -> every session of one
#       place, newest first, for its page.
# Without them the registry works and shows no sessions. The first registered is used.


def sessions_held(*, starts_on: date, ends_on: date) -> QuerySet | None:
    """The sessions held in the period (local days), or None when no app reports any."""
    for sessions in hooks.get_hooks("registry_sessions"):
        return sessions(starts_on=starts_on, ends_on=ends_on)
    return None


def place_sessions(*, school: School | None = None, village: Village | None = None) -> list:
    """Every session of one school or village, newest first; [] when no app reports any."""
    for sessions in hooks.get_hooks("registry_place_sessions"):
        return list(sessions(school=school, village=village))
    return []


def with_sessions(queryset: QuerySet, *, target: str, sessions: QuerySet | None) -> QuerySet:
    """Annotate schools (target "school") or villages ("village") with `sessions`, how
    many of `sessions` (from sessions_held) were held there, and `last_session_at`, the
    start of the latest one, for admin listings."""
    if sessions is None:
        return queryset.annotate(
            sessions=Value(0), last_session_at=Value(None, output_field=DateTimeField())
        )
    grouped = sessions.filter(**{target: OuterRef("pk")}).order_by().values(target)
    return queryset.annotate(
        sessions=Coalesce(
            Subquery(grouped.annotate(n=Count("pk")).values("n"), output_field=IntegerField()),
            0,
        ),
        last_session_at=Subquery(grouped.annotate(last=Max("starts_at")).values("last")),
    )


# Finding a school from what a requester types: its NPSN, or words of its name.


def school_by_npsn(npsn: str) -> School | None:
    return School.objects.select_related("district").filter(npsn=npsn, is_active=True).first()


# How people shorten school names, and how the Kemendikbud list writes them.
SCHOOL_ABBREVIATIONS = {
    "sdn": "sd negeri",
    "smpn": "smp negeri",
    "sman": "sma negeri",
    "smkn": "smk negeri",
}


def school_search(query: str) -> QuerySet[School]:
    """Active schools whose name has every word typed: "sdn 1 babulu" finds
    "SD NEGERI 001 BABULU" (abbreviations expanded, numbers without leading zeros)."""
    schools = School.objects.select_related("district").filter(is_active=True)
    for word in query.lower().split():
        # ASCII only: "²" and "①" are digits to str.isdigit() but not to int().
        if word.isascii() and word.isdigit():
            match = Q(name__iregex=rf"(^|[^0-9])0*{int(word)}([^0-9]|$)")
        else:
            match = Q(name__icontains=word)
            if word in SCHOOL_ABBREVIATIONS:
                match |= Q(name__icontains=SCHOOL_ABBREVIATIONS[word])
        schools = schools.filter(match)
    return schools.order_by("name")


# The registry as other apps list it: the school list of a public quiz form, the
# results pages' filters and a school's results page.

SCHOOL_CHOICES_CACHE_SECONDS = 300
# Each web process keeps the lists it built: every public quiz form, and every answer
# sent from one, needs its school list, and a round trip to a shared cache costs a
# class handing in at once more than building the list once per process and period.
_recent_school_choices: dict[str, tuple[float, list]] = {}


def school_choices(*, levels: Iterable[str] = ()) -> list[tuple[str, list[tuple[str, str]]]]:
    """Active schools of these levels (every level when none is given) as grouped
    choices, by kecamatan: [(kecamatan, [(id, name), ...]), ...]. A school added to
    the registry shows within SCHOOL_CHOICES_CACHE_SECONDS."""
    levels = sorted(levels)
    key = ",".join(levels)
    now = monotonic()
    cached = _recent_school_choices.get(key)
    if cached and cached[0] > now:
        return cached[1]
    schools = School.objects.filter(is_active=True).select_related("district")
    if levels:
        schools = schools.filter(level__in=levels)
    groups: dict[str, list[tuple[str, str]]] = {}
    for school in schools.order_by("district__name", "name"):
        groups.setdefault(school.district.name, []).append((str(school.pk), school.name))
    choices = list(groups.items())
    _recent_school_choices[key] = (now + SCHOOL_CHOICES_CACHE_SECONDS, choices)
    return choices


def forget_school_choices() -> None:
    _recent_school_choices.clear()


def school_list() -> QuerySet[School]:
    return School.objects.all()


def school_by_id(pk: int) -> School | None:
    return School.objects.filter(pk=pk).first()

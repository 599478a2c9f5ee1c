"""Writes to the registry: the boundaries import, the outlines of kecamatan and
desa/kelurahan that the reach map draws. schools/boundary_files.py reads the file; this
matches it to the registry by Kemendagri code and writes, all or nothing, like the
regions and school imports."""

from collections import defaultdict

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from schools.boundary_files import (
    BoundaryLevel,
    bounding_box,
    checked_geometry,
    dotted,
    level_of,
    read_features,
)
from schools.importing import ImportReport, RowResult, RowStatus
from schools.models import Boundary, District, Village

BATCH_SIZE = 500


@transaction.atomic
def boundary_import(
    *, file, level: str = "", code_property: str = "", dry_run: bool = False, source: str = ""
) -> ImportReport:
    """Store the outlines of kecamatan or desa/kelurahan (schools/boundaries.py reads
    the file), matched to the registry by Kemendagri code, replacing any stored.
    `level` (BoundaryLevel) requires every code to be of that level; without it each
    code's level follows from its digits. All or nothing; with `dry_run` only the report."""
    features = read_features(file, code_property=code_property)
    # Only codes of digits are looked up: no other can be in the registry, and some (a NUL
    # byte) PostgreSQL refuses to compare. The rest are reported as not codes.
    codes = {dotted(feature.code) for feature in features if level_of(feature.code)}
    regions = {
        **{each.code: each for each in District.objects.filter(code__in=codes)},
        **{each.code: each for each in Village.objects.filter(code__in=codes)},
    }
    stored = {
        (boundary.district_id, boundary.village_id): boundary
        for boundary in Boundary.objects.filter(
            Q(district__code__in=codes) | Q(village__code__in=codes)
        )
    }
    numbers = defaultdict(list)
    for feature in features:
        numbers[dotted(feature.code)].append(feature.number)
    results, to_create, to_update = [], [], []
    for feature in features:
        result = RowResult(number=feature.number, key=feature.code, name=feature.name)
        results.append(result)
        for problem in feature.problems:
            result.fail(problem)
        if not feature.code:
            continue
        code = dotted(feature.code)
        region = _boundary_region(code, level, regions, result)
        if len(numbers[code]) > 1:
            result.fail(
                _("Code %(code)s appears more than once in the file (rows %(rows)s).")
                % {"code": feature.code, "rows": ", ".join(map(str, numbers[code]))}
            )
        geometry = None
        if feature.geometry is not None:
            geometry, problems = checked_geometry(feature.geometry)
            for problem in problems:
                result.fail(problem)
        if region is None or geometry is None or result.status == RowStatus.ERROR:
            continue
        result.name = str(region)
        is_district = isinstance(region, District)
        boundary = stored.get((region.pk, None) if is_district else (None, region.pk))
        if boundary is None:
            boundary = Boundary(**{"district" if is_district else "village": region})
            result.status = RowStatus.CREATED
            to_create.append(boundary)
        elif boundary.geometry != geometry:
            result.status = RowStatus.UPDATED
            to_update.append(boundary)
        else:
            continue
        boundary.geometry = geometry
        (boundary.min_longitude, boundary.min_latitude, boundary.max_longitude,
         boundary.max_latitude) = bounding_box(geometry)  # fmt: skip
        boundary.source = source[:255]
    report = ImportReport(rows=results)
    if dry_run or report.has_errors:
        return report
    Boundary.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
    Boundary.objects.bulk_update(
        to_update,
        ["geometry", "min_longitude", "min_latitude", "max_longitude", "max_latitude",
         "source", "updated_at"],
        batch_size=BATCH_SIZE,
    )  # fmt: skip
    report.written = True
    return report


def _boundary_region(code: str, level: str, regions: dict, result: RowResult):
    """The kecamatan or desa/kelurahan of the code, or None (and why, in `result`)."""
    found_level = level_of(code)
    if found_level is None:
        result.fail(
            _("'%(code)s' is not the code of a kecamatan (64.09.01) or a desa (64.09.01.1001).")
            % {"code": result.key}
        )
        return None
    if level and found_level != level:
        result.fail(
            _("%(code)s is a %(found)s code, but this import is of %(level)s boundaries.")
            % {
                "code": result.key,
                "found": BoundaryLevel(found_level).label,
                "level": BoundaryLevel(level).label,
            }
        )
        return None
    region = regions.get(code)
    if region is None:
        result.fail(
            _("No %(level)s with code %(code)s in the registry: import its regions first.")
            % {"level": BoundaryLevel(found_level).label, "code": code}
        )
    return region

"""Reading the boundary files of `import_boundaries`: the outlines of kecamatan and
desa/kelurahan, keyed by Kemendagri code. Two formats:

- a GeoJSON FeatureCollection whose features carry the code in a property (`code`,
  `kode`, or a name such as `kd_kecamatan` or `kode_desa`; or the one named), with or
  without dots (64.09.01.1001 or 6409011001), and [longitude, latitude] positions;
- the SQL exports of cahyadsn/wilayah_boundaries (`db/kec/wilayah_boundaries_kec_64.sql`,
  `db/kel/64/wilayah_boundaries_kel_64.09.sql`): rows of
  `INSERT INTO wilayah_boundaries(kode,nama,lat,lng,path) VALUES (...)`, whose `path` is
  a JSON polygon or multipolygon of [latitude, longitude] pairs.

This module only reads and checks; schools.boundaries.boundary_import writes.
"""

import json
import math
import re
from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from schools.importing import code_key
from schools.models import LATITUDE_RANGE, LONGITUDE_RANGE
from schools.sheets import ImportFileError

# A regency's desa boundaries from cahyadsn/wilayah_boundaries weigh well under 1 MB,
# a province's kecamatan a few MB. The file is read whole, so this bounds the memory.
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_FEATURES = 5_000
DECIMALS = 6  # about 10 cm: finer than any boundary file is true


class BoundaryLevel(models.TextChoices):
    KECAMATAN = "kecamatan", gettext_lazy("kecamatan")
    DESA = "desa", gettext_lazy("desa/kelurahan")


LEVEL_DIGITS = {BoundaryLevel.KECAMATAN: 6, BoundaryLevel.DESA: 10}
CODE_PROPERTIES = ("code", "kode", "kode_wilayah", "kode_kemendagri")
NAME_PROPERTIES = ("name", "nama", "nama_wilayah")


@dataclass
class Feature:
    """One boundary of the file, as read: `geometry` is GeoJSON ([lng, lat]) or None
    when it could not be read (then `problems` says why)."""

    number: int
    code: str
    name: str = ""
    geometry: dict | None = None
    problems: list[str] = field(default_factory=list)


def read_features(file, *, code_property: str = "") -> list[Feature]:
    """Every boundary of the file, in its order. Raises ImportFileError when the file as
    a whole cannot be read (too big, not UTF-8, not JSON, no boundaries at all)."""
    file.seek(0, 2)
    size = file.tell()
    file.seek(0)
    if size > MAX_FILE_BYTES:
        raise ImportFileError(
            _("The file is larger than %(size)s MB. Split it, e.g. one file per regency.")
            % {"size": MAX_FILE_BYTES // (1024 * 1024)}
        )
    try:
        text = file.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(_("The file is not UTF-8 text.")) from None
    if text.lstrip().startswith("{"):
        features = _geojson_features(text, code_property)
    elif SQL_INSERT.search(text):
        features = _sql_features(text)
    else:
        raise ImportFileError(
            _(
                "The file is neither a GeoJSON FeatureCollection nor an SQL export of "
                "cahyadsn/wilayah_boundaries."
            )
        )
    if not features:
        raise ImportFileError(_("The file has no boundaries."))
    if len(features) > MAX_FEATURES:
        raise ImportFileError(
            _("The file has more than %(count)s boundaries. Split it, e.g. one file per regency.")
            % {"count": f"{MAX_FEATURES:,}".replace(",", ".")}
        )
    return features


def _geojson_features(text: str, code_property: str) -> list[Feature]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportFileError(
            _("The file is not valid JSON (line %(line)s, column %(column)s).")
            % {"line": error.lineno, "column": error.colno}
        ) from None
    except RecursionError:
        raise ImportFileError(
            _("The file is not GeoJSON: its lists are nested thousands of levels deep.")
        ) from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise ImportFileError(_("The file is JSON but not a GeoJSON FeatureCollection."))
    raw_features = data.get("features")
    if not isinstance(raw_features, list):
        raise ImportFileError(_("The FeatureCollection has no list of features."))
    features = []
    for number, raw in enumerate(raw_features, start=1):
        feature = Feature(number=number, code="")
        features.append(feature)
        if not isinstance(raw, dict) or not isinstance(raw.get("properties") or {}, dict):
            feature.problems.append(_("This is not a GeoJSON feature."))
            continue
        properties = raw.get("properties") or {}
        key = code_property or _code_property(properties)
        value = properties.get(key) if key else None
        feature.code = "" if value is None else str(value).strip()
        if not feature.code:
            feature.problems.append(
                _("No Kemendagri code in property '%(name)s'.") % {"name": code_property}
                if code_property
                else _("No Kemendagri code found (a property such as 'code' or 'kode').")
            )
        names = [properties.get(name) for name in NAME_PROPERTIES if properties.get(name)]
        feature.name = str(names[0]) if names else ""
        geometry = raw.get("geometry")
        if isinstance(geometry, dict):
            feature.geometry = geometry
        else:
            feature.problems.append(_("The feature has no geometry."))
    return features


def _code_property(properties: dict) -> str:
    """The property holding the code: `code` or `kode` first, else the first whose name
    starts with kd or kode (kd_kecamatan, KDEPUM, kode_desa...)."""
    by_name = {str(name).lower(): name for name in properties}
    for name in CODE_PROPERTIES:
        if name in by_name:
            return by_name[name]
    for lower, name in by_name.items():
        if lower.startswith(("kd", "kode")):
            return name
    return ""


SQL_INSERT = re.compile(
    r"INSERT\s+INTO\s+[`\"]?wilayah_boundaries[`\"]?\s*\(\s*kode\s*,\s*nama\s*,\s*lat\s*,"
    r"\s*lng\s*,\s*path\b",
    re.IGNORECASE,
)
# ('64.09.01','<name>',-1.20,116.60,'[[[-1.17,116.75],...]]') with an optional status.
SQL_ROW = re.compile(
    r"\(\s*'((?:[^'\\]|\\.|'')*)'\s*,\s*'((?:[^'\\]|\\.|'')*)'\s*,\s*(?:NULL|[-+0-9.eE]+)\s*,"
    r"\s*(?:NULL|[-+0-9.eE]+)\s*,\s*'([^']*)'\s*(?:,\s*(?:NULL|-?\d+)\s*)?\)",
    re.IGNORECASE,
)


def _sql_features(text: str) -> list[Feature]:
    features = []
    for number, match in enumerate(SQL_ROW.finditer(text), start=1):
        code, name, path = match.groups()
        name = name.replace("''", "'").replace("\\'", "'")
        feature = Feature(number=number, code=code.strip(), name=name)
        features.append(feature)
        try:
            coordinates = json.loads(path)
        except (json.JSONDecodeError, RecursionError):
            feature.problems.append(_("Its path is not valid JSON."))
            continue
        feature.geometry = _swapped(coordinates)
    return features


def _swapped(coordinates) -> dict:
    """A cahyadsn path ([lat, lng] pairs, three levels deep for a polygon, four for a
    multipolygon) as a GeoJSON geometry of [lng, lat] positions. What is not shaped so
    is passed on as it is, for checked_geometry to say what is wrong."""
    depth, node = 0, coordinates
    while isinstance(node, list) and node:
        depth, node = depth + 1, node[0]

    def swap(node, depth: int):
        if not isinstance(node, list):
            return node
        if depth == 1:
            return [node[1], node[0], *node[2:]] if len(node) >= 2 else node
        return [swap(child, depth - 1) for child in node]

    if depth == 4:
        return {"type": "MultiPolygon", "coordinates": swap(coordinates, 4)}
    return {"type": "Polygon", "coordinates": swap(coordinates, 3) if depth == 3 else coordinates}


# Checking one geometry


def checked_geometry(geometry: dict) -> tuple[dict | None, list[str]]:
    """The geometry cleaned for storing (positions as [lng, lat] rounded to DECIMALS,
    any altitude dropped), or None and the problems found."""
    kind = geometry.get("type")
    if kind not in ("Polygon", "MultiPolygon"):
        return None, [
            _("The geometry is a %(type)s, not a Polygon or MultiPolygon.") % {"type": kind}
        ]
    polygons = geometry.get("coordinates")
    if kind == "Polygon":
        polygons = [polygons]
    if not isinstance(polygons, list) or not polygons:
        return None, [_("The geometry has no coordinates.")]
    cleaned, problems = [], []
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            return None, [_("The coordinates are not a list of rings.")]
        rings = []
        for ring in polygon:
            positions = _positions(ring)
            if positions is None:
                return None, [
                    _("A ring is not a list of at least 4 [longitude, latitude] positions.")
                ]
            if positions[0] != positions[-1]:
                problems.append(
                    _("A ring is not closed: its last point %(last)s is not its first %(first)s.")
                    % {"last": _point(positions[-1]), "first": _point(positions[0])}
                )
            outside = next((p for p in positions if not _in_indonesia(p)), None)
            if outside is not None:
                problems.append(
                    _(
                        "The point %(point)s (longitude, latitude) is outside Indonesia "
                        "(latitude -11.5 to 6.5, longitude 94.5 to 141.5). Are longitude "
                        "and latitude swapped?"
                    )
                    % {"point": _point(outside)}
                )
            rings.append(positions)
        cleaned.append(rings)
    if problems:
        return None, list(dict.fromkeys(problems))
    if kind == "Polygon":
        return {"type": "Polygon", "coordinates": cleaned[0]}, []
    return {"type": "MultiPolygon", "coordinates": cleaned}, []


def _positions(ring) -> list[list[float]] | None:
    if not isinstance(ring, list) or len(ring) < 4:
        return None
    positions = []
    for position in ring:
        if not isinstance(position, list) or len(position) < 2:
            return None
        lng, lat = position[0], position[1]
        if not all(
            isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
            for value in (lng, lat)
        ):
            return None
        positions.append([round(lng, DECIMALS), round(lat, DECIMALS)])
    return positions


def _in_indonesia(position: list[float]) -> bool:
    lng, lat = position
    return float(LATITUDE_RANGE[0]) <= lat <= float(LATITUDE_RANGE[1]) and float(
        LONGITUDE_RANGE[0]
    ) <= lng <= float(LONGITUDE_RANGE[1])


def _point(position: list[float]) -> str:
    return f"{position[0]}, {position[1]}"


def bounding_box(geometry: dict) -> tuple[float, float, float, float]:
    """(min lng, min lat, max lng, max lat) of a checked geometry."""
    polygons = geometry["coordinates"]
    if geometry["type"] == "Polygon":
        polygons = [polygons]
    positions = [p for polygon in polygons for ring in polygon for p in ring]
    lngs, lats = [p[0] for p in positions], [p[1] for p in positions]
    return min(lngs), min(lats), max(lngs), max(lats)


def level_of(code: str) -> str | None:
    """The level a code is of by its digits: kecamatan (64.09.01), desa (64.09.01.1001)."""
    digits = code_key(code)
    if not (digits.isascii() and digits.isdigit()):
        return None
    return next((level for level, length in LEVEL_DIGITS.items() if len(digits) == length), None)


def dotted(code: str) -> str:
    """6409011001 or 64.09.01.1001 -> 64.09.01.1001."""
    digits = code_key(code)
    return ".".join(part for part in (digits[:2], digits[2:4], digits[4:6], digits[6:]) if part)

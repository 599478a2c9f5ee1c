"""import_boundaries: the kecamatan and desa outlines of the reach map, as staff load
them from a GeoJSON file or a cahyadsn/wilayah_boundaries SQL export."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from schools import boundary_files
from schools.boundaries import boundary_import
from schools.importing import RowStatus
from schools.models import Boundary
from schools.sheets import ImportFileError

SQUARE = [[116.60, -1.20], [116.70, -1.20], [116.70, -1.10], [116.60, -1.10], [116.60, -1.20]]


def feature(code, coordinates=None, kind="Polygon", key="code", **properties):
    return {
        "type": "Feature",
        "properties": {key: code, **properties},
        "geometry": {"type": kind, "coordinates": [SQUARE] if coordinates is None else coordinates},
    }


def geojson(*features) -> io.BytesIO:
    return io.BytesIO(json.dumps({"type": "FeatureCollection", "features": features}).encode())


def run(file, **options):
    with translation.override("en"):
        return boundary_import(file=file, **options)


def messages(report) -> list[str]:
    return [message for row in report.rows for message in row.messages]


@pytest.fixture(autouse=True)
def _regions(ppu):
    """PPU's regions: 64.09.01 Penajam ... and their desa."""


def test_a_good_file_is_stored_and_a_second_run_changes_nothing():
    report = run(geojson(feature("64.09.01"), feature("6409011001", key="kode")))
    assert report.written and report.counts["created"] == 2
    stored = Boundary.objects.get(district__code="64.09.01")
    assert stored.geometry == {"type": "Polygon", "coordinates": [SQUARE]}
    assert (stored.min_longitude, stored.max_latitude) == (116.60, -1.10)
    assert Boundary.objects.get(village__code="64.09.01.1001").district is None

    again = run(geojson(feature("64.09.01"), feature("6409011001", key="kode")))
    assert again.counts["unchanged"] == 2

    moved = [[round(lng + 0.01, 6), lat] for lng, lat in SQUARE]
    changed = run(geojson(feature("64.09.01", [moved])))
    assert changed.counts["updated"] == 1
    assert Boundary.objects.get(district__code="64.09.01").geometry["coordinates"] == [moved]


def test_a_multipolygon_and_a_named_code_property():
    islands = [[SQUARE], [[[p[0] + 0.2, p[1]] for p in SQUARE]]]
    report = run(
        geojson(feature(640902, islands, kind="MultiPolygon", key="KDCPUM")),
        code_property="KDCPUM",
    )
    assert report.written
    assert Boundary.objects.get(district__code="64.09.02").geometry["type"] == "MultiPolygon"


def test_the_cahyadsn_sql_export_is_read_with_its_latitude_first():
    path = json.dumps([[[lat, lng] for lng, lat in SQUARE]])
    sql = (
        "/* header */\nINSERT INTO wilayah_boundaries(kode,nama,lat,lng,path) VALUES\n"
        f"\t('64.09.03','Babulu',-1.15,116.65,'{path}'),\n"
        f"\t('64.09.03.2001','Babulu Darat',-1.15,116.65,'{path}');\n"
    )
    report = run(io.BytesIO(sql.encode()))
    assert report.written and report.counts["created"] == 2
    assert Boundary.objects.get(district__code="64.09.03").geometry["coordinates"] == [SQUARE]


def test_a_dry_run_reports_and_writes_nothing(tmp_path):
    path = tmp_path / "kecamatan.geojson"
    path.write_bytes(geojson(feature("64.09.01")).getvalue())
    out = io.StringIO()
    call_command("import_boundaries", str(path), "--dry-run", stdout=out)
    assert "64.09.01 Penajam" in out.getvalue()
    assert not Boundary.objects.exists()


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (feature("64.09.09"), "No kecamatan with code 64.09.09 in the registry"),
        (feature("64.09"), "'64.09' is not the code of a kecamatan"),
        # PostgreSQL refuses to compare text holding NUL: this was a traceback there.
        (feature("64.09\x0001"), "is not the code of a kecamatan"),
        (feature("64.09.01", [116.6, -1.2], kind="Point"), "is a Point, not a Polygon"),
        (feature("64.09.01", [[lat, lng] for lng, lat in SQUARE], kind="LineString"),
         "is a LineString"),
        (feature("64.09.01", [[[lat, lng] for lng, lat in SQUARE]]), "outside Indonesia"),
        (feature("64.09.01", [SQUARE[:-1] + [[116.61, -1.2]]]), "A ring is not closed"),
        (feature("64.09.01", [SQUARE[:2]]), "at least 4 [longitude, latitude] positions"),
        (feature("64.09.01", [[["a", "b"]] * 4]), "at least 4 [longitude, latitude] positions"),
        (feature("64.09.01", "nonsense"), "not a list of rings"),
        (feature(None), "No Kemendagri code found"),
        ({"type": "Feature", "properties": {"code": "64.09.01"}}, "has no geometry"),
        ("not a feature", "not a GeoJSON feature"),
    ],
)  # fmt: skip
def test_one_bad_boundary_and_nothing_is_written(bad, message):
    report = run(geojson(feature("64.09.02"), bad))
    assert not report.written
    assert [row.status for row in report.rows] == [RowStatus.CREATED, RowStatus.ERROR]
    assert any(message in text for text in messages(report)), messages(report)
    assert not Boundary.objects.exists()


def test_a_code_of_the_wrong_level():
    report = run(geojson(feature("64.09.01")), level="desa")
    assert "64.09.01 is a kecamatan code, but this import is of desa/kelurahan boundaries." in (
        messages(report)
    )
    assert not Boundary.objects.exists()


def test_a_code_twice_in_the_file():
    report = run(geojson(feature("64.09.01"), feature("6409.01")))
    assert "Code 64.09.01 appears more than once in the file (rows 1, 2)." in messages(report)
    assert not report.written


def test_a_named_code_property_that_is_missing():
    report = run(geojson(feature("64.09.01")), code_property="KDEPUM")
    assert messages(report) == ["No Kemendagri code in property 'KDEPUM'."]


def test_a_bad_path_in_the_sql_export():
    sql = (
        "INSERT INTO wilayah_boundaries(kode,nama,lat,lng,path) VALUES "
        "('64.09.01','Penajam',-1.2,116.6,'[[[-1.2,116.6],');"
    )
    assert messages(run(io.BytesIO(sql.encode()))) == ["Its path is not valid JSON."]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"type": "FeatureCollection", "features": [', r"not valid JSON \(line 1, column 44\)"),
        (b'{"type": "Feature"}', "not a GeoJSON FeatureCollection"),
        (b'{"type": "FeatureCollection", "features": []}', "has no boundaries"),
        (b'{"type": "FeatureCollection"}', "no list of features"),
        (b"\xff\xfe{", "not UTF-8"),
        (b"kode,nama\n64.09.01,Penajam\n", "neither a GeoJSON FeatureCollection nor an SQL"),
        (b"[" * 100_000 + b"]" * 100_000, "neither a GeoJSON"),
        (b'{"a":' * 100_000 + b"1" + b"}" * 100_000, "nested thousands of levels deep"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_with_a_message(content, message):
    with pytest.raises(ImportFileError, match=message):
        run(io.BytesIO(content))


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(monkeypatch):
    monkeypatch.setattr(boundary_files, "MAX_FILE_BYTES", 1024 * 1024)

    class Unreadable(io.BytesIO):
        def read(self, *args):
            raise AssertionError("read a file over the limit")

    with pytest.raises(ImportFileError, match="larger than 1 MB"):
        run(Unreadable(b" " * (1024 * 1024 + 1)))


def test_the_command_refuses_a_bad_file_and_writes_nothing(tmp_path):
    path = tmp_path / "kecamatan.geojson"
    path.write_bytes(geojson(feature("64.09.01"), feature("64.09.09")).getvalue())
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_boundaries", str(path), stdout=out)
    assert "64.09.09" in out.getvalue()
    assert not Boundary.objects.exists()
    with pytest.raises(CommandError, match=str(tmp_path / "missing.geojson")):
        call_command("import_boundaries", str(tmp_path / "missing.geojson"))

"""The registry's demo content is the real thing: every region, school and boundary of
Penajam Paser Utara in schools/data/ (see its README), loaded through the same imports
as `import_regions`, `import_schools` and `import_boundaries`, so running it again
changes nothing."""

import csv
import io
from pathlib import Path

from django.utils.translation import gettext as _

from schools.boundaries import boundary_import
from schools.boundary_files import BoundaryLevel
from schools.models import Boundary, District, Regency, School, Village
from schools.regions import BUNDLED_REGIONS, region_import
from schools.services import school_import

DATA = Path(__file__).resolve().parent / "data"
BUNDLED_SCHOOLS = DATA / "schools.csv"
BUNDLED_BOUNDARIES = [
    (DATA / "kecamatan.geojson", BoundaryLevel.KECAMATAN),
    (DATA / "desa_kelurahan.geojson", BoundaryLevel.DESA),
]


def seed(stdout=None) -> None:
    with open(BUNDLED_REGIONS, "rb") as regions:
        _check(region_import(file=regions))
    _check(school_import(file=bundled_schools_file()))
    seed_boundaries()
    if stdout:
        stdout.write(
            _(
                "Registry: %(regencies)d regency, %(districts)d kecamatan, %(villages)d "
                "desa/kelurahan, %(schools)d schools, %(boundaries)d boundaries."
            )
            % {
                "regencies": Regency.objects.count(),
                "districts": District.objects.count(),
                "villages": Village.objects.count(),
                "schools": School.objects.count(),
                "boundaries": Boundary.objects.count(),
            }
        )


def seed_boundaries() -> None:
    """The bundled kecamatan and desa/kelurahan boundaries, for the reach map."""
    for path, level in BUNDLED_BOUNDARIES:
        with open(path, "rb") as boundaries:
            _check(boundary_import(file=boundaries, level=level, source=path.name))


def bundled_schools_file() -> io.BytesIO:
    """schools.csv as a Dapodik-style file. Its source has no desa, so each school's
    desa/kelurahan is the one its coordinates fall in, and its source says so."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["NPSN", "Nama Sekolah", "Bentuk Pendidikan", "Status Sekolah", "Alamat", "Kecamatan",
         "Kode Desa/Kelurahan", "Lintang", "Bujur", "Sumber"]
    )  # fmt: skip
    with open(BUNDLED_SCHOOLS, encoding="utf-8", newline="") as source:
        for row in csv.DictReader(source):
            writer.writerow(
                [row["npsn"], row["name"], row["level"], row["status"], row["address"],
                 row["district"], row["village_code_by_coordinates"], row["latitude"],
                 row["longitude"],
                 f"{row['source']}; desa/kelurahan diturunkan dari koordinat"]
            )  # fmt: skip
    return io.BytesIO(out.getvalue().encode())


def _check(report) -> None:
    if not report.written:
        errors = [row for row in report.rows if row.messages]
        raise RuntimeError(f"the bundled data did not import: {errors[:3]}")

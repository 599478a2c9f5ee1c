"""The school import with one regency in the registry, and with two: its messages name
the regency the data holds (never a fixed one), and a kecamatan name found in both
regencies must be given by its code."""

import pytest
from django.utils import translation

from schools.models import District, Regency
from schools.services import school_import
from tests.schools.factories import DAPODIK_HEADER, csv_file


def row(kecamatan: str) -> list[str]:
    return ["10105999", "SD UJI", "SD", "Negeri", "", "", kecamatan, "", ""]


def messages(kecamatan: str) -> list[str]:
    with translation.override("en"):
        report = school_import(file=csv_file([DAPODIK_HEADER, row(kecamatan)]))
    assert not report.written
    return report.rows[0].messages


def test_with_one_regency_an_unknown_kecamatan_names_it(ppu):
    assert messages("Sukajaya") == [
        "Unknown kecamatan 'Sukajaya': not a kecamatan of Kabupaten Penajam Paser Utara."
    ]


def test_with_two_regencies_an_unknown_kecamatan_names_none(ppu, second_district):
    assert messages("Nowhere") == ["Unknown kecamatan 'Nowhere': not in the registry."]
    with translation.override("en"):
        report = school_import(file=csv_file([DAPODIK_HEADER, row("Sukajaya")]))
    assert report.written and report.rows[0].place == "Sukajaya"


def test_a_kecamatan_name_in_two_regencies_needs_its_code(ppu, second_district):
    District.objects.create(code="11.72.09", name="Waru", regency=second_district)
    assert messages("Waru") == [
        "Kecamatan 'Waru' is in more than one regency (Kota Sabang 11.72.09, Kabupaten "
        "Penajam Paser Utara 64.09.02): give its Kemendagri code instead."
    ]
    with translation.override("en"):
        report = school_import(file=csv_file([DAPODIK_HEADER, row("11.72.09")]))
    assert report.written
    assert Regency.objects.count() == 2


@pytest.mark.parametrize("name", ["Penajam", "Kec. Sepaku"])
def test_ppus_names_still_match_next_to_the_second_regency(ppu, second_district, name):
    with translation.override("en"):
        assert school_import(file=csv_file([DAPODIK_HEADER, row(name)])).written

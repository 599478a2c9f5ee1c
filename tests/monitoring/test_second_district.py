"""A second regency next to PPU: Kota Sabang's public data (tests/conftest.py,
second_district). Its map is its own, drawn from its stored boundaries."""

import re
from datetime import date

import pytest

from monitoring.charts import MapPoint, coverage_map, reach_charts
from monitoring.selectors import reach
from schools import demo
from schools.models import District, Regency, School
from schools.selectors import kecamatan_shapes

pytestmark = pytest.mark.django_db


@pytest.fixture
def both(db, second_district):
    """PPU as seed_demo loads it (regions, schools, kecamatan and desa boundaries), then
    Kota Sabang through the import commands."""
    demo.seed()
    return Regency.objects.get(code="64.09"), second_district


def frame(svg: str) -> tuple[float, float]:
    return tuple(map(float, re.search(r'viewBox="0 0 (\S+) (\S+)"', svg).groups()))


def dots(svg: str) -> list[tuple[float, float]]:
    return [
        (float(x), float(y)) for x, y in re.findall(r'<circle cx="([\d.]+)" cy="([\d.]+)"', svg)
    ]


def extent(svg: str) -> tuple[float, float, float, float]:
    points = [
        (float(x), float(y))
        for d in re.findall(r'<path d="([^"]+)"', svg)
        for x, y in re.findall(r"(-?[\d.]+),(-?[\d.]+)", d)
    ]
    xs, ys = zip(*points, strict=True)
    return min(xs), min(ys), max(xs), max(ys)


def assert_fills_the_frame(svg: str) -> None:
    width, height = frame(svg)
    left, top, right, bottom = extent(svg)
    assert left == pytest.approx(10, abs=1) and right == pytest.approx(width - 10, abs=1)
    assert top == pytest.approx(10, abs=1) and bottom == pytest.approx(height - 10, abs=1)


def assert_inside_the_frame(svg: str, count: int) -> None:
    width, height = frame(svg)
    found = dots(svg)
    assert len(found) == count
    assert all(0 <= x <= width and 0 <= y <= height for x, y in found)


def test_both_regencies_are_in_the_registry_side_by_side(both):
    ppu, sabang = both
    assert District.objects.filter(regency=ppu).count() == 4
    assert District.objects.filter(regency=sabang).count() == 3
    assert School.objects.filter(district__regency=sabang).count() == 40
    assert School.objects.filter(district__regency=ppu).count() == 155


def test_the_map_of_the_second_regency_draws_its_shapes_and_every_school(both):
    _, sabang = both
    shapes = kecamatan_shapes(regency_ids=[sabang.pk])
    assert [shape.name for shape in shapes.regions] == ["Sukakarya", "Sukajaya", "Sukamakmue"]
    points = [
        MapPoint(latitude=float(lat), longitude=float(lng), reached=False, label=name)
        for lat, lng, name in School.objects.filter(district__regency=sabang).values_list(
            "latitude", "longitude", "name"
        )
    ]
    svg = coverage_map(areas=shapes, district_ratios={}, points=points, title="Peta Sabang")
    assert_inside_the_frame(svg, 40)
    assert_fills_the_frame(svg)
    assert ">Sukajaya<" in svg and ">Penajam<" not in svg


def test_the_dashboard_filtered_to_a_kecamatan_of_the_second_regency(both):
    sukajaya = District.objects.get(code="11.72.02")
    figures = reach(starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31), district=sukajaya)
    svg = reach_charts(figures)["map"]
    schools = School.objects.filter(district=sukajaya).count()
    # 3 of its schools lie outside every kecamatan (coarse coastal polygons): still framed.
    assert_inside_the_frame(svg, schools)
    assert [shape.name for shape in figures.map_areas.regions] == ["Sukajaya"]
    assert figures.map_outlines.regions == ()  # no desa boundaries loaded for Sabang
    assert ">Sukajaya<" in svg and ">Penajam<" not in svg and "<script" not in svg


def test_ppus_map_still_draws_ppu_with_its_desa(both):
    ppu, _ = both
    assert [s.name for s in kecamatan_shapes(regency_ids=[ppu.pk]).regions] == [
        "Penajam", "Waru", "Babulu", "Sepaku"
    ]  # fmt: skip
    waru = District.objects.get(code="64.09.02")
    figures = reach(starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31), district=waru)
    svg = reach_charts(figures)["map"]
    assert_inside_the_frame(svg, School.objects.filter(district=waru).count())
    assert len(figures.map_outlines.regions) == 4
    assert ">Waru<" in svg and ">Sukajaya<" not in svg

import re

import pytest

from monitoring.charts import SHADES, MapPoint, bar_chart, coverage_map
from schools.demo import seed_boundaries
from schools.regions import BUNDLED_REGIONS, region_import
from schools.selectors import Shapes, kecamatan_shapes, village_shapes


@pytest.fixture
def ppu_shapes(db):
    """PPU's regions and boundaries, loaded as seed_demo loads them."""
    with open(BUNDLED_REGIONS, "rb") as regions:
        region_import(file=regions)
    seed_boundaries()
    return kecamatan_shapes()


def frame(svg: str) -> tuple[float, float]:
    return tuple(map(float, re.search(r'viewBox="0 0 (\S+) (\S+)"', svg).groups()))


def path_points(svg: str) -> list[tuple[float, float]]:
    return [
        (float(x), float(y))
        for d in re.findall(r'<path d="([^"]+)"', svg)
        for x, y in re.findall(r"(-?[\d.]+),(-?[\d.]+)", d)
    ]


def test_map_shades_each_kecamatan_by_its_coverage(ppu_shapes):
    svg = coverage_map(
        areas=ppu_shapes,
        district_ratios={"64.09.01": 1.0, "64.09.03": 0.5},
        points=[],
        title="Peta <jangkauan>",
    )
    fills = {
        name: fill
        for fill, name in re.findall(r'<path d="[^"]+" fill="([^"]+)"[^>]*><title>([^:]+):', svg)
    }
    assert fills == {
        "Penajam": SHADES[-1],
        "Waru": SHADES[0],
        "Babulu": SHADES[2],
        "Sepaku": SHADES[0],
    }
    assert "<script" not in svg and "style=" not in svg
    assert 'role="img" aria-label="Peta &lt;jangkauan&gt;"' in svg


def test_the_shapes_fill_the_frame(ppu_shapes):
    svg = coverage_map(areas=ppu_shapes, district_ratios={}, points=[], title="Peta")
    width, height = frame(svg)
    xs, ys = zip(*path_points(svg), strict=True)
    assert min(xs) == pytest.approx(10, abs=1) and max(xs) == pytest.approx(width - 10, abs=1)
    assert min(ys) == pytest.approx(10, abs=1) and max(ys) == pytest.approx(height - 10, abs=1)
    # Pixel-fine detail is left out: PPU's four kecamatan stay a few kilobytes.
    assert len(svg) < 12_000


def test_map_draws_reached_and_unreached_schools_inside_the_frame(ppu_shapes):
    points = [
        MapPoint(latitude=-1.44, longitude=116.43, reached=True, label="SD A"),
        MapPoint(latitude=-1.20, longitude=116.60, reached=False, label="SMP <B>"),
        # Outside every kecamatan (out at sea, east of Balikpapan Bay).
        MapPoint(latitude=-1.60, longitude=117.30, reached=False, label="SD laut"),
    ]
    svg = coverage_map(areas=ppu_shapes, district_ratios={}, points=points, title="Peta")
    width, height = frame(svg)
    circles = re.findall(r'<circle cx="([\d.]+)" cy="([\d.]+)" r="3" fill="([^"]+)"', svg)
    assert len(circles) == 3
    for x, y, _ in circles:
        assert 0 <= float(x) <= width and 0 <= float(y) <= height
    assert {fill for _, _, fill in circles} == {"#1a7f37", "#ffffff"}
    assert "SMP &lt;B&gt;" in svg


def test_without_boundaries_the_map_fits_the_schools_and_draws_no_shape(db):
    points = [
        MapPoint(latitude=5.88, longitude=95.32, reached=True, label="SD A"),
        MapPoint(latitude=5.80, longitude=95.34, reached=False, label="SD B"),
    ]
    svg = coverage_map(areas=kecamatan_shapes(), district_ratios={}, points=points, title="Peta")
    width, height = frame(svg)
    assert "<path" not in svg
    xs = [float(x) for x in re.findall(r'<circle cx="([\d.]+)"', svg)]
    ys = [float(y) for y in re.findall(r'cy="([\d.]+)"', svg)]
    assert min(ys) == pytest.approx(10, abs=1) and max(ys) == pytest.approx(height - 10, abs=1)
    assert all(0 <= x <= width for x in xs)


def test_an_empty_map_is_an_empty_frame():
    svg = coverage_map(
        areas=Shapes(regions=(), bbox=None), district_ratios={}, points=[], title="Peta"
    )
    assert svg.startswith("<svg") and "<path" not in svg and "<circle" not in svg


def test_one_kecamatan_with_its_desa_outlined(ppu_shapes):
    from schools.models import District

    waru = District.objects.get(code="64.09.02")
    svg = coverage_map(
        areas=kecamatan_shapes(district_ids=[waru.pk]),
        outlines=village_shapes(district=waru),
        district_ratios={"64.09.02": 0.25},
        points=[],
        title="Peta",
    )
    assert re.findall(r'fill="none"[^>]*><title>([^<]+)</title>', svg) == [
        shape.name for shape in village_shapes(district=waru).regions
    ]
    assert len(re.findall(r'fill="none"', svg)) == waru.villages.count() == 4
    assert ">Waru<" in svg and ">Penajam<" not in svg


def test_bar_chart_scales_bars_to_the_largest_value():
    svg = bar_chart(labels=["Jan", "Feb", "Mar"], values=[2, 4, 0], title="Kunjungan")
    heights = [float(h) for h in re.findall(r'<rect [^>]*height="([\d.]+)"', svg)]
    assert heights[1] == 2 * heights[0]
    assert heights[2] == 0
    assert ">Feb<" in svg and ">4<" in svg


def test_bar_chart_with_no_data_does_not_divide_by_zero():
    assert "<svg" in bar_chart(labels=[], values=[], title="Kosong")

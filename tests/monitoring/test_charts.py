import re

from monitoring.charts import SHADES, MapPoint, bar_chart, coverage_map


def test_map_shades_each_kecamatan_by_its_coverage():
    svg = coverage_map(
        district_ratios={"64.09.01": 1.0, "64.09.03": 0.5}, points=[], title="Peta <jangkauan>"
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


def test_map_draws_reached_and_unreached_schools_inside_the_frame():
    points = [
        MapPoint(latitude=-1.44, longitude=116.43, reached=True, label="SD A"),
        MapPoint(latitude=-1.20, longitude=116.60, reached=False, label="SMP <B>"),
    ]
    svg = coverage_map(district_ratios={}, points=points, title="Peta")
    width, height = map(float, re.search(r'viewBox="0 0 (\S+) (\S+)"', svg).groups())
    circles = re.findall(r'<circle cx="([\d.]+)" cy="([\d.]+)" r="3" fill="([^"]+)"', svg)
    assert len(circles) == 2
    for x, y, _ in circles:
        assert 0 <= float(x) <= width and 0 <= float(y) <= height
    assert {fill for _, _, fill in circles} == {"#1a7f37", "#ffffff"}
    assert "SMP &lt;B&gt;" in svg


def test_bar_chart_scales_bars_to_the_largest_value():
    svg = bar_chart(labels=["Jan", "Feb", "Mar"], values=[2, 4, 0], title="Kunjungan")
    heights = [float(h) for h in re.findall(r'<rect [^>]*height="([\d.]+)"', svg)]
    assert heights[1] == 2 * heights[0]
    assert heights[2] == 0
    assert ">Feb<" in svg and ">4<" in svg


def test_bar_chart_with_no_data_does_not_divide_by_zero():
    assert "<svg" in bar_chart(labels=[], values=[], title="Kosong")

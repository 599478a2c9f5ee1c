"""Server-rendered SVG for the reach dashboard and its printed report: a map of the
kecamatan shaded by coverage with schools as dots, and a monthly bar chart.

Plain SVG with presentation attributes (no inline style, no script) so it works without
JavaScript, under the site's CSP, and in WeasyPrint's PDF. No map tiles: the shapes come
from the bundled kecamatan boundaries.
"""

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils import formats
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

BOUNDARIES = Path(__file__).resolve().parent.parent / "schools" / "data" / "kecamatan.geojson"

# Coverage classes, light to dark, readable in black and white print too.
SHADES = ["#f1f5fb", "#c6dbef", "#9ecae1", "#4292c6", "#08519c"]
REACHED = "#1a7f37"
NOT_REACHED = "#ffffff"


@dataclass(frozen=True)
class MapPoint:
    latitude: float
    longitude: float
    reached: bool
    label: str


@cache
def kecamatan_shapes() -> tuple[dict, ...]:
    """The four kecamatan as {code, name, rings: [[(lng, lat), ...], ...]}."""
    features = json.loads(BOUNDARIES.read_text())["features"]
    shapes = []
    for feature in features:
        geometry = feature["geometry"]
        polygons = (
            geometry["coordinates"]
            if geometry["type"] == "MultiPolygon"
            else [geometry["coordinates"]]
        )
        rings = [[tuple(point) for point in ring] for polygon in polygons for ring in polygon]
        shapes.append(
            {
                "code": feature["properties"]["code"],
                "name": feature["properties"]["name"],
                "rings": rings,
                "centroid": (
                    feature["properties"]["centroid_lng"],
                    feature["properties"]["centroid_lat"],
                ),
            }
        )
    return tuple(shapes)


class _Projection:
    """Equirectangular, scaled by cos(latitude): exact enough a degree from the equator."""

    def __init__(self, points, width):
        lngs = [p[0] for p in points]
        lats = [p[1] for p in points]
        self.min_lng, self.max_lat = min(lngs), max(lats)
        self.x_scale = math.cos(math.radians((min(lats) + max(lats)) / 2))
        span_x = (max(lngs) - self.min_lng) * self.x_scale or 1
        span_y = (self.max_lat - min(lats)) or 1
        self.factor = (width - 20) / span_x
        self.width = width
        self.height = round(span_y * self.factor + 20)

    def __call__(self, lng, lat):
        x = 10 + (lng - self.min_lng) * self.x_scale * self.factor
        y = 10 + (self.max_lat - lat) * self.factor
        return round(x, 1), round(y, 1)


def shade(ratio: float) -> str:
    return SHADES[min(int(ratio * len(SHADES)), len(SHADES) - 1)]


def coverage_map(
    *, district_ratios: dict[str, float], points: list[MapPoint], title: str, width: int = 480
) -> SafeString:
    """The kecamatan filled by `district_ratios` (code -> share of schools reached, 0..1)
    and `points` as dots: filled when reached, hollow when not. `title` is the image's
    accessible name: what a screen reader says instead of the drawing."""
    shapes = kecamatan_shapes()
    project = _Projection([p for shape in shapes for ring in shape["rings"] for p in ring], width)
    paths = []
    for shape in shapes:
        d = " ".join(
            "M" + " L".join("{},{}".format(*project(*point)) for point in ring) + " Z"
            for ring in shape["rings"]
        )
        ratio = district_ratios.get(shape["code"], 0)
        paths.append(
            format_html(
                '<path d="{}" fill="{}" stroke="#333" stroke-width="1"><title>{}: {}%</title>'
                "</path>",
                d,
                shade(ratio),
                shape["name"],
                round(ratio * 100),
            )
        )
    # Each name twice, a white outline under the black text: readable over the dots,
    # and drawn the same by WeasyPrint, which ignores paint-order.
    labels = [
        format_html(
            '<text x="{x}" y="{y}" font-size="12" text-anchor="middle" fill="#fff" '
            'stroke="#fff" stroke-width="3">{name}</text>'
            '<text x="{x}" y="{y}" font-size="12" text-anchor="middle" fill="#111">{name}</text>',
            x=x,
            y=y,
            name=shape["name"],
        )
        for shape in shapes
        for x, y in [project(*shape["centroid"])]
    ]
    # Plain str.format with only the label escaped: a map may hold a couple of thousand
    # dots, and format_html would escape every number too.
    dots = [
        '<circle cx="{}" cy="{}" r="3" fill="{}" stroke="{}" stroke-width="1">'
        "<title>{}</title></circle>".format(
            *project(point.longitude, point.latitude),
            REACHED if point.reached else NOT_REACHED,
            "#ffffff" if point.reached else "#b00020",
            escape(point.label),
        )
        for point in points
    ]
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" width="100%" '
        'role="img" aria-label="{}" class="reach-map">{}{}{}</svg>',
        project.width,
        project.height,
        title,
        mark_safe("".join(paths)),  # noqa: S308 - each part built with format_html
        mark_safe("".join(dots)),  # noqa: S308
        mark_safe("".join(labels)),  # noqa: S308
    )


def bar_chart(
    *,
    labels: list[str],
    values: list[int],
    title: str,
    width: int = 480,
    height: int = 180,
    value_labels: list[str] | None = None,
) -> SafeString:
    """Vertical bars with their value on top (as `value_labels` say, e.g. "1.250",
    else as is) and the label below."""
    value_labels = value_labels or [str(value) for value in values]
    top = max(values, default=0) or 1
    slot = (width - 20) / max(len(values), 1)
    bar_width = max(slot * 0.7, 1)
    plot_height = height - 40
    bars = []
    for index, (label, value, shown) in enumerate(zip(labels, values, value_labels, strict=True)):
        bar_height = plot_height * value / top
        x = 10 + index * slot + (slot - bar_width) / 2
        y = 15 + plot_height - bar_height
        bars.append(
            format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" fill="#4292c6"><title>{}: {}</title>'
                '</rect><text x="{}" y="{}" font-size="10" text-anchor="middle">{}</text>'
                '<text x="{}" y="{}" font-size="10" text-anchor="middle">{}</text>',
                round(x, 1),
                round(y, 1),
                round(bar_width, 1),
                round(bar_height, 1),
                label,
                shown,
                round(x + bar_width / 2, 1),
                round(y - 3, 1),
                shown,
                round(x + bar_width / 2, 1),
                height - 8,
                label,
            )
        )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" width="100%" role="img" '
        'aria-label="{}" class="reach-chart"><line x1="10" y1="{}" x2="{}" y2="{}" '
        'stroke="#333"/>{}</svg>',
        width,
        height,
        title,
        15 + plot_height,
        width - 10,
        15 + plot_height,
        format_html_join("", "{}", ((bar,) for bar in bars)),
    )


def reach_charts(figures) -> dict:
    """The map and the trend charts of a monitoring.figures.Reach, as SVG."""
    label_format = "Y" if figures.by_year else "M y"
    labels = [formats.date_format(row.month, label_format) for row in figures.trend]

    def chart(values: list[int], title: str):
        shown = [formats.number_format(value, force_grouping=True) for value in values]
        return bar_chart(labels=labels, values=values, title=title, value_labels=shown)

    trend = figures.trend
    reached = sum(point.reached for point in figures.points)
    map_title = _(
        "Map of the kecamatan, shaded by the share of schools reached: %(reached)s schools "
        "on the map with a session in the period, %(unreached)s without. The table per "
        "kecamatan gives the figures."
    ) % {"reached": reached, "unreached": len(figures.points) - reached}
    return {
        "map": coverage_map(
            district_ratios=figures.district_ratios, points=figures.points, title=map_title
        ),
        "sessions_chart": chart([row.sessions for row in trend], _("Sessions done")),
        "participants_chart": chart([row.participants for row in trend], _("Participants")),
        "attempts_chart": chart([row.attempts for row in trend], _("Quiz attempts")),
    }

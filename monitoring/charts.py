"""Server-rendered SVG for the reach dashboard and its printed report: a map of the
kecamatan shaded by coverage with schools as dots, and a monthly bar chart.

Plain SVG with presentation attributes (no inline style, no script) so it works without
JavaScript, under the site's CSP, and in WeasyPrint's PDF. No map tiles: the shapes are
the boundaries stored in the registry (schools.selectors.kecamatan_shapes).
"""

import math
from dataclasses import dataclass

from django.utils import formats
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from schools.selectors import Shapes, bbox_union

# Coverage classes, light to dark, readable in black and white print too.
SHADES = ["#f1f5fb", "#c6dbef", "#9ecae1", "#4292c6", "#08519c"]
REACHED = "#1a7f37"
NOT_REACHED = "#ffffff"
MARGIN = 10
# A tall, narrow district is drawn no taller than this many times the map's width.
MAX_HEIGHT_RATIO = 1.5
# Points closer than this (in the map's units) to the last one drawn are skipped: a
# boundary's detail finer than a pixel only makes the SVG heavier.
MIN_STEP = 1.0


@dataclass(frozen=True)
class MapPoint:
    latitude: float
    longitude: float
    reached: bool
    label: str


class _Projection:
    """Equirectangular, scaled by cos(latitude): exact enough a few degrees from the
    equator. Fits the box (min lng, min lat, max lng, max lat) in `width`, centred."""

    def __init__(self, box, width):
        min_lng, min_lat, max_lng, max_lat = box
        self.min_lng, self.max_lat = min_lng, max_lat
        self.x_scale = math.cos(math.radians((min_lat + max_lat) / 2))
        span_x = (max_lng - min_lng) * self.x_scale
        span_y = max_lat - min_lat
        inner = width - 2 * MARGIN
        scales = [inner / span_x if span_x else math.inf]
        scales.append(inner * MAX_HEIGHT_RATIO / span_y if span_y else math.inf)
        self.factor = min(scales) if min(scales) < math.inf else 1
        self.width = width
        self.height = round(span_y * self.factor + 2 * MARGIN)
        self.left = MARGIN + (inner - span_x * self.factor) / 2

    def __call__(self, lng, lat):
        x = self.left + (lng - self.min_lng) * self.x_scale * self.factor
        y = MARGIN + (self.max_lat - lat) * self.factor
        return round(x, 1), round(y, 1)


def _frame(areas: Shapes, outlines: Shapes | None, points: list[MapPoint]):
    """The box the map shows: the shapes' and every dot, so a school outside every
    shape (or when no boundary is loaded) is still drawn inside the frame."""
    boxes = [shapes.bbox for shapes in (areas, outlines) if shapes and shapes.bbox]
    boxes += [(p.longitude, p.latitude, p.longitude, p.latitude) for p in points]
    return bbox_union(boxes)


def _path(rings, project) -> str:
    parts = []
    for ring in rings:
        drawn = [project(*ring[0])]
        for point in ring[1:-1]:
            x, y = project(*point)
            if abs(x - drawn[-1][0]) + abs(y - drawn[-1][1]) >= MIN_STEP:
                drawn.append((x, y))
        if len(drawn) >= 3:
            parts.append("M" + " L".join(f"{x},{y}" for x, y in drawn) + " Z")
    return " ".join(parts)


def shade(ratio: float) -> str:
    return SHADES[min(int(ratio * len(SHADES)), len(SHADES) - 1)]


def coverage_map(
    *,
    areas: Shapes,
    district_ratios: dict[str, float],
    points: list[MapPoint],
    title: str,
    outlines: Shapes | None = None,
    width: int = 480,
) -> SafeString:
    """The kecamatan of `areas` filled by `district_ratios` (code -> share of schools
    reached, 0..1), the desa/kelurahan of `outlines` (if any) outlined inside them, and
    `points` as dots: filled when reached, hollow when not. `title` is the image's
    accessible name: what a screen reader says instead of the drawing."""
    box = _frame(areas, outlines, points)
    if box is None:
        return format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" width="100%" '
            'role="img" aria-label="{}" class="reach-map"></svg>',
            width,
            2 * MARGIN,
            title,
        )
    project = _Projection(box, width)
    paths = []
    for shape in areas.regions:
        ratio = district_ratios.get(shape.code, 0)
        d = _path(shape.rings, project)
        if not d:  # smaller than a pixel at this scale
            continue
        paths.append(
            format_html(
                '<path d="{}" fill="{}" stroke="#333" stroke-width="1"><title>{}: {}%</title>'
                "</path>",
                d,
                shade(ratio),
                shape.name,
                round(ratio * 100),
            )
        )
    for shape in outlines.regions if outlines else ():
        d = _path(shape.rings, project)
        if d:
            paths.append(
                format_html(
                    '<path d="{}" fill="none" stroke="#555" stroke-width="0.5">'
                    "<title>{}</title></path>",
                    d,
                    shape.name,
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
            name=shape.name,
        )
        for shape in areas.regions
        for x, y in [project(*shape.centre)]
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
            areas=figures.map_areas,
            outlines=figures.map_outlines,
            district_ratios=figures.district_ratios,
            points=figures.points,
            title=map_title,
        ),
        "sessions_chart": chart([row.sessions for row in trend], _("Sessions done")),
        "participants_chart": chart([row.participants for row in trend], _("Participants")),
        "attempts_chart": chart([row.attempts for row in trend], _("Quiz attempts")),
    }

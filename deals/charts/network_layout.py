"""Where the investment graph puts things: companies in columns, bowed arrows, names that fit.

Pure geometry on positions and pixel sizes, kept apart from the figure (`network.py`) so each
reads on its own.
"""

import math
from collections import Counter

# The column the graph draws each company in: investors, then labs, then clouds, then
# chipmakers.
LAYERS = {
    "investor": 0,
    "other": 0,
    "others": 0,
    "ai_lab": 1,
    "cloud_provider": 2,
    "data_center_operator": 2,
    "chipmaker": 3,
    "site": 2.5,  # data-centre sites (network_sites.py), between clouds and chipmakers
}


def curve(start, end, bend: float, steps: int = 10):
    """Points of a quadratic curve from start to end, bowed to the left of travel by `bend`."""
    (x0, y0), (x1, y1) = start, end
    dx, dy = x1 - x0, y1 - y0
    cx, cy = (x0 + x1) / 2 - dy * bend, (y0 + y1) / 2 + dx * bend
    points = []
    for step in range(steps + 1):
        t = step / steps
        points.append(  # three decimals are finer than a pixel and keep the page small
            (
                round((1 - t) ** 2 * x0 + 2 * (1 - t) * t * cx + t**2 * x1, 3),
                round((1 - t) ** 2 * y0 + 2 * (1 - t) * t * cy + t**2 * y1, 3),
            )
        )
    return points


def tail(points, reach: float, scale: tuple[float, float]):
    """The last point of a curve at least `reach` pixels from its end (or its start)."""
    (x1, y1), (per_x, per_y) = points[-1], scale
    for x, y in reversed(points[:-1]):
        if math.hypot((x1 - x) * per_x, (y1 - y) * per_y) >= reach:
            return x, y
    return points[0]


def node_size(money: float, largest: float) -> float:
    return 16 + 34 * math.sqrt(money / largest) if largest else 16


def graph_layout(nodes) -> dict[int, tuple[float, float]]:
    """Positions for the investment graph: money flows left to right across the whole width.

    One column per kind (investors, labs, clouds and data centres, chipmakers: `LAYERS`), the
    columns present spread from x = -1 to 1; inside a column the companies keep the order of
    `nodes` (largest first), evenly from the top (y = 1) to the bottom (y = -1).
    """
    columns: dict[int, list] = {}
    for node, kind in zip(nodes["id"], nodes["kind"], strict=True):
        columns.setdefault(LAYERS.get(kind, 0), []).append(node)
    positions = {}
    for index, layer in enumerate(sorted(columns)):
        x = -1 + 2 * index / (len(columns) - 1) if len(columns) > 1 else 0.0
        members = columns[layer]
        for rank, node in enumerate(members):
            y = 0.0 if len(members) == 1 else 1 - 2 * rank / (len(members) - 1)
            positions[node] = (x, y)
    return positions


# The graph's geometry in pixels. Its height follows its tallest column, so that neighbours in
# a column keep room for a name between them; its width is the page's (at least 640 px,
# .chart-wide), so labels are placed for the narrowest canvas.
GRAPH_ROW_PX = 60
GRAPH_TOP_PX, GRAPH_BOTTOM_PX = 46, 30  # above the top company and below the bottom one
GRAPH_LEGEND_PX = 190  # the legend under the plot
GRAPH_X_RANGE = (-1.3, 1.3)
NARROWEST_PX = 620
LABEL_CHAR_PX, LABEL_LINE_PX = 7.2, 16  # 12 px text, a little wider than it is on average
LABEL_PLACES = ("top center", "bottom center", "middle right", "middle left")


def graph_plot(positions) -> tuple[int, list[float]]:
    """The plot's height in pixels and its y range, from the tallest column."""
    columns = Counter(x for x, _y in positions.values())
    rows = max(columns.values(), default=1)
    plot = max(400, GRAPH_ROW_PX * (rows - 1) + GRAPH_TOP_PX + GRAPH_BOTTOM_PX)
    unit = (plot - GRAPH_TOP_PX - GRAPH_BOTTOM_PX) / 2  # pixels from y = 0 to y = 1
    return plot, [-1 - GRAPH_BOTTOM_PX / unit, 1 + GRAPH_TOP_PX / unit]


def label_box(x: float, y: float, size: float, text: str, place: str) -> tuple:
    """The pixels (left, top, right, bottom) a name takes beside a marker at pixel (x, y)."""
    radius, width, height = size / 2, LABEL_CHAR_PX * len(text), LABEL_LINE_PX
    vertical, horizontal = place.split()
    if vertical == "top":
        return (x - width / 2, y - radius - 2 - height, x + width / 2, y - radius - 2)
    if vertical == "bottom":
        return (x - width / 2, y + radius + 2, x + width / 2, y + radius + 2 + height)
    if horizontal == "right":
        return (x + radius + 3, y - height / 2, x + radius + 3 + width, y + height / 2)
    return (x - radius - 3 - width, y - height / 2, x - radius - 3, y + height / 2)


def _overlap(first: tuple, second: tuple) -> bool:
    return (
        first[0] < second[2] and second[0] < first[2] and first[1] < second[3]
        and second[1] < first[3]
    )  # fmt: skip


def place_labels(order, positions, sizes, labels, x_range, y_range, plot_px) -> dict:
    """Where each company's name goes: above it if there is room, else below, right, left.

    Placed for the narrowest canvas, largest companies first; a name that fits nowhere
    without covering another name or company is left out (it is in the hover text and the
    table).
    """

    def pixels(node):
        x, y = positions[node]
        return (
            (x - x_range[0]) / (x_range[1] - x_range[0]) * NARROWEST_PX,
            (y_range[1] - y) / (y_range[1] - y_range[0]) * plot_px,
        )

    markers = {}
    for node in order:
        x, y = pixels(node)
        radius = sizes[node] / 2
        markers[node] = (x - radius, y - radius, x + radius, y + radius)
    taken: list[tuple] = []
    places = {}
    for node in order:
        for place in LABEL_PLACES:
            box = label_box(*pixels(node), sizes[node], labels[node], place)
            inside = box[0] >= 0 and box[2] <= NARROWEST_PX
            if (
                inside
                and not any(_overlap(box, other) for other in taken)
                and not any(
                    _overlap(box, marker) for other, marker in markers.items() if other != node
                )
            ):
                places[node] = place
                taken.append(box)
                break
    return places

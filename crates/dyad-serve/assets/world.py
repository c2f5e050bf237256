#!/usr/bin/env python3
"""Writes world.json, the country outlines the UI's map draws (development time only).

    pip download --no-deps "geopandas==0.14.4" pyshp   # unpack both into DIR
    python3 crates/dyad-serve/assets/world.py DIR > crates/dyad-serve/assets/world.json

Natural Earth 1:110m countries (public domain, naturalearthdata.com), as shipped in geopandas
0.14's datasets. Each ring is a flat list of longitude, latitude pairs rounded to 0.1 degree,
with repeated points dropped.
"""
import json
import os
import sys

sys.path.insert(0, sys.argv[1])
import shapefile  # pyshp

sf = shapefile.Reader(os.path.join(sys.argv[1], "geopandas", "datasets", "naturalearth_lowres",
                                   "naturalearth_lowres"))
rings = []
for shape in sf.shapes():
    parts = list(shape.parts) + [len(shape.points)]
    for a, b in zip(parts, parts[1:]):
        flat, last = [], None
        for x, y in shape.points[a:b]:
            p = (round(x, 1), round(y, 1))
            if p != last:
                flat.extend(p)
                last = p
        if len(flat) >= 6:
            rings.append(flat)
json.dump({"source": "Natural Earth 1:110m countries (public domain)", "rings": rings}, sys.stdout,
          separators=(",", ":"))

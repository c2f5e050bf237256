#!/usr/bin/env python3
"""Interoperability test of dyad's exports with the tools researchers use.

1. Loads the `gdelt-events` export with pandas using GDELT's 61 column names, as GDELT users do,
   and checks types and values row by row against the JSONL export.
2. Loads the `gdelt-mentions` export with GDELT's 16 mention column names and checks it links to
   the events.
3. Queries the Parquet dataset with DuckDB (hive partitions, no options) and compares counts per
   day and root code with `dyad stats`; reads it with pyarrow too.

Usage: check_exports.py PATH/TO/dyad   (run from anywhere; needs pandas, pyarrow, duckdb)
"""

import csv
import json
import math
import os
import re
import subprocess
import sys
import tempfile

import duckdb
import pandas as pd
import pyarrow.dataset as pads
import pyarrow.parquet as pq

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
SHARED = os.path.normpath(os.path.join(REPO, "..", "shared"))

# GDELT 2.0 event columns, in order (codebook / BigQuery schema).
EVENT_COLUMNS = """GLOBALEVENTID SQLDATE MonthYear Year FractionDate
Actor1Code Actor1Name Actor1CountryCode Actor1KnownGroupCode Actor1EthnicCode Actor1Religion1Code
Actor1Religion2Code Actor1Type1Code Actor1Type2Code Actor1Type3Code
Actor2Code Actor2Name Actor2CountryCode Actor2KnownGroupCode Actor2EthnicCode Actor2Religion1Code
Actor2Religion2Code Actor2Type1Code Actor2Type2Code Actor2Type3Code
IsRootEvent EventCode EventBaseCode EventRootCode QuadClass GoldsteinScale NumMentions NumSources
NumArticles AvgTone
Actor1Geo_Type Actor1Geo_FullName Actor1Geo_CountryCode Actor1Geo_ADM1Code Actor1Geo_ADM2Code
Actor1Geo_Lat Actor1Geo_Long Actor1Geo_FeatureID
Actor2Geo_Type Actor2Geo_FullName Actor2Geo_CountryCode Actor2Geo_ADM1Code Actor2Geo_ADM2Code
Actor2Geo_Lat Actor2Geo_Long Actor2Geo_FeatureID
ActionGeo_Type ActionGeo_FullName ActionGeo_CountryCode ActionGeo_ADM1Code ActionGeo_ADM2Code
ActionGeo_Lat ActionGeo_Long ActionGeo_FeatureID
DATEADDED SOURCEURL""".split()

MENTION_COLUMNS = """GLOBALEVENTID EventTimeDate MentionTimeDate MentionType MentionSourceName
MentionIdentifier SentenceID Actor1CharOffset Actor2CharOffset ActionCharOffset InRawText
Confidence MentionDocLen MentionDocTone MentionDocTranslationInfo Extras""".split()

failures = []


def check(cond, msg):
    if not cond:
        failures.append(msg)
        if len(failures) <= 20:
            print("FAIL:", msg)


def reference_columns(name, embedded):
    """The column names of ../shared/reference when present (they must agree with ours)."""
    path = os.path.join(SHARED, "reference", name)
    if not os.path.exists(path):
        print(f"{path} not present: using the embedded column list")
        return embedded, None
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    names = [r["name"] for r in rows]
    check(names == embedded, f"{name}: embedded column names differ from the reference")
    return names, {r["name"]: r["type"] for r in rows}


def run(dyad, *args, out=None):
    r = subprocess.run([dyad, *args], capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"dyad {' '.join(args)} failed ({r.returncode}):\n{r.stderr}")
    return r.stdout


def gazetteer_fips():
    """The FIPS 10-4 country codes of the gazetteer's country lines."""
    import zstandard

    with open(os.path.join(REPO, "dict", "geo", "places.tsv.zst"), "rb") as f:
        text = zstandard.ZstdDecompressor().stream_reader(f).read().decode("utf-8")
    codes = set()
    for line in text.splitlines():
        cols = line.split("\t")
        if not line.startswith("#") and len(cols) > 5 and cols[1] == "C" and cols[5]:
            codes.add(cols[5])
    return codes


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    dyad = os.path.abspath(sys.argv[1])
    os.environ.setdefault("DYAD_DICT", os.path.join(REPO, "dict"))
    inputs = [os.path.join(REPO, "examples")]
    for rel in ("corpus/voa/voa_stories.jsonl", "examples/trump-putin-g20-2017-07-07.html"):
        p = os.path.join(SHARED, rel)
        if os.path.exists(p):
            inputs.append(p)
        else:
            print(f"{p} not present: not ingested")

    names, types = reference_columns("gdelt-2.0-events-columns.tsv", EVENT_COLUMNS)
    fips = gazetteer_fips()
    check(len(fips) > 200, f"{len(fips)} FIPS country codes in the gazetteer")
    mnames, _ = reference_columns("gdelt-2.0-mentions-columns.tsv", MENTION_COLUMNS)
    check(len(names) == 61 and len(mnames) == 16, "61 event and 16 mention columns")

    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "interop.db")
        run(dyad, "ingest", "--quiet", "--db", db, *inputs)
        ev_path = os.path.join(tmp, "events.tsv")
        mv_path = os.path.join(tmp, "mentions.tsv")
        jl_path = os.path.join(tmp, "events.jsonl")
        pq_dir = os.path.join(tmp, "events-parquet")
        run(dyad, "export", "--quiet", "--db", db, "--format", "gdelt-events", "--out", ev_path)
        run(dyad, "export", "--quiet", "--db", db, "--format", "gdelt-mentions", "--out", mv_path)
        run(dyad, "export", "--quiet", "--db", db, "--format", "jsonl", "--out", jl_path)
        run(dyad, "export", "--quiet", "--db", db, "--format", "parquet", "--out", pq_dir)
        stats_csv = run(dyad, "stats", "--db", db, "--by", "day", "--group", "root", "--format", "csv")

        # --- 1. GDELT events with pandas, GDELT's column names, as GDELT users load them.
        # GDELT's types: strings as strings (codes keep leading zeros), FLOAT columns as floats
        # (AvgTone is written `0` until tone exists); integer columns are left to pandas, which
        # must find integers there.
        dtype = {c: str for c in names if types is None or types[c] == "STRING"}
        if types is not None:
            dtype.update({c: "float64" for c in names if types[c] == "FLOAT"})
        else:
            dtype.update({c: "float64" for c in ("FractionDate", "GoldsteinScale", "AvgTone")})
        ev = pd.read_csv(ev_path, sep="\t", header=None, names=names, dtype=dtype,
                         keep_default_na=False, na_values={c: [""] for c in names if dtype.get(c) is not str},
                         quoting=csv.QUOTE_NONE)
        with open(jl_path) as f:
            jl = [json.loads(line) for line in f]
        check(len(ev) > 0, "events were exported")
        check(len(ev) == len(jl), f"{len(ev)} GDELT rows vs {len(jl)} JSONL records")
        # Types: numbers are numbers, codes keep their leading zeros.
        for c in ("GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "IsRootEvent", "QuadClass",
                  "NumMentions", "NumSources", "NumArticles", "DATEADDED"):
            check(pd.api.types.is_integer_dtype(ev[c]), f"{c} read as integers ({ev[c].dtype})")
        for c in ("FractionDate", "GoldsteinScale", "AvgTone"):
            check(pd.api.types.is_float_dtype(ev[c]), f"{c} read as floats ({ev[c].dtype})")
        check(ev["EventRootCode"].str.len().eq(2).all(), "EventRootCode keeps two digits")
        check(ev["GLOBALEVENTID"].is_unique, "GLOBALEVENTID is unique")
        # Actor1Geo, Actor2Geo and ActionGeo: where the gazetteer placed the actors and the event;
        # empty where no place was named.
        for g in ("Actor1Geo", "Actor2Geo", "ActionGeo"):
            placed = ev[ev[f"{g}_Type"].notna()]
            check(len(placed) > 0, f"some rows have a {g}")
            check(placed[f"{g}_Type"].isin([1, 2, 3, 4, 5]).all(), f"{g}_Type in 1..5")
            check(placed[f"{g}_Lat"].between(-90, 90).all(), f"{g}_Lat in [-90, 90]")
            check(placed[f"{g}_Long"].between(-180, 180).all(), f"{g}_Long in [-180, 180]")
            check(placed[f"{g}_CountryCode"].isin(fips).all(),
                  f"{g}_CountryCode is a FIPS code of the gazetteer")
            check(((placed[f"{g}_Type"] == 1) | placed[f"{g}_ADM1Code"].str.len().ge(3)).all(),
                  f"below country level, {g}_ADM1Code is FIPS country + division")
            check((placed[f"{g}_ADM1Code"].eq("") |
                   placed.apply(lambda r: r[f"{g}_ADM1Code"].startswith(r[f"{g}_CountryCode"]),
                                axis=1)).all(), f"{g}_ADM1Code starts with its country")
            adm2 = placed[f"{g}_ADM2Code"].fillna("").astype(str)
            check((adm2.eq("") | adm2.str.fullmatch(r"[A-Z]{2}\d{3}") &
                   placed[f"{g}_CountryCode"].eq("US")).all(),
                  f"{g}_ADM2Code is a US state and county code, or empty")
            check(ev[f"{g}_Type"].isna().eq(ev[f"{g}_Lat"].isna()).all(),
                  f"{g}: a place has coordinates, and only a place")
        check(ev["AvgTone"].between(-100, 100).all() and ev["AvgTone"].ne(0).any(), "AvgTone in [-100, 100]")

        for (_, row), j in zip(ev.iterrows(), jl):
            gid = j["global_event_id"]
            where = f"event {gid}"
            check(row["GLOBALEVENTID"] == gid, f"{where}: id order")
            check(j["negated"] is False, f"{where}: no negated events in exports")
            date = j["date"]
            check(str(row["SQLDATE"]) == date.replace("-", ""), f"{where}: SQLDATE")
            check(str(row["MonthYear"]) == date[:7].replace("-", ""), f"{where}: MonthYear")
            check(row["Year"] == int(date[:4]), f"{where}: Year")
            y, m, d = (int(x) for x in date.split("-"))
            check(abs(row["FractionDate"] - (y + (m * 30 + d) / 365)) < 1e-4, f"{where}: FractionDate")
            for n in ("1", "2"):
                a = j[f"actor{n}"]
                for field, col in (("code", "Code"), ("name", "Name"), ("country_code", "CountryCode"),
                                   ("known_group_code", "KnownGroupCode"), ("type1_code", "Type1Code"),
                                   ("type2_code", "Type2Code"), ("type3_code", "Type3Code")):
                    check(row[f"Actor{n}{col}"] == a[field], f"{where}: Actor{n}{col}")
            check(row["IsRootEvent"] == int(j["is_root_event"]), f"{where}: IsRootEvent")
            for col, field in (("EventCode", "event_code"), ("EventBaseCode", "event_base_code"),
                               ("EventRootCode", "event_root_code")):
                check(row[col] == j[field], f"{where}: {col}")
            check(row["EventCode"].startswith(row["EventRootCode"]), f"{where}: root prefix")
            check(row["QuadClass"] == j["quad_class"], f"{where}: QuadClass")
            check(math.isclose(row["GoldsteinScale"], j["goldstein_scale"], abs_tol=0.05),
                  f"{where}: GoldsteinScale")
            check(row["NumMentions"] == j["num_mentions"], f"{where}: NumMentions")
            check(row["NumSources"] == j["num_sources"], f"{where}: NumSources")
            check(row["NumArticles"] == j["num_articles"], f"{where}: NumArticles")
            check(math.isclose(row["AvgTone"], j["avg_tone"], abs_tol=1e-6), f"{where}: AvgTone")
            for col, field in (("Actor1Geo", "actor1_geo"), ("Actor2Geo", "actor2_geo"),
                               ("ActionGeo", "action_geo")):
                g = j[field]
                check((row[f"{col}_Type"] if row[f"{col}_Type"] == row[f"{col}_Type"] else 0)
                      == g["geo_type"], f"{where}: {col}_Type")
                check(row[f"{col}_FullName"] == g["full_name"], f"{where}: {col}_FullName")
                check(row[f"{col}_FeatureID"] == g["feature_id"], f"{where}: {col}_FeatureID")
            check(str(row["DATEADDED"]) == j["date_added"], f"{where}: DATEADDED")
            check(row["SOURCEURL"] == j["source_url"], f"{where}: SOURCEURL")
            ms = j["mentions"]
            check(len({m["document"]["id"] for m in ms}) == j["num_articles"], f"{where}: articles")
            check(sum(m["mention_count"] for m in ms) == j["num_mentions"], f"{where}: mentions")
            first = ms[0]
            check(first["event"]["code"] == row["EventCode"], f"{where}: provenance code")
            check(first["event"]["source"]["code"] == row["Actor1Code"], f"{where}: provenance actor")
            check(":" in first["event"]["verb"]["pattern_id"], f"{where}: pattern id")
            check(first["sentence_text"] in first["event"]["sentence_text"], f"{where}: sentence")

        # --- 2. Mentions: every row points at an exported event.
        mv = pd.read_csv(mv_path, sep="\t", header=None, names=mnames, keep_default_na=False,
                         quoting=csv.QUOTE_NONE, dtype={"MentionSourceName": str,
                                                        "MentionIdentifier": str,
                                                        "MentionDocTranslationInfo": str,
                                                        "Extras": str})
        ids = set(ev["GLOBALEVENTID"])
        check(set(mv["GLOBALEVENTID"]) == ids, "mentions cover exactly the exported events")
        per_event = mv.groupby("GLOBALEVENTID")["MentionIdentifier"].nunique()
        arts = ev.set_index("GLOBALEVENTID")["NumArticles"]
        check((per_event.sort_index() == arts.sort_index()).all(), "mentions per event = NumArticles")
        check((mv["SentenceID"] >= 1).all(), "SentenceID is 1-based")
        check((mv["MentionDocLen"] > mv["ActionCharOffset"]).all(), "offsets inside the document")
        check(pd.api.types.is_integer_dtype(mv["EventTimeDate"]), "EventTimeDate is an integer")
        check(mv["MentionDocTone"].between(-100, 100).all(), "MentionDocTone in [-100, 100]")

        # --- 3. Parquet with DuckDB and pyarrow, without options.
        con = duckdb.connect()
        glob = os.path.join(pq_dir, "**", "*.parquet")
        duck = con.execute(
            f"SELECT strftime(event_date, '%Y-%m-%d') AS day, event_root_code, count(*) AS n "
            f"FROM read_parquet('{glob}') GROUP BY ALL ORDER BY ALL").fetchall()
        stats = [(r["period"], r["root"], int(r["events"]))
                 for r in csv.DictReader(stats_csv.splitlines())]
        check(len(stats) > 0, "dyad stats has rows")
        check(duck == stats, f"DuckDB counts per day and root = dyad stats "
                             f"({len(duck)} vs {len(stats)} groups)")
        # Hive partitions come as columns and agree with the dates.
        bad = con.execute(
            f"SELECT count(*) FROM read_parquet('{glob}') "
            f"WHERE year != year(event_date) OR month != month(event_date) "
            f"OR sql_date != CAST(strftime(event_date, '%Y%m%d') AS INTEGER)").fetchone()[0]
        check(bad == 0, "year/month partitions and sql_date agree with event_date")
        total = con.execute(f"SELECT count(*), sum(num_mentions) FROM read_parquet('{glob}')").fetchone()
        dated = ev[ev["SQLDATE"].notna()]
        check(total[0] == len(dated), "Parquet has every dated event")
        check(total[1] == int(dated["NumMentions"].sum()), "NumMentions sum agrees")
        placed_pq = con.execute(
            f"SELECT count(*), count(*) FILTER (WHERE action_geo_lat BETWEEN -90 AND 90 "
            f"AND action_geo_long BETWEEN -180 AND 180 AND length(action_geo_country_code) = 2) "
            f"FROM read_parquet('{glob}') WHERE action_geo_type IS NOT NULL").fetchone()
        check(placed_pq[0] == int(dated["ActionGeo_Type"].notna().sum()) and placed_pq[0] == placed_pq[1],
              "Parquet places agree with the GDELT rows and are in range")

        table = pq.read_table(pq_dir)
        schema = table.schema
        check(table.num_rows == len(dated), "pyarrow reads every row")
        check(str(schema.field("sql_date").type) == "int32", "sql_date is int32")
        check(str(schema.field("event_date").type) == "date32[day]", "event_date is a date")
        check(str(schema.field("goldstein_scale").type) == "double", "goldstein_scale is double")
        check(str(schema.field("event_code").type) == "string", "event_code is a string")
        check("year" in schema.names and "month" in schema.names, "partition columns")
        meta = pq.ParquetFile(next(pads.dataset(pq_dir).files.__iter__())).metadata
        check(meta.row_group(0).column(0).compression == "ZSTD", "zstd compression")
        pa_rows = table.to_pandas().set_index("global_event_id").sort_index()
        evd = dated.set_index("GLOBALEVENTID").sort_index()
        check((pa_rows["event_code"] == evd["EventCode"]).all(), "Parquet event codes = GDELT")
        check((pa_rows["num_articles"] == evd["NumArticles"]).all(), "Parquet NumArticles = GDELT")

        # The README's DuckDB queries ("DuckDB over the output") run on the export as written,
        # and the first gives `dyad stats --by month --group quadclass`.
        with open(os.path.join(REPO, "README.md")) as f:
            section = f.read().split("### DuckDB over the output", 1)[1].split("\n## ", 1)[0]
        queries = re.findall(r"```sql\n(.*?)```", section, re.S)
        check(len(queries) >= 2, "the README has its DuckDB queries")
        results = [con.execute(q.replace("out/events-parquet/", pq_dir + "/")).fetchall()
                   for q in queries]
        check(all(results), "each README query returns rows")
        monthly = run(dyad, "stats", "--db", db, "--by", "month", "--group", "quadclass",
                      "--format", "csv")
        want = [(r["period"], int(r["quad_class"]), int(r["events"]))
                for r in csv.DictReader(monthly.splitlines())]
        got = [(p, int(q), int(n)) for p, q, n, *_ in results[0]]
        check(got == want, f"README's monthly query = dyad stats ({len(got)} vs {len(want)} rows)")

        print(f"interop: {len(ev)} events, {len(mv)} mentions, {len(stats)} day/root groups, "
              f"{table.num_rows} Parquet rows in {len(pads.dataset(pq_dir).files)} files")

    if failures:
        print(f"interop: 0 passed, {len(failures)} failed")
        sys.exit(1)
    print("interop: 1 passed, 0 failed")


if __name__ == "__main__":
    main()

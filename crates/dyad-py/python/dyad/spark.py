"""Code a corpus with Apache Spark.

    python -m dyad.spark --input news/ --output out/                 # local, all cores
    spark-submit --master yarn -m dyad.spark ...                      # or a cluster

Reads every file under the inputs as ``dyad`` reads it (JSONL, HTML, text, WARC, gzipped or
not), codes the documents in parallel with ``mapInArrow`` (one ``dyad.Coder`` per Python worker
process, reused across tasks), counts events across articles as ``dyad ingest`` does, and
writes under ``--output``:

- ``events-parquet/year=YYYY/month=MM/*.parquet``: the columns and types of
  ``dyad export --format parquet`` (zstd), dated events only;
- ``gdelt-events/part-*``: GDELT 2.0 event lines (61 tab-separated columns), in GLOBALEVENTID
  order, as ``dyad export --format gdelt-events`` writes them.

Files are named as ``dyad`` names them when the inputs are directories or files (records without
an id get ``examples/news.jsonl:3``); files matched by a glob keep the path Spark gives them.
Like Spark (and unlike ``dyad``), files whose names start with ``_`` are left out, as are those
starting with ``.`` (as ``dyad`` does).

As in the store, a document is keyed by its URL (else its id): a key read again with the same
content counts once, and a changed version replaces the one before it. Events reported as not
happening are counted apart and written nowhere, as in the exports.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Dict, List, Optional, Sequence, Tuple

import dyad

_CODER: Optional["dyad.Coder"] = None
_CODER_KEY: Optional[Tuple[Optional[str], Optional[str]]] = None

# Columns of the Parquet export that the Spark job computes across articles.
_COUNTS = ("global_event_id", "num_mentions", "num_sources", "num_articles")


def coder(dict_dir: Optional[str] = None, model: Optional[str] = None) -> "dyad.Coder":
    """The Coder of this process, loaded on first use and kept for later tasks (Python workers
    are reused between tasks, so an executor core loads the dictionaries and model once)."""
    global _CODER, _CODER_KEY
    if _CODER is None or _CODER_KEY != (dict_dir, model):
        _CODER = dyad.Coder(dict_dir=dict_dir, model=model)
        _CODER_KEY = (dict_dir, model)
    return _CODER


def _path_parts(uri: str) -> Tuple[str, ...]:
    return tuple(uri.split("/"))


def display_names(paths: Sequence[str], inputs: Sequence[str]) -> Dict[str, Tuple[int, str]]:
    """Each file Spark found -> (its place in the order ``dyad`` reads inputs, the name ``dyad``
    gives it). ``dyad`` reads inputs in the order given and directories in sorted order, and
    names a file as the input was written (``examples/news.jsonl``): ids of records without one
    (``examples/news.jsonl:3``) are the same either way."""
    from urllib.parse import unquote, urlparse

    roots = []
    for i, arg in enumerate(inputs):
        local = "://" not in arg
        base = os.path.abspath(arg) if local else arg.rstrip("/")
        roots.append((i, arg, base, local))

    def name_of(uri: str) -> Tuple[int, str]:
        u = urlparse(uri)
        path = unquote(u.path) if u.scheme in ("", "file") else uri
        for i, arg, base, local in roots:
            cand = path if local else uri
            if cand == base:
                return i, arg
            if cand.startswith(base.rstrip("/") + "/"):
                rel = cand[len(base.rstrip("/")) + 1 :]
                return i, arg.rstrip("/") + "/" + rel
        return len(roots), path

    named = {p: name_of(p) for p in paths}
    order = sorted(paths, key=lambda p: (named[p][0], _path_parts(named[p][1])))
    return {p: (k, named[p][1]) for k, p in enumerate(order)}


def _parquet_schema() -> List[Tuple[str, str]]:
    return [(n, t) for n, t, _ in dyad._dyad._parquet_columns()]


def _ddl(cols: Sequence[Tuple[str, str]]) -> str:
    return ", ".join(f"`{n}` {t}" for n, t in cols)


_DOC_COLUMNS = [
    ("pos", "bigint"),
    ("doc", "string"),
    ("key", "string"),
    ("hash", "string"),
    ("domain", "string"),
    ("error", "string"),
]

_EVENT_KEY = [
    ("key_date", "string"),
    ("key_source", "string"),
    ("key_target", "string"),
    ("key_code", "string"),
    ("key_place", "string"),
    ("negated", "boolean"),
]


def _event_columns() -> List[Tuple[str, str]]:
    return (
        [("pos", "bigint"), ("event", "int"), ("key", "string"), ("domain", "string")]
        + _EVENT_KEY
        + [("mentions", "int")]
        + [c for c in _parquet_schema() if c[0] not in _COUNTS]
    )


def _read_files(names: Dict[str, Tuple[int, str]], dict_version: str):
    """mapInArrow: (path, content) rows -> one row per document or skipped record."""

    def run(batches):
        import pyarrow as pa

        for b in batches:
            out = {n: [] for n, _ in _DOC_COLUMNS}
            paths = b.column("path").to_pylist()
            contents = b.column("content")
            for i, path in enumerate(paths):
                order, name = names[path]
                cols, errors = dyad._dyad._read_documents(name, contents[i].as_py(), dict_version)
                # A position sorts documents as dyad reads them: file, then record.
                base = order << 32
                n = len(cols["doc"])
                out["pos"].extend(range(base, base + n))
                for k in ("doc", "key", "hash", "domain"):
                    out[k].extend(cols[k])
                out["error"].extend([None] * n)
                for j, e in enumerate(errors):
                    out["pos"].append(base + n + j)
                    for k in ("doc", "key", "hash", "domain"):
                        out[k].append(None)
                    out["error"].append(e)
            yield pa.RecordBatch.from_pydict(out)

    return run


def _code_documents(dict_dir, model, threads, cols):
    """mapInArrow: documents -> one row per coded event."""

    def run(batches):
        import pyarrow as pa

        # Through the installed module, whose global outlives the task: this function may be
        # shipped by value (when the job runs as a script), and its own globals would not.
        from dyad import spark as installed

        c = installed.coder(dict_dir, model)
        types = {
            "bigint": pa.int64(),
            "int": pa.int32(),
            "double": pa.float64(),
            "string": pa.string(),
            "date": pa.date32(),
            "boolean": pa.bool_(),
        }
        schema = pa.schema([(n, types[t]) for n, t in cols])
        for b in batches:
            if b.num_rows == 0:
                continue
            pos = b.column("pos").to_pylist()
            keys = b.column("key").to_pylist()
            domains = b.column("domain").to_pylist()
            r = c._code_records(b.column("doc").to_pylist(), threads)
            r["pos"] = [pos[i] for i in r["doc"]]
            r["key"] = [keys[i] for i in r["doc"]]
            r["domain"] = [domains[i] for i in r["doc"]]
            yield pa.RecordBatch.from_arrays(
                [pa.array(r[n], type=schema.field(n).type) for n, _ in cols], schema=schema
            )

    return run


def _latest_versions(docs):
    """The documents the store keeps: per key (URL, else id) the last version read, at the place
    where that version was first read after any other version."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    w = Window.partitionBy("key")
    docs = docs.withColumn("final_hash", F.max_by("hash", "pos").over(w))
    docs = docs.withColumn(
        "last_other", F.max(F.when(F.col("hash") != F.col("final_hash"), F.col("pos"))).over(w)
    )
    docs = docs.where(F.col("last_other").isNull() | (F.col("pos") > F.col("last_other")))
    docs = docs.withColumn("nth", F.row_number().over(w.orderBy("pos")))
    return docs.where("nth = 1").drop("final_hash", "last_other", "nth")


def _gdelt_line(df):
    """The GDELT 2.0 event line of each row, as `dyad export --format gdelt-events` writes it."""
    from pyspark.sql import functions as F

    def s(c):
        return F.coalesce(F.col(c).cast("string"), F.lit(""))

    def actor(p):
        return [
            s(f"{p}_{x}")
            for x in (
                "code",
                "name",
                "country_code",
                "known_group_code",
                "ethnic_code",
                "religion1_code",
                "religion2_code",
                "type1_code",
                "type2_code",
                "type3_code",
            )
        ]

    def geo(p):
        # Eight columns of a place, all empty when there is none (GeoColumns::push_fields).
        placed = F.col(f"{p}_type").isNotNull()
        cols = [
            s(f"{p}_type"),
            F.regexp_replace(s(f"{p}_full_name"), "[\t\n\r]", " "),
            s(f"{p}_country_code"),
            s(f"{p}_adm1_code"),
            s(f"{p}_adm2_code"),
            F.format_string("%.4f", F.col(f"{p}_lat")),
            F.format_string("%.4f", F.col(f"{p}_long")),
            s(f"{p}_feature_id"),
        ]
        return [F.when(placed, c).otherwise(F.lit("")) for c in cols]

    year = F.coalesce((F.col("sql_date") / 10000).cast("int").cast("string"), F.lit(""))
    fraction = F.coalesce(F.format_string("%.4f", F.col("fraction_date")), F.lit(""))
    fields = (
        [s("global_event_id"), s("sql_date"), s("month_year"), year, fraction]
        + actor("actor1")
        + actor("actor2")
        + [
            s("is_root_event"),
            s("event_code"),
            s("event_base_code"),
            s("event_root_code"),
            s("quad_class"),
            F.format_string("%.1f", F.col("goldstein_scale")),
            s("num_mentions"),
            s("num_sources"),
            s("num_articles"),
            # AvgTone as the export writes it: 0 as `0`, else the shortest form of the number.
            F.when(F.col("avg_tone") == 0, F.lit("0")).otherwise(s("avg_tone")),
        ]
        + geo("actor1_geo")
        + geo("actor2_geo")
        + geo("action_geo")
        + [s("date_added"), F.regexp_replace(s("source_url"), "[\t\n\r]", " ")]
    )
    assert len(fields) == 61
    return F.concat_ws("\t", *fields).alias("value")


def code_corpus(
    spark,
    inputs: Sequence[str],
    output: str,
    *,
    dict_dir: Optional[str] = None,
    model: Optional[str] = None,
    partitions: Optional[int] = None,
    threads: int = 1,
    overwrite: bool = False,
    timings: Optional[Dict[str, float]] = None,
) -> Dict[str, int]:
    """Codes every file under ``inputs`` and writes the datasets under ``output`` (module doc).
    Returns counts: documents, skipped records, events, negated events, mentions. With
    ``timings``, adds the seconds of each phase to it (read, code, count and write)."""
    key = "spark.sql.execution.arrow.maxRecordsPerBatch"
    before = spark.conf.get(key, None)
    # Arrow batches of 256 rows: a batch of files is held whole in a worker's memory, and 256
    # documents keep a worker's coding threads busy (as `dyad code` batches).
    spark.conf.set(key, "256")
    try:
        return _code_corpus(
            spark, inputs, output, dict_dir, model, partitions, threads, overwrite, timings
        )
    finally:
        if before is None:
            spark.conf.unset(key)
        else:
            spark.conf.set(key, before)


def _code_corpus(
    spark, inputs, output, dict_dir, model, partitions, threads, overwrite, timings
) -> Dict[str, int]:
    import time

    from pyspark.sql import functions as F

    clock = [time.perf_counter()]

    def lap(name):
        now = time.perf_counter()
        if timings is not None:
            timings[name] = timings.get(name, 0.0) + now - clock[0]
        clock[0] = now

    if not 1 <= threads <= dyad.MAX_THREADS:
        raise ValueError(f"threads: {threads} is not in 1..={dyad.MAX_THREADS}")
    dict_version = coder(dict_dir, model).dict_version
    files = spark.read.format("binaryFile").option("recursiveFileLookup", "true").load(list(inputs))
    paths = [r.path for r in files.select("path").collect()]
    names = display_names(paths, inputs)
    read = files.select("path", "content").mapInArrow(
        _read_files(names, dict_version), _ddl(_DOC_COLUMNS)
    )
    read = read.persist()
    errors = [r.error for r in read.where("error IS NOT NULL").orderBy("pos").collect()]
    for e in errors:
        print(f"dyad: skipped {e}", file=sys.stderr)
    docs = _latest_versions(read.where("error IS NULL").drop("error"))
    docs = docs.persist()
    n_docs = docs.count()
    lap("read")
    parts = partitions or max(1, spark.sparkContext.defaultParallelism * 4)
    cols = _event_columns()
    mentions = (
        docs.repartition(parts)
        .mapInArrow(_code_documents(dict_dir, model, threads, cols), _ddl(cols))
        .persist()
    )
    n_mentions = mentions.count()
    lap("code")
    keep = [n for n, _ in _parquet_schema() if n not in _COUNTS]
    key = [n for n, _ in _EVENT_KEY]
    first = F.min(F.struct("pos", "event", *keep)).alias("first")
    events = mentions.groupBy(*key).agg(
        first,
        F.sum("mentions").cast("int").alias("num_mentions"),
        F.countDistinct("domain").cast("int").alias("num_sources"),
        F.countDistinct("key").cast("int").alias("num_articles"),
        # AvgTone: the mean tone of the articles, as the store computes it (one row per article).
        F.round(F.avg("avg_tone"), 4).alias("_avg_tone"),
    )
    # GLOBALEVENTID: events numbered in the order they were first seen, negated ones included,
    # as the store numbers them. Range-partitioned and sorted, each partition numbers its rows
    # from the sizes of the partitions before it: no single-partition sort.
    events = events.repartitionByRange(parts, "first.pos", "first.event").sortWithinPartitions(
        "first.pos", "first.event"
    )
    events = events.withColumn("_part", F.spark_partition_id())
    numbered = events.withColumn("_row", F.monotonically_increasing_id()).persist()
    sizes = dict(numbered.groupBy("_part").count().collect())
    offsets, total = [], 0
    for p in range(max(sizes, default=-1) + 1):
        offsets.append(total)
        total += sizes.get(p, 0)
    offset = F.element_at(F.array(*[F.lit(o) for o in offsets] or [F.lit(0)]), F.col("_part") + 1)
    # monotonically_increasing_id is the partition id << 33 plus the row's place in it.
    place = F.col("_row") - F.shiftleft(F.col("_part").cast("bigint"), 33)
    events = numbered.withColumn("global_event_id", (offset + place + 1).cast("bigint"))
    events = events.select(
        "negated",
        *[
            (F.col("_avg_tone") if n == "avg_tone" else F.col(f"first.{n}")).alias(n)
            for n in keep
        ],
        *_COUNTS,
    ).persist()
    n_negated = events.where(F.col("negated")).count()
    lap("count")
    shown = events.where(~F.col("negated"))
    columns = [n for n, _ in _parquet_schema()]
    mode = "overwrite" if overwrite else "errorifexists"
    dated = (
        shown.where(F.col("event_date").isNotNull())
        .withColumn("year", F.date_format("event_date", "yyyy"))
        .withColumn("month", F.date_format("event_date", "MM"))
        .select(*columns, "year", "month")
    )
    (
        dated.repartition("year", "month")
        .sortWithinPartitions("global_event_id")
        .write.mode(mode)
        .partitionBy("year", "month")
        .option("compression", "zstd")
        .parquet(output.rstrip("/") + "/events-parquet")
    )
    (
        shown.orderBy("global_event_id")
        .select(_gdelt_line(shown))
        .write.mode(mode)
        .text(output.rstrip("/") + "/gdelt-events")
    )
    counts = {
        "documents": n_docs,
        "skipped": len(errors),
        "events": shown.count(),
        "negated_events": n_negated,
        "mentions": n_mentions,
    }
    lap("write")
    for df in (read, docs, mentions, numbered, events):
        df.unpersist()
    return counts


def main(argv: Optional[List[str]] = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m dyad.spark",
        description="Code a corpus with Apache Spark: GDELT-style events as Parquet and TSV.",
        epilog="Example: python -m dyad.spark --input news/ --output out/ --master local[2]",
    )
    p.add_argument(
        "--input",
        nargs="+",
        required=True,
        help="files, directories or globs (local paths or any URI Spark reads: hdfs://, s3a://)",
    )
    p.add_argument(
        "--output", required=True, help="directory for events-parquet/ and gdelt-events/"
    )
    p.add_argument("--dict", help="dictionary directory on every executor (default: the package's)")
    p.add_argument("--model", help="syntax model file on every executor (default: the package's)")
    p.add_argument(
        "--partitions",
        type=int,
        help="partitions to code (default: 4 x the cluster's cores); more evens out long documents",
    )
    p.add_argument(
        "--threads",
        type=int,
        default=1,
        help="coding threads per task (1 to 256); set spark.task.cpus to the same number",
    )
    p.add_argument("--master", help="Spark master when run with python (spark-submit sets it)")
    p.add_argument("--overwrite", action="store_true", help="replace the datasets in --output")
    a = p.parse_args(argv)
    if not 1 <= a.threads <= dyad.MAX_THREADS:
        p.error(f"--threads: {a.threads} is not in 1..={dyad.MAX_THREADS}")
    if a.partitions is not None and not 1 <= a.partitions <= 1_000_000:
        p.error(f"--partitions: {a.partitions} is not in 1..=1000000")
    # As `dyad`: a named input that does not exist is a mistake in the command (exit status 2),
    # found before any work. Globs and URIs are left to Spark.
    for i in a.input:
        if "://" not in i and not any(c in i for c in "*?[{") and not os.path.exists(i):
            print(
                f"dyad: error: input `{i}`: No such file or directory (os error 2)", file=sys.stderr
            )
            return 2
    from pyspark.sql import SparkSession

    b = SparkSession.builder.appName("dyad")
    if a.master:
        b = b.master(a.master)
    spark = b.getOrCreate()
    try:
        counts = code_corpus(
            spark,
            a.input,
            a.output,
            dict_dir=a.dict,
            model=a.model,
            partitions=a.partitions,
            threads=a.threads,
            overwrite=a.overwrite,
        )
    finally:
        spark.stop()
    print(", ".join(f"{k} {v}" for k, v in counts.items()))
    return 1 if counts["skipped"] else 0


if __name__ == "__main__":
    sys.exit(main())

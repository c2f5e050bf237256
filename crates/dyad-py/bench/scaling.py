"""The README's "Scaling out" figures: `dyad` against the Spark job on the same generated input.

    python crates/dyad-py/bench/scaling.py --dyad target/release/dyad --mb 100 --work /tmp/scale

Generates about MB megabytes of JSONL in 8 files from a seed corpus (copies with their own id and
URL, so that the store and the Spark job keep each one), then times on it:
`dyad code` (JSONL events), `dyad ingest` + the Parquet and GDELT exports (what the Spark job
writes), `Coder.code_batch` from Python, and the Spark job in local[N]. Nothing is kept in the
repository: the input is written under --work.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]


def generate(seed: Path, mb: int, out: Path, files: int = 8) -> int:
    recs = [json.loads(x) for x in seed.read_text().splitlines() if x.strip()]
    out.mkdir(parents=True)
    handles = [open(out / f"part-{i:02}.jsonl", "w") for i in range(files)]
    size, n, copy = 0, 0, 0
    while size < mb * 1_000_000:
        for r in recs:
            r = dict(r, id=f"{r.get('id', n)}#{copy}")
            if r.get("url"):
                r["url"] = f"{r['url']}#{copy}"
            line = json.dumps(r, ensure_ascii=False) + "\n"
            handles[n % files].write(line)
            size += len(line.encode())
            n += 1
        copy += 1
    for h in handles:
        h.close()
    return n


def timed(cmd, **kw):
    t = time.perf_counter()
    subprocess.run(cmd, check=True, **kw)
    return time.perf_counter() - t


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--dyad", default=str(REPO / "target" / "release" / "dyad"))
    p.add_argument(
        "--seed", default=str(REPO / ".." / "shared" / "corpus" / "voa" / "voa_stories.jsonl")
    )
    p.add_argument("--mb", type=int, default=100)
    p.add_argument("--cores", type=int, default=2)
    p.add_argument("--work", required=True)
    a = p.parse_args()
    seed = Path(a.seed)
    if not seed.exists():
        seed = REPO / "examples" / "news.jsonl"
    work = Path(a.work)
    shutil.rmtree(work, ignore_errors=True)
    inp = work / "input"
    n = generate(seed, a.mb, inp)
    mb = sum(f.stat().st_size for f in inp.iterdir()) / 1e6
    print(f"input: {n} documents, {mb:.1f} MB in 8 JSONL files (copies of {seed.name})")
    rows = []

    with open(os.devnull, "w") as null:
        s = timed([a.dyad, "--quiet", "code", "--threads", str(a.cores), str(inp)], stdout=null)
    rows.append((f"dyad code --threads {a.cores} (JSONL to /dev/null)", s))

    db = work / "dyad.db"
    s = timed([a.dyad, "--quiet", "ingest", "--threads", str(a.cores), "--db", str(db), str(inp)])
    s += timed(
        [
            a.dyad,
            "--quiet",
            "export",
            "--db",
            str(db),
            "--format",
            "parquet",
            "--out",
            str(work / "cli-parquet"),
        ]
    )
    s += timed(
        [
            a.dyad,
            "--quiet",
            "export",
            "--db",
            str(db),
            "--format",
            "gdelt-events",
            "--out",
            str(work / "cli.tsv"),
        ]
    )
    rows.append((f"dyad ingest --threads {a.cores} + export parquet, gdelt-events", s))

    import dyad

    docs = [line for f in sorted(inp.iterdir()) for line in f.read_bytes().splitlines()]
    c = dyad.Coder()
    t = time.perf_counter()
    events = sum(len(x) for x in c.code_batch(docs, threads=a.cores))
    rows.append((f"Python Coder.code_batch(threads={a.cores})", time.perf_counter() - t))
    del docs

    from pyspark.sql import SparkSession

    from dyad import spark as dyad_spark

    os.environ["PYSPARK_PYTHON"] = sys.executable
    t = time.perf_counter()
    spark = (
        SparkSession.builder.master(f"local[{a.cores}]")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.memory", "4g")
        .config("spark.sql.shuffle.partitions", str(a.cores * 4))
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    start = time.perf_counter() - t
    phases = {}
    t = time.perf_counter()
    counts = dyad_spark.code_corpus(spark, [str(inp)], str(work / "spark-out"), timings=phases)
    s = time.perf_counter() - t
    spark.stop()
    rows.append((f"Spark local[{a.cores}]: python -m dyad.spark", s))

    print(f"events: {events} coded by Python, {counts['events']} after counting across articles")
    print(f"{'what':<58} {'s':>7} {'docs/s':>8} {'MB/s':>6}")
    for what, secs in rows:
        print(f"{what:<58} {secs:7.1f} {n / secs:8.0f} {mb / secs:6.2f}")
    print(f"Spark session start (JVM, not counted above): {start:.1f} s")
    print("Spark phases: " + ", ".join(f"{k} {v:.1f} s" for k, v in phases.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The Spark job in local[2] against the CLI: the same events, counted across articles as the
store counts them, in the same Parquet layout and GDELT lines; DuckDB over the output."""

import gzip
import hashlib
import json
import os
import re
import shutil
import sys
from pathlib import Path

import pyarrow.dataset as pads
import pytest

from conftest import EXAMPLES, REPO, cli_events, run_cli

pyspark = pytest.importorskip("pyspark", reason="pip install pyspark (CI installs it)")
if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
    pytest.skip(
        "no Java: apt-get install openjdk-17-jre-headless (CI installs it)", allow_module_level=True
    )

from dyad import spark as dyad_spark  # noqa: E402


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession

    # Workers run this interpreter, which has the wheel installed.
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    s = (
        SparkSession.builder.master("local[2]")
        .appName("dyad-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.driver.memory", "2g")
        .getOrCreate()
    )
    s.sparkContext.setLogLevel("ERROR")
    yield s
    s.stop()


def warc(records):
    """A gzipped WARC file of HTTP responses: (url, html) pairs."""
    out = b""
    for url, html in records:
        http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + html
        head = (
            "WARC/1.0\r\nWARC-Type: response\r\n"
            f"WARC-Target-URI: {url}\r\nWARC-Date: 2024-06-01T00:00:00Z\r\n"
            "Content-Type: application/http; msgtype=response\r\n"
            f"Content-Length: {len(http)}\r\n\r\n"
        ).encode()
        out += gzip.compress(head + http + b"\r\n\r\n")
    return out


def corpus(root: Path, changed: bool) -> Path:
    """The example news in every format dyad reads, with what the store must count once: the
    same articles again (by URL), a record without id or URL, a bad line, and with `changed` a
    new version of an article read before."""
    d = root / "news"
    (d / "more").mkdir(parents=True)
    shutil.copy(EXAMPLES / "news.jsonl", d / "news.jsonl")
    shutil.copy(EXAMPLES / "summit.html", d / "summit.html")
    recs = [json.loads(x) for x in (EXAMPLES / "news.jsonl").read_text().splitlines()]
    lines = [json.dumps(r) for r in recs[:2]]  # read again: counted once
    lines.append(
        json.dumps({"text": recs[2]["text"], "published": "2025-02-21"})
    )  # id news/more/..:N
    lines.append('{"text": "broken"')  # skipped, as `dyad` skips it
    if changed:
        r = dict(recs[1])
        r["text"] = r["text"].split("\n\n")[0] + "\n\nRussia and China met in Beijing on Monday."
        lines.append(json.dumps(r))
    (d / "more" / "feed.jsonl.gz").write_bytes(gzip.compress(("\n".join(lines) + "\n").encode()))
    page = (EXAMPLES / "summit.html").read_bytes()
    (d / "more" / "crawl.warc.gz").write_bytes(warc([("https://mirror.example.net/summit", page)]))
    return d


def spark_run(spark, tmp, inputs, **kw):
    out = tmp / "spark-out"
    counts = dyad_spark.code_corpus(spark, [str(i) for i in inputs], str(out), **kw)
    return out, counts


def cli_store(tmp, inputs, cwd=REPO):
    db = tmp / "cli.db"
    p = run_cli("ingest", "--db", db, *inputs, check=False, cwd=cwd)
    assert p.returncode in (0, 1), p.stderr
    run_cli("export", "--db", db, "--format", "parquet", "--out", tmp / "cli-parquet")
    run_cli("export", "--db", db, "--format", "gdelt-events", "--out", tmp / "cli-events.tsv")
    return tmp / "cli-parquet", (tmp / "cli-events.tsv").read_text(), p.stderr


def rows(path):
    t = pads.dataset(str(path), format="parquet", partitioning="hive").to_table()
    return sorted(t.to_pylist(), key=lambda r: r["global_event_id"]), t.schema


def tuple_hash(tuples):
    body = "\n".join("\t".join(t) for t in sorted(tuples))
    return hashlib.sha256(body.encode()).hexdigest()


def test_spark_job_writes_what_the_cli_writes(spark, tmp_path):
    news = corpus(tmp_path, changed=False)
    rel = os.path.relpath(news, REPO)
    out, counts = spark_run(spark, tmp_path, [rel])
    cli_pq, cli_tsv, cli_err = cli_store(tmp_path, [rel])

    # The skipped record is reported with the CLI's words.
    assert counts["skipped"] == 1
    assert "more/feed.jsonl.gz:4: malformed JSON" in cli_err

    # GDELT lines: byte for byte, in GLOBALEVENTID order.
    parts = sorted((out / "gdelt-events").glob("part-*"))
    spark_tsv = "".join(p.read_text() for p in parts)
    assert spark_tsv == cli_tsv and cli_tsv

    # Parquet: the same layout (year=YYYY/month=MM), columns, types and rows.
    got, got_schema = rows(out / "events-parquet")
    want, want_schema = rows(cli_pq)
    assert [(f.name, f.type) for f in got_schema] == [(f.name, f.type) for f in want_schema]
    assert got == want
    months = lambda p: sorted(str(d.relative_to(p)) for d in p.glob("year=*/month=*"))  # noqa: E731
    assert months(out / "events-parquet") == months(cli_pq)
    assert counts["events"] == len(cli_tsv.splitlines())

    # The event set of `dyad code` itself: counts and a hash of sorted (date, source, target,
    # code), negated events left out as the exports leave them out.
    coded = {
        (e["date"] or "", e["source"]["code"], (e.get("target") or {}).get("code", ""), e["code"])
        for e in cli_events(rel)
        if not e["negated"]
    }
    spark_set = {
        (
            r["event_date"].isoformat() if r["event_date"] else "",
            r["actor1_code"] or "",
            r["actor2_code"] or "",
            r["event_code"],
        )
        for r in got
    }
    dated = {t for t in coded if t[0]}
    assert len(spark_set) == len(dated) == len(got)
    assert tuple_hash(spark_set) == tuple_hash(dated)


def test_a_new_version_of_an_article_replaces_the_old_one(spark, tmp_path):
    news = corpus(tmp_path, changed=True)
    rel = os.path.relpath(news, REPO)
    out, _ = spark_run(spark, tmp_path, [rel], partitions=3)
    cli_pq, cli_tsv, _ = cli_store(tmp_path, [rel])

    def without_ids(rs):
        def k(r):
            return (
                str(r["event_date"]),
                r["actor1_code"] or "",
                r["actor2_code"] or "",
                r["event_code"],
            )

        return sorted(({c: v for c, v in r.items() if c != "global_event_id"} for r in rs), key=k)

    got, _ = rows(out / "events-parquet")
    want, _ = rows(cli_pq)
    assert without_ids(got) == without_ids(want)
    assert any(r["num_articles"] > 1 for r in got)


def readme_queries():
    """The DuckDB queries of the README's "Scaling out" section."""
    text = (REPO / "README.md").read_text()
    section = text.split("## Scaling out", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sql\n(.*?)```", section, re.S)


def test_duckdb_queries_of_the_readme(spark, tmp_path):
    duckdb = pytest.importorskip("duckdb")
    news = corpus(tmp_path, changed=False)
    rel = os.path.relpath(news, REPO)
    out, _ = spark_run(spark, tmp_path, [rel])
    cli_pq, _, _ = cli_store(tmp_path, [rel])
    queries = readme_queries()
    assert len(queries) >= 2
    stats = run_cli(
        "stats",
        "--db",
        tmp_path / "cli.db",
        "--by",
        "month",
        "--group",
        "quadclass",
        "--format",
        "csv",
    ).stdout.splitlines()[1:]
    for q in queries:
        results = []
        for root in (out, tmp_path / "cli-out"):
            if root == tmp_path / "cli-out":
                root.mkdir(exist_ok=True)
                if not (root / "events-parquet").exists():
                    shutil.copytree(cli_pq, root / "events-parquet")
            con = duckdb.connect()
            results.append(con.execute(q.replace("out/", f"{root}/")).fetchall())
        assert results[0] == results[1] and results[0], q
    # Events by month and QuadClass agree with `dyad stats`.
    by_month = duckdb.connect().execute(queries[0].replace("out/", f"{out}/")).fetchall()
    assert [tuple(r[:4]) for r in by_month] == [
        (m, int(q), int(e), int(n)) for m, q, e, n, _ in (line.split(",") for line in stats)
    ]


def test_the_command_line_of_the_job(tmp_path):
    import subprocess

    corpus(tmp_path, changed=False)
    env = dict(os.environ, PYSPARK_PYTHON=sys.executable, PYSPARK_DRIVER_PYTHON=sys.executable)
    job = [sys.executable, "-m", "dyad.spark", "--master", "local[2]"]
    p = subprocess.run(
        [*job, "--input", "news", "--output", "out", "--threads", "2", "--partitions", "2"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    # A skipped record: exit status 1, as `dyad` gives.
    assert p.returncode == 1, p.stderr
    assert "dyad: skipped news/more/feed.jsonl.gz:4: malformed JSON" in p.stderr
    assert re.search(r"^documents \d+, skipped 1, events [1-9]", p.stdout), p.stdout
    _, cli_tsv, _ = cli_store(tmp_path, ["news"], cwd=tmp_path)
    parts = sorted((tmp_path / "out" / "gdelt-events").glob("part-*"))
    assert "".join(x.read_text() for x in parts) == cli_tsv

    # Existing output is refused unless --overwrite; a missing input is a usage error (2).
    def job_run(*args):
        return subprocess.run([*job, *args], cwd=tmp_path, env=env, capture_output=True, text=True)

    again = job_run("--input", "news", "--output", "out")
    assert again.returncode != 0 and "already exists" in again.stderr
    p = job_run("--input", "nothing/", "--output", "o2")
    assert p.returncode == 2 and "input `nothing/`: No such file or directory" in p.stderr
    p = job_run("--input", "news", "--output", "o3", "--threads", "300")
    assert p.returncode == 2 and "--threads: 300 is not in 1..=256" in p.stderr

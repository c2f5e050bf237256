//! The store through the `dyad` binary: ingest and re-ingest, kill -9 in the middle of an
//! ingest, refusal of corrupt and newer files, readers during an ingest, exports, query, stats.

mod common;
use common::{repo, shared};
use dyad_store::{Filter, Store};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn dyad_cmd(args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_dyad"));
    c.args(args)
        .current_dir(repo())
        .env("DYAD_DICT", repo().join("dict"));
    c
}

fn dyad(args: &[&str]) -> Output {
    dyad_cmd(args).output().expect("dyad runs")
}

fn ok(args: &[&str]) -> String {
    let o = dyad(args);
    assert_eq!(
        o.status.code(),
        Some(0),
        "dyad {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).unwrap()
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// The news inputs of the "done when" check: the VOA corpus and the example article when the
/// shared folder is there, else the repository's examples.
fn news_inputs() -> Vec<String> {
    let mut v = Vec::new();
    if let Some(p) = shared("corpus/voa/voa_stories.jsonl") {
        v.push(p.display().to_string());
    }
    if let Some(p) = shared("examples/trump-putin-g20-2017-07-07.html") {
        v.push(p.display().to_string());
    }
    v.push(repo().join("examples").display().to_string());
    v
}

#[test]
fn ingest_then_reingest_keeps_the_same_counts() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("news.db");
    let inputs = news_inputs();
    let mut args = vec!["ingest", "--db", s(&db)];
    args.extend(inputs.iter().map(String::as_str));
    let o = dyad(&args);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let first = Store::open_read_only(&db).unwrap().counts().unwrap();
    assert!(first.documents >= 4 && first.mentions > 10, "{first:?}");

    let o = dyad(&args);
    assert_eq!(o.status.code(), Some(0));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains(&format!(
            "0 documents stored (0 new, 0 replaced), {} unchanged skipped",
            first.documents
        )),
        "{err}"
    );
    let store = Store::open_read_only(&db).unwrap();
    assert_eq!(store.counts().unwrap(), first);
    assert_eq!(store.check_consistency().unwrap(), Vec::<String>::new());

    // The number of event mentions is what `dyad code` codes from the same input.
    let mut code_args = vec!["code", "--format", "jsonl"];
    code_args.extend(inputs.iter().map(String::as_str));
    let coded = ok(&code_args).lines().count() as u64;
    assert_eq!(first.mentions, coded);
}

/// JSON lines of the VOA corpus (or the examples' feed) repeated with new ids and URLs, and the
/// number of events `dyad code` finds in each original document.
/// `copies` copies of the VOA stories (or of the repository's examples where ../shared is absent),
/// more if that is needed to reach `min_bytes`, so that timing-sensitive tests have the same amount
/// of work either way. Returns the file, the events per original document, the documents per copy
/// and the number of copies.
fn big_input(
    dir: &Path,
    copies: usize,
    min_bytes: usize,
) -> (PathBuf, BTreeMap<String, usize>, usize, usize) {
    let seed = shared("corpus/voa/voa_stories.jsonl").unwrap_or(repo().join("examples/news.jsonl"));
    let text = std::fs::read_to_string(&seed).unwrap();
    let copies = copies.max(min_bytes.div_ceil(text.len().max(1)));
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let mut out = String::new();
    for c in 0..copies {
        for l in &lines {
            let mut l = l.clone();
            let id = l["id"].as_str().unwrap().to_string();
            l["id"] = format!("{id}~{c}").into();
            if let Some(u) = l["url"].as_str() {
                l["url"] = format!("{u}?copy={c}").into();
            }
            out.push_str(&serde_json::to_string(&l).unwrap());
            out.push('\n');
        }
    }
    let path = dir.join("big.jsonl");
    std::fs::write(&path, out).unwrap();
    let mut per_doc = BTreeMap::new();
    for l in ok(&["code", "--format", "jsonl", s(&seed)]).lines() {
        let v: serde_json::Value = serde_json::from_str(l).unwrap();
        *per_doc
            .entry(v["doc_id"].as_str().unwrap().to_string())
            .or_insert(0) += 1;
    }
    (path, per_doc, lines.len(), copies)
}

/// Every stored document has exactly the events `dyad code` gives its original; the file passes
/// `PRAGMA integrity_check`; counts agree.
fn check_whole_documents(db: &Path, per_doc: &BTreeMap<String, usize>) -> u64 {
    let store = Store::open_read_only(db).unwrap();
    let c = store.connection();
    let integrity: String = c
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(integrity, "ok");
    assert_eq!(store.check_consistency().unwrap(), Vec::<String>::new());
    let mut st = c
        .prepare(
            "SELECT d.id, (SELECT count(*) FROM mentions m WHERE m.doc_id = d.doc_id), \
             d.sentence_count, json_array_length(d.sentence_spans) FROM documents d",
        )
        .unwrap();
    let rows: Vec<(String, i64, i64, i64)> = st
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    for (id, mentions, sentences, spans) in &rows {
        let original = id.rsplit_once('~').unwrap().0;
        let want = per_doc.get(original).copied().unwrap_or(0);
        assert_eq!(*mentions as usize, want, "document {id}");
        assert!(*sentences > 0 && sentences == spans, "document {id}");
    }
    rows.len() as u64
}

#[test]
fn kill_9_in_the_middle_of_an_ingest_leaves_whole_documents() {
    let dir = tempfile::tempdir().unwrap();
    // About 16 MB: long enough to be killed twice in the middle.
    let (input, per_doc, per_copy, copies) = big_input(dir.path(), 40, 16_000_000);
    let total_docs = (per_copy * copies) as u64;
    let db = dir.path().join("k.db");
    let mut seen_docs = Vec::new();
    for round in 0..2 {
        let mut child = dyad_cmd(&[
            "ingest",
            "--quiet",
            "--batch",
            "64",
            "--db",
            s(&db),
            s(&input),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
        // Wait until this run has committed something new, use the store meanwhile, then kill.
        let start = Instant::now();
        let before = seen_docs.last().copied().unwrap_or(0);
        let mut readers_ran = false;
        loop {
            assert!(
                child.try_wait().unwrap().is_none(),
                "ingest finished before it could be killed: make the input bigger"
            );
            let n = Store::open_read_only(&db)
                .ok()
                .and_then(|s| s.counts().ok())
                .map_or(0, |c| c.documents);
            if n > before {
                if !readers_ran {
                    // Readers work while the ingest writes.
                    ok(&["query", "--db", s(&db), "--limit", "5", "--format", "csv"]);
                    ok(&["stats", "--db", s(&db), "--by", "month"]);
                    ok(&[
                        "export",
                        "--db",
                        s(&db),
                        "--format",
                        "gdelt-events",
                        "--out",
                        "-",
                    ]);
                    readers_ran = true;
                }
                if n >= before + (per_copy as u64) * (round + 1) {
                    break;
                }
            }
            assert!(start.elapsed() < Duration::from_secs(300), "no progress");
            std::thread::sleep(Duration::from_millis(20));
        }
        std::thread::sleep(Duration::from_millis(37 * (round + 1)));
        // SIGKILL: no chance to clean up.
        child.kill().unwrap();
        let status = child.wait().unwrap();
        assert!(!status.success());
        let docs = check_whole_documents(&db, &per_doc);
        assert!(
            docs < total_docs,
            "killed before the end ({docs} of {total_docs})"
        );
        assert!(docs > before);
        seen_docs.push(docs);
    }
    // Resuming finishes the job: everything is there once, consistent.
    let o = dyad(&["ingest", "--db", s(&db), s(&input)]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(check_whole_documents(&db, &per_doc), total_docs);
    let expected: usize = per_doc.values().sum::<usize>() * copies;
    let counts = Store::open_read_only(&db).unwrap().counts().unwrap();
    assert_eq!(counts.mentions as usize, expected);
    // Many copies of each story: every event is counted in that many articles of one source.
    let store = Store::open_read_only(&db).unwrap();
    let mut min_articles = u32::MAX;
    store
        .query(&Filter::default(), |r| {
            min_articles = min_articles.min(r.record.num_articles);
            assert_eq!(r.record.num_sources, 1);
            Ok(())
        })
        .unwrap();
    assert!(min_articles as usize >= copies, "{min_articles}");
}

#[test]
fn two_writers_at_once_both_finish_and_store_everything_once() {
    let dir = tempfile::tempdir().unwrap();
    let (input, per_doc, per_copy, _) = big_input(dir.path(), 4, 0);
    // A fresh file each round: both processes race to create the schema, then to write
    // small batches into the same store.
    for round in 0..3 {
        let db = dir.path().join(format!("two-{round}.db"));
        let spawn = || {
            dyad_cmd(&[
                "ingest",
                "--quiet",
                "--batch",
                "4",
                "--db",
                s(&db),
                s(&input),
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
        };
        let (a, b) = (spawn(), spawn());
        for child in [a, b] {
            let o = child.wait_with_output().unwrap();
            assert_eq!(
                o.status.code(),
                Some(0),
                "round {round}: {}",
                String::from_utf8_lossy(&o.stderr)
            );
        }
        assert_eq!(check_whole_documents(&db, &per_doc), (per_copy * 4) as u64);
    }
}

fn assert_refused(path: &Path, needle: &str) {
    let before = std::fs::read(path).unwrap();
    let p = s(path);
    let runs: [&[&str]; 5] = [
        &["ingest", "--db", p, "examples/news.jsonl"],
        &["query", "--db", p],
        &["stats", "--db", p],
        &["export", "--db", p, "--format", "jsonl", "--out", "-"],
        &[
            "export",
            "--db",
            p,
            "--format",
            "gdelt-events",
            "--out",
            "-",
        ],
    ];
    for args in runs {
        let o = dyad(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(needle), "{args:?}: {err}");
        assert!(err.contains("was not changed"), "{args:?}: {err}");
        assert!(o.stdout.is_empty());
        assert_eq!(
            std::fs::read(path).unwrap(),
            before,
            "{args:?} changed the file"
        );
    }
}

#[test]
fn corrupt_and_newer_files_are_refused_and_left_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let garbage = dir.path().join("garbage.db");
    let bytes: Vec<u8> = (0..64_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 7) as u8)
        .collect();
    std::fs::write(&garbage, &bytes).unwrap();
    assert_refused(&garbage, "not a dyad database");

    // A real store whose pages were overwritten with garbage after the header.
    let broken = dir.path().join("broken.db");
    ok(&[
        "ingest",
        "--quiet",
        "--db",
        s(&broken),
        "examples/news.jsonl",
    ]);
    {
        // Fold the WAL in and drop it, so the file alone is the database.
        let c = rusqlite::Connection::open(&broken).unwrap();
        c.execute_batch("PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode = DELETE;")
            .unwrap();
    }
    let mut b = std::fs::read(&broken).unwrap();
    for (i, x) in b.iter_mut().enumerate().skip(100) {
        *x = (i as u32).wrapping_mul(2_654_435_761).to_le_bytes()[2];
    }
    std::fs::write(&broken, &b).unwrap();
    assert_refused(&broken, "not a dyad database");

    let newer = dir.path().join("newer.db");
    {
        let c = rusqlite::Connection::open(&newer).unwrap();
        c.execute_batch(&format!(
            "CREATE TABLE documents (x); PRAGMA application_id = {}; PRAGMA user_version = {};",
            dyad_store::schema::APPLICATION_ID,
            dyad_store::schema::SCHEMA_VERSION + 5
        ))
        .unwrap();
    }
    assert_refused(&newer, "newer dyad");

    // Reading a database that does not exist creates nothing.
    let missing = dir.path().join("missing.db");
    let o = dyad(&["query", "--db", s(&missing)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no such database"));
    assert!(!missing.exists());
}

#[test]
fn query_stats_and_exports_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    ok(&["ingest", "--quiet", "--db", s(&db), "examples/"]);

    let csv = ok(&[
        "query",
        "--db",
        s(&db),
        "--source",
        "ARM*",
        "--format",
        "csv",
    ]);
    let mut lines = csv.lines();
    assert!(lines
        .next()
        .unwrap()
        .starts_with("global_event_id,event_date,actor1_code"));
    let rows: Vec<&str> = lines.collect();
    assert!(!rows.is_empty());
    assert!(rows
        .iter()
        .all(|r| r.split(',').nth(2).unwrap().starts_with("ARM")));

    let jl = ok(&["query", "--db", s(&db), "--root", "04", "--format", "jsonl"]);
    assert!(jl.lines().count() > 0);
    for l in jl.lines() {
        let v: serde_json::Value = serde_json::from_str(l).unwrap();
        assert_eq!(v["event_root_code"], "04");
        assert!(v["sentence"].as_str().unwrap().len() > 10);
    }
    let table = ok(&["query", "--db", s(&db), "--goldstein-max", "-5"]);
    assert!(table.starts_with("    event date"));
    assert!(table.lines().count() > 1);

    let stats = ok(&[
        "stats",
        "--db",
        s(&db),
        "--by",
        "month",
        "--group",
        "quadclass",
        "--format",
        "csv",
    ]);
    assert!(stats.starts_with("period,quad_class,events,mentions,goldstein_sum\n"));
    let total: u64 = stats
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(2).unwrap().parse::<u64>().unwrap())
        .sum();
    let events = ok(&[
        "export",
        "--db",
        s(&db),
        "--format",
        "gdelt-events",
        "--out",
        "-",
    ]);
    let dated = events
        .lines()
        .filter(|l| !l.split('\t').nth(1).unwrap().is_empty())
        .count() as u64;
    assert_eq!(total, dated);

    let out = dir.path().join("events.tsv");
    ok(&[
        "export",
        "--db",
        s(&db),
        "--format",
        "gdelt-events",
        "--out",
        s(&out),
    ]);
    assert_eq!(std::fs::read_to_string(&out).unwrap(), events);
    for l in events.lines() {
        assert_eq!(l.split('\t').count(), 61, "{l}");
    }
    let mentions = ok(&[
        "export",
        "--db",
        s(&db),
        "--format",
        "gdelt-mentions",
        "--out",
        "-",
    ]);
    assert!(mentions.lines().count() >= events.lines().count());
    for l in mentions.lines() {
        assert_eq!(l.split('\t').count(), 16, "{l}");
    }
    let plover = ok(&["export", "--db", s(&db), "--format", "plover", "--out", "-"]);
    assert!(plover.lines().count() > 0);
    let pq = dir.path().join("pq");
    ok(&[
        "export",
        "--db",
        s(&db),
        "--format",
        "parquet",
        "--out",
        s(&pq),
    ]);
    assert!(pq.join("year=2024").is_dir());
    // A Parquet dataset is never written into a directory that holds something.
    let o = dyad(&[
        "export",
        "--db",
        s(&db),
        "--format",
        "parquet",
        "--out",
        s(&pq),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("--overwrite"), "{err}");
    // ...unless asked to replace the dataset written there before.
    ok(&[
        "export",
        "--db",
        s(&db),
        "--format",
        "parquet",
        "--out",
        s(&pq),
        "--overwrite",
    ]);
    assert!(pq.join("year=2024").is_dir());
}

//! The store end to end with the real coder and dictionaries: idempotent ingest, replacement of
//! changed articles, cross-article aggregation, filters, statistics, exports, and refusal of
//! corrupt or newer files.

use dyad_coder::{Coder, Scratch};
use dyad_core::{Document, Event};
use dyad_dict::Dictionary;
use dyad_store::{CodedDocument, Error, Filter, Group, Near, Period, Store};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

fn model() -> &'static dyad_syntax::Model {
    static M: std::sync::OnceLock<dyad_syntax::Model> = std::sync::OnceLock::new();
    M.get_or_init(|| {
        dyad_syntax::Model::load(&dyad_syntax::default_model_path())
            .unwrap_or_else(|e| panic!("{e}"))
    })
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn dict() -> &'static Dictionary {
    static D: OnceLock<Dictionary> = OnceLock::new();
    D.get_or_init(|| Dictionary::load(repo().join("dict")).expect("dictionaries load"))
}

fn code(docs: &[Document]) -> Vec<Vec<Event>> {
    let coder = Coder::new(dict(), model());
    let mut sc = Scratch::default();
    docs.iter().map(|d| coder.code(d, None, &mut sc)).collect()
}

fn geo() -> &'static dyad_geo::Geo {
    static G: OnceLock<dyad_geo::Geo> = OnceLock::new();
    G.get_or_init(|| dyad_geo::Geo::load(&repo().join("dict")).expect("gazetteer loads"))
}

fn ingest(store: &mut Store, docs: &[Document]) -> dyad_store::IngestSummary {
    ingest_with(store, docs, Coder::new(dict(), model()))
}

fn ingest_with(store: &mut Store, docs: &[Document], coder: Coder) -> dyad_store::IngestSummary {
    let mut sc = Scratch::default();
    let coded: Vec<CodedDocument> = docs
        .iter()
        .map(|d| {
            let events = coder.code(d, None, &mut sc);
            CodedDocument::new(d.clone(), events, sc.sentences(), &dict().version)
        })
        .collect();
    store.ingest_batch(&coded, dict()).unwrap()
}

fn example_docs() -> Vec<Document> {
    let p = repo().join("examples");
    dyad_ingest::read_inputs(&[p.display().to_string()], &Default::default())
        .map(Result::unwrap)
        .collect()
}

fn doc(id: &str, url: &str, published: &str, text: &str) -> Document {
    Document {
        id: id.into(),
        url: Some(url.into()),
        published: Some(published.into()),
        text: text.into(),
        ..Default::default()
    }
}

const MEET: &str =
    "Russian President Vladimir Putin met Chinese President Xi Jinping in Moscow on Tuesday.";

fn scalar(store: &Store, sql: &str) -> i64 {
    store.connection().query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn ingest_is_idempotent_and_consistent() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let docs = example_docs();
    assert!(docs.len() >= 4);
    let mut s = Store::open(&db).unwrap();
    let first = ingest(&mut s, &docs);
    assert_eq!(first.documents_new, docs.len() as u64);
    assert!(first.mentions > 10, "{first:?}");
    let counts = s.counts().unwrap();
    assert_eq!(counts.documents, docs.len() as u64);
    assert_eq!(counts.mentions, first.mentions);
    assert!(counts.sentences > counts.documents);
    assert_eq!(s.check_consistency().unwrap(), Vec::<String>::new());

    // Again, in one call and through the pre-coding filter: nothing changes.
    let again = ingest(&mut s, &docs);
    assert_eq!(again.documents_unchanged, docs.len() as u64);
    assert_eq!(again.mentions, 0);
    let (left, dropped) = s.drop_unchanged(docs.clone(), &dict().version).unwrap();
    assert!(left.is_empty());
    assert_eq!(dropped, docs.len() as u64);
    assert_eq!(s.counts().unwrap(), counts);
    drop(s);

    // Reopening keeps everything (and does not migrate again).
    let s = Store::open(&db).unwrap();
    assert_eq!(s.counts().unwrap(), counts);
    assert_eq!(
        s.schema_version().unwrap(),
        dyad_store::schema::SCHEMA_VERSION
    );
    assert_eq!(
        scalar(&s, "PRAGMA application_id"),
        i64::from(dyad_store::schema::APPLICATION_ID)
    );
    assert_eq!(
        s.connection()
            .query_row("PRAGMA journal_mode", [], |r| r.get::<_, String>(0))
            .unwrap(),
        "wal"
    );
}

#[test]
fn same_event_in_several_articles_is_one_event() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(&dir.path().join("t.db")).unwrap();
    let a = doc(
        "a",
        "https://www.alpha.example/1",
        "2024-05-14T10:00:00Z",
        MEET,
    );
    let b = doc(
        "b",
        "https://beta.example/story",
        "2024-05-14T12:00:00Z",
        &format!("Talks in Moscow.\n\n{MEET} {MEET}"),
    );
    let c = doc("c", "https://alpha.example/2", "2024-05-14T13:00:00Z", MEET);
    let coded = code(std::slice::from_ref(&a));
    let meet: Vec<&Event> = coded[0]
        .iter()
        .filter(|e| e.code == "040" || e.code.starts_with("04"))
        .collect();
    assert!(
        !meet.is_empty(),
        "the coder codes the meeting: {:?}",
        coded[0]
    );
    let code_of_meet = meet[0].code.clone();

    ingest(&mut s, std::slice::from_ref(&a));
    ingest(&mut s, &[b, c]);
    let f = Filter {
        source: Some("RUSGOV".into()),
        target: Some("CHNGOV".into()),
        code: Some(code_of_meet.clone()),
        ..Default::default()
    };
    let mut rows = Vec::new();
    s.query(&f, |r| {
        rows.push(r);
        Ok(())
    })
    .unwrap();
    assert_eq!(rows.len(), 1, "{rows:?}");
    let r = &rows[0].record;
    assert_eq!(r.num_articles, 3);
    assert_eq!(
        r.num_sources, 2,
        "alpha.example (www. stripped) and beta.example"
    );
    // b mentions it in two sentences.
    assert_eq!(r.num_mentions, 4);
    assert_eq!(r.source_url, "https://www.alpha.example/1", "first seen");
    assert_eq!(r.date_added, "20240514100000");
    assert_eq!(r.date.as_deref(), Some("2024-05-14"));
    let mentions = scalar(
        &s,
        &format!(
            "SELECT count(*) FROM mentions WHERE global_event_id = {}",
            r.global_event_id
        ),
    );
    assert_eq!(
        mentions, 3,
        "one mention row per article (b's counts 2 sentences)"
    );
    assert_eq!(s.check_consistency().unwrap(), Vec::<String>::new());

    // A new version of the first article without the meeting: counts and first-seen fields move.
    let a2 = doc(
        "a",
        "https://www.alpha.example/1",
        "2024-05-14T10:00:00Z",
        "The weather in Moscow was fine.",
    );
    let sum = ingest(&mut s, &[a2]);
    assert_eq!(sum.documents_replaced, 1);
    let mut rows = Vec::new();
    s.query(&f, |r| {
        rows.push(r);
        Ok(())
    })
    .unwrap();
    assert_eq!(rows.len(), 1);
    let r = &rows[0].record;
    assert_eq!((r.num_articles, r.num_sources, r.num_mentions), (2, 2, 3));
    assert_eq!(r.source_url, "https://beta.example/story");
    assert_eq!(r.date_added, "20240514120000");
    assert_eq!(s.counts().unwrap().documents, 3);
    assert_eq!(s.check_consistency().unwrap(), Vec::<String>::new());

    // Replace the others too: the event disappears.
    ingest(
        &mut s,
        &[
            doc(
                "b",
                "https://beta.example/story",
                "2024-05-14T12:00:00Z",
                "Nothing.",
            ),
            doc(
                "c",
                "https://alpha.example/2",
                "2024-05-14T13:00:00Z",
                "Nothing.",
            ),
        ],
    );
    let n = s.query(&f, |_| Ok(())).unwrap();
    assert_eq!(n, 0);
    assert_eq!(s.counts().unwrap().events, 0);
    assert_eq!(scalar(&s, "SELECT count(*) FROM event_sources"), 0);
    assert_eq!(s.check_consistency().unwrap(), Vec::<String>::new());
}

fn dump(db: &Path) -> Vec<String> {
    let s = Store::open_read_only(db).unwrap();
    let c = s.connection();
    let mut out = Vec::new();
    for t in ["documents", "events", "mentions", "event_sources"] {
        let mut st = c
            .prepare(&format!("SELECT * FROM {t} ORDER BY 1, 2"))
            .unwrap();
        let n = st.column_count();
        let mut rows = st.query([]).unwrap();
        while let Some(r) = rows.next().unwrap() {
            let vals: Vec<String> = (0..n)
                .map(|i| format!("{:?}", r.get_ref(i).unwrap()))
                .collect();
            out.push(format!("{t}: {}", vals.join("|")));
        }
    }
    out
}

#[test]
fn same_input_gives_same_database() {
    let dir = tempfile::tempdir().unwrap();
    let docs = example_docs();
    for name in ["a.db", "b.db"] {
        let mut s = Store::open(&dir.path().join(name)).unwrap();
        // In two batches for one, one batch for the other: ids follow input order either way.
        if name == "a.db" {
            ingest(&mut s, &docs[..2]);
            ingest(&mut s, &docs[2..]);
        } else {
            ingest(&mut s, &docs);
        }
    }
    let (a, b) = (
        dump(&dir.path().join("a.db")),
        dump(&dir.path().join("b.db")),
    );
    assert!(a.len() > 50);
    assert_eq!(a, b);
}

#[test]
fn filters_select_the_right_events() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(&dir.path().join("t.db")).unwrap();
    ingest(&mut s, &example_docs());
    let all = {
        let mut v = Vec::new();
        s.query(&Filter::default(), |r| {
            v.push(r);
            Ok(())
        })
        .unwrap();
        v
    };
    assert!(all.iter().all(|r| !r.negated));
    let count = |f: Filter| s.query(&f, |_| Ok(())).unwrap() as usize;
    let expect = |p: &dyn Fn(&dyad_store::QueryRow) -> bool| all.iter().filter(|r| p(r)).count();

    let n = count(Filter {
        source: Some("ARMGOV".into()),
        ..Default::default()
    });
    assert!(n > 0);
    assert_eq!(n, expect(&|r| r.record.actor1.code == "ARMGOV"));
    let n = count(Filter {
        source: Some("ARM*".into()),
        ..Default::default()
    });
    assert_eq!(n, expect(&|r| r.record.actor1.code.starts_with("ARM")));
    assert!(n > expect(&|r| r.record.actor1.code == "ARMGOV"));
    let n = count(Filter {
        country: Some("IRN".into()),
        ..Default::default()
    });
    assert!(n > 0);
    assert_eq!(
        n,
        expect(&|r| r.record.actor1.country_code == "IRN" || r.record.actor2.country_code == "IRN")
    );
    for q in 1..=4u8 {
        let n = count(Filter {
            quad_class: Some(q),
            ..Default::default()
        });
        assert_eq!(n, expect(&|r| r.record.quad_class == q));
    }
    let n = count(Filter {
        root: Some("4".into()),
        ..Default::default()
    });
    assert!(n > 0);
    assert_eq!(n, expect(&|r| r.record.event_root_code == "04"));
    let n = count(Filter {
        code: Some("04*".into()),
        ..Default::default()
    });
    assert_eq!(n, expect(&|r| r.record.event_code.starts_with("04")));
    let n = count(Filter {
        goldstein_min: Some(-5.0),
        goldstein_max: Some(0.0),
        ..Default::default()
    });
    assert_eq!(
        n,
        expect(&|r| (-5.0..=0.0).contains(&r.record.goldstein_scale))
    );
    let n = count(Filter {
        from: Some("2024-06-01".into()),
        to: Some("2024-06-30".into()),
        ..Default::default()
    });
    assert!(n > 0);
    assert_eq!(
        n,
        expect(&|r| r
            .record
            .date
            .as_deref()
            .is_some_and(|d| d.starts_with("2024-06")))
    );
    let n = count(Filter {
        words: vec!["sanctions".into(), "IRAN".into()],
        ..Default::default()
    });
    assert!(n > 0);
    let n2 = count(Filter {
        words: vec!["sanctions".into(), "no-such-word".into()],
        ..Default::default()
    });
    assert_eq!(n2, 0);
    let n = count(Filter {
        url: Some("https://news.example.org/2024/03/05/ministers-meet-geneva".into()),
        ..Default::default()
    });
    assert_eq!(
        n,
        expect(&|r| r.record.source_url.ends_with("ministers-meet-geneva"))
    );
    assert_eq!(
        count(Filter {
            limit: Some(3),
            ..Default::default()
        }),
        3
    );
    // Negated events are kept, flagged, and only shown on request.
    let with = count(Filter {
        include_negated: true,
        ..Default::default()
    });
    assert!(with >= all.len());
    assert!(Filter {
        from: Some("2024-6-1".into()),
        ..Default::default()
    }
    .clone()
    .from
    .is_some());
    assert!(matches!(
        s.query(
            &Filter {
                from: Some("2024-6-1".into()),
                ..Default::default()
            },
            |_| Ok(())
        ),
        Err(Error::Invalid(_))
    ));

    // Stats add up to the events.
    let by_day = s.stats(&Filter::default(), Period::Day, None).unwrap();
    let dated = expect(&|r| r.record.date.is_some());
    assert_eq!(by_day.iter().map(|r| r.events).sum::<u64>(), dated as u64);
    let by_root = s
        .stats(&Filter::default(), Period::Month, Some(Group::Root))
        .unwrap();
    for row in &by_root {
        let want: Vec<_> = all
            .iter()
            .filter(|r| {
                r.record
                    .date
                    .as_deref()
                    .is_some_and(|d| d.starts_with(&row.period))
                    && r.record.event_root_code == row.group
            })
            .collect();
        assert_eq!(row.events as usize, want.len(), "{row:?}");
        let g: f64 = want.iter().map(|r| r.record.goldstein_scale).sum();
        assert!((row.goldstein_sum - g).abs() < 0.051, "{row:?} vs {g}");
        let m: u64 = want.iter().map(|r| u64::from(r.record.num_mentions)).sum();
        assert_eq!(row.mentions, m);
    }
    let dyads = s
        .stats(&Filter::default(), Period::Month, Some(Group::Dyad))
        .unwrap();
    assert!(
        dyads.iter().any(|r| r.group == "ARMGOV>AZEGOV"),
        "{dyads:?}"
    );
    let quads = s
        .stats(&Filter::default(), Period::Day, Some(Group::QuadClass))
        .unwrap();
    assert!(quads
        .iter()
        .all(|r| ["1", "2", "3", "4"].contains(&r.group.as_str())));
}

#[test]
fn exports_have_gdelt_layouts_and_provenance() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(&dir.path().join("t.db")).unwrap();
    let docs = example_docs();
    ingest(&mut s, &docs);
    let f = Filter::default();

    let mut ev = Vec::new();
    let n = s.export_gdelt_events(&f, &mut ev).unwrap().rows;
    let ev = String::from_utf8(ev).unwrap();
    let lines: Vec<&str> = ev.lines().collect();
    assert_eq!(lines.len() as u64, n);
    assert!(n > 5);
    for l in &lines {
        let c: Vec<&str> = l.split('\t').collect();
        assert_eq!(c.len(), dyad_export::GDELT_EVENT_COLUMNS, "{l}");
        assert_eq!(c[1].len(), 8, "SQLDATE YYYYMMDD: {l}");
        assert_eq!(c[59].len(), 14, "DATEADDED YYYYMMDDHHMMSS: {l}");
        assert!(c[60].starts_with("https://") || !c[60].is_empty());
    }
    // An event stored alone is written exactly as `dyad code --format gdelt` writes it, but
    // for the id, the counts and DATEADDED (here in UTC).
    let coded = code(&docs);
    let (d0, e0) = docs
        .iter()
        .zip(&coded)
        .find_map(|(d, es)| es.iter().find(|e| !e.negated).map(|e| (d, e)))
        .unwrap();
    let stamp = dyad_export::gdelt_timestamp_utc(d0.published.as_deref());
    let ctx = dyad_export::GdeltContext {
        global_event_id: 1,
        num_mentions: e0.mentions,
        num_sources: 1,
        num_articles: 1,
        is_root: dyad_export::in_lead_paragraph(d0, e0),
        date_added: &stamp,
        source_url: d0.url.as_deref().unwrap(),
    };
    let direct = dyad_export::gdelt_event_fields(e0, &ctx, dict()).join("\t");
    assert_eq!(lines[0], direct);
    let rec = dyad_export::EventRecord::from_event(e0, &ctx, dict());
    assert_eq!(rec.gdelt_fields().join("\t"), direct);

    // Mentions: 16 columns, one per (event, article).
    let mut mv = Vec::new();
    let m = s.export_gdelt_mentions(&f, &mut mv).unwrap().rows;
    let mv = String::from_utf8(mv).unwrap();
    let expected = scalar(
        &s,
        "SELECT count(*) FROM mentions m JOIN events e USING (global_event_id) WHERE e.negated = 0",
    );
    assert_eq!(m as i64, expected);
    for l in mv.lines() {
        let c: Vec<&str> = l.split('\t').collect();
        assert_eq!(c.len(), dyad_export::GDELT_MENTION_COLUMNS, "{l}");
        let id: u64 = c[0].parse().unwrap();
        assert!(lines.iter().any(|e| e.starts_with(&format!("{id}\t"))));
        assert!(c[6].parse::<u32>().unwrap() >= 1);
        assert!(c[12].parse::<u64>().unwrap() > 0);
    }

    // JSONL: the same events in the same order, every mention with provenance.
    let mut jv = Vec::new();
    s.export_jsonl(&f, &mut jv).unwrap();
    let jl: Vec<serde_json::Value> = String::from_utf8(jv)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(jl.len(), lines.len());
    for (j, l) in jl.iter().zip(&lines) {
        let c: Vec<&str> = l.split('\t').collect();
        assert_eq!(j["global_event_id"].to_string(), c[0]);
        assert_eq!(j["actor1"]["code"], c[5]);
        assert_eq!(j["event_code"], c[26]);
        assert_eq!(j["num_mentions"].to_string(), c[31]);
        let ms = j["mentions"].as_array().unwrap();
        assert_eq!(
            ms.len().to_string(),
            c[33],
            "NumArticles = mentioning articles here"
        );
        let ev = &ms[0]["event"];
        assert!(ev["source"]["entry"].as_str().unwrap().contains(".txt:"));
        assert!(ev["verb"]["pattern_id"].as_str().unwrap().contains(':'));
        assert!(ms[0]["document"]["url"].is_string());
    }

    // The stored provenance gives back the coder's events exactly (in JSONL, with negated ones).
    let mut jv = Vec::new();
    s.export_jsonl(
        &Filter {
            include_negated: true,
            ..Default::default()
        },
        &mut jv,
    )
    .unwrap();
    let mut from_store: Vec<serde_json::Value> = Vec::new();
    for l in String::from_utf8(jv).unwrap().lines() {
        let v: serde_json::Value = serde_json::from_str(l).unwrap();
        for m in v["mentions"].as_array().unwrap() {
            from_store.push(m["event"].clone());
        }
    }
    let mut from_coder: Vec<serde_json::Value> = coded
        .iter()
        .flatten()
        .map(|e| serde_json::from_str(&serde_json::to_string(e).unwrap()).unwrap())
        .collect();
    let key = |v: &serde_json::Value| format!("{}|{:0>6}|{}", v["doc_id"], v["sentence"], v);
    from_store.sort_by_key(key);
    from_coder.sort_by_key(key);
    assert_eq!(from_store.len(), from_coder.len());
    assert_eq!(from_store, from_coder);
    assert!(from_coder.iter().any(|e| e["negated"] == true));

    // PLOVER: one record per event with a PLOVER type, ids are GLOBALEVENTIDs.
    let mut pv = Vec::new();
    let p = s.export_plover(&f, dict(), &mut pv).unwrap();
    assert_eq!(p.rows + p.skipped, n);
    for l in String::from_utf8(pv).unwrap().lines() {
        let v: serde_json::Value = serde_json::from_str(l).unwrap();
        let id = v["id"].as_str().unwrap();
        assert!(lines.iter().any(|e| e.starts_with(&format!("{id}\t"))));
        assert!(v["event"].is_string());
    }

    // Parquet: a partition per month of the dated events.
    let out = dir.path().join("pq");
    let ps = s.export_parquet(&f, &out, false).unwrap();
    assert_eq!(ps.rows + ps.skipped, n);
    let months: std::collections::BTreeSet<String> = lines
        .iter()
        .map(|l| l.split('\t').nth(2).unwrap().to_string())
        .collect();
    assert_eq!(ps.files as usize, months.len());
    for ym in months {
        let p = out
            .join(format!("year={}", &ym[..4]))
            .join(format!("month={}", &ym[4..]))
            .join("part-00000.parquet");
        assert!(p.exists(), "{}", p.display());
    }
}

fn assert_refused(path: &Path, expect: impl Fn(&Error) -> bool) {
    let before = std::fs::read(path).unwrap();
    let e = Store::open(path).err().expect("refused for writing");
    assert!(expect(&e), "{e}");
    assert!(e.to_string().contains("not changed"), "{e}");
    let e = Store::open_read_only(path)
        .err()
        .expect("refused for reading");
    assert!(expect(&e), "{e}");
    assert_eq!(std::fs::read(path).unwrap(), before, "file unchanged");
    let name = path.file_name().unwrap().to_string_lossy().to_string();
    for ext in ["-wal", "-shm", "-journal"] {
        assert!(
            !path.with_file_name(format!("{name}{ext}")).exists(),
            "no {ext} file left"
        );
    }
}

#[test]
fn corrupt_foreign_and_newer_files_are_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let garbage = dir.path().join("garbage.db");
    let bytes: Vec<u8> = (0..20_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    std::fs::write(&garbage, &bytes).unwrap();
    assert_refused(&garbage, |e| matches!(e, Error::NotADatabase { .. }));

    // SQLite header, garbage after it.
    let half = dir.path().join("half.db");
    let mut b = b"SQLite format 3\0".to_vec();
    b.extend(&bytes);
    std::fs::write(&half, &b).unwrap();
    assert_refused(&half, |e| matches!(e, Error::NotADatabase { .. }));

    // A real SQLite database of another application.
    let other = dir.path().join("other.db");
    {
        let c = rusqlite::Connection::open(&other).unwrap();
        c.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
            .unwrap();
    }
    assert_refused(&other, |e| matches!(e, Error::NotADatabase { .. }));

    // A dyad store written by a newer schema.
    let newer = dir.path().join("newer.db");
    {
        let c = rusqlite::Connection::open(&newer).unwrap();
        c.execute_batch(&format!(
            "CREATE TABLE future (x); PRAGMA application_id = {}; PRAGMA user_version = {};",
            dyad_store::schema::APPLICATION_ID,
            dyad_store::schema::SCHEMA_VERSION + 1
        ))
        .unwrap();
    }
    assert_refused(
        &newer,
        |e| matches!(e, Error::NewerSchema { found, .. } if *found == dyad_store::schema::SCHEMA_VERSION + 1),
    );

    // Missing: read-only open refuses and creates nothing.
    let missing = dir.path().join("missing.db");
    assert!(matches!(
        Store::open_read_only(&missing),
        Err(Error::Missing { .. })
    ));
    assert!(!missing.exists());
}

#[test]
fn migrations_number_the_schema() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    // An empty file (as `touch` leaves it) is a new database.
    std::fs::write(&db, b"").unwrap();
    let s = Store::open(&db).unwrap();
    assert_eq!(
        s.schema_version().unwrap(),
        dyad_store::schema::SCHEMA_VERSION
    );
    let tables: Vec<String> = s
        .connection()
        .prepare("SELECT name FROM sqlite_master WHERE type IN ('table', 'view') ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        tables,
        [
            "documents",
            "event_sources",
            "events",
            "mentions",
            "sentences"
        ]
    );
    // The readable sentence view slices the stored text, as stored mentions do.
    drop(s);
    let mut s = Store::open(&db).unwrap();
    let docs = example_docs();
    ingest(&mut s, &docs);
    let coded = code(&docs);
    let (d, e) = docs
        .iter()
        .zip(&coded)
        .find_map(|(d, es)| es.first().map(|e| (d, e)))
        .unwrap();
    let from_view: String = s
        .connection()
        .query_row(
            "SELECT v.text FROM sentences v JOIN documents d ON d.doc_id = v.doc_id \
             WHERE d.id = ?1 AND v.sentence_index = ?2",
            rusqlite::params![d.id, e.sentence],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(from_view, e.sentence_text);
    let mut sentences = Vec::new();
    s.query(&Filter::default(), |row| {
        sentences.push(row.sentence);
        Ok(())
    })
    .unwrap();
    let coded_sentences: Vec<&str> = coded
        .iter()
        .flatten()
        .map(|e| e.sentence_text.as_str())
        .collect();
    assert!(!sentences.is_empty());
    for t in &sentences {
        assert!(coded_sentences.contains(&t.as_str()), "{t:?}");
    }
}

#[test]
fn a_version_1_store_is_migrated_keeping_its_rows() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v1.db");
    {
        let c = rusqlite::Connection::open(&db).unwrap();
        c.execute_batch(dyad_store::schema::MIGRATIONS[0]).unwrap();
        c.execute_batch(&format!(
            "PRAGMA application_id = {}; PRAGMA user_version = 1;",
            dyad_store::schema::APPLICATION_ID
        ))
        .unwrap();
    }
    let mut s = Store::open(&db).unwrap();
    ingest(&mut s, &example_docs());
    drop(s);
    // Rewind to version 1 by hand: put the old column back, take the new one out, and say so.
    {
        let c = rusqlite::Connection::open(&db).unwrap();
        c.execute_batch(
            "ALTER TABLE mentions ADD COLUMN sentence_text TEXT NOT NULL DEFAULT ''; \
             ALTER TABLE mentions DROP COLUMN parse_relations; \
             ALTER TABLE mentions DROP COLUMN place; ALTER TABLE mentions DROP COLUMN doc_tone; \
             ALTER TABLE mentions DROP COLUMN actor1_place; \
             ALTER TABLE mentions DROP COLUMN actor2_place; \
             DROP INDEX events_action_country; DROP INDEX events_action_adm1; \
             PRAGMA user_version = 1;",
        )
        .unwrap();
        for col in [
            "type",
            "fullname",
            "country_code",
            "adm1_code",
            "adm2_code",
            "lat",
            "long",
            "feature_id",
        ] {
            for geo in ["action_geo", "actor1_geo", "actor2_geo"] {
                c.execute_batch(&format!("ALTER TABLE events DROP COLUMN {geo}_{col}"))
                    .unwrap();
            }
        }
    }
    let before = Store::open_read_only(&db).err().unwrap().to_string();
    assert!(before.contains("older"), "{before}");
    let s = Store::open(&db).unwrap();
    assert_eq!(
        s.schema_version().unwrap(),
        dyad_store::schema::SCHEMA_VERSION
    );
    let counts = s.counts().unwrap();
    assert!(counts.events > 0 && counts.mentions > 0);
    let columns: Vec<String> = s
        .connection()
        .prepare("SELECT name FROM pragma_table_info('mentions')")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(!columns.iter().any(|c| c == "sentence_text"));
    assert!(columns.iter().any(|c| c == "parse_relations"));
    assert!(columns.iter().any(|c| c == "place"));
    assert!(columns.iter().any(|c| c == "actor2_place"));
    assert!(s.check_consistency().unwrap().is_empty());
}

#[test]
fn places_are_stored_queried_and_exported_with_tone() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(&dir.path().join("geo.db")).unwrap();
    let docs = [
        doc("a", "https://a.example/1", "2024-05-02T10:00:00Z", MEET),
        doc(
            "b",
            "https://b.example/2",
            "2024-05-02T11:00:00Z",
            "Iraqi troops clashed with Islamic State militants near Mosul on Thursday; a brutal fight.",
        ),
    ];
    ingest_with(&mut s, &docs, Coder::new(dict(), model()).with_geo(geo()));
    let count = |f: Filter| {
        let mut n = 0;
        s.query(&f, |_| {
            n += 1;
            Ok(())
        })
        .unwrap();
        n
    };
    let all = count(Filter::default());
    let in_russia = count(Filter {
        country: Some("RS".into()),
        ..Default::default()
    });
    let in_nineveh = count(Filter {
        adm1: Some("IZ15".into()),
        ..Default::default()
    });
    let near_mosul = count(Filter {
        near: Some(Near::parse("36.3,43.1,30").unwrap()),
        ..Default::default()
    });
    let near_baghdad = count(Filter {
        near: Some(Near::parse("33.3,44.4,30").unwrap()),
        ..Default::default()
    });
    assert!(
        in_russia >= 1 && in_nineveh >= 1,
        "{in_russia} {in_nineveh}"
    );
    assert_eq!(in_russia + in_nineveh, all);
    assert_eq!((near_mosul, near_baghdad), (in_nineveh, 0));
    // The actor country (three letters) is another filter than the place (two letters).
    let russian_actor = count(Filter {
        country: Some("RUS".into()),
        ..Default::default()
    });
    assert_eq!(russian_actor, in_russia);
    let tones: Vec<f64> = s
        .connection()
        .prepare("SELECT avg_tone FROM events")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(tones.iter().all(|t| (-100.0..=100.0).contains(t)) && tones.iter().any(|&t| t != 0.0));
    let mut tsv = Vec::new();
    s.export_gdelt_events(&Filter::default(), &mut tsv).unwrap();
    let tsv = String::from_utf8(tsv).unwrap();
    let mosul = tsv
        .lines()
        .find(|l| l.contains("Mosul"))
        .expect("a row placed in Mosul");
    let f: Vec<&str> = mosul.split('\t').collect();
    assert_eq!(f.len(), 61);
    assert_eq!((f[51], f[53], f[54]), ("4", "IZ", "IZ15"));
    // The actors are where the sentence names a place nearest them (Actor1Geo, Actor2Geo).
    assert_eq!((f[35], f[37], f[43], f[45]), ("4", "IZ", "4", "IZ"));
    // The map's places: one per place, counted per QuadClass, most events first.
    let places = s.places(&Filter::default(), 10).unwrap();
    assert_eq!(places.iter().map(|p| p.events).sum::<u64>(), all as u64);
    let nineveh = places
        .iter()
        .find(|p| p.adm1 == "IZ15")
        .expect("Mosul on the map");
    assert_eq!(nineveh.by_quad.iter().sum::<u64>(), nineveh.events);
    assert_eq!(
        nineveh.by_quad[3], nineveh.events,
        "a clash is material conflict"
    );
    assert!(places.windows(2).all(|w| w[0].events >= w[1].events));
    assert!(s.check_consistency().unwrap().is_empty());
}

#[test]
fn a_circle_on_the_map_may_cross_the_antimeridian() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(&dir.path().join("fiji.db")).unwrap();
    let docs = [doc(
        "fiji",
        "https://c.example/fiji",
        "2024-05-02T10:00:00Z",
        "Fijian police arrested dozens of protesters in Suva on Monday.",
    )];
    ingest_with(&mut s, &docs, Coder::new(dict(), model()).with_geo(geo()));
    let count = |near: &str| {
        let mut n = 0;
        let f = Filter {
            near: Some(Near::parse(near).unwrap()),
            ..Default::default()
        };
        s.query(&f, |_| {
            n += 1;
            Ok(())
        })
        .unwrap();
        n
    };
    // Suva is at 178.4 degrees east: 270 km from 179 degrees west, across the line.
    assert_eq!(count("-18.1,-179.0,350"), 1);
    assert_eq!(count("-18.1,178.0,100"), 1);
    assert_eq!(count("-18.1,-179.0,200"), 0);
}

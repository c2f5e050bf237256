//! `dyad bench`: throughput of segment+tokenize and of coding on a large generated input.

use crate::args::{BenchArgs, CodeArgs, CodingArgs, Format, IngestArgs, InputArgs};
use crate::code::{code_batch, load_dict};
use crate::Outcome;
use anyhow::Context;
use dyad_coder::Coder;
use dyad_coder::Scratch;
use dyad_core::{Document, Sentence, Tokens};
use dyad_store::{Filter, Group, Period, Store};
use std::io::Write;
use std::path::Path;
use std::time::Instant;

/// Tag and parse every sentence of the first 20 MB of `docs` on one thread; peak memory before
/// and after shows whether it stays flat. Returns the model, for coding.
fn bench_syntax(a: &BenchArgs, docs: &[Document]) -> anyhow::Result<dyad_syntax::Model> {
    let t = Instant::now();
    let model = crate::syntax::load_model(&a.model)?;
    let load = t.elapsed().as_secs_f64();
    let rss_before = peak_rss_mb().unwrap_or(0.0);
    let mut parser = dyad_syntax::words::SentenceParser::default();
    let mut sentences = Vec::<Sentence>::new();
    let (mut n_sent, mut n_words, mut bytes) = (0usize, 0usize, 0usize);
    let t = Instant::now();
    for d in docs {
        if bytes >= 20_000_000 {
            break;
        }
        bytes += d.text.len();
        sentences.clear();
        dyad_text::segment(&d.text, &mut sentences);
        for s in &sentences {
            parser.parse(&model, &d.text, s.span);
            n_words += parser.words.spans.len();
        }
        n_sent += sentences.len();
    }
    let secs = t.elapsed().as_secs_f64();
    println!(
        "tokenize+tag+parse, 1 thread: {:.0} sentences/s, {:.0} words/s ({} sentences, {:.1} MB, {:.2} s); model load {:.0} ms; peak memory {:.0} MB before parsing, {:.0} MB after",
        n_sent as f64 / secs,
        n_words as f64 / secs,
        n_sent,
        bytes as f64 / 1e6,
        secs,
        load * 1e3,
        rss_before,
        peak_rss_mb().unwrap_or(0.0)
    );
    Ok(model)
}

/// Codes long hostile inputs of growing size; time per KB that stays flat shows linear cost.
fn bench_shapes(a: &BenchArgs) -> anyhow::Result<Outcome> {
    let dict = load_dict(&a.dict)?;
    let model = crate::syntax::load_model(&a.model)?;
    let coder = Coder::new(&dict, &model);
    let names = dict.actors.one_word_countries(8);
    anyhow::ensure!(
        names.len() == 8,
        "the dictionary lacks eight one-word countries"
    );
    let list = |bytes: usize| {
        let mut t = String::new();
        while t.len() < bytes {
            t.push_str(names[t.len() % 8]);
            t.push_str(", ");
        }
        t + "met in Geneva."
    };
    let chain = |bytes: usize| {
        let clause = format!(
            "{} accused {} and {} criticized {} and ",
            names[0], names[1], names[2], names[3]
        );
        clause.repeat(bytes.div_ceil(clause.len()))
    };
    let shapes: [(&str, &dyn Fn(usize) -> String); 2] = [
        ("one list of names", &list),
        ("one endless sentence", &chain),
    ];
    for (name, make) in shapes {
        for bytes in [10_000, 100_000, 1_000_000] {
            let doc = Document {
                id: "shape".into(),
                text: make(bytes),
                ..Default::default()
            };
            let t = Instant::now();
            let events = coder.code(&doc, None, &mut dyad_coder::Scratch::default());
            let secs = t.elapsed().as_secs_f64();
            println!(
                "{name}, {:>5} KB: {:.3} s, {:.1} us per KB, {} events, peak memory {:.0} MB",
                doc.text.len() / 1000,
                secs,
                secs * 1e6 / (doc.text.len() as f64 / 1000.0),
                events.len(),
                peak_rss_mb().unwrap_or(0.0)
            );
        }
    }
    if a.fuzz > 0 {
        fuzz(a, &coder, &names)?;
    }
    Ok(Outcome::Clean)
}

/// Random documents of 2 to 64 KB: soups of the corpus's tokens and punctuation, and lists of
/// names; prints the median and the worst coding cost per byte.
fn fuzz(a: &BenchArgs, coder: &Coder, names: &[&str]) -> anyhow::Result<()> {
    let input = default_input(a);
    let mut vocab: Vec<String> = Vec::new();
    for d in dyad_ingest::read_inputs(&[input.display().to_string()], &Default::default())
        .filter_map(Result::ok)
    {
        vocab.extend(d.text.split_whitespace().take(2000).map(str::to_string));
        if vocab.len() > 50_000 {
            break;
        }
    }
    anyhow::ensure!(!vocab.is_empty(), "no words in {}", input.display());
    vocab.extend([".", ",", ";", "and", "\"", "(", ")", "-", "'s"].map(String::from));
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let start = Instant::now();
    let mut costs = Vec::new();
    let (mut total, mut worst) = (0usize, (0.0f64, String::new()));
    for i in 0..a.fuzz {
        let bytes = 2_000 + (next() % 62_000) as usize;
        let mut text = String::with_capacity(bytes + 64);
        let list = i % 4 == 3;
        while text.len() < bytes {
            let w = if list {
                names[(next() % names.len() as u64) as usize]
            } else {
                vocab[(next() % vocab.len() as u64) as usize].as_str()
            };
            text.push_str(w);
            // Lists of about fifty names that act together: the worst case of actor pairs.
            text.push_str(match (list, next() % 50) {
                (true, 0) => " met in Geneva. ",
                (true, _) => ", ",
                _ => " ",
            });
        }
        let doc = Document {
            id: format!("fuzz-{i}"),
            text,
            ..Default::default()
        };
        let t = Instant::now();
        coder.code(&doc, None, &mut dyad_coder::Scratch::default());
        let per_kb = t.elapsed().as_secs_f64() * 1e6 / (doc.text.len() as f64 / 1000.0);
        total += doc.text.len();
        if per_kb > worst.0 {
            worst = (
                per_kb,
                format!(
                    "{} ({} KB{})",
                    doc.id,
                    doc.text.len() / 1000,
                    if list { ", a list" } else { "" }
                ),
            );
        }
        costs.push(per_kb);
    }
    costs.sort_by(f64::total_cmp);
    let median = costs[costs.len() / 2];
    println!(
        "fuzz: {} random documents, {:.1} MB, {:.1} s; cost per KB median {:.0} us, worst {:.0} us ({:.1}x the median, {})",
        a.fuzz,
        total as f64 / 1e6,
        start.elapsed().as_secs_f64(),
        median,
        worst.0,
        worst.0 / median.max(1e-9),
        worst.1
    );
    Ok(())
}

/// Peak resident memory of this process in MB, from /proc (Linux only).
fn peak_rss_mb() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn default_input(a: &BenchArgs) -> std::path::PathBuf {
    a.input
        .clone()
        .unwrap_or_else(|| "../shared/corpus/voa/voa_stories.jsonl".into())
}

pub fn bench(a: &BenchArgs) -> anyhow::Result<Outcome> {
    if a.store {
        return bench_store(a);
    }
    if a.serve {
        return bench_serve(a);
    }
    if a.shapes {
        return bench_shapes(a);
    }
    let input = default_input(a);
    let seed: Vec<Document> =
        dyad_ingest::read_inputs(&[input.display().to_string()], &Default::default())
            .filter_map(Result::ok)
            .collect();
    anyhow::ensure!(!seed.is_empty(), "no documents in {}", input.display());
    let seed_bytes: usize = seed.iter().map(|d| d.text.len()).sum();
    let target = a.mb as usize * 1_000_000;
    let copies = target.div_ceil(seed_bytes.max(1));
    let docs: Vec<Document> = (0..copies)
        .flat_map(|c| {
            seed.iter().map(move |d| Document {
                id: format!("{}#{c}", d.id),
                ..d.clone()
            })
        })
        .collect();
    let bytes: usize = docs.iter().map(|d| d.text.len()).sum();
    let mb = bytes as f64 / 1e6;
    println!(
        "input: {} documents, {:.1} MB of text ({} copies of {})",
        docs.len(),
        mb,
        copies,
        input.display()
    );

    // Segment + tokenize, one core.
    let t = Instant::now();
    let (mut sentences, mut tokens) = (Vec::<Sentence>::new(), Tokens::default());
    let (mut n_sent, mut n_tok) = (0usize, 0usize);
    for d in &docs {
        sentences.clear();
        dyad_text::segment(&d.text, &mut sentences);
        for s in &sentences {
            tokens.clear();
            dyad_text::tokenize(&d.text, s.span, &mut tokens);
            n_tok += tokens.len();
        }
        n_sent += sentences.len();
    }
    let secs = t.elapsed().as_secs_f64();
    anyhow::ensure!(n_sent > 0 && n_tok > n_sent, "segmenter produced nothing");
    println!(
        "segment+tokenize, 1 thread: {:.1} MB/s, {:.0} sentences/s ({} sentences, {} tokens, {:.2} s)",
        mb / secs,
        n_sent as f64 / secs,
        n_sent,
        n_tok,
        secs
    );

    let model = bench_syntax(a, &docs)?;

    let t = Instant::now();
    let dict = load_dict(&a.dict)?;
    println!("dictionary load: {:.2} s", t.elapsed().as_secs_f64());
    let t = Instant::now();
    let geo = crate::code::load_geo(&a.dict)?;
    println!(
        "gazetteer and tone lexicon load: {:.2} s",
        t.elapsed().as_secs_f64()
    );
    let mut coder = Coder::new(&dict, &model);
    if let Some(g) = &geo {
        coder = coder.with_geo(g);
    }
    let mut reference: Option<usize> = None;
    let mut last_secs = 0.0;
    for &threads in &a.threads {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads as usize)
            .build()
            .context("thread pool")?;
        let t = Instant::now();
        let mut events = 0usize;
        for chunk in docs.chunks(256) {
            events += pool
                .install(|| code_batch(&coder, chunk, None))
                .iter()
                .map(Vec::len)
                .sum::<usize>();
        }
        let secs = t.elapsed().as_secs_f64();
        anyhow::ensure!(events > 0, "coder produced no events");
        if let Some(r) = reference {
            anyhow::ensure!(
                r == events,
                "event count differs across thread counts: {r} vs {events}"
            );
        }
        reference = Some(events);
        last_secs = secs;
        println!(
            "code, {threads} thread(s): {:.1} MB/s, {:.0} sentences/s, {:.0} documents/s, {} events ({:.2} s)",
            mb / secs,
            n_sent as f64 / secs,
            docs.len() as f64 / secs,
            events,
            secs
        );
    }
    // What places and tone cost: runs with and without them, alternating (a busy machine
    // slows both alike), at the last thread count; medians.
    if let (Some(&threads), true) = (a.threads.last(), geo.is_some()) {
        let bare = Coder::new(&dict, &model);
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads as usize)
            .build()
            .context("thread pool")?;
        let time = |c: &Coder| {
            let t = Instant::now();
            for chunk in docs.chunks(256) {
                pool.install(|| code_batch(c, chunk, None));
            }
            t.elapsed().as_secs_f64()
        };
        let (mut with, mut without) = (vec![last_secs], Vec::new());
        for _ in 0..2 {
            without.push(time(&bare));
            with.push(time(&coder));
        }
        let (with, without) = (median(with), median(without));
        println!(
            "places and tone, {threads} thread(s): {:.0} documents/s with them, {:.0} without; \
             they cost {:.0}% of the time (medians of 3 and 2 alternating runs)",
            docs.len() as f64 / with,
            docs.len() as f64 / without,
            100.0 * (with - without) / with
        );
    }
    // Only sentences with an actor and a pattern's words are parsed.
    let mut sc = Scratch::default();
    for d in docs.iter().take(500) {
        coder.code(d, None, &mut sc);
    }
    let (seen, parsed) = sc.parse_share();
    println!(
        "parsed for coding: {parsed} of {seen} sentences ({:.0}%) in the first 500 documents",
        100.0 * parsed as f64 / seen.max(1) as f64
    );
    if let Some(peak) = peak_rss_mb() {
        println!("peak memory: {peak:.0} MB (input held in memory: {mb:.0} MB)");
    }
    Ok(Outcome::Clean)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Writes the JSONL `input` repeated to at least `mb` MB of text, each copy with its own id and
/// URL (so that the store keeps every copy). Returns the number of documents.
fn write_repeated(input: &Path, mb: usize, out: &Path) -> anyhow::Result<usize> {
    let raw = std::fs::read_to_string(input).with_context(|| format!("{}", input.display()))?;
    let mut records: Vec<serde_json::Map<String, serde_json::Value>> = Vec::new();
    let mut text_bytes = 0usize;
    for line in raw.lines().filter(|l| !l.trim().is_empty()) {
        if let Ok(serde_json::Value::Object(m)) = serde_json::from_str(line) {
            text_bytes += m.get("text").and_then(|t| t.as_str()).map_or(0, str::len);
            records.push(m);
        }
    }
    anyhow::ensure!(
        text_bytes > 0,
        "no JSONL records with text in {}",
        input.display()
    );
    let copies = (mb * 1_000_000).div_ceil(text_bytes);
    let mut w = std::io::BufWriter::new(std::fs::File::create(out)?);
    for c in 0..copies {
        for (i, r) in records.iter().enumerate() {
            let mut r = r.clone();
            let id = r
                .get("id")
                .and_then(|v| v.as_str())
                .map_or_else(|| i.to_string(), str::to_string);
            r.insert("id".into(), format!("{id}-{c}").into());
            if let Some(url) = r.get("url").and_then(|v| v.as_str()) {
                let sep = if url.contains('?') { '&' } else { '?' };
                r.insert("url".into(), format!("{url}{sep}copy={c}").into());
            }
            serde_json::to_writer(&mut w, &r)?;
            w.write_all(b"\n")?;
        }
    }
    w.flush()?;
    Ok(copies * records.len())
}

/// `dyad ingest` against `dyad code` (JSONL to a sink) on the same file, alternating runs.
fn bench_store(a: &BenchArgs) -> anyhow::Result<Outcome> {
    let input = default_input(a);
    let work = a
        .work
        .clone()
        .unwrap_or_else(std::env::temp_dir)
        .join(format!("dyad-bench-{}", std::process::id()));
    std::fs::create_dir_all(&work)?;
    let file = work.join("input.jsonl");
    let docs = write_repeated(&input, a.mb as usize, &file)?;
    let file_mb = std::fs::metadata(&file)?.len() as f64 / 1e6;
    println!(
        "input: {} ({docs} documents, {file_mb:.1} MB of JSONL from {})",
        file.display(),
        input.display()
    );
    let coding = || CodingArgs {
        date: None,
        dict: a.dict.clone(),
        threads: None,
        model: Default::default(),
    };
    let inputs = InputArgs {
        inputs: vec![file.display().to_string()],
    };
    let db = work.join("bench.db");
    let remove_db = || {
        for ext in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{ext}", db.display()));
        }
    };
    let (mut t_code, mut t_ingest) = (Vec::new(), Vec::new());
    for run in 1..=a.runs.max(1) as usize {
        let t = Instant::now();
        let code_args = CodeArgs {
            input: inputs.clone(),
            format: Format::Jsonl,
            coding: coding(),
        };
        crate::code::code_into(&code_args, true, std::io::sink())?;
        t_code.push(t.elapsed().as_secs_f64());
        remove_db();
        let t = Instant::now();
        let ingest_args = IngestArgs::new(inputs.inputs.clone(), db.clone(), a.dict.clone());
        crate::store::ingest(&ingest_args, true)?;
        t_ingest.push(t.elapsed().as_secs_f64());
        println!(
            "run {run}: code {:.2} s, ingest {:.2} s (+{:.0}%)",
            t_code[run - 1],
            t_ingest[run - 1],
            (t_ingest[run - 1] / t_code[run - 1] - 1.0) * 100.0
        );
    }
    let store = Store::open_read_only(&db)?;
    let counts = store.counts()?;
    let (code_s, ingest_s) = (median(t_code), median(t_ingest));
    println!(
        "code (JSONL to a sink): {code_s:.2} s median, {:.0} documents/s, {:.0} events/s",
        docs as f64 / code_s,
        counts.mentions as f64 / code_s
    );
    println!(
        "ingest (into a new store): {ingest_s:.2} s median, {:.0} documents/s, {:.0} events/s",
        counts.documents as f64 / ingest_s,
        counts.mentions as f64 / ingest_s
    );
    println!(
        "the store costs {:+.0}% of coding time ({} documents, {} event mentions, {} events stored; {:.0} MB)",
        (ingest_s / code_s - 1.0) * 100.0,
        counts.documents,
        counts.mentions,
        counts.events,
        ["", "-wal"]
            .iter()
            .filter_map(|ext| std::fs::metadata(format!("{}{ext}", db.display())).ok())
            .map(|m| m.len() as f64 / 1e6)
            .sum::<f64>()
    );
    // The busiest dyad, then the query a user would run for it.
    let mut per_dyad: std::collections::BTreeMap<String, u64> = Default::default();
    for row in store.stats(&Filter::default(), Period::Month, Some(Group::Dyad))? {
        if !row.group.ends_with('>') {
            *per_dyad.entry(row.group).or_default() += row.events;
        }
    }
    if let Some((dyad, _)) = per_dyad.iter().max_by_key(|(_, &n)| n) {
        let (source, target) = dyad.split_once('>').unwrap_or((dyad, ""));
        let f = Filter {
            source: Some(source.to_string()),
            target: Some(target.to_string()),
            ..Filter::default()
        };
        let mut times = Vec::new();
        let mut n = 0;
        for _ in 0..5 {
            let t = Instant::now();
            n = store.query(&f, |_| Ok(()))?;
            times.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        println!(
            "query of one dyad ({source} -> {target}, {n} events) over the store: {:.2} ms median of 5",
            median(times)
        );
    }
    drop(store);
    remove_db();
    let _ = std::fs::remove_dir_all(&work);
    Ok(Outcome::Clean)
}

/// Serves a store on a free loopback port and sends it `--requests` GETs over `--connections`.
fn bench_serve(a: &BenchArgs) -> anyhow::Result<Outcome> {
    let work = a
        .work
        .clone()
        .unwrap_or_else(std::env::temp_dir)
        .join(format!("dyad-bench-{}", std::process::id()));
    let db = match &a.db {
        Some(db) => db.clone(),
        None => {
            std::fs::create_dir_all(&work)?;
            let db = work.join("serve.db");
            let inputs = vec![default_input(a).display().to_string()];
            let ingest_args = IngestArgs::new(inputs, db.clone(), a.dict.clone());
            crate::store::ingest(&ingest_args, true)?;
            db
        }
    };
    let counts = Store::open_read_only(&db)?.counts()?;
    println!(
        "store: {} ({} documents, {} events)",
        db.display(),
        counts.documents,
        counts.events
    );
    let dict = load_dict(&a.dict)?;
    let (tx, rx) = std::sync::mpsc::channel();
    let config = dyad_serve::Config {
        db: db.clone(),
        addr: "127.0.0.1:0".parse()?,
        writable: false,
        allow_remote_writes: false,
        limits: Default::default(),
    };
    let model = crate::syntax::load_model(&a.model)?;
    std::thread::spawn(move || {
        if let Err(e) = dyad_serve::run(config, dict, model, None, |addr| {
            let _ = tx.send(addr);
        }) {
            eprintln!("dyad: {e}");
        }
    });
    let addr = rx.recv().context("the server did not start")?;
    let last = counts.events.max(1);
    let paths: Vec<String> = [
        "/api/events?per_page=50".to_string(),
        "/api/events?quad=4&sort=date&order=desc".into(),
        "/api/events?source=USA*&per_page=20".into(),
        format!("/api/events/{}", last / 2 + 1),
        "/api/documents/1".into(),
        "/api/stats/timeline?by=day".into(),
        "/api/stats/dyads?limit=50".into(),
        "/healthz".into(),
    ]
    .to_vec();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let report = rt.block_on(dyad_serve::load::run(
        addr,
        &paths,
        a.connections as usize,
        a.requests,
    ));
    println!(
        "{} requests over {} connections to http://{addr}/ ({} endpoints in turn): {} errors, {:.2} s, {:.0} requests/s, latency p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        report.requests,
        a.connections,
        paths.len(),
        report.errors,
        report.seconds,
        report.requests_per_second(),
        report.p50_ms,
        report.p99_ms,
        report.max_ms
    );
    for f in &report.failures {
        println!("  failed: {f}");
    }
    if a.db.is_none() {
        let _ = std::fs::remove_dir_all(&work);
    }
    anyhow::ensure!(report.errors == 0, "{} requests failed", report.errors);
    Ok(Outcome::Clean)
}

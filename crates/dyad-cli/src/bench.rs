//! `dyad bench`: throughput of segment+tokenize and of coding on a large generated input.

use crate::args::BenchArgs;
use crate::code::{code_batch, load_dict};
use crate::Outcome;
use anyhow::Context;
use dyad_coder::Coder;
use dyad_core::{Document, Sentence, Tokens};
use std::time::Instant;

/// Peak resident memory of this process in MB, from /proc (Linux only).
fn peak_rss_mb() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

pub fn bench(a: &BenchArgs) -> anyhow::Result<Outcome> {
    let input = a
        .input
        .clone()
        .unwrap_or_else(|| "../shared/corpus/voa/voa_stories.jsonl".into());
    let seed: Vec<Document> =
        dyad_ingest::read_inputs(&[input.display().to_string()], &Default::default())
            .filter_map(Result::ok)
            .collect();
    anyhow::ensure!(!seed.is_empty(), "no documents in {}", input.display());
    let seed_bytes: usize = seed.iter().map(|d| d.text.len()).sum();
    let target = a.mb * 1_000_000;
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

    let t = Instant::now();
    let dict = load_dict(&a.dict)?;
    println!("dictionary load: {:.2} s", t.elapsed().as_secs_f64());
    let coder = Coder::new(&dict);
    let mut reference: Option<usize> = None;
    for &threads in &a.threads {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
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
        println!(
            "code, {threads} thread(s): {:.1} MB/s, {:.0} sentences/s, {:.0} documents/s, {} events ({:.2} s)",
            mb / secs,
            n_sent as f64 / secs,
            docs.len() as f64 / secs,
            events,
            secs
        );
    }
    if let Some(peak) = peak_rss_mb() {
        println!("peak memory: {peak:.0} MB (input held in memory: {mb:.0} MB)");
    }
    Ok(Outcome::Clean)
}

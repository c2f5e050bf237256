//! Throughput of segment + tokenize on ~100 MB of real news text (the VOA sample repeated).
//! Run with `cargo bench -p dyad-text`. Set `DYAD_BENCH_MB` to change the size.

use dyad_core::{Sentence, Tokens};
use std::time::Instant;

const CORPUS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/corpus/voa/voa_stories.jsonl"
);

/// Decodes the JSON string starting right after its opening quote; returns it and the rest.
fn json_string(s: &str) -> (String, &str) {
    let mut out = String::new();
    let mut chars = s.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return (out, &s[i + 1..]),
            '\\' => match chars.next() {
                Some((_, 'n')) => out.push('\n'),
                Some((_, 't')) => out.push('\t'),
                Some((_, 'r')) => out.push('\r'),
                Some((_, 'b')) => out.push('\u{8}'),
                Some((_, 'f')) => out.push('\u{c}'),
                Some((j, 'u')) => {
                    let hex = |k: usize| u32::from_str_radix(s.get(k..k + 4).unwrap_or("0"), 16);
                    let mut cp = hex(j + 1).unwrap_or(0xFFFD);
                    for _ in 0..4 {
                        chars.next();
                    }
                    if (0xD800..0xDC00).contains(&cp) && s.get(j + 5..j + 7) == Some("\\u") {
                        let lo = hex(j + 7).unwrap_or(0);
                        if (0xDC00..0xE000).contains(&lo) {
                            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                            for _ in 0..6 {
                                chars.next();
                            }
                        }
                    }
                    out.push(char::from_u32(cp).unwrap_or('\u{FFFD}'));
                }
                Some((_, other)) => out.push(other),
                None => break,
            },
            c => out.push(c),
        }
    }
    (out, "")
}

fn main() {
    let raw = std::fs::read_to_string(CORPUS).expect("read the VOA corpus");
    let mut docs = Vec::new();
    for line in raw.lines() {
        if let Some(p) = line.find("\"text\": \"") {
            let (text, _) = json_string(&line[p + 9..]);
            docs.push(text);
        }
    }
    assert!(!docs.is_empty(), "no texts found in {CORPUS}");
    let target_mb: usize = std::env::var("DYAD_BENCH_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100);
    let target = target_mb * 1_000_000;
    // Documents as separate strings, as the coder sees them.
    let mut corpus: Vec<&str> = Vec::new();
    let mut total = 0usize;
    'fill: loop {
        for d in &docs {
            corpus.push(d);
            total += d.len();
            if total >= target {
                break 'fill;
            }
        }
    }

    let mut sentences: Vec<Sentence> = Vec::new();
    let mut tokens = Tokens::default();
    let mut best = f64::MAX;
    let (mut n_sent, mut n_tok) = (0usize, 0usize);
    for round in 0..3 {
        n_sent = 0;
        n_tok = 0;
        let t0 = Instant::now();
        for doc in &corpus {
            sentences.clear();
            dyad_text::segment(doc, &mut sentences);
            n_sent += sentences.len();
            for s in &sentences {
                tokens.clear();
                dyad_text::tokenize(doc, s.span, &mut tokens);
                n_tok += tokens.len();
            }
        }
        let secs = t0.elapsed().as_secs_f64();
        println!(
            "round {round}: {:.1} MB in {secs:.3} s = {:.1} MB/s, {:.2} M sentences/s, {:.1} M tokens/s",
            total as f64 / 1e6,
            total as f64 / 1e6 / secs,
            n_sent as f64 / 1e6 / secs,
            n_tok as f64 / 1e6 / secs
        );
        best = best.min(secs);
    }
    assert!(n_sent > 0 && n_tok > 0, "no sentences or tokens");

    // Each stage alone (best of 3).
    let mut seg_best = f64::MAX;
    for _ in 0..3 {
        let t0 = Instant::now();
        let mut n = 0usize;
        for doc in &corpus {
            sentences.clear();
            dyad_text::segment(doc, &mut sentences);
            n += sentences.len();
        }
        assert_eq!(n, n_sent);
        seg_best = seg_best.min(t0.elapsed().as_secs_f64());
    }
    println!(
        "segment+tokenize: {:.1} MB/s ({} sentences, {} tokens, {} docs); segment alone: {:.1} MB/s",
        total as f64 / 1e6 / best,
        n_sent,
        n_tok,
        corpus.len(),
        total as f64 / 1e6 / seg_best
    );
}

//! `extract`, `sentences`, `code`, `explain`.

use crate::args::{CodeArgs, ExplainArgs, Format, InputArgs};
use crate::progress::Progress;
use crate::Outcome;
use anyhow::Context;
use chrono::NaiveDate;
use dyad_coder::{Coder, Scratch};
use dyad_core::{Document, Event};
use dyad_dict::Dictionary;
use dyad_syntax::Model;
use rayon::prelude::*;
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;

/// How many documents are read before they are handed on together.
#[derive(Clone, Copy)]
pub(crate) struct BatchLimit {
    pub docs: usize,
    pub bytes: usize,
}

/// For coding to a stream: big enough to keep all cores busy, small enough that output flows.
pub(crate) const CODE_BATCH: BatchLimit = BatchLimit {
    docs: 256,
    bytes: 8 << 20,
};

pub fn load_dict(dir: &Option<PathBuf>) -> anyhow::Result<Dictionary> {
    let dir = dir.clone().unwrap_or_else(dyad_dict::default_dir);
    Dictionary::load(&dir)
        .map_err(|e| anyhow::anyhow!("dictionaries in {} have errors:\n{e}", dir.display()))
}

/// The gazetteer and tone lexicon of a dictionary directory; a directory without them (an
/// imported one) borrows the default directory's, and without those events carry no place.
pub fn load_geo(dir: &Option<PathBuf>) -> anyhow::Result<Option<dyad_geo::Geo>> {
    let chosen = dir.clone().unwrap_or_else(dyad_dict::default_dir);
    let dir = [chosen.clone(), dyad_dict::default_dir()]
        .into_iter()
        .find(|d| d.join(dyad_geo::PLACES_FILE).exists());
    let Some(dir) = dir else {
        tracing::warn!(
            "no {} in {}: events get no place and no tone",
            dyad_geo::PLACES_FILE,
            chosen.display()
        );
        return Ok(None);
    };
    let geo = dyad_geo::Geo::load(&dir)
        .map_err(|e| anyhow::anyhow!("the gazetteer in {} has errors:\n{e}", dir.display()))?;
    Ok(Some(geo))
}

/// What coding needs: the dictionaries, the syntax model and the gazetteer, each read once.
pub struct Engine {
    pub dict: Dictionary,
    pub model: Model,
    pub geo: Option<dyad_geo::Geo>,
}

impl Engine {
    /// Reads the three side by side.
    pub fn load(dict: &Option<PathBuf>, model: &crate::args::ModelArg) -> anyhow::Result<Engine> {
        std::thread::scope(|scope| {
            let geo = scope.spawn(|| load_geo(dict));
            let d = load_dict(dict)?;
            let model = crate::syntax::load_model(model)?;
            let geo = geo
                .join()
                .unwrap_or_else(|p| std::panic::resume_unwind(p))?;
            Ok(Engine {
                dict: d,
                model,
                geo,
            })
        })
    }

    pub fn coder(&self) -> Coder<'_> {
        let coder = Coder::new(&self.dict, &self.model);
        match &self.geo {
            Some(g) => coder.with_geo(g),
            None => coder,
        }
    }
}

/// The engine, the date override and the worker pool that `code` and `ingest` share.
pub fn coding_setup(
    a: &crate::args::CodingArgs,
) -> anyhow::Result<(Engine, Option<NaiveDate>, rayon::ThreadPool)> {
    let engine = Engine::load(&a.dict, &a.model)?;
    let date = parse_date_arg(&a.date)?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(a.threads.map_or(0, |n| n as usize))
        .build()?;
    Ok((engine, date, pool))
}

pub fn parse_date_arg(date: &Option<String>) -> anyhow::Result<Option<NaiveDate>> {
    date.as_deref()
        .map(|d| {
            NaiveDate::parse_from_str(d, "%Y-%m-%d")
                .with_context(|| format!("--date `{d}` is not YYYY-MM-DD"))
        })
        .transpose()
}

/// A named input that does not exist is a mistake in the command (exit 2), found before any
/// work; records that turn out bad while reading are skipped instead (exit 1).
pub(crate) fn check_inputs(inputs: &[String]) -> anyhow::Result<()> {
    for i in inputs.iter().filter(|i| *i != "-") {
        std::fs::metadata(i).map_err(|e| anyhow::anyhow!("input `{i}`: {e}"))?;
    }
    Ok(())
}

/// Streams documents in batches, reporting bad records on stderr as they come.
pub(crate) fn for_each_batch(
    inputs: &[String],
    quiet: bool,
    limit: BatchLimit,
    mut f: impl FnMut(Vec<Document>) -> anyhow::Result<()>,
) -> anyhow::Result<Outcome> {
    check_inputs(inputs)?;
    let opts = dyad_ingest::Options::default();
    let reader = dyad_ingest::read_inputs(inputs, &opts);
    let mut progress = Progress::new(
        quiet,
        reader.bytes_read(),
        dyad_ingest::input_size(inputs, &opts),
    );
    let mut skipped = 0u64;
    let mut batch = Vec::new();
    let mut bytes = 0;
    for item in reader {
        match item {
            Ok(doc) => {
                for w in &doc.warnings {
                    tracing::warn!("{}: {w}", doc.id);
                }
                bytes += doc.text.len();
                batch.push(doc);
                if batch.len() >= limit.docs || bytes >= limit.bytes {
                    progress.add(batch.len() as u64, bytes as u64);
                    f(std::mem::take(&mut batch))?;
                    bytes = 0;
                }
            }
            Err(e) => {
                skipped += 1;
                eprintln!("dyad: skipped {e}");
            }
        }
    }
    if !batch.is_empty() {
        progress.add(batch.len() as u64, bytes as u64);
        f(batch)?;
    }
    progress.finish();
    Ok(if skipped > 0 {
        Outcome::Skipped
    } else {
        Outcome::Clean
    })
}

pub fn extract(a: &InputArgs, quiet: bool) -> anyhow::Result<Outcome> {
    let mut out = BufWriter::new(io::stdout().lock());
    let r = for_each_batch(&a.inputs, quiet, CODE_BATCH, |docs| {
        for d in docs {
            serde_json::to_writer(&mut out, &d)?;
            out.write_all(b"\n")?;
        }
        Ok(())
    })?;
    out.flush()?;
    Ok(r)
}

#[derive(serde::Serialize)]
struct SentenceLine<'a> {
    doc_id: &'a str,
    index: u32,
    start: u32,
    end: u32,
    text: &'a str,
}

pub fn sentences(a: &InputArgs, quiet: bool) -> anyhow::Result<Outcome> {
    let mut out = BufWriter::new(io::stdout().lock());
    let mut sents = Vec::new();
    let r = for_each_batch(&a.inputs, quiet, CODE_BATCH, |docs| {
        for d in docs {
            sents.clear();
            dyad_text::segment(&d.text, &mut sents);
            for s in &sents {
                let line = SentenceLine {
                    doc_id: &d.id,
                    index: s.index,
                    start: s.span.start,
                    end: s.span.end,
                    text: s.span.slice(&d.text),
                };
                serde_json::to_writer(&mut out, &line)?;
                out.write_all(b"\n")?;
            }
        }
        Ok(())
    })?;
    out.flush()?;
    Ok(r)
}

/// Codes a batch in parallel; the result keeps document order whatever the thread count.
pub fn code_batch(coder: &Coder, docs: &[Document], date: Option<NaiveDate>) -> Vec<Vec<Event>> {
    docs.par_iter()
        .map_init(Scratch::default, |sc, d| coder.code(d, date, sc))
        .collect()
}

/// Writes events in one of the output formats; keeps the running GDELT event id.
pub struct EventWriter<W: Write> {
    out: W,
    format: Format,
    next_id: u64,
}

impl<W: Write> EventWriter<W> {
    pub fn new(out: W, format: Format) -> Self {
        EventWriter {
            out,
            format,
            next_id: 1,
        }
    }

    pub fn header(&mut self) -> io::Result<()> {
        if self.format == Format::Table {
            let names = [
                "document", "sent", "date", "code", "source", "target", "event", "verb",
            ];
            writeln!(self.out, "{}flags", table_row(&names))?;
        }
        Ok(())
    }

    pub fn write(&mut self, doc: &Document, events: &[Event], dict: &Dictionary) -> io::Result<()> {
        for (i, e) in events.iter().enumerate() {
            match self.format {
                Format::Jsonl => {
                    serde_json::to_writer(&mut self.out, e)?;
                    self.out.write_all(b"\n")?;
                }
                Format::Table => {
                    let mut flags = Vec::new();
                    if e.negated {
                        flags.push("negated".to_string());
                    }
                    if let Some(m) = &e.modality {
                        flags.push(format!("modal:{m}"));
                    }
                    if !e.attribution.is_empty() {
                        let who: Vec<&str> = e
                            .attribution
                            .iter()
                            .map(|a| a.antecedent.as_deref().unwrap_or(&a.text))
                            .collect();
                        flags.push(format!("per {}", who.join(" > ")));
                    }
                    let sentence = e.sentence.to_string();
                    let source = code_or_dash(&e.source.code);
                    let cells = [
                        doc.id.as_str(),
                        &sentence,
                        e.date.as_deref().unwrap_or("-"),
                        &e.code,
                        source,
                        e.target.as_ref().map_or("-", |t| code_or_dash(&t.code)),
                        &e.label,
                        &verb_words(&e.verb.text),
                    ];
                    let line = table_row(&cells) + &flags.join(", ");
                    writeln!(self.out, "{}", line.trim_end())?;
                }
                // Negated events did not happen: they stay out of GDELT and PLOVER data.
                Format::Gdelt if !e.negated => {
                    let stamp = dyad_export::gdelt_timestamp_utc(doc.published.as_deref());
                    let ctx = dyad_export::GdeltContext {
                        global_event_id: self.next_id,
                        num_mentions: e.mentions,
                        num_sources: 1,
                        num_articles: 1,
                        is_root: is_root_sentence(doc, e),
                        date_added: &stamp,
                        source_url: doc.url.as_deref().unwrap_or(&doc.id),
                    };
                    self.next_id += 1;
                    dyad_export::write_gdelt_event(&mut self.out, e, &ctx, dict)?;
                }
                Format::Plover if !e.negated => {
                    if let Some(r) = dyad_export::plover_record(e, i, dict) {
                        serde_json::to_writer(&mut self.out, &r)?;
                        self.out.write_all(b"\n")?;
                    }
                }
                Format::Gdelt | Format::Plover => {}
            }
        }
        Ok(())
    }

    pub fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// Widths of the table's columns (the flags column after them is free).
const TABLE_WIDTHS: [usize; 8] = [16, 4, 10, 4, 9, 9, 26, 26];

/// One line of the table without its last column: every cell fitted to its width at a word end
/// and padded, so that the columns line up.
fn table_row(cells: &[&str; 8]) -> String {
    let mut row = String::new();
    for (i, (cell, &w)) in cells.iter().zip(&TABLE_WIDTHS).enumerate() {
        let cell = fit(cell, w);
        // The sentence number reads best right-aligned.
        if i == 1 {
            row.push_str(&format!("{cell:>w$}  "));
        } else {
            row.push_str(&format!("{cell:<w$}  "));
        }
    }
    row
}

/// `s` in at most `width` characters: cut after the last whole word that fits, marked with
/// `…` (a word longer than the width is cut inside).
fn fit(s: &str, width: usize) -> String {
    if s.chars().count() <= width {
        return s.to_string();
    }
    let room: String = s.chars().take(width - 1).collect();
    let at_word = s[room.len()..].starts_with(' ');
    let keep = if at_word {
        room.as_str()
    } else {
        match room.rfind(' ') {
            Some(i) if i > 0 => &room[..i],
            _ => room.as_str(),
        }
    };
    format!("{}…", keep.trim_end_matches([' ', ',', ';']))
}

/// The verb's words without a word said twice in a row: the governing verb and the inner one
/// can share a word ("appealed to" + "to protect").
fn verb_words(text: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    for w in text.split_whitespace() {
        if out.last().is_none_or(|l| !l.eq_ignore_ascii_case(w)) {
            out.push(w);
        }
    }
    out.join(" ")
}

/// GDELT's IsRootEvent: the event comes from the lead paragraph of the story (the first
/// paragraph that reads as prose, after headline and byline lines).
fn is_root_sentence(doc: &Document, e: &Event) -> bool {
    match dyad_export::lead_paragraph_end(&doc.text) {
        Some(end) => (e.sentence_span.start as usize) < end,
        None => e.sentence == 0,
    }
}

pub fn code(a: &CodeArgs, quiet: bool) -> anyhow::Result<Outcome> {
    code_into(a, quiet, io::stdout().lock())
}

/// `dyad code`, writing to `out`.
pub fn code_into(a: &CodeArgs, quiet: bool, out: impl Write) -> anyhow::Result<Outcome> {
    let (engine, date, pool) = coding_setup(&a.coding)?;
    let (coder, dict) = (engine.coder(), &engine.dict);
    let mut w = EventWriter::new(BufWriter::new(out), a.format);
    w.header()?;
    let r = for_each_batch(&a.input.inputs, quiet, CODE_BATCH, |docs| {
        let coded = pool.install(|| code_batch(&coder, &docs, date));
        for (d, evs) in docs.iter().zip(&coded) {
            w.write(d, evs, dict)?;
        }
        Ok(())
    })?;
    w.flush()?;
    Ok(r)
}

pub fn explain(a: &ExplainArgs) -> anyhow::Result<Outcome> {
    let date = parse_date_arg(&a.date)?;
    let engine = Engine::load(&a.dict, &a.model)?;
    let (dict, coder) = (&engine.dict, engine.coder());
    let (events, trace) = coder.explain(&a.text, date);
    let mut out = io::stdout().lock();
    writeln!(out, "dictionary version {}", dict.version)?;
    out.write_all(trace.as_bytes())?;
    writeln!(out, "events: {}", events.len())?;
    for e in &events {
        writeln!(out, "{}", serde_json::to_string_pretty(e)?)?;
    }
    Ok(Outcome::Clean)
}

/// An actor's code for the table; one no dictionary names (an empty code) shows as "-" like none.
fn code_or_dash(code: &str) -> &str {
    if code.is_empty() {
        "-"
    } else {
        code
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_cells_end_at_words_and_line_up() {
        assert_eq!(fit("Consult, not specified below", 18), "Consult, not…");
        assert_eq!(fit("Consult", 18), "Consult");
        assert_eq!(fit("Assassinate", 6), "Assas…");
        assert_eq!(verb_words("appealed to to protect"), "appealed to protect");
        let a = table_row(&[
            "a-very-long-document-id-of-a-feed",
            "3",
            "-",
            "040",
            "RUS",
            "-",
            "Consult, not specified below",
            "met",
        ]);
        let b = table_row(&[
            "d",
            "12",
            "2024-01-01",
            "1222",
            "IGOUNOKFR",
            "USAGOV",
            "Meet",
            "met in Geneva with",
        ]);
        assert_eq!(a.chars().count(), b.chars().count());
        let col = |row: &str, cell: &str| row[..row.find(cell).unwrap()].chars().count();
        assert_eq!(col(&a, "RUS"), col(&b, "IGOUNOKFR"));
        assert_eq!(col(&a, "met"), col(&b, "met in"));
    }
}

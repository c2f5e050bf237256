//! `ingest`, `query`, `export`, `stats`: wiring of dyad-store.

use crate::args::{
    ExportArgs, ExportFormatArg, FilterArgs, GroupArg, IngestArgs, PeriodArg, QueryArgs, ServeArgs,
    StatsArgs, TableFormat,
};
use crate::code::{check_inputs, coding_setup, for_each_batch, load_dict, BatchLimit};
use crate::Outcome;
use anyhow::Context;
use dyad_coder::Scratch;
use dyad_store::{CodedDocument, Filter, Group, IngestSummary, Period, Store};
use rayon::prelude::*;
use std::io::{self, BufWriter, Write};
use std::time::Instant;

fn filter(a: &FilterArgs) -> anyhow::Result<Filter> {
    Ok(Filter {
        from: a.from.clone(),
        to: a.to.clone(),
        source: a.source.clone(),
        target: a.target.clone(),
        country: a.country.clone(),
        adm1: a.adm1.clone(),
        near: a.near.as_deref().map(dyad_store::Near::parse).transpose()?,
        code: a.code.clone(),
        root: a.root.clone(),
        quad_class: a.quad,
        goldstein_min: a.goldstein_min,
        goldstein_max: a.goldstein_max,
        words: a.words.clone(),
        url: a.url.clone(),
        include_negated: a.include_negated,
        limit: a.limit,
    })
}

/// Codes on the rayon pool while a writer thread stores the previous batch (one transaction
/// each), so storing overlaps coding.
pub fn ingest(a: &IngestArgs, quiet: bool) -> anyhow::Result<Outcome> {
    let start = Instant::now();
    // Before the store is created or opened: a typo in a path should leave no file behind.
    check_inputs(&a.input.inputs)?;
    let (engine, date, pool) = coding_setup(&a.coding)?;
    let (dict, coder) = (&engine.dict, engine.coder());
    let mut store = Store::open(&a.db.db)?;
    // A second connection finds the documents already stored, before coding.
    let reader = Store::open_read_only(&a.db.db)?;
    let mut unchanged = 0;
    let mut t_code = 0f64;
    let (r, stored) = std::thread::scope(|scope| -> anyhow::Result<_> {
        let (send, recv) = std::sync::mpsc::sync_channel::<Vec<CodedDocument>>(1);
        let dict = &dict;
        let writer = std::thread::Builder::new()
            .name("dyad-store".into())
            .spawn_scoped(scope, move || -> anyhow::Result<(IngestSummary, f64)> {
                let mut total = IngestSummary::default();
                let mut busy = 0f64;
                for coded in recv {
                    let t = Instant::now();
                    total += store.ingest_batch(&coded, dict)?;
                    busy += t.elapsed().as_secs_f64();
                }
                // Leaves the pages in the database file, not in a large write-ahead log.
                let t = Instant::now();
                store.checkpoint()?;
                busy += t.elapsed().as_secs_f64();
                Ok((total, busy))
            })?;
        // One transaction per batch: each commit rewrites the index pages it touched, so fewer,
        // larger commits store faster (256 documents a batch took 1.9x the writer time of 8 MB).
        let limit = BatchLimit {
            docs: a.batch as usize,
            bytes: 8 << 20,
        };
        let r = for_each_batch(&a.input.inputs, quiet, limit, |docs| {
            let (docs, n) = reader.drop_unchanged(docs, &dict.version)?;
            unchanged += n;
            let t = Instant::now();
            // Everything but the SQL is done here, on the coding threads.
            let coded: Vec<CodedDocument> = pool.install(|| {
                docs.into_par_iter()
                    .map_init(Scratch::default, |sc, d| {
                        let events = coder.code(&d, date, sc);
                        CodedDocument::new(d, events, sc.sentences(), &dict.version)
                    })
                    .collect()
            });
            t_code += t.elapsed().as_secs_f64();
            // A closed channel means the writer failed: its error is reported below.
            let _ = send.send(coded);
            Ok(())
        });
        drop(send);
        let stored = writer
            .join()
            .map_err(|_| anyhow::anyhow!("the writer thread panicked"))?;
        let stored = stored.with_context(|| format!("storing into {}", a.db.db.display()))?;
        Ok((r?, stored))
    })?;
    let (mut total, t_store) = stored;
    total.documents_unchanged += unchanged;
    let counts = reader.counts()?;
    if !quiet {
        let secs = start.elapsed().as_secs_f64();
        let docs = total.documents_new + total.documents_replaced;
        eprintln!(
            "dyad: {} documents stored ({} new, {} replaced), {} unchanged skipped; {} event mentions, {} new events",
            docs, total.documents_new, total.documents_replaced, total.documents_unchanged,
            total.mentions, total.events_new
        );
        eprintln!(
            "dyad: {} now holds {} documents, {} events, {} mentions",
            a.db.db.display(),
            counts.documents,
            counts.events,
            counts.mentions
        );
        eprintln!(
            "dyad: {secs:.2} s: coding {t_code:.2} s; the writer thread, overlapping it, stored for {t_store:.2} s; \
             {:.0} documents/s, {:.0} event mentions/s",
            docs as f64 / secs,
            total.mentions as f64 / secs
        );
    }
    Ok(r)
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n - 1).collect();
        t.push('…');
        t
    }
}

pub fn query(a: &QueryArgs) -> anyhow::Result<Outcome> {
    let t = Instant::now();
    let store = Store::open_read_only(&a.db.db)?;
    let f = filter(&a.filter)?;
    let mut out = BufWriter::new(io::stdout().lock());
    match a.format {
        TableFormat::Table => writeln!(
            out,
            "{:>9} {:<10} {:<10} {:<10} {:<5} {:>1} {:>6} {:>4} {:>4} {:>4}  sentence",
            "event", "date", "source", "target", "code", "q", "gold", "ment", "art", "src"
        )?,
        TableFormat::Csv => writeln!(
            out,
            "global_event_id,event_date,actor1_code,actor2_code,event_code,event_root_code,quad_class,\
             goldstein_scale,num_mentions,num_sources,num_articles,negated,source_url,sentence"
        )?,
        TableFormat::Jsonl => {}
    }
    let n = store.query(&f, |row| {
        let r = &row.record;
        match a.format {
            TableFormat::Jsonl => dyad_export::write_jsonl(&mut out, &row)?,
            TableFormat::Csv => writeln!(
                out,
                "{},{},{},{},{},{},{},{:.1},{},{},{},{},{},{}",
                r.global_event_id,
                r.date.as_deref().unwrap_or(""),
                csv_field(&r.actor1.code),
                csv_field(&r.actor2.code),
                r.event_code,
                r.event_root_code,
                r.quad_class,
                r.goldstein_scale,
                r.num_mentions,
                r.num_sources,
                r.num_articles,
                u8::from(row.negated),
                csv_field(&r.source_url),
                csv_field(&row.sentence)
            )?,
            TableFormat::Table => writeln!(
                out,
                "{:>9} {:<10} {:<10} {:<10} {:<5} {:>1} {:>6.1} {:>4} {:>4} {:>4}  {}{}",
                r.global_event_id,
                r.date.as_deref().unwrap_or("-"),
                r.actor1.code,
                if r.actor2.code.is_empty() {
                    "-"
                } else {
                    &r.actor2.code
                },
                r.event_code,
                r.quad_class,
                r.goldstein_scale,
                r.num_mentions,
                r.num_articles,
                r.num_sources,
                if row.negated { "[negated] " } else { "" },
                truncate(&row.sentence.replace('\n', " "), 80)
            )?,
        }
        Ok(())
    })?;
    out.flush()?;
    tracing::info!("{n} events in {:.1} ms", t.elapsed().as_secs_f64() * 1e3);
    Ok(Outcome::Clean)
}

pub fn export(a: &ExportArgs, quiet: bool) -> anyhow::Result<Outcome> {
    let store = Store::open_read_only(&a.db.db)?;
    let f = filter(&a.filter)?;
    let summary = if a.format == ExportFormatArg::Parquet {
        anyhow::ensure!(
            a.out.as_os_str() != "-",
            "a Parquet dataset is a directory: give --out DIR"
        );
        let occupied = std::fs::read_dir(&a.out).is_ok_and(|mut d| d.next().is_some());
        anyhow::ensure!(
            a.overwrite || !occupied,
            "{} exists and is not empty: give a new directory, or --overwrite to replace the dataset written there before",
            a.out.display()
        );
        store.export_parquet(&f, &a.out, a.overwrite)?
    } else {
        let sink: Box<dyn Write> = if a.out.as_os_str() == "-" {
            Box::new(io::stdout().lock())
        } else {
            Box::new(
                std::fs::File::create(&a.out)
                    .with_context(|| format!("cannot create {}", a.out.display()))?,
            )
        };
        let mut w = BufWriter::new(sink);
        let s = match a.format {
            ExportFormatArg::GdeltEvents => store.export_gdelt_events(&f, &mut w)?,
            ExportFormatArg::GdeltMentions => store.export_gdelt_mentions(&f, &mut w)?,
            ExportFormatArg::Jsonl => store.export_jsonl(&f, &mut w)?,
            ExportFormatArg::Plover => {
                let dict = load_dict(&a.dict)?;
                store.export_plover(&f, &dict, &mut w)?
            }
            ExportFormatArg::Parquet => unreachable!("handled above"),
        };
        w.flush()?;
        s
    };
    if !quiet {
        let mut msg = format!("dyad: exported {} rows", summary.rows);
        if a.format == ExportFormatArg::Parquet {
            msg += &format!(
                " in {} files; {} undated events left out",
                summary.files, summary.skipped
            );
        } else if summary.skipped > 0 {
            msg += &format!(
                "; {} events without a PLOVER type left out",
                summary.skipped
            );
        }
        eprintln!("{msg}");
    }
    Ok(Outcome::Clean)
}

pub fn stats(a: &StatsArgs) -> anyhow::Result<Outcome> {
    let store = Store::open_read_only(&a.db.db)?;
    let f = filter(&a.filter)?;
    let by = match a.by {
        PeriodArg::Day => Period::Day,
        PeriodArg::Month => Period::Month,
    };
    let group = a.group.map(|g| match g {
        GroupArg::Quadclass => Group::QuadClass,
        GroupArg::Root => Group::Root,
        GroupArg::Dyad => Group::Dyad,
    });
    let rows = store.stats(&f, by, group)?;
    let mut out = BufWriter::new(io::stdout().lock());
    let group_name = match a.group {
        None => "",
        Some(GroupArg::Quadclass) => "quad_class",
        Some(GroupArg::Root) => "root",
        Some(GroupArg::Dyad) => "dyad",
    };
    match a.format {
        TableFormat::Table => writeln!(
            out,
            "{:<10} {:<20} {:>8} {:>9} {:>12}",
            "period", group_name, "events", "mentions", "goldstein"
        )?,
        TableFormat::Csv => writeln!(
            out,
            "period,{},events,mentions,goldstein_sum",
            if group_name.is_empty() {
                "group"
            } else {
                group_name
            }
        )?,
        TableFormat::Jsonl => {}
    }
    for r in &rows {
        match a.format {
            TableFormat::Table => writeln!(
                out,
                "{:<10} {:<20} {:>8} {:>9} {:>12.1}",
                r.period, r.group, r.events, r.mentions, r.goldstein_sum
            )?,
            TableFormat::Csv => writeln!(
                out,
                "{},{},{},{},{:.1}",
                r.period,
                csv_field(&r.group),
                r.events,
                r.mentions,
                r.goldstein_sum
            )?,
            TableFormat::Jsonl => dyad_export::write_jsonl(&mut out, r)?,
        }
    }
    out.flush()?;
    Ok(Outcome::Clean)
}

pub fn serve(a: &ServeArgs, quiet: bool) -> anyhow::Result<Outcome> {
    // Checked before any ingest: a bad address should not cost the coding first.
    let addr = dyad_serve::resolve_addr(&a.addr)?;
    if a.writable && !a.allow_remote_writes && !addr.ip().is_loopback() {
        return Err(dyad_serve::Error::RemoteWrites { addr }.into());
    }
    if !a.ingest.is_empty() {
        let ingest_args = IngestArgs::new(a.ingest.clone(), a.db.db.clone(), a.dict.clone());
        ingest(&ingest_args, quiet)?;
    }
    let engine = crate::code::Engine::load(&a.dict, &Default::default())?;
    let config = dyad_serve::Config {
        db: a.db.db.clone(),
        addr,
        writable: a.writable,
        allow_remote_writes: a.allow_remote_writes,
        limits: Default::default(),
    };
    dyad_serve::run(config, engine.dict, engine.model, engine.geo, |addr| {
        // On stdout, so that scripts can read the address when --addr asked for port 0.
        println!(
            "dyad: serving {} at http://{addr}/ (Ctrl-C stops)",
            a.db.db.display()
        );
        let _ = io::stdout().flush();
    })
    .with_context(|| format!("serving {}", a.db.db.display()))?;
    Ok(Outcome::Clean)
}

//! `dyad eval`: scores the coder on gold records as ../shared/gold/README.md describes.

use crate::args::EvalArgs;
use crate::code::load_dict;
use crate::Outcome;
use anyhow::Context;
use dyad_coder::{Coder, Scratch};
use dyad_core::Document;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::io::{BufRead, Write};

#[derive(Deserialize)]
struct GoldActor {
    #[serde(default)]
    code: String,
}

#[derive(Deserialize)]
struct Gold {
    id: String,
    date: String,
    text: String,
    plover_event: String,
    #[serde(default)]
    source: Vec<GoldActor>,
    #[serde(default)]
    target: Vec<GoldActor>,
}

#[derive(Default)]
struct Tally {
    records: usize,
    type_hits: usize,
    dyad_hits: usize,
    emitted: usize,
    emitted_right: usize,
}

/// "112 USAGOV->RUS": an event's code and dyad, as the miss lists show it.
fn dyad(e: &dyad_core::Event) -> String {
    format!(
        "{} {}->{}",
        e.code,
        e.source.code,
        e.target.as_ref().map_or("-", |x| x.code.as_str())
    )
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// The first three letters of an actor code, with the gold set's `JAP` read as CAMEO's `JPN`.
fn head(code: &str) -> &str {
    let h = code.get(..3).unwrap_or(code);
    if h == "JAP" {
        "JPN"
    } else {
        h
    }
}

pub fn eval(a: &EvalArgs) -> anyhow::Result<Outcome> {
    let dict = load_dict(&a.dict)?;
    let coder = Coder::new(&dict);
    let file = std::fs::File::open(&a.gold)
        .with_context(|| format!("cannot open {}", a.gold.display()))?;
    let mut by_type: BTreeMap<String, Tally> = BTreeMap::new();
    let mut all = Tally::default();
    let mut misses = Vec::new();
    let mut dyad_misses = Vec::new();
    let mut extras = Vec::new();
    let mut scratch = Scratch::default();
    for (n, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let g: Gold = serde_json::from_str(&line)
            .with_context(|| format!("{}:{}", a.gold.display(), n + 1))?;
        let doc = Document {
            id: g.id.clone(),
            text: g.text.clone(),
            published: Some(g.date.clone()),
            ..Default::default()
        };
        let events = coder.code(&doc, None, &mut scratch);
        // Negated events and 01x statements carry no PLOVER event.
        let typed: Vec<(&str, &dyad_core::Event)> = events
            .iter()
            .filter(|e| !e.negated)
            .filter_map(|e| dict.plover.of(&e.code).map(|t| (t.event.as_str(), e)))
            .collect();
        let codes = |actors: &'_ [GoldActor]| -> Vec<String> {
            actors
                .iter()
                .filter(|a| !a.code.is_empty())
                .map(|a| head(&a.code).to_string())
                .collect()
        };
        let (gold_src, gold_tgt) = (codes(&g.source), codes(&g.target));
        let type_hit = typed.iter().any(|(t, _)| *t == g.plover_event);
        let dyad_hit = typed.iter().any(|(t, e)| {
            *t == g.plover_event
                && gold_src.iter().any(|c| c == head(&e.source.code))
                && (gold_tgt.is_empty()
                    || e.target
                        .as_ref()
                        .is_some_and(|t| gold_tgt.iter().any(|c| c == head(&t.code))))
        });
        for tally in [by_type.entry(g.plover_event.clone()).or_default(), &mut all] {
            tally.records += 1;
            tally.type_hits += usize::from(type_hit);
            tally.dyad_hits += usize::from(dyad_hit);
        }
        for (t, _) in &typed {
            let right = *t == g.plover_event;
            for tally in [by_type.entry(t.to_string()).or_default(), &mut all] {
                tally.emitted += 1;
                tally.emitted_right += usize::from(right);
            }
        }
        if type_hit && !dyad_hit {
            let got: Vec<String> = typed
                .iter()
                .filter(|(t, _)| *t == g.plover_event)
                .map(|(_, e)| dyad(e))
                .collect();
            dyad_misses.push(format!(
                "{} want {} {:?}->{:?}: {}\n    got: {}",
                g.id,
                g.plover_event,
                gold_src,
                gold_tgt,
                g.text,
                got.join("; ")
            ));
        }
        let wrong: Vec<String> = typed
            .iter()
            .filter(|(t, _)| *t != g.plover_event)
            .map(|(t, e)| format!("{t} {}", dyad(e)))
            .collect();
        if type_hit && !wrong.is_empty() {
            extras.push(format!(
                "{} want {}: {}\n    also: {}",
                g.id,
                g.plover_event,
                g.text,
                wrong.join("; ")
            ));
        }
        if !type_hit {
            let got: Vec<String> = typed
                .iter()
                .map(|(t, e)| format!("{t} {}", dyad(e)))
                .collect();
            misses.push(format!(
                "{} want {}: {}\n    got: {}",
                g.id,
                g.plover_event,
                g.text,
                if got.is_empty() {
                    "nothing".into()
                } else {
                    got.join("; ")
                }
            ));
        }
    }
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "{:<10} {:>7} {:>11} {:>11} {:>8} {:>10} {:>6}",
        "type", "records", "type_recall", "dyad_recall", "emitted", "precision", "F1"
    )?;
    let mut row = |name: &str, t: &Tally| -> std::io::Result<()> {
        let r = ratio(t.type_hits, t.records);
        let p = ratio(t.emitted_right, t.emitted);
        let f1 = if r + p > 0.0 {
            2.0 * r * p / (r + p)
        } else {
            0.0
        };
        writeln!(
            out,
            "{:<10} {:>7} {:>11.3} {:>11.3} {:>8} {:>10.3} {:>6.3}",
            name,
            t.records,
            r,
            ratio(t.dyad_hits, t.records),
            t.emitted,
            p,
            f1
        )
    };
    for (name, t) in &by_type {
        row(name, t)?;
    }
    row("ALL", &all)?;
    if a.misses {
        for (title, list) in [
            ("missed types", &misses),
            ("right type, wrong or missing actors", &dyad_misses),
            ("right type found, other types emitted too", &extras),
        ] {
            writeln!(out, "\n{title} ({}):", list.len())?;
            for m in list {
                writeln!(out, "{m}")?;
            }
        }
    }
    Ok(Outcome::Clean)
}

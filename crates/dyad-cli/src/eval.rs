//! `dyad eval`: scores the coder on gold records as ../shared/gold/README.md describes, or its
//! resolution of pronouns and descriptions on gold coreference (`coref`).

mod coref;

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

/// A line of either gold format: PLOVER GSR (one event, actor codes, a date) or PLV (events
/// with source and target text spans, no date). ../shared/gold/README.md describes both.
#[derive(Deserialize)]
struct GoldLine {
    id: String,
    #[serde(default)]
    date: Option<String>,
    text: String,
    #[serde(default)]
    plover_event: Option<String>,
    #[serde(default)]
    source: Vec<GoldActor>,
    #[serde(default)]
    target: Vec<GoldActor>,
    #[serde(default)]
    events: Vec<PlvEvent>,
}

#[derive(Deserialize)]
struct PlvEvent {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    source_text: String,
    #[serde(default)]
    target_text: String,
}

/// Who a gold event names: CAMEO codes (GSR) or text spans (PLV).
enum Side {
    Codes(Vec<String>),
    Span(String),
}

impl Side {
    /// Whether an emitted actor matches: the first three letters of the code among the gold
    /// codes, or a content word shared with the gold span. An empty gold span matches anything.
    /// `empty` is what an empty list of codes matches: GSR sources must be named, targets not.
    fn matches(&self, actor: Option<&dyad_core::ActorMention>, empty: bool) -> bool {
        match self {
            Side::Codes(c) if c.is_empty() => empty,
            Side::Codes(c) => actor.is_some_and(|a| c.iter().any(|g| g == head(&a.code))),
            Side::Span(s) if content_words(s).next().is_none() => true,
            Side::Span(s) => actor.is_some_and(|a| {
                let mine: Vec<String> = content_words(&a.text).collect();
                content_words(s).any(|w| mine.contains(&w))
            }),
        }
    }
}

impl std::fmt::Debug for Side {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Side::Codes(c) => write!(f, "{c:?}"),
            Side::Span(s) => write!(f, "{s:?}"),
        }
    }
}

/// Lowercased words of a span, without articles, possessives and short function words.
fn content_words(s: &str) -> impl Iterator<Item = String> + '_ {
    const FUNCTION: &[&str] = &[
        "the", "a", "an", "of", "in", "on", "at", "to", "for", "and", "or", "by", "with", "from",
        "its", "his", "her", "their", "s",
    ];
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .filter(|w| !FUNCTION.contains(&w.as_str()))
}

struct GoldEvent {
    kind: String,
    source: Side,
    target: Side,
}

impl GoldLine {
    fn events(&self) -> Vec<GoldEvent> {
        let codes = |actors: &[GoldActor]| {
            Side::Codes(
                actors
                    .iter()
                    .filter(|a| !a.code.is_empty())
                    .map(|a| head(&a.code).to_string())
                    .collect(),
            )
        };
        match &self.plover_event {
            Some(kind) => vec![GoldEvent {
                kind: kind.clone(),
                source: codes(&self.source),
                target: codes(&self.target),
            }],
            None => self
                .events
                .iter()
                .map(|e| GoldEvent {
                    kind: e.kind.clone(),
                    source: Side::Span(e.source_text.clone()),
                    target: Side::Span(e.target_text.clone()),
                })
                .collect(),
        }
    }
}

/// The half of the development data a record belongs to, fixed by its id: FNV-1a of the id,
/// even for the tuning half. Misses are read in the tuning half only.
fn tuning_half(id: &str) -> bool {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in id.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h.is_multiple_of(2)
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

pub fn eval(a: &EvalArgs, quiet: bool) -> anyhow::Result<Outcome> {
    let dict = load_dict(&a.dict)?;
    let model = crate::syntax::load_model(&Default::default())?;
    let coder = Coder::new(&dict, &model);
    if let Some(path) = &a.coref {
        coref::eval(path, &coder, a.misses, quiet)?;
        return Ok(Outcome::Clean);
    }
    let Some(path) = &a.gold else {
        anyhow::bail!("--gold or --coref names the gold file");
    };
    let file =
        std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let mut by_type: BTreeMap<String, Tally> = BTreeMap::new();
    let (mut all, mut tuning, mut checking) =
        (Tally::default(), Tally::default(), Tally::default());
    let mut misses = Vec::new();
    let mut dyad_misses = Vec::new();
    let mut extras = Vec::new();
    let mut scratch = Scratch::default();
    for (n, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let g: GoldLine =
            serde_json::from_str(&line).with_context(|| format!("{}:{}", path.display(), n + 1))?;
        let gold = g.events();
        anyhow::ensure!(
            !gold.is_empty(),
            "{}:{}: a record with neither plover_event nor events",
            path.display(),
            n + 1
        );
        let doc = Document {
            id: g.id.clone(),
            text: g.text.clone(),
            published: g.date.clone(),
            ..Default::default()
        };
        let events = coder.code(&doc, None, &mut scratch);
        // Negated events and 01x statements carry no PLOVER event.
        let typed: Vec<(&str, &dyad_core::Event)> = events
            .iter()
            .filter(|e| !e.negated)
            .filter_map(|e| dict.plover.of(&e.code).map(|t| (t.event.as_str(), e)))
            .collect();
        let in_tuning = tuning_half(&g.id);
        let half = if in_tuning {
            &mut tuning
        } else {
            &mut checking
        };
        let mut any_type_hit = false;
        for ge in &gold {
            let type_hit = typed.iter().any(|(t, _)| *t == ge.kind);
            let dyad_hit = typed.iter().any(|(t, e)| {
                *t == ge.kind
                    && ge.source.matches(Some(&e.source), false)
                    && ge.target.matches(e.target.as_ref(), true)
            });
            any_type_hit |= type_hit;
            for tally in [
                by_type.entry(ge.kind.clone()).or_default(),
                &mut all,
                &mut *half,
            ] {
                tally.records += 1;
                tally.type_hits += usize::from(type_hit);
                tally.dyad_hits += usize::from(dyad_hit);
            }
            // Misses are listed for the tuning half only: the checking half stays unread.
            if !in_tuning {
                continue;
            }
            if type_hit && !dyad_hit {
                let got: Vec<String> = typed
                    .iter()
                    .filter(|(t, _)| *t == ge.kind)
                    .map(|(_, e)| dyad(e))
                    .collect();
                dyad_misses.push(format!(
                    "{} want {} {:?}->{:?}: {}\n    got: {}",
                    g.id,
                    ge.kind,
                    ge.source,
                    ge.target,
                    g.text,
                    got.join("; ")
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
                    ge.kind,
                    g.text,
                    if got.is_empty() {
                        "nothing".into()
                    } else {
                        got.join("; ")
                    }
                ));
            }
        }
        for (t, _) in &typed {
            let right = gold.iter().any(|ge| ge.kind == *t);
            for tally in [
                by_type.entry(t.to_string()).or_default(),
                &mut all,
                &mut *half,
            ] {
                tally.emitted += 1;
                tally.emitted_right += usize::from(right);
            }
        }
        let wrong: Vec<String> = typed
            .iter()
            .filter(|(t, _)| !gold.iter().any(|ge| ge.kind == *t))
            .map(|(t, e)| format!("{t} {}", dyad(e)))
            .collect();
        if in_tuning && any_type_hit && !wrong.is_empty() {
            let want: Vec<&str> = gold.iter().map(|ge| ge.kind.as_str()).collect();
            extras.push(format!(
                "{} want {}: {}\n    also: {}",
                g.id,
                want.join("+"),
                g.text,
                wrong.join("; ")
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
    row("tuning", &tuning)?;
    row("checking", &checking)?;
    if a.misses {
        for (title, list) in [
            ("missed types (tuning half)", &misses),
            (
                "right type, wrong or missing actors (tuning half)",
                &dyad_misses,
            ),
            (
                "right type found, other types emitted too (tuning half)",
                &extras,
            ),
        ] {
            writeln!(out, "\n{title} ({}):", list.len())?;
            for m in list {
                writeln!(out, "{m}")?;
            }
        }
    }
    Ok(Outcome::Clean)
}

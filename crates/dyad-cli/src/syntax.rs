//! `dyad syntax ...`: wiring of dyad-syntax to files and the terminal.

use crate::args::{ModelArg, SyntaxCommand, SyntaxEvalArgs, SyntaxTrainArgs};
use crate::code::{for_each_batch, CODE_BATCH};
use crate::Outcome;
use anyhow::{bail, Context};
use dyad_core::{Document, Tokens};
use dyad_syntax::conllu::{self, Sentence, Word};
use dyad_syntax::train::{Config, Progress, Tags};
use dyad_syntax::words::{ud_words, Agreement, UdWords};
use dyad_syntax::{Model, Parse};
use rayon::prelude::*;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::time::Instant;

pub fn run(c: SyntaxCommand, quiet: bool) -> anyhow::Result<Outcome> {
    match c {
        SyntaxCommand::Train(a) => train(&a, quiet),
        SyntaxCommand::Eval(a) => eval(&a),
        SyntaxCommand::Parse { input, model } => parse(&input.inputs, &model, quiet),
        SyntaxCommand::Tokens { treebank } => tokens(&treebank),
    }
}

/// Loads the model named by `--model` or the default one.
pub fn load_model(m: &ModelArg) -> anyhow::Result<Model> {
    let path = m
        .model
        .clone()
        .unwrap_or_else(dyad_syntax::default_model_path);
    let start = Instant::now();
    let model = Model::load(&path)?;
    tracing::info!(
        "syntax model {} loaded in {:.0} ms",
        path.display(),
        start.elapsed().as_secs_f64() * 1e3
    );
    Ok(model)
}

/// A progress bar on stderr, drawn only on a terminal; lines always print.
struct Bar {
    enabled: bool,
    name: String,
    steps: u64,
    done: u64,
    start: Instant,
}

impl Bar {
    fn event(&mut self, p: Progress) {
        match p {
            Progress::Phase { name, steps } => {
                self.clear();
                eprintln!("training the {name}");
                *self = Bar {
                    enabled: self.enabled,
                    name,
                    steps: steps.max(1),
                    done: 0,
                    start: Instant::now(),
                };
            }
            Progress::Advance(k) => {
                self.done += k;
                self.draw();
            }
            Progress::Line(l) => {
                self.clear();
                eprintln!("{l}");
                self.draw();
            }
        }
    }
    fn draw(&self) {
        if !self.enabled {
            return;
        }
        let frac = (self.done as f64 / self.steps as f64).min(1.0);
        let width = 30;
        let filled = (frac * width as f64) as usize;
        let secs = self.start.elapsed().as_secs_f64();
        let eta = if frac > 0.0 { secs / frac - secs } else { 0.0 };
        eprint!(
            "\r{} [{}{}] {:>3.0}%  {:.0}s, about {:.0}s left ",
            self.name,
            "#".repeat(filled),
            " ".repeat(width - filled),
            frac * 100.0,
            secs,
            eta
        );
        let _ = io::stderr().flush();
    }
    fn clear(&self) {
        if self.enabled {
            eprint!("\r{:70}\r", "");
        }
    }
}

fn read_treebank(path: &std::path::Path) -> anyhow::Result<Vec<Sentence>> {
    Ok(conllu::read_file(path)?)
}

fn train(a: &SyntaxTrainArgs, quiet: bool) -> anyhow::Result<Outcome> {
    let start = Instant::now();
    let mut train = Vec::new();
    let mut names = Vec::new();
    for p in &a.train {
        let s = read_treebank(p)?;
        names.push(format!(
            "{} ({} sentences)",
            p.file_name()
                .map_or_else(|| p.display().to_string(), |f| f.to_string_lossy().into()),
            s.len()
        ));
        train.extend(s);
    }
    let dev = read_treebank(&a.dev)?;
    if train.is_empty() {
        bail!("no training sentences in {:?}", a.train);
    }
    let cfg = Config {
        seed: a.seed,
        tagger_epochs: a.tagger_epochs as usize,
        parser_epochs: a.parser_epochs as usize,
        folds: a.folds as usize,
        ..Config::default()
    };
    let note = format!(
        "trained by dyad {} on {}; dev {}",
        env!("CARGO_PKG_VERSION"),
        names.join(", "),
        a.dev
            .file_name()
            .map_or_else(String::new, |f| f.to_string_lossy().into())
    );
    let mut bar = Bar {
        enabled: !quiet && io::stderr().is_terminal(),
        name: String::new(),
        steps: 1,
        done: 0,
        start: Instant::now(),
    };
    let model = dyad_syntax::train::train(&train, &dev, &cfg, note, &mut |p| bar.event(p));
    bar.clear();
    model.save(&a.out)?;
    let size = std::fs::metadata(&a.out).map(|m| m.len()).unwrap_or(0);
    let (t, p, l, w) = model.sizes();
    eprintln!(
        "wrote {} ({:.1} MB; {t} tagger, {p} transition and {l} label rows, {w} words) in {:.0} s",
        a.out.display(),
        size as f64 / 1e6,
        start.elapsed().as_secs_f64()
    );
    Ok(Outcome::Clean)
}

fn eval(a: &SyntaxEvalArgs) -> anyhow::Result<Outcome> {
    let load = Instant::now();
    let model = load_model(&a.model)?;
    let load_ms = load.elapsed().as_secs_f64() * 1e3;
    let gold = read_treebank(&a.treebank)?;
    let mut out = match &a.out {
        Some(p) => Some(BufWriter::new(
            std::fs::File::create(p).with_context(|| format!("cannot write {}", p.display()))?,
        )),
        None => None,
    };
    let mut write_err = None;
    let mut sink = |s: Sentence| {
        if let Some(o) = out.as_mut() {
            if let Err(e) = conllu::write(o, &s) {
                write_err.get_or_insert(e);
            }
        }
    };
    let s = dyad_syntax::train::evaluate(
        &model,
        &gold,
        if a.gold_tags {
            Tags::Gold
        } else {
            Tags::Tagger
        },
        if a.out.is_some() {
            Some(&mut sink)
        } else {
            None
        },
    );
    if let Some(e) = write_err {
        return Err(e.into());
    }
    if let Some(mut o) = out {
        o.flush()?;
    }
    println!("treebank   {}", a.treebank.display());
    println!("model      {}", model.note);
    println!("sentences  {}   words {}", s.sentences, s.words);
    println!("UPOS       {:.2}%", s.upos());
    println!("UAS        {:.2}%", s.uas());
    println!(
        "LAS        {:.2}%   (with subtypes {:.2}%)",
        s.las(),
        s.las_full()
    );
    println!(
        "speed      {:.0} sentences/s, {:.0} words/s (tag and parse, one thread); model loaded in {load_ms:.0} ms",
        s.sentences as f64 / s.seconds.max(1e-9),
        s.words as f64 / s.seconds.max(1e-9)
    );
    if let Some(min) = a.min_upos {
        if s.upos() < min {
            bail!("UPOS {:.2}% is below the floor {min}%", s.upos());
        }
    }
    if let Some(min) = a.min_las {
        if s.las() < min {
            bail!("LAS {:.2}% is below the floor {min}%", s.las());
        }
    }
    Ok(Outcome::Clean)
}

/// The CoNLL-U of one document's sentences.
fn parse_document(model: &Model, d: &Document) -> Vec<u8> {
    let mut out = Vec::new();
    let mut sents = Vec::new();
    let mut toks = Tokens::default();
    let mut words = UdWords::default();
    let mut ws = dyad_syntax::model::Workspace::default();
    let mut p = Parse::default();
    dyad_text::segment(&d.text, &mut sents);
    let _ = writeln!(out, "# newdoc id = {}", d.id);
    for s in &sents {
        toks.clear();
        dyad_text::tokenize(&d.text, s.span, &mut toks);
        ud_words(&d.text, &toks.tokens, &mut words);
        if words.spans.is_empty() {
            continue;
        }
        let forms = words.forms(&d.text);
        model.parse_with(&forms, &mut ws, &mut p);
        let text: String = s
            .span
            .slice(&d.text)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let sent = Sentence {
            comments: vec![
                format!("# sent_id = {}-{}", d.id, s.index),
                format!("# text = {text}"),
            ],
            words: forms
                .iter()
                .enumerate()
                .map(|(i, f)| {
                    let next = words.spans.get(i + 1).map(|n| n.start);
                    let glued = next == Some(words.spans[i].end);
                    Word {
                        form: f.to_string(),
                        lemma: String::new(),
                        upos: p.upos[i],
                        xpos: String::new(),
                        feats: String::new(),
                        head: p.head[i],
                        deprel: model.label(p.deprel[i]).to_string(),
                        deps: String::new(),
                        misc: if glued {
                            "SpaceAfter=No".into()
                        } else {
                            String::new()
                        },
                    }
                })
                .collect(),
            ..Default::default()
        };
        let _ = conllu::write(&mut out, &sent);
    }
    out
}

fn parse(inputs: &[String], m: &ModelArg, quiet: bool) -> anyhow::Result<Outcome> {
    let model = load_model(m)?;
    let mut out = BufWriter::new(io::stdout().lock());
    let r = for_each_batch(inputs, quiet, CODE_BATCH, |docs| {
        let parsed: Vec<Vec<u8>> = docs.par_iter().map(|d| parse_document(&model, d)).collect();
        for p in parsed {
            out.write_all(&p)?;
        }
        Ok(())
    })?;
    out.flush()?;
    Ok(r)
}

fn tokens(treebank: &std::path::Path) -> anyhow::Result<Outcome> {
    let gold = read_treebank(treebank)?;
    let mut agree = Agreement::default();
    let mut toks = Tokens::default();
    let mut words = UdWords::default();
    let mut without_text = 0;
    for s in &gold {
        let Some(text) = s.text() else {
            without_text += 1;
            continue;
        };
        toks.clear();
        dyad_text::tokenize(text, dyad_core::Span::new(0, text.len() as u32), &mut toks);
        ud_words(text, &toks.tokens, &mut words);
        agree.add(&words.forms(text), &s.forms());
    }
    println!(
        "{}: {} of {} treebank words ({:.2}%) are exactly one dyad word{}",
        treebank.display(),
        agree.same,
        agree.gold_words,
        100.0 * agree.same as f64 / agree.gold_words.max(1) as f64,
        if without_text > 0 {
            format!(" ({without_text} sentences without # text skipped)")
        } else {
            String::new()
        }
    );
    agree.kinds.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    for (kind, n, examples) in &agree.kinds {
        println!("  {n:>6}  {kind}: {}", examples.join(" | "));
    }
    Ok(Outcome::Clean)
}

//! Training and evaluation on CoNLL-U treebanks.
//!
//! Training is deterministic for a given seed and data: the only randomness is a seeded
//! SplitMix64 (sentence order, oracle exploration), and parallel runs never share weights.
//!
//! 1. The tagger is trained on all training sentences and, for jackknifing, on `folds` parts
//!    with one part held out each time, all in parallel; each part is then tagged by the tagger
//!    that did not see it, so that the parser learns on tags as good as it will meet.
//! 2. The parser is trained with the dynamic oracle; after each epoch it is scored on the dev
//!    sentences (tags from the full tagger), and the best epoch is kept.

use crate::conllu::Sentence;
use crate::features::{word_info, WordInfo};
use crate::model::{Model, Workspace};
use crate::parser::{Context, Parse, Parser, State, ACTIONS};
use crate::perceptron::{Table, TrainTable};
use crate::tagger::{self, HashedMap, Tagger};
use crate::Upos;
use std::sync::mpsc;
use std::time::Instant;

#[derive(Debug, Clone)]
pub struct Config {
    pub seed: u64,
    pub tagger_epochs: usize,
    pub parser_epochs: usize,
    /// Parts for jackknifed training tags (0 or 1: the parser trains on gold tags).
    pub folds: usize,
    pub tagger_bits: u32,
    pub transition_bits: u32,
    pub label_bits: u32,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            seed: 1,
            tagger_epochs: 8,
            parser_epochs: 15,
            folds: 4,
            tagger_bits: 19,
            transition_bits: 22,
            label_bits: 18,
        }
    }
}

/// What training reports as it goes.
pub enum Progress {
    /// A phase starts with this many steps.
    Phase { name: String, steps: u64 },
    /// Steps done in the current phase.
    Advance(u64),
    /// A line to print (dev scores after an epoch).
    Line(String),
}

struct SplitMix(u64);
impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            v.swap(i, j);
        }
    }
}

/// The tags seen with each lowercased word.
fn seen_tags(sents: &[&Sentence]) -> HashedMap<u32> {
    let mut seen = HashedMap::default();
    let mut scratch = String::new();
    for s in sents {
        for w in &s.words {
            let info = word_info(&w.form, &mut scratch, |_| 0);
            *seen.entry(info.lower).or_insert(0) |= 1 << (w.upos as u32);
        }
    }
    seen
}

fn infos(s: &Sentence, seen: &HashedMap<u32>, scratch: &mut String) -> Vec<WordInfo> {
    s.words
        .iter()
        .map(|w| word_info(&w.form, scratch, |h| seen.get(&h).copied().unwrap_or(0)))
        .collect()
}

enum Msg {
    Advance,
    Line(String),
}

/// Trains one tagger; `dev` (with its word infos) is scored after each epoch when given.
fn train_tagger(
    data: &[&(Vec<WordInfo>, Vec<Upos>)],
    cfg: &Config,
    seed: u64,
    dev: Option<&[(Vec<WordInfo>, Vec<Upos>)]>,
    tx: &mpsc::Sender<Msg>,
) -> Table {
    let mut table = TrainTable::new(cfg.tagger_bits, Upos::COUNT);
    let mut rng = SplitMix(seed);
    let (mut feats, mut tags, mut scores) = (Vec::new(), Vec::new(), [0i64; Upos::COUNT]);
    let mut order: Vec<usize> = (0..data.len()).collect();
    for epoch in 0..cfg.tagger_epochs {
        rng.shuffle(&mut order);
        for &k in &order {
            let (info, gold) = data[k];
            tags.clear();
            for (i, &want) in gold.iter().enumerate() {
                tagger::features(info, &tags, i, &mut feats);
                table.score(&feats, &mut scores);
                let guess = argmax(&scores);
                if guess != want as usize {
                    table.update(&feats, want as usize, guess);
                }
                table.tick();
                tags.push(Upos::from_index(guess));
            }
        }
        let _ = tx.send(Msg::Advance);
        if let Some(dev) = dev {
            let t = Tagger {
                table: table.finish(),
                seen: HashedMap::default(),
            };
            let (mut right, mut all) = (0, 0);
            for (info, gold) in dev {
                t.tag(info, &mut tags, &mut feats);
                right += tags.iter().zip(gold).filter(|(a, b)| a == b).count();
                all += gold.len();
            }
            let _ = tx.send(Msg::Line(format!(
                "tagger epoch {}: dev UPOS {:.2}%",
                epoch + 1,
                100.0 * right as f64 / all.max(1) as f64
            )));
        }
    }
    table.finish()
}

fn argmax(scores: &[i64]) -> usize {
    let mut best = 0;
    for (k, &s) in scores.iter().enumerate() {
        if s > scores[best] {
            best = k;
        }
    }
    best
}

/// The label names of a treebank, sorted, `root` among them.
fn label_names(sents: &[Sentence]) -> Vec<String> {
    let mut names: Vec<String> = sents
        .iter()
        .flat_map(|s| s.words.iter().map(|w| w.deprel.clone()))
        .chain(["root".to_string(), "dep".to_string()])
        .collect();
    names.sort();
    names.dedup();
    names.truncate(250);
    names
}

/// Trains a model. `progress` hears of phases, steps and dev scores.
pub fn train(
    train: &[Sentence],
    dev: &[Sentence],
    cfg: &Config,
    note: String,
    progress: &mut dyn FnMut(Progress),
) -> Model {
    // Phase 1: taggers, the full one and one per fold, in parallel. A training word's tags-seen
    // feature comes from the other folds, so that the tagger meets unknown words in training as
    // often as it will in use.
    let folds = if cfg.folds >= 2 { cfg.folds } else { 0 };
    let fold_of = |i: usize| i % folds.max(1);
    let all: Vec<&Sentence> = train.iter().collect();
    let seen_all = seen_tags(&all);
    let seen_fold: Vec<HashedMap<u32>> = (0..folds)
        .map(|f| {
            let part: Vec<&Sentence> = all
                .iter()
                .enumerate()
                .filter(|(i, _)| fold_of(*i) != f)
                .map(|(_, s)| *s)
                .collect();
            seen_tags(&part)
        })
        .collect();
    let mut scratch = String::new();
    let tagged: Vec<(Vec<WordInfo>, Vec<Upos>)> = train
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let seen = if folds == 0 {
                &seen_all
            } else {
                &seen_fold[fold_of(i)]
            };
            (
                infos(s, seen, &mut scratch),
                s.words.iter().map(|w| w.upos).collect(),
            )
        })
        .collect();
    let dev_tagged: Vec<(Vec<WordInfo>, Vec<Upos>)> = dev
        .iter()
        .map(|s| {
            (
                infos(s, &seen_all, &mut scratch),
                s.words.iter().map(|w| w.upos).collect(),
            )
        })
        .collect();
    progress(Progress::Phase {
        name: format!("tagger ({} runs)", folds + 1),
        steps: ((folds + 1) * cfg.tagger_epochs) as u64,
    });
    let (tx, rx) = mpsc::channel();
    let (full, fold_tables) = std::thread::scope(|scope| {
        let full = {
            let tx = tx.clone();
            let data: Vec<&(Vec<WordInfo>, Vec<Upos>)> = tagged.iter().collect();
            let dev_tagged = &dev_tagged;
            scope.spawn(move || train_tagger(&data, cfg, cfg.seed, Some(dev_tagged), &tx))
        };
        let handles: Vec<_> = (0..folds)
            .map(|f| {
                let tx = tx.clone();
                let data: Vec<&(Vec<WordInfo>, Vec<Upos>)> = tagged
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| fold_of(*i) != f)
                    .map(|(_, s)| s)
                    .collect();
                scope.spawn(move || train_tagger(&data, cfg, cfg.seed + 1 + f as u64, None, &tx))
            })
            .collect();
        drop(tx);
        for msg in rx {
            match msg {
                Msg::Advance => progress(Progress::Advance(1)),
                Msg::Line(l) => progress(Progress::Line(l)),
            }
        }
        let full = full.join().expect("tagger thread");
        let folds: Vec<Table> = handles
            .into_iter()
            .map(|h| h.join().expect("tagger thread"))
            .collect();
        (full, folds)
    });
    let tagger = Tagger {
        table: full,
        seen: seen_all,
    };

    // Training tags: each sentence tagged by the fold tagger that did not see it.
    let mut feats = Vec::new();
    let mut tags = Vec::new();
    let fold_taggers: Vec<Tagger> = fold_tables
        .into_iter()
        .map(|table| Tagger {
            table,
            seen: HashedMap::default(),
        })
        .collect();
    let train_data: Vec<(Vec<WordInfo>, Vec<Upos>)> = tagged
        .into_iter()
        .enumerate()
        .map(|(i, (info, gold))| {
            if folds == 0 {
                return (info, gold);
            }
            fold_taggers[fold_of(i)].tag(&info, &mut tags, &mut feats);
            (info, tags.clone())
        })
        .collect();
    drop(fold_taggers);
    let dev_tags: Vec<Vec<Upos>> = dev_tagged
        .iter()
        .map(|(info, _)| {
            let mut t = Vec::new();
            tagger.tag(info, &mut t, &mut feats);
            t
        })
        .collect();

    // Phase 2: the parser.
    let labels = label_names(train);
    let label_id = |name: &str| labels.iter().position(|l| l == name).unwrap_or(0) as u8;
    let root_label = label_id("root");
    let golds: Vec<(Vec<u32>, Vec<u8>)> = train
        .iter()
        .map(|s| {
            let mut heads = vec![0u32];
            let mut labs = vec![0u8];
            for w in &s.words {
                heads.push(w.head);
                labs.push(label_id(&w.deprel));
            }
            (heads, labs)
        })
        .collect();
    let mut learner = ParserLearner {
        trans: TrainTable::new(cfg.transition_bits, ACTIONS),
        labeler: TrainTable::new(cfg.label_bits, labels.len()),
        rng: SplitMix(cfg.seed ^ 0x5041_5253),
        order: (0..train.len()).collect(),
    };
    let mut best: Option<(f64, Parser, usize)> = None;
    progress(Progress::Phase {
        name: "parser".into(),
        steps: cfg.parser_epochs as u64,
    });
    let data = TrainData {
        sentences: &train_data,
        golds: &golds,
        root_label,
        labels: labels.len(),
    };
    for epoch in 0..cfg.parser_epochs {
        learner.epoch(&data, epoch);
        progress(Progress::Advance(1));
        let parser = Parser {
            transitions: learner.trans.finish(),
            labeler: learner.labeler.finish(),
            labels: labels.clone(),
            root_label,
        };
        // Scored on the full tagger's tags, with its word table as the parser will read it.
        let model = Model::new(
            Tagger {
                table: Table::empty(Upos::COUNT),
                seen: tagger.seen.clone(),
            },
            parser,
            String::new(),
        );
        let s = evaluate(&model, dev, Tags::Given(&dev_tags), None);
        progress(Progress::Line(format!(
            "parser epoch {}: dev UAS {:.2}% LAS {:.2}%",
            epoch + 1,
            s.uas(),
            s.las()
        )));
        if !best.as_ref().is_some_and(|b| s.las() <= b.0) {
            best = Some((s.las(), model.parser, epoch + 1));
        }
    }
    let Some((_, parser, best_epoch)) = best else {
        unreachable!("at least one parser epoch runs")
    };
    progress(Progress::Line(format!(
        "kept the parser of epoch {best_epoch}"
    )));
    let note = format!(
        "{note}; seed {}, tagger {} epochs, parser {} epochs (kept {best_epoch}), {} folds, tables 2^{}/2^{}/2^{}",
        cfg.seed, cfg.tagger_epochs, cfg.parser_epochs, folds, cfg.tagger_bits, cfg.transition_bits, cfg.label_bits
    );
    Model::new(tagger, parser, note)
}

/// What every parser run reads.
struct TrainData<'a> {
    sentences: &'a [(Vec<WordInfo>, Vec<Upos>)],
    golds: &'a [(Vec<u32>, Vec<u8>)],
    root_label: u8,
    labels: usize,
}

/// The parser being trained: its tables and its random order.
struct ParserLearner {
    trans: TrainTable,
    labeler: TrainTable,
    rng: SplitMix,
    order: Vec<usize>,
}

impl ParserLearner {
    /// One pass over the training sentences with the dynamic oracle; after the first epoch the
    /// parser mostly follows its own predictions, so it learns to recover from its errors.
    fn epoch(&mut self, data: &TrainData, epoch: usize) {
        let (mut ctx, mut state) = (Context::default(), State::default());
        let mut feats = Vec::new();
        let mut costs = [0u32; ACTIONS];
        let mut scores = [0i64; ACTIONS];
        let mut lscores = vec![0i64; data.labels];
        let root_label = data.root_label;
        self.rng.shuffle(&mut self.order);
        for &k in &self.order {
            let (info, tags) = &data.sentences[k];
            let (gold, glab) = &data.golds[k];
            ctx.fill(info, tags);
            state.reset(info.len());
            while !state.done() {
                state.features(&ctx, &mut feats);
                self.trans.score(&feats, &mut scores);
                state.costs(gold, &mut costs);
                let min = *costs.iter().min().unwrap_or(&0);
                let mut pred = usize::MAX;
                let mut right = usize::MAX;
                for a in 0..ACTIONS {
                    if costs[a] == u32::MAX {
                        continue;
                    }
                    if pred == usize::MAX || scores[a] > scores[pred] {
                        pred = a;
                    }
                    if costs[a] == min && (right == usize::MAX || scores[a] > scores[right]) {
                        right = a;
                    }
                }
                if costs[pred] > min {
                    self.trans.update(&feats, right, pred);
                }
                self.trans.tick();
                let explore = epoch >= 1 && self.rng.unit() > 0.1;
                let next = if explore { pred } else { right };
                let label = match state.arc(next) {
                    None => 0,
                    Some((0, _)) => root_label,
                    Some((h, d)) => {
                        state.label_features(&ctx, h, d, &mut feats);
                        self.labeler.score(&feats, &mut lscores);
                        lscores[root_label as usize] = i64::MIN;
                        let guess = argmax(&lscores) as u8;
                        if gold[d as usize] == h {
                            let want = glab[d as usize];
                            if guess != want {
                                self.labeler.update(&feats, want as usize, guess as usize);
                            }
                            self.labeler.tick();
                            if explore {
                                guess
                            } else {
                                want
                            }
                        } else {
                            guess
                        }
                    }
                };
                state.apply(next, label);
            }
        }
    }
}

/// Evaluation figures, counted as the CoNLL 2018 shared task counts them: every word, punctuation
/// included; LAS compares the universal part of the relation (before any `:`).
#[derive(Debug, Clone, Copy, Default)]
pub struct Scores {
    pub sentences: usize,
    pub words: usize,
    pub upos: usize,
    pub uas: usize,
    pub las: usize,
    /// Head and full relation (subtype included) right.
    pub las_full: usize,
    pub seconds: f64,
}

impl Scores {
    fn pct(&self, x: usize) -> f64 {
        100.0 * x as f64 / self.words.max(1) as f64
    }
    pub fn upos(&self) -> f64 {
        self.pct(self.upos)
    }
    pub fn uas(&self) -> f64 {
        self.pct(self.uas)
    }
    pub fn las(&self) -> f64 {
        self.pct(self.las)
    }
    pub fn las_full(&self) -> f64 {
        self.pct(self.las_full)
    }
    fn add(&mut self, model: &Model, gold: &Sentence, p: &Parse) {
        self.sentences += 1;
        for (i, w) in gold.words.iter().enumerate() {
            self.words += 1;
            self.upos += (p.upos[i] == w.upos) as usize;
            if p.head[i] == w.head {
                self.uas += 1;
                let l = model.label(p.deprel[i]);
                self.las += (universal(l) == universal(&w.deprel)) as usize;
                self.las_full += (l == w.deprel) as usize;
            }
        }
    }
}

fn universal(rel: &str) -> &str {
    rel.split(':').next().unwrap_or(rel)
}

/// Where the parser's tags come from in an evaluation.
pub enum Tags<'a> {
    /// The model's tagger, as in use.
    Tagger,
    /// The treebank's own tags, to see what tagging errors cost.
    Gold,
    /// Tags given per sentence (training scores dev on the full tagger's tags).
    Given(&'a [Vec<Upos>]),
}

/// Parses `gold`'s words and scores the result; each predicted sentence goes to `predicted`
/// (gold tokens and comments, predicted UPOS, HEAD and DEPREL) when given.
pub fn evaluate(
    model: &Model,
    gold: &[Sentence],
    tags: Tags,
    mut predicted: Option<&mut dyn FnMut(Sentence)>,
) -> Scores {
    let mut s = Scores::default();
    let mut ws = Workspace::default();
    let mut p = Parse::default();
    let start = Instant::now();
    let mut forms = Vec::new();
    let mut gold_tags = Vec::new();
    for (k, g) in gold.iter().enumerate() {
        forms.clear();
        forms.extend(g.words.iter().map(|w| w.form.as_str()));
        match tags {
            Tags::Tagger => model.parse_with(&forms, &mut ws, &mut p),
            Tags::Gold => {
                gold_tags.clear();
                gold_tags.extend(g.words.iter().map(|w| w.upos));
                model.parse_with_tags(&forms, &gold_tags, &mut ws, &mut p);
            }
            Tags::Given(t) => model.parse_with_tags(&forms, &t[k], &mut ws, &mut p),
        }
        s.add(model, g, &p);
        if let Some(out) = predicted.as_mut() {
            let mut sent = g.clone();
            for (i, w) in sent.words.iter_mut().enumerate() {
                w.upos = p.upos[i];
                w.head = p.head[i];
                w.deprel = model.label(p.deprel[i]).to_string();
                w.xpos = String::new();
                w.feats = String::new();
                w.deps = String::new();
            }
            out(sent);
        }
    }
    s.seconds = start.elapsed().as_secs_f64();
    s
}

/// The tree the dynamic oracle builds when it always takes the first zero-cost action (in the
/// order shift, reduce, left, right) for the gold heads `gold` (`gold[i]` heads word `i + 1`).
/// For a projective tree this is the tree itself; tests use it to check the oracle.
pub fn oracle_tree(gold: &[u32]) -> Vec<u32> {
    let mut heads = vec![0u32];
    heads.extend_from_slice(gold);
    let mut state = State::default();
    state.reset(gold.len());
    let mut costs = [0u32; ACTIONS];
    while !state.done() {
        state.costs(&heads, &mut costs);
        let a = (0..ACTIONS)
            .find(|&a| costs[a] == 0)
            .or_else(|| {
                (0..ACTIONS)
                    .filter(|&a| costs[a] != u32::MAX)
                    .min_by_key(|&a| costs[a])
            })
            .unwrap_or(0);
        state.apply(a, 0);
    }
    state.finish(|_, _, _| 0);
    state.head[1..].to_vec()
}

//! Verb patterns (`verbs/*.txt`) and discards (`discards.txt`).

use crate::codebook::Codebook;
use crate::phrase::{Compiler, Vocab};
use crate::{content_lines, Diagnostics, Loc};
use rustc_hash::FxHashMap;

/// Most alternatives of the element after the anchor that the (anchor, next word) index spells out.
const MAX_NEXT_INDEXED: usize = 16;

/// One element of a pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Elem {
    /// Any of these word ids (sorted).
    Word(Box<[u32]>),
    Source,
    Target,
}

impl Elem {
    #[inline]
    pub fn accepts(&self, id: u32) -> bool {
        matches!(self, Elem::Word(ws) if ws.binary_search(&id).is_ok())
    }
}

#[derive(Debug, Clone)]
pub struct Pattern {
    pub code: String,
    pub elems: Vec<Elem>,
    /// Index in `elems` of the first word: where matching starts.
    pub anchor: usize,
    /// The pattern as written.
    pub text: String,
    pub loc: Loc,
    /// Word elements that are not articles: how specific the pattern is ("agree to ceasefire"
    /// is more specific than "agree to a"). Set by [`VerbDict::rank`].
    pub specificity: usize,
}

impl Pattern {
    pub fn has_target(&self) -> bool {
        self.elems.contains(&Elem::Target)
    }
    pub fn has_source(&self) -> bool {
        self.elems.contains(&Elem::Source)
    }
}

/// A phrase that vetoes coding.
#[derive(Debug, Clone)]
pub struct Discard {
    pub words: Vec<Box<[u32]>>,
    /// Veto the whole sentence, not just an overlapping verb match.
    pub sentence: bool,
    pub text: String,
    pub loc: Loc,
}

#[derive(Debug, Default)]
pub struct VerbDict {
    pub patterns: Vec<Pattern>,
    pub discards: Vec<Discard>,
    by_anchor: FxHashMap<u32, Vec<u32>>,
    /// Patterns whose element after the anchor is a word: by (anchor word, next word).
    by_anchor_next: FxHashMap<(u32, u32), Vec<u32>>,
    /// Patterns whose element after the anchor is a slot, or that end at the anchor.
    by_anchor_open: FxHashMap<u32, Vec<u32>>,
    discard_by_first: FxHashMap<u32, Vec<u32>>,
    /// Patterns below this index are dyad's own (`None`: all are).
    pub(crate) base_len: Option<usize>,
}

/// Added to the specificity of dyad's own patterns.
const BASE_RANK: usize = 1000;

impl VerbDict {
    pub(crate) fn parse_patterns(
        &mut self,
        text: &str,
        file: u16,
        codebook: &Codebook,
        vocab: &mut Vocab,
        ctx: &mut Compiler,
        diag: &mut Diagnostics,
    ) {
        let mut code: Option<String> = None;
        for (line, _, s) in content_lines(text) {
            let loc = Loc { file, line };
            if let Some(c) = s.strip_prefix("==") {
                let c = c.trim();
                if codebook.get(c).is_none() {
                    diag.error(loc, format!("unknown CAMEO event code `{c}`"));
                    code = None;
                } else {
                    code = Some(c.to_string());
                }
                continue;
            }
            let Some(code) = code.clone() else {
                diag.error(
                    loc,
                    "pattern before any `== CODE` section (or under an unknown code)",
                );
                continue;
            };
            match compile_pattern(s, vocab, ctx) {
                Ok((elems, anchor)) => self.patterns.push(Pattern {
                    code,
                    elems,
                    anchor,
                    text: s.to_string(),
                    loc,
                    specificity: 0,
                }),
                Err(e) => diag.error(loc, e),
            }
        }
    }

    pub(crate) fn parse_discards(
        &mut self,
        text: &str,
        file: u16,
        vocab: &mut Vocab,
        ctx: &mut Compiler,
        diag: &mut Diagnostics,
    ) {
        for (line, _, s) in content_lines(text) {
            let loc = Loc { file, line };
            let (phrase, sentence) = match s.strip_prefix('!') {
                Some(p) => (p.trim(), true),
                None => (s, false),
            };
            match ctx.words(phrase, vocab) {
                Ok(words) if !words.is_empty() => self.discards.push(Discard {
                    words: words.into_iter().map(Vec::into_boxed_slice).collect(),
                    sentence,
                    text: phrase.to_string(),
                    loc,
                }),
                Ok(_) => diag.error(loc, "empty discard"),
                Err(e) => diag.error(loc, e),
            }
        }
    }

    /// Builds the anchor indexes; call once after parsing.
    pub(crate) fn index(&mut self) {
        self.by_anchor.clear();
        self.by_anchor_next.clear();
        self.by_anchor_open.clear();
        for (i, p) in self.patterns.iter().enumerate() {
            let Elem::Word(ws) = &p.elems[p.anchor] else {
                continue;
            };
            for &w in ws.iter() {
                self.by_anchor.entry(w).or_default().push(i as u32);
                match p.elems.get(p.anchor + 1) {
                    // A long list of next words (an imported synset) would multiply the index;
                    // the pattern is then a candidate at its anchor and matching checks the rest.
                    Some(Elem::Word(next)) if next.len() <= MAX_NEXT_INDEXED => {
                        for &n in next.iter() {
                            self.by_anchor_next
                                .entry((w, n))
                                .or_default()
                                .push(i as u32);
                        }
                    }
                    _ => self.by_anchor_open.entry(w).or_default().push(i as u32),
                }
            }
        }
        self.discard_by_first.clear();
        for (i, d) in self.discards.iter().enumerate() {
            for &w in d.words[0].iter() {
                self.discard_by_first.entry(w).or_default().push(i as u32);
            }
        }
    }

    /// Patterns whose anchor word is `id`.
    #[inline]
    pub fn anchored_at(&self, id: u32) -> &[u32] {
        self.by_anchor.get(&id).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The patterns that can match with their anchor at token `i`: those whose next word stands
    /// within `gap + 1` tokens after it, and those whose next element is a slot. Sorted by id.
    pub fn candidates(&self, ids: &[u32], i: usize, gap: usize, out: &mut Vec<u32>) {
        out.clear();
        let Some(&a) = ids.get(i) else { return };
        if let Some(v) = self.by_anchor_open.get(&a) {
            out.extend_from_slice(v);
        }
        for &n in ids.iter().skip(i + 1).take(gap + 1) {
            if let Some(v) = self.by_anchor_next.get(&(a, n)) {
                out.extend_from_slice(v);
            }
        }
        out.sort_unstable();
        out.dedup();
    }

    /// Discards that match at token `i`: (discard index, length).
    pub fn discards_at<'a>(
        &'a self,
        ids: &'a [u32],
        i: usize,
    ) -> impl Iterator<Item = (u32, usize)> + 'a {
        let cands = ids
            .get(i)
            .and_then(|id| self.discard_by_first.get(id))
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        cands.iter().filter_map(move |&d| {
            let w = &self.discards[d as usize].words;
            let n = w.len();
            (i + n <= ids.len()
                && w.iter()
                    .zip(&ids[i..i + n])
                    .all(|(s, id)| s.binary_search(id).is_ok()))
            .then_some((d, n))
        })
    }

    /// Sets each pattern's specificity: its word elements that are not all `article`s.
    pub(crate) fn rank(&mut self, article: impl Fn(u32) -> bool) {
        let base = self.base_len.unwrap_or(self.patterns.len());
        for (i, p) in self.patterns.iter_mut().enumerate() {
            p.specificity = p
                .elems
                .iter()
                .filter(|e| matches!(e, Elem::Word(ids) if !ids.iter().all(|&id| article(id))))
                .count();
            // dyad's own patterns outrank imported ones at the same anchor.
            if i < base {
                p.specificity += BASE_RANK;
            }
        }
    }

    pub fn pattern(&self, i: u32) -> &Pattern {
        &self.patterns[i as usize]
    }
}

pub(crate) fn compile_pattern(
    s: &str,
    vocab: &mut Vocab,
    ctx: &mut Compiler,
) -> Result<(Vec<Elem>, usize), String> {
    let mut elems = Vec::new();
    for tok in s.split_whitespace() {
        elems.push(match tok {
            "$" => Elem::Source,
            "+" => Elem::Target,
            w => Elem::Word(ctx.element(w, vocab)?.into_boxed_slice()),
        });
    }
    let anchor = elems
        .iter()
        .position(|e| matches!(e, Elem::Word(_)))
        .ok_or("pattern has no word")?;
    for slot in [Elem::Source, Elem::Target] {
        if elems.iter().filter(|e| **e == slot).count() > 1 {
            return Err("a slot (`$` or `+`) appears twice".into());
        }
    }
    if elems
        .windows(2)
        .any(|w| !matches!(w[0], Elem::Word(_)) && !matches!(w[1], Elem::Word(_)))
    {
        return Err("two slots in a row can never be told apart".into());
    }
    Ok((elems, anchor))
}

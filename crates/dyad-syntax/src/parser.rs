//! The arc-eager transition system, its features and its dynamic oracle.
//!
//! Words count from 1; 0 is the root, which starts on the stack. The parser may put only one word
//! on the root; words left without a head when the buffer is empty are attached at the end
//! ([`State::finish`]), so every output is a tree.

use crate::features::{feat, WordInfo};
use crate::perceptron::Table;
use crate::Upos;

pub const SHIFT: usize = 0;
pub const REDUCE: usize = 1;
pub const LEFT: usize = 2;
pub const RIGHT: usize = 3;
pub const ACTIONS: usize = 4;

pub const NONE: u32 = u32::MAX;
/// Tag values of the root and of a missing word, past the 17 UPOS tags.
const ROOT_TAG: u64 = 17;
const NONE_TAG: u64 = 18;
const ROOT_WORD: u64 = 0x0007_0007;
const NONE_WORD: u64 = 0x000e_000e;
/// Label value of a word without a label yet.
const NO_LABEL: u64 = 255;

/// What the parser reads of each position (0 the root), built once per sentence.
#[derive(Default)]
pub struct Context {
    pub word: Vec<u64>,
    pub tag: Vec<u64>,
    pub suffix: Vec<u64>,
    /// Tags seen with the word in training: lets the parser doubt a wrong tag.
    pub seen: Vec<u64>,
}

impl Context {
    pub fn fill(&mut self, info: &[WordInfo], tags: &[Upos]) {
        self.word.clear();
        self.tag.clear();
        self.suffix.clear();
        self.seen.clear();
        self.word.push(ROOT_WORD);
        self.tag.push(ROOT_TAG);
        self.suffix.push(ROOT_WORD);
        self.seen.push(ROOT_WORD);
        for (w, &t) in info.iter().zip(tags) {
            self.word.push(w.lower);
            self.tag.push(t as u64);
            self.suffix.push(w.suffix[2]);
            self.seen.push(w.seen_tags as u64);
        }
    }
    #[inline]
    fn w(&self, i: u32) -> u64 {
        at(&self.word, i, NONE_WORD)
    }
    #[inline]
    fn p(&self, i: u32) -> u64 {
        at(&self.tag, i, NONE_TAG)
    }
    #[inline]
    fn seen(&self, i: u32) -> u64 {
        at(&self.seen, i, NONE_WORD)
    }
    #[inline]
    fn suf(&self, i: u32) -> u64 {
        at(&self.suffix, i, NONE_WORD)
    }
}

/// `v[i]`, or `none` for a missing position.
#[inline]
fn at<T: Copy>(v: &[T], i: u32, none: T) -> T {
    if i == NONE {
        none
    } else {
        v[i as usize]
    }
}

/// A parser state. All vectors are indexed by position (0 the root) and reused across sentences.
#[derive(Default)]
pub struct State {
    n: usize,
    pub stack: Vec<u32>,
    in_stack: Vec<bool>,
    /// The buffer is b..=n; empty when b > n.
    pub b: usize,
    pub head: Vec<u32>,
    pub label: Vec<u8>,
    /// Two leftmost and two rightmost dependents, nearest-to-edge first.
    left: Vec<[u32; 2]>,
    right: Vec<[u32; 2]>,
    n_left: Vec<u8>,
    n_right: Vec<u8>,
    left_labels: Vec<u64>,
    right_labels: Vec<u64>,
    root_taken: bool,
}

impl State {
    pub fn reset(&mut self, n: usize) {
        self.n = n;
        self.stack.clear();
        self.stack.push(0);
        self.in_stack.clear();
        self.in_stack.resize(n + 1, false);
        self.in_stack[0] = true;
        self.b = 1;
        self.head.clear();
        self.head.resize(n + 1, NONE);
        self.label.clear();
        self.label.resize(n + 1, NO_LABEL as u8);
        for v in [&mut self.left, &mut self.right] {
            v.clear();
            v.resize(n + 1, [NONE; 2]);
        }
        for v in [&mut self.n_left, &mut self.n_right] {
            v.clear();
            v.resize(n + 1, 0);
        }
        for v in [&mut self.left_labels, &mut self.right_labels] {
            v.clear();
            v.resize(n + 1, 0);
        }
        self.root_taken = false;
    }

    pub fn done(&self) -> bool {
        self.b > self.n
    }

    #[inline]
    fn s0(&self) -> u32 {
        *self.stack.last().unwrap_or(&NONE)
    }

    #[inline]
    fn n(&self, k: usize) -> u32 {
        let i = self.b + k;
        if i <= self.n {
            i as u32
        } else {
            NONE
        }
    }

    pub fn legal(&self, a: usize) -> bool {
        if self.done() {
            return false;
        }
        let s = self.s0();
        match a {
            SHIFT => true,
            REDUCE => s != 0 && s != NONE && self.head[s as usize] != NONE,
            LEFT => s != 0 && s != NONE && self.head[s as usize] == NONE,
            RIGHT => s != NONE && !(s == 0 && self.root_taken),
            _ => false,
        }
    }

    /// The arc an action makes, as (head, dependent), if it makes one.
    pub fn arc(&self, a: usize) -> Option<(u32, u32)> {
        match a {
            LEFT => Some((self.b as u32, self.s0())),
            RIGHT => Some((self.s0(), self.b as u32)),
            _ => None,
        }
    }

    /// Applies a legal action; `label` is the arc's label for LEFT and RIGHT.
    pub fn apply(&mut self, a: usize, label: u8) {
        match a {
            SHIFT => {
                self.stack.push(self.b as u32);
                self.in_stack[self.b] = true;
                self.b += 1;
            }
            REDUCE => {
                let s = self.stack.pop().unwrap_or(0);
                self.in_stack[s as usize] = false;
            }
            LEFT => {
                let s = self.stack.pop().unwrap_or(0);
                self.in_stack[s as usize] = false;
                self.attach(self.b as u32, s, label);
            }
            RIGHT => {
                let s = self.s0();
                self.attach(s, self.b as u32, label);
                self.stack.push(self.b as u32);
                self.in_stack[self.b] = true;
                self.b += 1;
            }
            _ => {}
        }
    }

    fn attach(&mut self, h: u32, d: u32, label: u8) {
        let (hu, du) = (h as usize, d as usize);
        self.head[du] = h;
        self.label[du] = label;
        if h == 0 {
            self.root_taken = true;
        }
        let bit = 1u64 << (label as u64).min(63);
        if d < h {
            // Arc-eager makes left arcs from the nearest dependent outwards.
            let l = &mut self.left[hu];
            l[1] = l[0];
            l[0] = d;
            self.n_left[hu] = self.n_left[hu].saturating_add(1);
            self.left_labels[hu] |= bit;
        } else {
            let r = &mut self.right[hu];
            r[1] = r[0];
            r[0] = d;
            self.n_right[hu] = self.n_right[hu].saturating_add(1);
            self.right_labels[hu] |= bit;
        }
    }

    #[inline]
    fn h(&self, i: u32) -> u32 {
        at(&self.head, i, NONE)
    }
    #[inline]
    fn l(&self, i: u32) -> u64 {
        at(&self.label, i, NO_LABEL as u8) as u64
    }
    #[inline]
    fn ld(&self, i: u32, k: usize) -> u32 {
        at(&self.left, i, [NONE; 2])[k]
    }
    #[inline]
    fn rd(&self, i: u32, k: usize) -> u32 {
        at(&self.right, i, [NONE; 2])[k]
    }

    /// Features for choosing the next transition.
    pub fn features(&self, c: &Context, out: &mut Vec<u64>) {
        out.clear();
        let s0 = self.s0();
        let s1 = if self.stack.len() >= 2 {
            self.stack[self.stack.len() - 2]
        } else {
            NONE
        };
        let (n0, n1, n2) = (self.n(0), self.n(1), self.n(2));
        let (s0h, s0l, s0r, n0l) = (self.h(s0), self.ld(s0, 0), self.rd(s0, 0), self.ld(n0, 0));
        let (s0h2, s0l2, s0r2, n0l2) =
            (self.h(s0h), self.ld(s0, 1), self.rd(s0, 1), self.ld(n0, 1));
        let (s0w, s0p, n0w, n0p) = (c.w(s0), c.p(s0), c.w(n0), c.p(n0));
        let (n1w, n1p, n2w, n2p) = (c.w(n1), c.p(n1), c.w(n2), c.p(n2));
        let dist = if s0 == NONE || n0 == NONE || s0 == 0 {
            0
        } else {
            match n0 - s0 {
                d @ 1..=4 => d as u64,
                5..=9 => 5,
                _ => 6,
            }
        };
        let val = |v: &[u8], i: u32| at(v, i, 99) as u64;
        let set = |v: &[u64], i: u32| at(v, i, 1);
        let (s0vl, s0vr, n0vl) = (
            val(&self.n_left, s0),
            val(&self.n_right, s0),
            val(&self.n_left, n0),
        );
        let (s0sl, s0sr, n0sl) = (
            set(&self.left_labels, s0),
            set(&self.right_labels, s0),
            set(&self.left_labels, n0),
        );
        let s0_headed = (s0 != NONE && s0 != 0 && self.head[s0 as usize] != NONE) as u64;
        out.extend_from_slice(&[
            feat(100, &[]),
            feat(101, &[s0w]),
            feat(102, &[s0p]),
            feat(103, &[s0w, s0p]),
            feat(104, &[n0w]),
            feat(105, &[n0p]),
            feat(106, &[n0w, n0p]),
            feat(107, &[n1w]),
            feat(108, &[n1p]),
            feat(109, &[n1w, n1p]),
            feat(110, &[n2w]),
            feat(111, &[n2p]),
            feat(112, &[n2w, n2p]),
            feat(113, &[s0w, s0p, n0w, n0p]),
            feat(114, &[s0w, s0p, n0w]),
            feat(115, &[s0w, n0w, n0p]),
            feat(116, &[s0w, s0p, n0p]),
            feat(117, &[s0p, n0w, n0p]),
            feat(118, &[s0w, n0w]),
            feat(119, &[s0p, n0p]),
            feat(120, &[n0p, n1p]),
            feat(121, &[n0p, n1p, n2p]),
            feat(122, &[s0p, n0p, n1p]),
            feat(123, &[c.p(s0h), s0p, n0p]),
            feat(124, &[s0p, c.p(s0l), n0p]),
            feat(125, &[s0p, c.p(s0r), n0p]),
            feat(126, &[s0p, n0p, c.p(n0l)]),
            feat(127, &[s0w, dist]),
            feat(128, &[s0p, dist]),
            feat(129, &[n0w, dist]),
            feat(130, &[n0p, dist]),
            feat(131, &[s0w, n0w, dist]),
            feat(132, &[s0p, n0p, dist]),
            feat(133, &[s0w, s0vr]),
            feat(134, &[s0p, s0vr]),
            feat(135, &[s0w, s0vl]),
            feat(136, &[s0p, s0vl]),
            feat(137, &[n0w, n0vl]),
            feat(138, &[n0p, n0vl]),
            feat(139, &[c.w(s0h)]),
            feat(140, &[c.p(s0h)]),
            feat(141, &[self.l(s0)]),
            feat(142, &[c.w(s0l)]),
            feat(143, &[c.p(s0l)]),
            feat(144, &[self.l(s0l)]),
            feat(145, &[c.w(s0r)]),
            feat(146, &[c.p(s0r)]),
            feat(147, &[self.l(s0r)]),
            feat(148, &[c.w(n0l)]),
            feat(149, &[c.p(n0l)]),
            feat(150, &[self.l(n0l)]),
            feat(151, &[c.w(s0h2)]),
            feat(152, &[c.p(s0h2)]),
            feat(153, &[self.l(s0h)]),
            feat(154, &[c.w(s0l2)]),
            feat(155, &[c.p(s0l2)]),
            feat(156, &[self.l(s0l2)]),
            feat(157, &[c.w(s0r2)]),
            feat(158, &[c.p(s0r2)]),
            feat(159, &[self.l(s0r2)]),
            feat(160, &[c.w(n0l2)]),
            feat(161, &[c.p(n0l2)]),
            feat(162, &[self.l(n0l2)]),
            feat(163, &[s0p, c.p(s0l), c.p(s0l2)]),
            feat(164, &[s0p, c.p(s0r), c.p(s0r2)]),
            feat(165, &[s0p, c.p(s0h), c.p(s0h2)]),
            feat(166, &[n0p, c.p(n0l), c.p(n0l2)]),
            feat(167, &[s0w, s0sr]),
            feat(168, &[s0p, s0sr]),
            feat(169, &[s0w, s0sl]),
            feat(170, &[s0p, s0sl]),
            feat(171, &[n0w, n0sl]),
            feat(172, &[n0p, n0sl]),
            feat(173, &[c.w(s1)]),
            feat(174, &[c.p(s1), s0p, n0p]),
            feat(175, &[s0_headed, s0p, n0p]),
            feat(176, &[s0_headed, self.l(s0), n0p]),
            feat(177, &[c.suf(n0), s0p]),
            feat(178, &[c.suf(s0), n0p]),
            feat(179, &[n0w, n1w]),
            feat(180, &[n0p, n1w]),
            feat(181, &[n0w, n1p]),
            feat(182, &[c.p(s1), s0p]),
            feat(183, &[c.w(s1), s0w]),
            feat(184, &[c.w(s0h), s0w]),
            feat(185, &[c.suf(n1), n0p]),
            feat(186, &[s0p, n0p, n1p, n2p]),
            feat(187, &[c.seen(s0), n0p]),
            feat(188, &[s0p, c.seen(n0)]),
            feat(189, &[c.seen(s0), c.seen(n0)]),
            feat(190, &[c.seen(n0), n1p]),
            feat(191, &[c.seen(n1), n0p]),
        ]);
    }

    /// Features for labelling the arc `h -> d`.
    pub fn label_features(&self, c: &Context, h: u32, d: u32, out: &mut Vec<u64>) {
        out.clear();
        let dir = (d < h) as u64;
        let dist = match h.abs_diff(d) {
            x @ 1..=4 => x as u64,
            5..=9 => 5,
            _ => 6,
        } + if h == 0 { 10 } else { 0 };
        let (dw, dp, hw, hp) = (c.w(d), c.p(d), c.w(h), c.p(h));
        let after = if (d as usize) < self.n { d + 1 } else { NONE };
        let before = if d > 1 { d - 1 } else { NONE };
        let dl = self.ld(d, 0);
        out.extend_from_slice(&[
            feat(200, &[dir]),
            feat(201, &[dw, dir]),
            feat(202, &[dp, dir]),
            feat(203, &[hw, dir]),
            feat(204, &[hp, dir]),
            feat(205, &[dp, hp, dir]),
            feat(206, &[dw, hp, dir]),
            feat(207, &[dp, hw, dir]),
            feat(208, &[dw, hw, dir]),
            feat(209, &[dist, dp, hp, dir]),
            feat(210, &[self.left_labels[d as usize], dp]),
            feat(211, &[self.right_labels[d as usize], dp, dir]),
            feat(212, &[self.left_labels[h as usize], hp, dir]),
            feat(213, &[self.l(h), dp, hp]),
            feat(214, &[c.suf(d), hp, dir]),
            feat(215, &[c.suf(h), dp, dir]),
            feat(216, &[c.w(dl), dp, hp]),
            feat(217, &[c.p(after), dp, hp, dir]),
            feat(218, &[c.p(before), dp, hp, dir]),
            feat(219, &[c.w(dl), c.p(dl), dir]),
            feat(220, &[self.right_labels[h as usize], hp, dp, dir]),
            feat(221, &[c.w(before), dp, hp, dir]),
            feat(222, &[c.w(after), dp, dir]),
            feat(223, &[c.w(self.ld(d, 1)), dp]),
            feat(224, &[c.p(self.h(h)), hp, dp, dir]),
            feat(225, &[self.l(h), dp, dir]),
        ]);
    }

    /// The cost of each action against the gold heads (`gold[i]`, 1-based positions, index 0
    /// unused): how many gold arcs it makes unreachable. Illegal actions cost `u32::MAX`.
    pub fn costs(&self, gold: &[u32], out: &mut [u32; ACTIONS]) {
        for (a, slot) in out.iter_mut().enumerate() {
            *slot = if self.legal(a) { 0 } else { u32::MAX };
        }
        let s = self.s0();
        let b = self.b as u32;
        let n = self.n as u32;
        let in_buffer = |k: u32| k != NONE && k >= b && k <= n;
        // Unheaded stack words whose gold head is b, and whether b's gold head is on the stack.
        let stack_deps_of_b = self
            .stack
            .iter()
            .filter(|&&k| k != 0 && self.head[k as usize] == NONE && gold[k as usize] == b)
            .count() as u32;
        let b_head_on_stack = self.in_stack[gold[b as usize] as usize];
        if out[LEFT] == 0 {
            let su = s as usize;
            let mut c = (gold[su] != b && in_buffer(gold[su])) as u32;
            c += (b..=n).filter(|&k| gold[k as usize] == s).count() as u32;
            out[LEFT] = c;
        }
        if out[RIGHT] == 0 {
            let gb = gold[b as usize];
            let mut c = (gb != s && (self.in_stack[gb as usize] || in_buffer(gb))) as u32;
            c += stack_deps_of_b;
            if s != 0 && self.head[s as usize] == NONE && gold[s as usize] == b {
                // Counted in stack_deps_of_b already.
            }
            out[RIGHT] = c;
        }
        if out[REDUCE] == 0 {
            out[REDUCE] = (b..=n).filter(|&k| gold[k as usize] == s).count() as u32;
        }
        if out[SHIFT] == 0 {
            out[SHIFT] = b_head_on_stack as u32 + stack_deps_of_b;
        }
    }

    /// Attaches the words left without a head: the first becomes the root's word if none is,
    /// the others depend on the root's word. `label` chooses each arc's label.
    pub fn finish(&mut self, mut label: impl FnMut(&State, u32, u32) -> u8) {
        let mut root = (1..=self.n).find(|&i| self.head[i] == 0).map(|i| i as u32);
        for i in 1..=self.n as u32 {
            if self.head[i as usize] != NONE {
                continue;
            }
            match root {
                None => {
                    let l = label(self, 0, i);
                    self.attach(0, i, l);
                    root = Some(i);
                }
                Some(r) => {
                    let l = label(self, r, i);
                    self.attach(r, i, l);
                }
            }
        }
    }
}

/// The trained parser: a transition table and a label table.
pub struct Parser {
    pub transitions: Table,
    pub labeler: Table,
    pub labels: Vec<String>,
    /// The id of `root`, forced on arcs from the root.
    pub root_label: u8,
}

impl Parser {
    /// The best label for `h -> d` (never `root` below the root, always `root` on it).
    pub fn label(&self, state: &State, c: &Context, h: u32, d: u32, feats: &mut Vec<u64>) -> u8 {
        if h == 0 {
            return self.root_label;
        }
        state.label_features(c, h, d, feats);
        let mut scores = [0i32; 64];
        let mut big = Vec::new();
        let scores: &mut [i32] = if self.labels.len() <= scores.len() {
            &mut scores
        } else {
            big.resize(self.labels.len(), 0);
            &mut big
        };
        self.labeler.score(feats, scores);
        let mut best = usize::MAX;
        for (k, &s) in scores[..self.labels.len()].iter().enumerate() {
            if k != self.root_label as usize && (best == usize::MAX || s > scores[best]) {
                best = k;
            }
        }
        best.min(255) as u8
    }

    /// Parses a sentence whose context is filled; the tree is left in `state`.
    pub fn parse(&self, c: &Context, state: &mut State, feats: &mut Vec<u64>) {
        let n = c.word.len() - 1;
        state.reset(n);
        let mut scores = [0i32; ACTIONS];
        while !state.done() {
            state.features(c, feats);
            self.transitions.score(feats, &mut scores);
            let mut best = usize::MAX;
            for a in 0..ACTIONS {
                if state.legal(a) && (best == usize::MAX || scores[a] > scores[best]) {
                    best = a;
                }
            }
            let label = match state.arc(best) {
                Some((h, d)) => self.label(state, c, h, d, feats),
                None => 0,
            };
            state.apply(best, label);
        }
        state.finish(|st, h, d| self.label(st, c, h, d, &mut Vec::new()));
    }
}

/// A parse of one sentence: tags, heads (0 the root) and label ids, per word.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parse {
    pub upos: Vec<Upos>,
    pub head: Vec<u32>,
    pub deprel: Vec<u8>,
}

impl Parse {
    pub fn len(&self) -> usize {
        self.upos.len()
    }
    pub fn is_empty(&self) -> bool {
        self.upos.is_empty()
    }
}

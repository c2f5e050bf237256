//! The part-of-speech tagger: greedy, left to right, one averaged-perceptron decision per word.

use crate::features::{feat, WordInfo};
use crate::perceptron::Table;
use crate::Upos;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Keys that are already hashes need no more hashing.
#[derive(Default)]
pub struct PassThrough(u64);
impl Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | b as u64;
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}
pub type HashedMap<V> = HashMap<u64, V, BuildHasherDefault<PassThrough>>;

/// Tag value for positions before the sentence.
const START: u64 = Upos::COUNT as u64;
/// Word value for positions outside the sentence.
const PAD: u64 = 0x5eed;

pub struct Tagger {
    pub table: Table,
    /// Tags seen with each lowercased word in training.
    pub seen: HashedMap<u32>,
}

/// The features of word `i`, given the tags chosen for the words before it.
pub fn features(info: &[WordInfo], tags: &[Upos], i: usize, out: &mut Vec<u64>) {
    out.clear();
    let w = &info[i];
    let word = |k: isize| -> Option<&WordInfo> {
        let j = i as isize + k;
        if j < 0 {
            None
        } else {
            info.get(j as usize)
        }
    };
    let lower = |k| word(k).map_or(PAD.wrapping_add(k as u64), |w| w.lower);
    let seen = |k| word(k).map_or(1 << 31, |w| w.seen_tags as u64);
    let tag = |k: usize| {
        if i >= k {
            tags[i - k] as u64
        } else {
            START
        }
    };
    let (t1, t2) = (tag(1), tag(2));
    out.extend_from_slice(&[
        feat(0, &[]),
        feat(1, &[w.lower]),
        w.suffix[0],
        w.suffix[1],
        w.suffix[2],
        w.suffix[3],
        w.prefix[0],
        w.prefix[1],
        w.prefix[2],
        feat(9, &[w.shape]),
        feat(10, &[t1]),
        feat(11, &[t1, t2]),
        feat(12, &[t1, w.lower]),
        feat(13, &[lower(-1)]),
        feat(14, &[word(-1).map_or(PAD, |w| w.suffix[2])]),
        feat(15, &[lower(-2)]),
        feat(16, &[lower(1)]),
        feat(17, &[word(1).map_or(PAD, |w| w.suffix[2])]),
        feat(18, &[lower(2)]),
        feat(19, &[seen(0)]),
        feat(20, &[seen(1)]),
        feat(21, &[seen(2)]),
        feat(22, &[seen(0), seen(1)]),
        feat(23, &[t1, seen(0)]),
        feat(24, &[lower(-1), w.lower]),
        feat(25, &[w.lower, lower(1)]),
        feat(26, &[word(1).map_or(PAD, |w| w.shape)]),
        feat(27, &[(i == 0) as u64, w.shape]),
        feat(28, &[t1, w.suffix[2]]),
        feat(29, &[seen(-1), seen(0), seen(1)]),
        feat(30, &[w.form]),
        feat(31, &[seen(0), w.suffix[2]]),
        feat(32, &[t1, lower(1)]),
        feat(33, &[w.prefix[0], w.shape]),
    ]);
}

/// The best tag among the scores.
pub fn best(scores: &[i32]) -> Upos {
    let mut best = 0;
    for (k, &s) in scores.iter().enumerate() {
        if s > scores[best] {
            best = k;
        }
    }
    Upos::from_index(best)
}

impl Tagger {
    pub fn seen_tags(&self, lower: u64) -> u32 {
        self.seen.get(&lower).copied().unwrap_or(0)
    }

    /// Tags a sentence whose word infos are given.
    pub fn tag(&self, info: &[WordInfo], tags: &mut Vec<Upos>, feats: &mut Vec<u64>) {
        tags.clear();
        let mut scores = [0i32; Upos::COUNT];
        for i in 0..info.len() {
            features(info, tags, i, feats);
            self.table.score(feats, &mut scores);
            tags.push(best(&scores));
        }
    }
}

//! Reported speech: "X said (that) ...", "..., X said", "according to X", "X denied that ...".
//! Each gives a region of the sentence whose events are attributed to X.

use crate::mentions::Mention;
use crate::patterns::{actor_of, subject_of};
use crate::tree::{Rel, Tree};
use crate::Sentence;
use dyad_dict::{Dictionary, Section};

#[derive(Debug, Clone, Copy)]
pub struct Region {
    /// Token range `[start, end)` the attribution covers.
    pub start: usize,
    pub end: usize,
    /// Mention index (group head) of the speaker.
    pub speaker: usize,
    /// "denied that ...": the region is not coded as fact.
    pub denial: bool,
    /// Token range of the speech verb or "according to".
    pub verb: (usize, usize),
}

pub fn find(dict: &Dictionary, s: &Sentence, ms: &[Mention], t: &Tree, out: &mut Vec<Region>) {
    out.clear();
    let n = s.ids.len();
    let inside_mention = |i: usize| ms.iter().any(|m| m.start <= i && i < m.end);
    let mut i = 0;
    while i < n {
        if inside_mention(i) {
            i += 1;
            continue;
        }
        let speech = dict.words.match_at(Section::Speech, s.ids, i);
        let denial = dict.words.match_at(Section::Denial, s.ids, i);
        if let Some(len) = denial.or(speech).filter(|_| t.is_verb(i)) {
            let speaker = subject_of(dict, s, t, i, &mut String::new())
                .and_then(|k| actor_of(s, t, ms, k))
                .map(|m| ms[m].group);
            // "X said (that) Y ...": the `ccomp` is what X says. "Y ..., X said": the speech
            // verb hangs from what is said (`parataxis`, or `ccomp` as the parser often has it).
            // "told reporters that ...", often parsed as a relative clause on the audience.
            let told = || {
                t.children(i)
                    .filter(|&k| matches!(t.rel[k], Rel::Obj | Rel::Iobj))
                    .flat_map(|k| t.children(k).filter(move |&c| c > k))
                    .find(|&c| t.rel[c] == Rel::AclRelcl && s.norm(t.subtree(c).0) == "that")
            };
            let said = t
                .children(i)
                .find(|&k| matches!(t.rel[k], Rel::Ccomp) || t.rel[k] == Rel::Parataxis && k > i)
                .or_else(told)
                .map(|k| t.subtree(k));
            let before = (matches!(t.rel[i], Rel::Parataxis | Rel::Ccomp)
                && t.head_of(i).is_some_and(|h| h < i))
            .then(|| (0, t.subtree(i).0));
            if let (Some(speaker), Some((start, end))) = (speaker, said.or(before)) {
                out.push(Region {
                    start,
                    end,
                    speaker,
                    denial: denial.is_some(),
                    verb: (i, i + len),
                });
            }
            i += len;
            continue;
        }
        if let Some(len) = dict.words.match_at(Section::According, s.ids, i) {
            if let Some(m) = ms
                .iter()
                .position(|m| m.start >= i + len && m.start <= i + len + 2)
            {
                let speaker = ms[m].group;
                let group_end = ms
                    .iter()
                    .filter(|o| o.group == speaker)
                    .map(|o| o.end)
                    .max()
                    .unwrap_or(ms[m].end);
                let at_start = (0..i).all(|k| s.is_punct(k));
                if at_start {
                    out.push(Region {
                        start: group_end,
                        end: n,
                        speaker,
                        denial: false,
                        verb: (i, i + len),
                    });
                } else {
                    out.push(Region {
                        start: 0,
                        end: i,
                        speaker,
                        denial: false,
                        verb: (i, i + len),
                    });
                }
            }
            i += len;
            continue;
        }
        i += 1;
    }
}

/// Regions covering token `i`, outermost first.
pub fn chain(regions: &[Region], i: usize) -> impl Iterator<Item = &Region> {
    let mut v: Vec<&Region> = regions
        .iter()
        .filter(|r| r.start <= i && i < r.end)
        .collect();
    v.sort_by_key(|r| std::cmp::Reverse(r.end - r.start));
    // One speaker saying it twice over ("X said ..., X added") is one link: the innermost.
    v.reverse();
    v.dedup_by_key(|r| r.speaker);
    v.reverse();
    v.into_iter()
}

#[cfg(test)]
mod tests {
    use super::{chain, Region};

    fn region(start: usize, end: usize, speaker: usize) -> Region {
        Region {
            start,
            end,
            speaker,
            denial: false,
            verb: (start, start + 1),
        }
    }

    #[test]
    fn a_speaker_saying_it_twice_is_one_link() {
        // "Lavrov said Trump told Putin ..., Lavrov added": Lavrov (0) twice around Trump (1).
        let regions = [region(0, 20, 0), region(2, 18, 0), region(4, 16, 1)];
        let speakers: Vec<usize> = chain(&regions, 10).map(|r| r.speaker).collect();
        assert_eq!(speakers, [0, 1]);
        // The innermost of the repeated pair is kept.
        assert_eq!(chain(&regions, 10).next().map(|r| r.start), Some(2));
        let nested = [region(0, 20, 0), region(4, 16, 1), region(6, 12, 0)];
        let speakers: Vec<usize> = chain(&nested, 8).map(|r| r.speaker).collect();
        assert_eq!(speakers, [0, 1, 0], "not consecutive: both links stay");
    }
}

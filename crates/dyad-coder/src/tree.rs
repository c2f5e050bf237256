//! A sentence's dependency tree over dyad's tokens: who heads whom and by which relation, read
//! from the parser's output. The slot, scope and attribution rules walk this tree.

use dyad_syntax::{Model, Parse, Upos};

/// The Universal Dependencies relations the coder reads; the rest are `Other`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rel {
    Root,
    Nsubj,
    NsubjPass,
    Csubj,
    Obj,
    Iobj,
    Obl,
    OblAgent,
    OblTmod,
    Nmod,
    NmodPoss,
    Case,
    Mark,
    Conj,
    Cc,
    Xcomp,
    Ccomp,
    Advcl,
    Acl,
    AclRelcl,
    Appos,
    Aux,
    AuxPass,
    Cop,
    Advmod,
    Amod,
    Compound,
    Flat,
    Det,
    Nummod,
    Parataxis,
    Punct,
    Other,
}

impl Rel {
    pub fn from_label(label: &str) -> Rel {
        match label {
            "root" => Rel::Root,
            "nsubj" | "nsubj:outer" => Rel::Nsubj,
            "nsubj:pass" => Rel::NsubjPass,
            "csubj" | "csubj:pass" | "csubj:outer" => Rel::Csubj,
            "obj" => Rel::Obj,
            "iobj" => Rel::Iobj,
            "obl:agent" => Rel::OblAgent,
            "obl:tmod" | "nmod:tmod" => Rel::OblTmod,
            "nmod:poss" => Rel::NmodPoss,
            "acl:relcl" | "advcl:relcl" => Rel::AclRelcl,
            "aux:pass" => Rel::AuxPass,
            _ => match label.split(':').next().unwrap_or("") {
                "obl" => Rel::Obl,
                "nmod" => Rel::Nmod,
                "case" => Rel::Case,
                "mark" => Rel::Mark,
                "conj" => Rel::Conj,
                "cc" => Rel::Cc,
                "xcomp" => Rel::Xcomp,
                "ccomp" => Rel::Ccomp,
                "advcl" => Rel::Advcl,
                "acl" => Rel::Acl,
                "appos" => Rel::Appos,
                "aux" => Rel::Aux,
                "cop" => Rel::Cop,
                "advmod" => Rel::Advmod,
                "amod" => Rel::Amod,
                "compound" => Rel::Compound,
                "flat" => Rel::Flat,
                "det" => Rel::Det,
                "nummod" => Rel::Nummod,
                "parataxis" => Rel::Parataxis,
                "punct" => Rel::Punct,
                _ => Rel::Other,
            },
        }
    }

    /// The UD name of the relation as the coder reads it.
    pub fn as_str(self) -> &'static str {
        match self {
            Rel::Root => "root",
            Rel::Nsubj => "nsubj",
            Rel::NsubjPass => "nsubj:pass",
            Rel::Csubj => "csubj",
            Rel::Obj => "obj",
            Rel::Iobj => "iobj",
            Rel::Obl => "obl",
            Rel::OblAgent => "obl:agent",
            Rel::OblTmod => "obl:tmod",
            Rel::Nmod => "nmod",
            Rel::NmodPoss => "nmod:poss",
            Rel::Case => "case",
            Rel::Mark => "mark",
            Rel::Conj => "conj",
            Rel::Cc => "cc",
            Rel::Xcomp => "xcomp",
            Rel::Ccomp => "ccomp",
            Rel::Advcl => "advcl",
            Rel::Acl => "acl",
            Rel::AclRelcl => "acl:relcl",
            Rel::Appos => "appos",
            Rel::Aux => "aux",
            Rel::AuxPass => "aux:pass",
            Rel::Cop => "cop",
            Rel::Advmod => "advmod",
            Rel::Amod => "amod",
            Rel::Compound => "compound",
            Rel::Flat => "flat",
            Rel::Det => "det",
            Rel::Nummod => "nummod",
            Rel::Parataxis => "parataxis",
            Rel::Punct => "punct",
            Rel::Other => "other",
        }
    }

    /// A relation that opens a clause of its own below its head.
    pub fn clausal(self) -> bool {
        matches!(
            self,
            Rel::Ccomp
                | Rel::Xcomp
                | Rel::Advcl
                | Rel::Acl
                | Rel::AclRelcl
                | Rel::Parataxis
                | Rel::Csubj
        )
    }
}

/// The parser's relation labels as [`Rel`]s, by label id.
pub fn relations(model: &Model) -> Vec<Rel> {
    model.labels().iter().map(|l| Rel::from_label(l)).collect()
}

/// A dependency tree over a sentence's tokens.
#[derive(Debug, Clone, Default)]
pub struct Tree {
    /// Head token of each token; `NONE` for the root.
    pub head: Vec<u32>,
    pub rel: Vec<Rel>,
    pub upos: Vec<Upos>,
    /// Children of each token, in order: `kids[first[t]..first[t + 1]]`.
    first: Vec<u32>,
    kids: Vec<u32>,
}

pub const NONE: u32 = u32::MAX;

impl Tree {
    /// Fills the tree from a parse over the same tokens (heads 1-based, 0 the root).
    pub fn fill(&mut self, parse: &Parse, rels: &[Rel]) {
        let n = parse.head.len();
        self.head.clear();
        self.rel.clear();
        self.upos.clear();
        for i in 0..n {
            let h = parse.head[i];
            self.head.push(if h == 0 { NONE } else { h - 1 });
            self.rel.push(
                rels.get(parse.deprel[i] as usize)
                    .copied()
                    .unwrap_or(Rel::Other),
            );
            self.upos.push(parse.upos[i]);
        }
        self.link();
    }

    /// Builds the children lists from the heads.
    fn link(&mut self) {
        let n = self.head.len();
        self.first.clear();
        self.first.resize(n + 1, 0);
        for &h in &self.head {
            if h != NONE {
                self.first[h as usize + 1] += 1;
            }
        }
        for i in 0..n {
            self.first[i + 1] += self.first[i];
        }
        self.kids.clear();
        self.kids.resize(self.first[n] as usize, 0);
        let mut fill: Vec<u32> = self.first[..n].to_vec();
        for (i, &h) in self.head.iter().enumerate() {
            if h != NONE {
                self.kids[fill[h as usize] as usize] = i as u32;
                fill[h as usize] += 1;
            }
        }
    }

    /// Mends a parse the parser often gets wrong in news: "Students kidnapped in Zamfara were
    /// freed" read with "kidnapped" as the main verb and "were freed" as its complement. A bare
    /// participle (`participle(r)`, no auxiliary, no object) after its subject, with a
    /// subjectless clause that has its own auxiliary after it, is a reduced relative of that
    /// subject, and the clause is the subject's verb.
    pub fn mend_reduced_relatives(&mut self, participle: impl Fn(usize) -> bool) {
        let mut changed = false;
        for r in 0..self.len() {
            if !self.is_verb(r) || !participle(r) {
                continue;
            }
            let kids: Vec<usize> = self.children(r).collect();
            let Some(&subj) = kids.iter().find(|&&k| k < r && self.rel[k] == Rel::Nsubj) else {
                continue;
            };
            let bare = !kids
                .iter()
                .any(|&k| matches!(self.rel[k], Rel::Aux | Rel::AuxPass | Rel::Obj));
            let clause = kids.iter().copied().find(|&c| {
                c > r
                    && matches!(
                        self.rel[c],
                        Rel::Ccomp | Rel::Conj | Rel::Parataxis | Rel::Advcl
                    )
                    && self
                        .children(c)
                        .any(|k| matches!(self.rel[k], Rel::Aux | Rel::AuxPass | Rel::Cop))
                    && !self.children(c).any(|k| {
                        matches!(
                            self.rel[k],
                            Rel::Nsubj | Rel::NsubjPass | Rel::Mark | Rel::Cc
                        )
                    })
            });
            let Some(c) = clause.filter(|_| bare) else {
                continue;
            };
            let passive = self.children(c).any(|k| self.rel[k] == Rel::AuxPass);
            self.head[c] = self.head[r];
            self.rel[c] = self.rel[r];
            self.head[r] = subj as u32;
            self.rel[r] = Rel::Acl;
            self.head[subj] = c as u32;
            self.rel[subj] = if passive { Rel::NsubjPass } else { Rel::Nsubj };
            changed = true;
        }
        if changed {
            self.link();
        }
    }

    /// Mends "X, who took over the case, is investigating" read with X and "who" both subjects
    /// of "took" and the main verb hanging from it: the relative clause is X's, and the later
    /// subjectless verb is X's main verb. `relative(k)`: is token `k` "who", "which" or "that"?
    pub fn mend_relative_clauses(&mut self, relative: impl Fn(usize) -> bool) {
        let mut changed = false;
        for r in 0..self.len() {
            let kids: Vec<usize> = self.children(r).collect();
            let subjects: Vec<usize> = kids
                .iter()
                .copied()
                .filter(|&k| self.rel[k] == Rel::Nsubj)
                .collect();
            let (Some(&x), Some(&w)) = (
                subjects.iter().find(|&&k| !relative(k)),
                subjects.iter().find(|&&k| relative(k)),
            ) else {
                continue;
            };
            if x > w {
                continue;
            }
            let main = kids.iter().copied().find(|&c| {
                c > r
                    && self.is_verb(c)
                    && matches!(self.rel[c], Rel::Parataxis | Rel::Conj | Rel::Ccomp)
                    && !self
                        .children(c)
                        .any(|k| matches!(self.rel[k], Rel::Nsubj | Rel::NsubjPass | Rel::Mark))
            });
            let Some(c) = main else {
                continue;
            };
            self.head[c] = self.head[r];
            self.rel[c] = self.rel[r];
            self.head[x] = c as u32;
            self.head[r] = x as u32;
            self.rel[r] = Rel::AclRelcl;
            changed = true;
        }
        if changed {
            self.link();
        }
    }

    pub fn len(&self) -> usize {
        self.head.len()
    }

    pub fn is_empty(&self) -> bool {
        self.head.is_empty()
    }

    pub fn head_of(&self, t: usize) -> Option<usize> {
        match self.head.get(t) {
            Some(&h) if h != NONE => Some(h as usize),
            _ => None,
        }
    }

    pub fn children(&self, t: usize) -> impl Iterator<Item = usize> + '_ {
        let (a, b) = match (self.first.get(t), self.first.get(t + 1)) {
            (Some(&a), Some(&b)) => (a as usize, b as usize),
            _ => (0, 0),
        };
        self.kids[a..b].iter().map(|&k| k as usize)
    }

    /// The first child of `t` with relation `rel`.
    pub fn child(&self, t: usize, rel: Rel) -> Option<usize> {
        self.children(t).find(|&k| self.rel[k] == rel)
    }

    pub fn is_verb(&self, t: usize) -> bool {
        matches!(self.upos.get(t), Some(Upos::VERB | Upos::AUX))
    }

    pub fn is_nominal(&self, t: usize) -> bool {
        matches!(
            self.upos.get(t),
            Some(Upos::NOUN | Upos::PROPN | Upos::PRON | Upos::NUM)
        )
    }

    /// Is `a` an ancestor of `t` (or `t` itself)?
    pub fn dominates(&self, a: usize, mut t: usize) -> bool {
        for _ in 0..self.len() + 1 {
            if t == a {
                return true;
            }
            match self.head_of(t) {
                Some(h) => t = h,
                None => return false,
            }
        }
        false
    }

    /// The token range `[lo, hi)` of `t` and all it dominates.
    pub fn subtree(&self, t: usize) -> (usize, usize) {
        let (mut lo, mut hi) = (t, t + 1);
        let mut stack = vec![t];
        while let Some(n) = stack.pop() {
            for k in self.children(n) {
                lo = lo.min(k);
                hi = hi.max(k + 1);
                stack.push(k);
            }
        }
        (lo, hi)
    }

    /// The token range a word's phrase covers: its subtree without clauses, appositions and
    /// conjuncts' clauses (for the text of an uncoded actor).
    pub fn phrase(&self, t: usize) -> (usize, usize) {
        let (mut lo, mut hi) = (t, t + 1);
        let mut stack = vec![t];
        while let Some(n) = stack.pop() {
            for k in self.children(n) {
                if self.rel[k].clausal() || matches!(self.rel[k], Rel::Appos | Rel::Punct) {
                    continue;
                }
                lo = lo.min(k);
                hi = hi.max(k + 1);
                stack.push(k);
            }
        }
        (lo, hi)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn children_and_ancestry() {
        // "Russia attacked Ukraine": attacked is the root.
        let parse = Parse {
            upos: vec![Upos::PROPN, Upos::VERB, Upos::PROPN],
            head: vec![2, 0, 2],
            deprel: vec![1, 0, 2],
        };
        let rels = [Rel::Root, Rel::Nsubj, Rel::Obj];
        let mut t = Tree::default();
        t.fill(&parse, &rels);
        assert_eq!(t.children(1).collect::<Vec<_>>(), vec![0, 2]);
        assert_eq!(t.child(1, Rel::Obj), Some(2));
        assert_eq!(t.head_of(1), None);
        assert!(t.dominates(1, 2));
        assert!(!t.dominates(2, 1));
        assert_eq!(t.phrase(1), (0, 3));
        assert!(t.is_verb(1) && t.is_nominal(0));
    }

    fn tree(heads: &[u32], rels: &[Rel], upos: &[Upos]) -> Tree {
        // One label id per relation, in order.
        let parse = Parse {
            upos: upos.to_vec(),
            head: heads.to_vec(),
            deprel: (0..rels.len() as u8).collect(),
        };
        let mut t = Tree::default();
        t.fill(&parse, rels);
        t
    }

    #[test]
    fn a_reduced_relative_read_as_the_main_verb_is_mended() {
        // "students kidnapped in Zamfara were freed": kidnapped(root) <- students nsubj,
        // freed ccomp of kidnapped with aux:pass "were".
        let rels = [
            Rel::Nsubj,
            Rel::Root,
            Rel::Case,
            Rel::Obl,
            Rel::AuxPass,
            Rel::Ccomp,
        ];
        let upos = [
            Upos::NOUN,
            Upos::VERB,
            Upos::ADP,
            Upos::PROPN,
            Upos::AUX,
            Upos::VERB,
        ];
        let mut t = tree(&[2, 0, 4, 2, 6, 2], &rels, &upos);
        t.mend_reduced_relatives(|k| k == 1 || k == 5);
        assert_eq!(t.head_of(5), None, "freed is the main verb");
        assert_eq!((t.head_of(0), t.rel[0]), (Some(5), Rel::NsubjPass));
        assert_eq!((t.head_of(1), t.rel[1]), (Some(0), Rel::Acl));
        assert_eq!(t.children(5).collect::<Vec<_>>(), vec![0, 4]);
    }

    #[test]
    fn an_appositive_relative_clause_read_as_the_main_clause_is_mended() {
        // "Muller, who took over, is investigating": took(root) has nsubj Muller and nsubj who;
        // investigating hangs from took by parataxis.
        let rels = [
            Rel::Nsubj,
            Rel::Punct,
            Rel::Nsubj,
            Rel::Root,
            Rel::Aux,
            Rel::Parataxis,
        ];
        let upos = [
            Upos::PROPN,
            Upos::PUNCT,
            Upos::PRON,
            Upos::VERB,
            Upos::AUX,
            Upos::VERB,
        ];
        let mut t = tree(&[4, 4, 4, 0, 6, 4], &rels, &upos);
        t.mend_relative_clauses(|k| k == 2);
        assert_eq!(t.head_of(5), None, "investigating is the main verb");
        assert_eq!(t.head_of(0), Some(5));
        assert_eq!((t.head_of(3), t.rel[3]), (Some(0), Rel::AclRelcl));
    }

    #[test]
    fn a_tree_without_those_shapes_is_left_alone() {
        let rels = [Rel::Nsubj, Rel::Root, Rel::Obj];
        let upos = [Upos::PROPN, Upos::VERB, Upos::PROPN];
        let mut t = tree(&[2, 0, 2], &rels, &upos);
        let before = (t.head.clone(), t.rel.clone());
        t.mend_reduced_relatives(|_| true);
        t.mend_relative_clauses(|_| false);
        assert_eq!((t.head.clone(), t.rel.clone()), before);
    }

    #[test]
    fn labels_map_to_relations() {
        assert_eq!(Rel::from_label("obl:agent"), Rel::OblAgent);
        assert_eq!(Rel::from_label("obl:unmarked"), Rel::Obl);
        assert_eq!(Rel::from_label("acl:relcl"), Rel::AclRelcl);
        assert_eq!(Rel::from_label("compound:prt"), Rel::Compound);
        assert_eq!(Rel::from_label("weird"), Rel::Other);
        for label in [
            "nsubj:pass",
            "obl:agent",
            "acl:relcl",
            "nmod:poss",
            "aux:pass",
            "xcomp",
        ] {
            assert_eq!(Rel::from_label(label).as_str(), label);
        }
    }
}

//! Verb pattern matching: which patterns fire in a sentence. The words of a pattern are matched
//! on the token sequence; its source and target slots, voice and scope are read from the
//! sentence's dependency tree.

use crate::mentions::{Mention, Via};
use crate::tree::{Rel, Tree};
use crate::Sentence;
use dyad_core::TokenKind;
use dyad_dict::{Dictionary, Elem, Mode, Section, NO_WORD};
use std::fmt::Write;

/// How many other words may stand between two pattern elements.
const GAP: usize = 3;
/// How far the tree may carry a pattern from one word to the next.
const FAR: usize = 16;
/// At most this many word elements are recorded per match.
const MAX_WORDS: usize = 8;

#[derive(Debug, Clone)]
pub struct Hit {
    pub pattern: u32,
    pub anchor: usize,
    /// Token positions of the matched words, in order.
    pub words: [u16; MAX_WORDS],
    pub n_words: usize,
    /// Mention index (group head) of source and target.
    pub source: Option<usize>,
    pub target: Option<usize>,
    pub passive: bool,
    /// The target was found after a preposition later in the clause, not in a slot.
    pub target_is_place: bool,
    /// Source and target stand for one actor, not for the compound it is part of.
    pub single: (bool, bool),
    /// The anchor reads as a verb, not a noun.
    pub verb_like: bool,
    pub negated: bool,
    /// The negation is a refusal: "refused to", "declined to", "will not".
    pub refused: bool,
    /// The modal phrase before the verb, and what kind it is.
    pub modality: Option<(String, Modal)>,
    /// The token range of the object (or patient) when it names no actor: "arrested a
    /// California man".
    pub object: Option<(usize, usize)>,
    /// The tree relations that gave the slots, for the trace and the event's explanation.
    pub relations: String,
    /// The predicate whose subject and scope count: the anchor, or the verb whose object the
    /// anchor noun is ("carried out an attack").
    pub predicate: usize,
    /// The pattern word that heads the others in the tree.
    pub node: usize,
}

/// What a modal phrase says about the act.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Modal {
    Intent,
    Obligation,
    Threat,
    Possibility,
}

const MODALS: [(Section, Modal); 4] = [
    (Section::Threat, Modal::Threat),
    (Section::Obligation, Modal::Obligation),
    (Section::Intent, Modal::Intent),
    (Section::Possibility, Modal::Possibility),
];

impl Hit {
    pub fn first(&self) -> usize {
        self.words[0] as usize
    }
    pub fn last(&self) -> usize {
        self.words[self.n_words.max(1) - 1] as usize
    }
    pub fn positions(&self) -> &[u16] {
        &self.words[..self.n_words]
    }
}

/// A token a pattern gap may not step over.
fn hard(s: &Sentence, i: usize) -> bool {
    s.kind(i) == TokenKind::Punct
        && matches!(s.norm(i), "." | ";" | ":" | "!" | "?" | "(" | ")" | ",")
}

fn clause_word(dict: &Dictionary, s: &Sentence, i: usize) -> bool {
    dict.words.is(Section::Clause, s.ids, i) && !as_phrase(dict, s, i)
}

/// "ordered out as illegal aliens, but": "as" before a short phrase with no verb in it is a
/// preposition, not the opener of a clause.
fn as_phrase(dict: &Dictionary, s: &Sentence, i: usize) -> bool {
    if s.norm(i) != "as" {
        return false;
    }
    let end = (i + 1..s.ids.len().min(i + 6))
        .find(|&k| hard(s, k))
        .unwrap_or(s.ids.len());
    end > i + 1
        && end <= i + 5
        && (i + 1..end).all(|k| {
            let w = s.norm(k);
            s.kind(k) == TokenKind::Word
                && !w.ends_with("ed")
                && !w.ends_with("ing")
                && !dict.past_forms.contains(&s.ids[k])
                && !dict.words.is(Section::Be, s.ids, k)
                && !dict.words.is(Section::Clause, s.ids, k)
                && (s.ids[k] == NO_WORD || dict.verbs.anchored_at(s.ids[k]).is_empty())
        })
}

/// Is the doer of the act at `hit` a natural force ("the cyclone displaced 3,000 people",
/// "houses destroyed by floods")? Looked for in the clause before the verb and after a passive's
/// "by".
pub fn natural_cause(dict: &Dictionary, s: &Sentence, hit: &Hit) -> bool {
    let force = |k: usize| dict.words.is(Section::NaturalForce, s.ids, k);
    let before = (hit.first().saturating_sub(8)..hit.first())
        .rev()
        .take_while(|&k| !hard(s, k) && !clause_word(dict, s, k))
        .any(force);
    let after = hit.passive
        && (hit.last() + 1..(hit.last() + 1 + 2 * GAP).min(s.ids.len()))
            .take_while(|&k| !hard(s, k))
            .find(|&k| dict.words.is(Section::By, s.ids, k))
            .is_some_and(|by| (by + 1..(by + 5).min(s.ids.len())).any(force));
    before || after
}

/// Is token `p` the "of" after a number or a quantity word ("thousands of", "a group of")?
fn quantity_of(dict: &Dictionary, s: &Sentence, p: usize) -> bool {
    s.norm(p) == "of"
        && p > 0
        && (s.kind(p - 1) == TokenKind::Number || dict.words.is(Section::Quantity, s.ids, p - 1))
}

/// The first mention starting in `from..=from + GAP`, with no hard boundary or preposition before
/// it.
fn mention_after(dict: &Dictionary, s: &Sentence, ms: &[Mention], from: usize) -> Option<usize> {
    let mut j = from;
    while j < s.ids.len() && j <= from + GAP {
        if let Some(m) = ms.iter().position(|m| m.start == j) {
            // "its European Union partners": the owner is not the actor named.
            let owner = ms[m].via == Via::Pronoun
                && matches!(
                    s.norm(j),
                    "his" | "her" | "its" | "their" | "our" | "my" | "your"
                );
            let owned = owner
                .then(|| ms.iter().position(|n| n.start == ms[m].end))
                .flatten();
            return Some(owned.unwrap_or(m));
        }
        // "thousands of refugees": "of" after a quantity is no preposition of the clause.
        if hard(s, j) || (dict.words.is(Section::Preposition, s.ids, j) && !quantity_of(dict, s, j))
        {
            return None;
        }
        j += 1;
    }
    None
}

/// The last token of the group headed by mention `head`.
fn group_end(ms: &[Mention], head: usize) -> usize {
    ms.iter()
        .filter(|m| m.group == ms[head].group)
        .map(|m| m.end)
        .max()
        .unwrap_or(ms[head].end)
}

/// Can token `k` be a past participle ("killed", "taken", "held")?
pub(crate) fn participle_form(dict: &Dictionary, s: &Sentence, k: usize) -> bool {
    let w = s.norm(k);
    w.ends_with("ed") || w.ends_with("en") || dict.participles.contains(&s.ids[k])
}

/// Is the verb at `v` passive? "was attacked", "were arrested and jailed", "students kidnapped in
/// Zamfara", "books banned by the Taliban".
fn passive(dict: &Dictionary, s: &Sentence, t: &Tree, v: usize) -> bool {
    let verb_or_adjective = t.is_verb(v) || t.upos[v] == dyad_syntax::Upos::ADJ;
    if !verb_or_adjective || s.norm(v).ends_with("ing") {
        return false;
    }
    let marked = t
        .children(v)
        .any(|k| matches!(t.rel[k], Rel::NsubjPass | Rel::AuxPass | Rel::OblAgent));
    if marked {
        return true;
    }
    let own_subject = t
        .children(v)
        .any(|k| matches!(t.rel[k], Rel::Nsubj | Rel::Aux));
    if own_subject || !participle_form(dict, s, v) {
        return false;
    }
    match t.rel[v] {
        // A participle modifying a noun is done to it, unless it takes an object ("a court
        // sentencing X") or the noun heads the whole sentence: "The ministry on Monday expelled
        // a diplomat" is often parsed as a noun with a reduced relative.
        Rel::Acl => {
            let root_noun = t.head_of(v).is_some_and(|h| t.rel[h] == Rel::Root);
            !root_noun && t.child(v, Rel::Obj).is_none()
        }
        // "may be arrested and detained": the second participle shares the passive.
        Rel::Conj => t.head_of(v).is_some_and(|h| passive(dict, s, t, h)),
        // "remain detained", "got arrested": a participle completing a verb is a state or a
        // passive; so is one added to a clause ("a reporter arrested over his posts" read as
        // an adjunct of the main verb).
        Rel::Xcomp | Rel::Advcl => t.child(v, Rel::Obj).is_none(),
        _ => false,
    }
}

/// The innermost mention that contains token `k`.
fn mention_at(ms: &[Mention], k: usize) -> Option<usize> {
    ms.iter().rposition(|m| m.start <= k && k < m.end)
}

/// The actor a noun phrase headed by `n` names: a mention containing its head, else the nearest
/// named actor inside the phrase ("thousands of Sudanese", "a school for Somali children"), not
/// inside its clauses.
pub(crate) fn actor_of(s: &Sentence, t: &Tree, ms: &[Mention], n: usize) -> Option<usize> {
    actor_in(s, t, ms, n).map(|(m, _)| m)
}

/// The actor a subject phrase names: as [`actor_of`], where a role inside the phrase counts too
/// ("members of Britain's Shadow Cabinet").
pub(crate) fn doer_of(s: &Sentence, t: &Tree, ms: &[Mention], n: usize) -> Option<usize> {
    mention_at(ms, n)
        .filter(|&m| ms[m].via != Via::Pronoun || t.rel[n] != Rel::NmodPoss)
        .or_else(|| search(s, t, ms, n, true).map(|(m, _)| m))
}

/// Words that make a noun under a phrase the place it is in ("a village in Mali").
pub(crate) const LOCATIVE: [&str; 7] = [
    "in",
    "at",
    "near",
    "outside",
    "inside",
    "across",
    "throughout",
];

/// As [`actor_of`], and whether the actor was found as a place inside the phrase ("a village in
/// Mali").
fn actor_in(s: &Sentence, t: &Tree, ms: &[Mention], n: usize) -> Option<(usize, bool)> {
    if let Some(m) = mention_at(ms, n) {
        // "its European Union partners": the owner is not the actor named.
        let owner = ms[m].via == Via::Pronoun
            && ms[m].end == n + 1
            && t.rel[n] == Rel::NmodPoss
            && matches!(s.norm(n), "his" | "her" | "its" | "their" | "our");
        if !owner {
            return Some((m, false));
        }
    }
    search(s, t, ms, n, false)
}

/// The nearest mention inside the phrase of `n` (only names unless `roles`), and whether it was
/// reached as a place.
fn search(s: &Sentence, t: &Tree, ms: &[Mention], n: usize, roles: bool) -> Option<(usize, bool)> {
    let mut level = vec![(n, false)];
    for _ in 0..3 {
        let mut next = Vec::new();
        for &(x, located) in &level {
            for k in t.children(x) {
                let inside = matches!(
                    t.rel[k],
                    Rel::Nmod | Rel::Compound | Rel::Amod | Rel::Appos | Rel::Flat | Rel::Conj
                ) || t.rel[k] == Rel::NmodPoss;
                let place = t.rel[k] == Rel::Nmod
                    && case_of(t, k).is_some_and(|c| LOCATIVE.contains(&s.norm(c)));
                if inside {
                    next.push((k, located || place));
                }
            }
        }
        next.sort_unstable_by_key(|&(k, _)| k.abs_diff(n));
        // Inside a phrase only a name counts: "the attack on the embassy" names no actor.
        let named = next.iter().find_map(|&(k, located)| {
            mention_at(ms, k)
                .filter(|&m| ms[m].via == Via::Name || roles && ms[m].code.is_some())
                .map(|m| (m, located))
        });
        if named.is_some() {
            return named;
        }
        if next.is_empty() {
            break;
        }
        level = next;
    }
    None
}

/// The subject of the predicate at `v`, followed through coordination ("X met Y and signed"),
/// control ("urged X to ...": X; "agreed to ...": the subject), relative clauses and participle
/// clauses ("forces attacking the city"). The relations walked are written to `why`.
pub(crate) fn subject_of(
    dict: &Dictionary,
    s: &Sentence,
    t: &Tree,
    v: usize,
    why: &mut String,
) -> Option<usize> {
    let mut v = v;
    for _ in 0..8 {
        if let Some(k) = t
            .children(v)
            .find(|&k| matches!(t.rel[k], Rel::Nsubj | Rel::NsubjPass))
        {
            let relative = matches!(s.norm(k), "who" | "which" | "that");
            if relative && t.rel[v] == Rel::AclRelcl {
                why.push_str(" acl:relcl");
                return t.head_of(v);
            }
            why.push_str(if t.rel[k] == Rel::Nsubj {
                " nsubj"
            } else {
                " nsubj:pass"
            });
            return Some(k);
        }
        // "The government today ordered": a subject the parser hung from a time word or
        // phrase before the verb.
        if let Some(k) = t
            .children(v)
            .filter(|&x| {
                x < v && matches!(t.rel[x], Rel::Obl | Rel::OblTmod | Rel::Nmod | Rel::Advmod)
            })
            .find_map(|x| {
                // "Denmark last week announced": the name may hang from the time phrase as a
                // compound too.
                t.children(x).find(|&k| {
                    t.rel[k] == Rel::Nsubj
                        || k < x
                            && matches!(t.rel[k], Rel::Compound | Rel::Amod | Rel::Flat)
                            && s.capitalized(k)
                })
            })
        {
            why.push_str(" nsubj(of a time phrase)");
            return Some(k);
        }
        let h = t.head_of(v)?;
        // A text that speaks in a participle clause: "a statement condemning".
        let message =
            |n: usize| dict.words.is(Section::Message, s.ids, n) && s.norm(v).ends_with("ing");
        match t.rel[v] {
            Rel::Conj if !t.is_nominal(h) => why.push_str(" conj"),
            Rel::Xcomp => {
                let object = t
                    .children(h)
                    .find(|&k| matches!(t.rel[k], Rel::Obj | Rel::Iobj));
                match object {
                    // "passed a resolution criticizing X": the resolution's issuer criticizes.
                    Some(o) if message(o) => why.push_str(" xcomp(of a message)"),
                    Some(o) => {
                        why.push_str(" xcomp(object control)");
                        return Some(o);
                    }
                    None => why.push_str(" xcomp"),
                }
            }
            // "issued a statement condemning X": the one who issued it.
            Rel::Acl if t.rel[h] == Rel::Obj && message(h) => {
                why.push_str(" acl(of a message)");
                v = t.head_of(h)?;
                continue;
            }
            Rel::AclRelcl | Rel::Acl => {
                why.push_str(" acl");
                return Some(h);
            }
            // "sent observers to investigate": those sent do it.
            Rel::Advcl
                if mark_of(t, v).is_some_and(|m| s.norm(m) == "to")
                    && dispatch(dict, s, t, h).is_some() =>
            {
                why.push_str(" advcl(purpose of sending)");
                return dispatch(dict, s, t, h);
            }
            // ", killing one person", "to press their demands": an adjunct clause with no
            // subject of its own shares its head's. Not "suspected of blowing up": that doer is
            // the one suspected.
            Rel::Advcl if t.is_verb(h) && mark_of(t, v).is_none_or(|m| s.norm(m) != "of") => {
                why.push_str(" advcl")
            }
            // "X on Saturday hosted Y" read as a name with a `parataxis` (or `flat`, `nmod`)
            // verb: the name before a subjectless verb that hangs from it is its subject.
            Rel::Parataxis | Rel::Flat | Rel::Nmod | Rel::Appos | Rel::Compound | Rel::Other
                if t.is_nominal(h) && h < v && t.upos[v] == dyad_syntax::Upos::VERB =>
            {
                why.push_str(" (a verb hung from the name before it: its subject)");
                return Some(h);
            }
            _ => return None,
        }
        v = h;
    }
    None
}

/// The object of a verb of sending ("sent observers", "deployed troops").
fn dispatch(dict: &Dictionary, s: &Sentence, t: &Tree, v: usize) -> Option<usize> {
    dict.words
        .is(Section::Dispatch, s.ids, v)
        .then(|| t.child(v, Rel::Obj))
        .flatten()
}

/// When the tree gives a verb no subject that names an actor (a misparse of "Trump reportedly
/// agreed"): an actor that ends right before the verb and its auxiliaries and adverbs.
fn adjacent_subject(t: &Tree, ms: &[Mention], v: usize) -> Option<usize> {
    let mut k = v;
    while k > 0
        && matches!(
            t.upos[k - 1],
            dyad_syntax::Upos::ADV | dyad_syntax::Upos::AUX | dyad_syntax::Upos::PART
        )
    {
        k -= 1;
    }
    let m = ms.iter().rposition(|m| m.end == k)?;
    Some(ms[m].group)
}

/// The first actor of a "between X and Y" phrase under `v` (its own, its object's or its
/// xcomp's, two levels down).
fn between(s: &Sentence, t: &Tree, ms: &[Mention], v: usize) -> Option<usize> {
    let mut level = vec![v];
    for _ in 0..3 {
        let mut next = Vec::new();
        for &x in &level {
            for k in t.children(x) {
                if matches!(t.rel[k], Rel::Nmod | Rel::Obl)
                    && case_of(t, k).is_some_and(|c| s.norm(c) == "between")
                {
                    return mention_at(ms, k);
                }
                if matches!(t.rel[k], Rel::Obj | Rel::Nmod | Rel::Xcomp) {
                    next.push(k);
                }
            }
        }
        level = next;
    }
    None
}

/// The preposition (`case`) word of a nominal `n`.
fn case_of(t: &Tree, n: usize) -> Option<usize> {
    t.children(n).find(|&k| t.rel[k] == Rel::Case)
}

/// The `by` phrase of a passive verb or of a noun ("attack by X").
fn agent_of(dict: &Dictionary, s: &Sentence, t: &Tree, v: usize) -> Option<usize> {
    t.children(v).find(|&k| {
        t.rel[k] == Rel::OblAgent
            || matches!(t.rel[k], Rel::Obl | Rel::Nmod)
                && case_of(t, k).is_some_and(|c| dict.words.is(Section::By, s.ids, c))
    })
}

/// The words an act at verb `v` may be aimed at, best first: an oblique with one of the
/// pattern's prepositions if there is one; else the direct or indirect object, then an oblique
/// with a preposition that says whom an act is aimed at ("lend $1 billion to Fiji"). Never the
/// pattern's own words, nor a place phrase that only says where.
fn objects_of(s: &Sentence, t: &Tree, v: usize, preps: &[usize], words: &[u16]) -> Vec<usize> {
    let own = |k: usize| words.contains(&(k as u16));
    let case = |k: usize| case_of(t, k).filter(|&c| !own(c) || preps.contains(&c));
    let named = t.children(v).filter(|&k| {
        matches!(t.rel[k], Rel::Obl | Rel::Nmod)
            && case(k).is_some_and(|c| preps.iter().any(|&p| s.norm(p) == s.norm(c)))
    });
    let object = t
        .children(v)
        .filter(|&k| matches!(t.rel[k], Rel::Obj | Rel::Iobj));
    let aimed = t.children(v).filter(|&k| {
        t.rel[k] == Rel::Obl
            && case_of(t, k).is_some_and(|c| {
                !own(c) && matches!(s.norm(c), "with" | "against" | "to" | "toward" | "towards")
            })
    });
    // The oblique a pattern names is its target's place, whatever else the verb has.
    let named: Vec<usize> = named.filter(|&k| !own(k)).collect();
    if !named.is_empty() {
        return named;
    }
    object.chain(aimed).filter(|&k| !own(k)).collect()
}

/// The last of the pattern's words that the tree reads as a verb.
fn last_verb(t: &Tree, words: &[u16]) -> Option<usize> {
    words
        .iter()
        .rev()
        .map(|&w| w as usize)
        .find(|&w| w < t.len() && t.is_verb(w))
}

fn rel_name(r: Rel) -> &'static str {
    match r {
        Rel::Obj => " obj",
        Rel::Iobj => " iobj",
        _ => " obl",
    }
}

/// The verb whose object (or oblique) the noun at `n` is: "carried out an attack", "engaged in
/// talks", "will provide 25,000 tons of food aid".
fn light_verb(dict: &Dictionary, s: &Sentence, t: &Tree, n: usize) -> Option<usize> {
    let mut x = n;
    // "tons of food aid": the quantity is the object.
    if t.rel[x] == Rel::Nmod {
        x = t.head_of(x)?;
    }
    let h = t.head_of(x)?;
    // "engaged in talks", "resorted to force"; not "after the bombing", "in the ambush".
    let oblique =
        t.rel[x] == Rel::Obl && case_of(t, x).is_some_and(|c| matches!(s.norm(c), "in" | "to"));
    let object = t.rel[x] == Rel::Obj;
    // "those killed in the ambush": whoever undergoes a verb does not do its noun.
    let usable = t.is_verb(h) && !dict.words.is(Section::Be, s.ids, h) && !passive(dict, s, t, h);
    ((object || oblique) && usable).then_some(h)
}

/// The possessor or the adjectival actor of a noun: "Russia's attempts", "their meeting",
/// "Russian cyberattacks".
fn owner_of(s: &Sentence, t: &Tree, ms: &[Mention], n: usize) -> Option<usize> {
    t.children(n)
        .filter(|&k| k < n)
        .filter(|&k| matches!(t.rel[k], Rel::NmodPoss | Rel::Amod | Rel::Compound))
        .find_map(|k| {
            let m = mention_at(ms, k)?;
            let pronoun_ok = ms[m].via != Via::Pronoun
                || matches!(s.norm(k), "his" | "her" | "its" | "their" | "our");
            (pronoun_ok && (t.rel[k] == Rel::NmodPoss || ms[m].via == Via::Name)).then_some(m)
        })
}

/// The word of `words` whose head lies outside them: a verb first, else a noun or adjective.
fn head_word(t: &Tree, words: &[u16]) -> Option<usize> {
    let heads: Vec<usize> = words
        .iter()
        .map(|&w| w as usize)
        .filter(|&w| w < t.len())
        .filter(|&w| t.head_of(w).is_none_or(|h| !words.contains(&(h as u16))))
        .collect();
    let content = |w: &usize| {
        matches!(
            t.upos[*w],
            dyad_syntax::Upos::NOUN | dyad_syntax::Upos::PROPN | dyad_syntax::Upos::ADJ
        )
    };
    heads
        .iter()
        .copied()
        .find(|&w| t.is_verb(w))
        .or_else(|| heads.iter().copied().find(content))
}

/// Works out the source, the target and the flags of a matched pattern from the tree.
fn complete(dict: &Dictionary, s: &Sentence, ms: &[Mention], t: &Tree, partial: Partial) -> Hit {
    let Partial { mut hit, inside } = partial;
    let p = dict.verbs.pattern(hit.pattern);
    // The tree's predicate is the pattern word that heads the others: "condemned" in
    // "strongly condemned", "assaults" in "ground assaults on".
    let anchor = head_word(t, hit.positions()).unwrap_or(hit.anchor);
    // A pattern that writes its own "be" names a stance ("is committed to"), not a passive.
    let stance = hit
        .positions()
        .iter()
        .any(|&w| dict.words.is(Section::Be, s.ids, w as usize));
    if anchor != hit.anchor || stance {
        hit.passive = !p.code.starts_with("01") && !stance && passive(dict, s, t, anchor);
    }
    let passive = hit.passive;
    hit.node = anchor;
    let group = |m: usize| ms[m].group;
    // A word with a subject of its own is a predicate, whatever its tag ("..., Benin met").
    let predicate = t.is_verb(anchor)
        || t.upos[anchor] == dyad_syntax::Upos::ADJ
        || t.child(anchor, Rel::Nsubj).is_some();
    let noun_use = !predicate;
    hit.verb_like = !noun_use;
    let mut why = String::new();
    // The pattern's own words after the anchor name the prepositions its target may take.
    let preps: Vec<usize> = hit.positions()[1..]
        .iter()
        .map(|&w| w as usize)
        .filter(|&w| t.rel.get(w) == Some(&Rel::Case))
        .collect();
    let light = noun_use.then(|| light_verb(dict, s, t, anchor)).flatten();
    hit.predicate = light.unwrap_or(anchor);
    let owner = noun_use.then(|| owner_of(s, t, ms, anchor)).flatten();
    let undergoes = noun_use && dict.words.is(Section::PatientNoun, s.ids, anchor);
    let subject = |v: usize, why: &mut String| {
        subject_of(dict, s, t, v, why)
            .and_then(|n| doer_of(s, t, ms, n).map(group))
            .or_else(|| {
                adjacent_subject(t, ms, v).inspect(|_| why.push_str(" (actor right before)"))
            })
    };
    if passive {
        // "was attacked by X": X is the source, the subject the target.
        if let Some(a) = agent_of(dict, s, t, anchor) {
            why.push_str(" obl:agent");
            hit.source = actor_of(s, t, ms, a).map(group);
        }
        if p.has_target() {
            let mut w = String::new();
            let patient = subject_of(dict, s, t, anchor, &mut w);
            why.push_str(&w);
            hit.target = patient.and_then(|n| actor_of(s, t, ms, n)).map(group);
            if hit.target.is_none() {
                hit.object = patient.map(|n| t.phrase(n));
            }
        }
    } else if noun_use {
        if undergoes && hit.target.is_none() {
            // "his arrest", "the release of X": the owner undergoes it.
            hit.target = owner.map(group).or_else(|| {
                t.children(anchor)
                    .find(|&k| {
                        t.rel[k] == Rel::Nmod && case_of(t, k).is_some_and(|c| s.norm(c) == "of")
                    })
                    .and_then(|k| actor_of(s, t, ms, k))
                    .map(group)
            });
        }
        let by = agent_of(dict, s, t, anchor).and_then(|k| actor_of(s, t, ms, k));
        if by.is_some() {
            why.push_str(" nmod(by)");
        }
        hit.source = by.map(group).or(owner.filter(|_| !undergoes).map(group));
        if hit.source.is_some() && by.is_none() {
            why.push_str(" nmod:poss");
        }
        if hit.source.is_none() {
            if let Some(v) = light {
                why.push_str(" obj-of-verb");
                hit.source = subject(v, &mut why);
            }
        } else {
            // "would accept Putin's denial": the denial is Putin's, outside the verb's scope.
            hit.predicate = anchor;
        }
    } else {
        hit.source = hit.source.or_else(|| subject(anchor, &mut why));
    }
    // "Protesters clashed with police": a pattern that starts on the actor's own role noun and
    // goes on with a verb in the past has that actor as its source when no other is found
    // ("opposition to the plan" or "suicide bombers" alone are no act of the actor).
    let verb_follows = hit.positions()[1..].iter().any(|&w| {
        let w = w as usize;
        s.norm(w).ends_with("ed") || dict.participles.contains(&s.ids[w])
    });
    if hit.source.is_none() && !passive && verb_follows {
        hit.source = mention_at(ms, anchor)
            .filter(|&m| ms[m].code.is_some())
            .map(group);
    }
    if p.elems[..p.anchor].first() == Some(&Elem::Target) && !passive {
        hit.target = hit.source.take();
    }
    // "talks between X and Y", "agreed to create a working group between Washington and
    // Moscow": the two sides; the one that is not the source is the target.
    if hit.target.is_none() && !passive {
        if let Some(sides) = between(s, t, ms, anchor) {
            let country = |m: usize| {
                ms[m]
                    .code
                    .map(|c| c.as_str().get(..3).unwrap_or("").to_string())
            };
            let members: Vec<usize> = (0..ms.len())
                .filter(|&m| ms[m].group == ms[sides].group)
                .collect();
            match hit.source {
                // A source that is one side acts on the other; any other source on both
                // ("backs a deal between Britain and Mauritius").
                Some(src) if members.iter().any(|&m| country(m) == country(src)) => {
                    hit.target = members
                        .iter()
                        .copied()
                        .find(|&m| country(m) != country(src));
                    hit.single.1 = true;
                }
                Some(_) => hit.target = Some(ms[sides].group),
                None if members.len() >= 2 => {
                    hit.source = Some(members[0]);
                    hit.target = Some(members[1]);
                    hit.single = (true, true);
                }
                None => {}
            }
            if hit.target.is_some() {
                why.push_str(" nmod(between)");
            }
        }
    }
    if hit.target.is_none() && !passive && (p.has_target() || !noun_use) {
        let words = hit.positions();
        // The pattern's deepest verb takes the object: "agreed to lend $1 billion to Fiji".
        let v = last_verb(t, words).unwrap_or(anchor);
        // A pattern that names no target names no preposition for one either.
        let named: &[usize] = if p.has_target() { &preps } else { &[] };
        let objects = objects_of(s, t, v, named, words);
        // Where an act of a pattern that names no target happened is no target of it ("began
        // war games in the Indian Ocean").
        let found = objects.iter().find_map(|&o| {
            actor_in(s, t, ms, o)
                .filter(|&(_, place)| !place || p.has_target())
                .map(|f| (o, f))
        });
        if let Some((o, (m, place))) = found {
            why.push_str(rel_name(t.rel[o]));
            hit.target = Some(group(m));
            // "attacked a village in Mali": the country is where it happened.
            if place {
                hit.target = Some(m);
                hit.target_is_place = true;
                hit.single.1 = true;
            }
        } else if let Some(&o) = objects.iter().find(|&&o| {
            // An uncoded target is a thing named: an object or the pattern's own oblique, headed
            // by a noun ("resettle the Uyghurs"), not a pronoun ("which Moscow denied").
            let noun = matches!(
                t.upos[o],
                dyad_syntax::Upos::NOUN | dyad_syntax::Upos::PROPN
            );
            let aimed_only =
                t.rel[o] == Rel::Obl && !case_of(t, o).is_some_and(|c| preps.contains(&c));
            noun && !aimed_only
        }) {
            why.push_str(rel_name(t.rel[o]));
            if hit.object.is_none() {
                hit.object = Some(t.phrase(o));
            }
        }
    }
    // "expelled two Russian diplomats": a pattern word inside an actor makes it the target.
    if hit.target.is_none() && !passive {
        // Not when the pattern's words are the whole actor ("the general strike", "military
        // cooperation"): then they are the object named, not an actor.
        let words = hit.positions();
        hit.target = words[1..]
            .iter()
            .find_map(|&w| {
                ms.iter().position(|m| {
                    m.start <= w as usize
                        && (w as usize) < m.end
                        && (m.start..m.end).any(|t| !words.contains(&(t as u16)))
                })
            })
            .map(group);
    }
    if hit.target.is_none() && !passive && !p.has_source() {
        hit.target = inside.map(group).filter(|&t| Some(t) != hit.source);
    }
    // "Nigeria will withdraw its peacekeeping force from Chad": the source's own forces are not
    // the target.
    let country = |m: usize| {
        ms[m]
            .code
            .map(|c| c.as_str().get(..3).unwrap_or("").to_string())
    };
    let own = |t: usize| {
        ms[t].via == Via::Pronoun && hit.source.is_some_and(|src| country(src) == country(t))
    };
    if hit.target.is_some_and(own) {
        hit.target = None;
    }
    // "France and Egypt held war games in the Mediterranean": a compound source of a mutual
    // act acts on itself, not on the place.
    let compound_source = hit
        .source
        .is_some_and(|g| ms.iter().filter(|m| m.group == ms[g].group).count() >= 2);
    let mutual = compound_source && dict.transforms.apply(Mode::Mutual, &p.code).is_some();
    if hit.target.is_none()
        && !passive
        && !mutual
        && dict.transforms.apply(Mode::PlaceTarget, &p.code).is_some()
    {
        hit.target = place_of(dict, s, t, ms, hit.predicate, hit.source);
        hit.target_is_place = hit.target.is_some();
        hit.single.1 = hit.target_is_place;
        if hit.target_is_place {
            why.push_str(" obl(place)");
        }
    }
    if hit.target.is_some() {
        hit.object = None;
    }
    hit.relations = why.trim().to_string();
    let verb = hit.predicate;
    flags(dict, s, ms, t, verb, &mut hit);
    hit
}

/// The first country or organisation named in an oblique of the predicate `v` ("deployed troops
/// in Mali") that is not the source.
fn place_of(
    dict: &Dictionary,
    s: &Sentence,
    t: &Tree,
    ms: &[Mention],
    v: usize,
    source: Option<usize>,
) -> Option<usize> {
    let source_code = source.and_then(|m| ms[m].code);
    // Not a source cited: "according to Palestinian officials".
    let cited = |k: usize| {
        t.children(k).filter(|&c| t.rel[c] == Rel::Case).any(|c| {
            (c.saturating_sub(1)..=c)
                .any(|a| dict.words.match_at(Section::According, s.ids, a).is_some())
        })
    };
    t.children(v)
        .filter(|&k| t.rel[k] == Rel::Obl && case_of(t, k).is_some() && !cited(k))
        .find_map(|k| {
            let m = mention_at(ms, k)?;
            let fits = ms[m].via == Via::Name
                && ms[m]
                    .code
                    .is_some_and(|c| !dict.actor_types.contains(c.as_str()))
                && ms[m].code != source_code;
            fits.then_some(m)
        })
}
/// Matches the words and slots of one pattern with its anchor word at token `anchor`. With no
/// tree (before parsing, to decide whether to parse), a target slot is optional, as in a
/// passive.
fn match_elements(
    dict: &Dictionary,
    s: &Sentence,
    ms: &[Mention],
    t: Option<&Tree>,
    pid: u32,
    anchor: usize,
) -> Option<Partial> {
    let p = dict.verbs.pattern(pid);
    let passive = !p.code.starts_with("01") && t.is_none_or(|t| passive(dict, s, t, anchor));
    let mut hit = Hit {
        pattern: pid,
        anchor,
        words: [0; MAX_WORDS],
        n_words: 1,
        source: None,
        target: None,
        passive,
        target_is_place: false,
        single: (false, false),
        verb_like: false,
        negated: false,
        refused: false,
        modality: None,
        object: None,
        relations: String::new(),
        predicate: anchor,
        node: anchor,
    };
    // An actor standing inside the object the pattern names: "rejected a Senegalese peace plan".
    let mut inside: Option<usize> = None;
    hit.words[0] = anchor as u16;
    let mut cursor = anchor + 1;
    for e in &p.elems[p.anchor + 1..] {
        match e {
            Elem::Word(_) => {
                let mut j = cursor;
                let near = loop {
                    if j >= s.ids.len() || j > cursor + GAP {
                        break None;
                    }
                    if s.ids[j] != NO_WORD && e.accepts(s.ids[j]) {
                        break Some(j);
                    }
                    if hard(s, j) || clause_word(dict, s, j) {
                        break None;
                    }
                    if inside.is_none() {
                        inside = ms.iter().position(|m| m.start == j && m.via == Via::Name);
                    }
                    j += 1;
                };
                // Farther off, the tree may still tie the word to the anchor, as part of the
                // verb's object: "donated a shipment of 250 ventilators and other equipment to
                // Ethiopia". Without a tree (deciding whether to parse), any such word may be.
                let far = || {
                    let stop = |k: usize| clause_word(dict, s, k) || hard(s, k) && s.norm(k) != ",";
                    (cursor..s.ids.len().min(cursor + FAR))
                        .take_while(|&k| !stop(k))
                        .find(|&k| {
                            s.ids[k] != NO_WORD
                                && e.accepts(s.ids[k])
                                && t.is_none_or(|t| tied(s, t, anchor, k))
                        })
                };
                let on_anchor = hit.n_words == 1;
                let j = near.or_else(|| on_anchor.then(far).flatten())?;
                if hit.n_words < MAX_WORDS {
                    hit.words[hit.n_words] = j as u16;
                    hit.n_words += 1;
                }
                cursor = j + 1;
            }
            Elem::Target if passive && mention_after(dict, s, ms, cursor).is_none() => {}
            Elem::Target if passive && t.is_some() => {}
            Elem::Target | Elem::Source => {
                // A target at the end of a pattern may be no actor: "criticized the plan".
                let last = std::ptr::eq(e, p.elems.last().unwrap_or(e));
                let Some(m) = mention_after(dict, s, ms, cursor) else {
                    if *e == Elem::Target && last {
                        // "attack on a police station": the preposition's noun, uncoded.
                        hit.object = t.and_then(|t| {
                            (cursor > anchor + 1)
                                .then(|| cursor - 1)
                                .filter(|&c| t.rel.get(c) == Some(&Rel::Case))
                                .and_then(|c| t.head_of(c))
                                .filter(|&n| n > cursor - 1)
                                .map(|n| t.phrase(n))
                        });
                        continue;
                    }
                    return None;
                };
                // "talks between $ and +": when the pattern's next word follows this actor, the
                // slot is the actor alone, not its compound.
                let next = p.elems
                    [p.elems.iter().position(|x| std::ptr::eq(x, e)).unwrap_or(0) + 1..]
                    .first();
                let alone = matches!(next, Some(Elem::Word(_)))
                    && next.is_some_and(|n| s.ids.get(ms[m].end).is_some_and(|&id| n.accepts(id)));
                let (slot, end) = if alone {
                    (m, ms[m].end)
                } else {
                    (ms[m].group, group_end(ms, ms[m].group))
                };
                cursor = end;
                if *e == Elem::Target {
                    hit.target = Some(slot);
                    hit.single.1 = alone;
                } else {
                    hit.source = Some(slot);
                    hit.single.0 = alone;
                }
            }
        }
    }
    Some(Partial { hit, inside })
}

/// Does word `k` belong to an argument of `head`: its oblique, or its object with the noun of a
/// quantity or container in it ("a shipment of ventilators"), a conjunct ("medicines and
/// equipment"), or the preposition of one of these?
fn tied(s: &Sentence, t: &Tree, head: usize, k: usize) -> bool {
    let mut x = k;
    // A preposition stands for its phrase, whose own link is free: "(equipment) to Ethiopia".
    let preposition = t.rel[x] == Rel::Case;
    if preposition {
        let Some(h) = t.head_of(x) else { return false };
        x = h;
    }
    for step in 0..5 {
        let Some(h) = t.head_of(x) else { return false };
        // Deep inside an oblique ("killed in the attack and the battle with militants") the
        // words belong to another act.
        let argument =
            matches!(t.rel[x], Rel::Obj | Rel::Iobj) || step == 0 && t.rel[x] == Rel::Obl;
        if h == head {
            return argument;
        }
        // Past the word's own phrase, only lists and quantities ("a shipment of ventilators
        // and other equipment"): "support for the war" is no war.
        let of = || case_of(t, x).is_some_and(|c| s.norm(c) == "of");
        let link = match t.rel[x] {
            Rel::Conj | Rel::Compound => true,
            Rel::Nmod => step == 0 && preposition || of(),
            _ => false,
        };
        if !link {
            return false;
        }
        x = h;
    }
    false
}

/// A pattern whose words and slots matched, before its source and flags are worked out.
struct Partial {
    hit: Hit,
    /// An actor inside the named object.
    inside: Option<usize>,
}

/// Negation and modality: from the predicate's own `advmod` and `aux` words and the verb that
/// governs it ("refused to", "plans to"), then from the words between its subject and it.
fn flags(dict: &Dictionary, s: &Sentence, ms: &[Mention], t: &Tree, first: usize, hit: &mut Hit) {
    let mut v = first;
    for _ in 0..4 {
        for k in t.children(v) {
            if matches!(t.rel[k], Rel::Advmod | Rel::Aux | Rel::Other)
                && dict.words.is(Section::Negation, s.ids, k)
            {
                hit.negated = true;
            }
        }
        let Some(g) = t.head_of(v).filter(|_| t.rel[v] == Rel::Xcomp) else {
            break;
        };
        if dict
            .words
            .match_at(Section::NegatingVerbs, s.ids, g)
            .is_some()
        {
            hit.negated = true;
            hit.refused = true;
        }
        v = g;
    }
    let mut j = first;
    let mut steps = 0;
    while j > 0 && steps < 5 {
        j -= 1;
        steps += 1;
        if ms.iter().any(|m| m.start <= j && j < m.end) || hard(s, j) {
            break;
        }
        if dict.words.is(Section::Negation, s.ids, j) {
            hit.negated = true;
        }
        if let Some(len) = dict.words.match_at(Section::NegatingVerbs, s.ids, j) {
            if j + len == first {
                hit.negated = true;
                hit.refused = true;
            }
        }
        if hit.modality.is_none() {
            for (section, modal) in MODALS {
                if let Some((len, _)) = dict.words.match_phrase(section, s.ids, j) {
                    // "on May 2" names a month, not a possibility.
                    let name = len == 1 && t.upos.get(j) == Some(&dyad_syntax::Upos::PROPN);
                    if j + len <= first && !name {
                        let words: Vec<&str> = (j..j + len).map(|k| s.original(k)).collect();
                        hit.modality = Some((words.join(" "), modal));
                        break;
                    }
                }
            }
        }
        if clause_word(dict, s, j) {
            break;
        }
    }
    // "will not meet", "would not accept": negated intent is a refusal; "did not meet" is not.
    if hit.negated && hit.modality.as_ref().is_some_and(|m| m.1 == Modal::Intent) {
        hit.refused = true;
    }
}

/// Does a pattern match the words of the sentence outside its names? Only such sentences are
/// parsed.
pub fn any_candidate(dict: &Dictionary, s: &Sentence, ms: &[Mention], pids: &mut Vec<u32>) -> bool {
    (0..s.ids.len()).any(|i| {
        s.ids[i] != NO_WORD
            && !ms
                .iter()
                .any(|m| m.start <= i && i < m.end && !role_noun_at(m, i))
            && {
                dict.verbs.candidates(s.ids, i, FAR, pids);
                pids.iter()
                    .any(|&pid| match_elements(dict, s, ms, None, pid, i).is_some())
            }
    })
}

/// The child of `a` on the path from `a` down to `b`, if `a` dominates `b`.
fn branch(t: &Tree, a: usize, b: usize) -> Option<usize> {
    let mut x = b;
    for _ in 0..t.len() {
        let h = t.head_of(x)?;
        if h == a {
            return Some(x);
        }
        x = h;
    }
    None
}

/// Is `x`, a dependent of a verbal act, what the act is about: its object or complement, or an
/// oblique such as "of killing", "over the attack"? Not a coordinated act, nor when or where
/// it happened ("during their meeting").
fn content(s: &Sentence, t: &Tree, x: usize) -> bool {
    match t.rel[x] {
        Rel::Conj | Rel::Parataxis => false,
        Rel::Obl | Rel::Advcl | Rel::Nmod => !t
            .children(x)
            .find(|&k| matches!(t.rel[k], Rel::Case | Rel::Mark))
            .is_some_and(|k| {
                matches!(
                    s.norm(k),
                    "during"
                        | "at"
                        | "in"
                        | "after"
                        | "before"
                        | "amid"
                        | "since"
                        | "following"
                        | "while"
                        | "when"
                )
            }),
        _ => true,
    }
}

/// The head of the clause the predicate `v` stands in, climbing coordination and control
/// ("aims to tighten").
fn clause_head(t: &Tree, mut v: usize) -> usize {
    for _ in 0..8 {
        match t.head_of(v) {
            Some(h) if matches!(t.rel[v], Rel::Conj | Rel::Xcomp) => v = h,
            _ => break,
        }
    }
    v
}

/// The `mark` word of a clause head.
fn mark_of(t: &Tree, v: usize) -> Option<usize> {
    t.children(v).find(|&k| t.rel[k] == Rel::Mark)
}

/// Is the predicate `v` inside a condition ("if X attacks", "unless", "whether")?
fn conditional(dict: &Dictionary, s: &Sentence, t: &Tree, v: usize) -> bool {
    let mut x = v;
    for _ in 0..t.len() {
        let condition = t.children(x).filter(|&k| t.rel[k] == Rel::Mark).any(|m| {
            matches!(t.rel[x], Rel::Advcl | Rel::Ccomp)
                && dict.words.is(Section::Condition, s.ids, m)
                && s.norm(m) != "should"
                || s.norm(m) == "whether"
        });
        if condition {
            return true;
        }
        match t.head_of(x) {
            Some(h) => x = h,
            None => return false,
        }
    }
    false
}

/// Is the predicate `v` in a clause that tells background: a relative clause ("rebels who
/// overran the village"), or an adjunct opened by a [background] word ("two days after police
/// beat a reporter", "after the attack")?
fn background(dict: &Dictionary, s: &Sentence, t: &Tree, v: usize) -> bool {
    let c = clause_head(t, v);
    match t.rel[c] {
        Rel::AclRelcl => true,
        Rel::Advcl => mark_of(t, c).is_some_and(|m| dict.words.is(Section::Background, s.ids, m)),
        Rel::Obl | Rel::Nmod => {
            !t.is_verb(c)
                && case_of(t, c).is_some_and(|k| dict.words.is(Section::Background, s.ids, k))
        }
        _ => false,
    }
}

/// Is the predicate `v` a purpose clause ("went there to help oust ...")? Not the task of those
/// sent ("sent observers to investigate"), which news reports as begun.
fn purpose(dict: &Dictionary, s: &Sentence, t: &Tree, v: usize) -> bool {
    let c = clause_head(t, v);
    t.rel[c] == Rel::Advcl
        && mark_of(t, c).is_some_and(|m| s.norm(m) == "to")
        && t.head_of(c)
            .is_none_or(|h| dispatch(dict, s, t, h).is_none())
}

/// All pattern hits of a sentence after choosing the best per anchor and removing hits that a
/// more specific one covers. `vetoed(i)` tells tokens inside a discard phrase.
pub fn find(
    dict: &Dictionary,
    s: &Sentence,
    ms: &[Mention],
    t: &Tree,
    vetoed: &[bool],
    mut trace: Option<&mut String>,
) -> Vec<Hit> {
    let mut hits: Vec<Hit> = Vec::new();
    let mut pids: Vec<u32> = Vec::new();
    for i in 0..s.ids.len() {
        let id = s.ids[i];
        // Words of a named actor are not verbs; a role noun may start a pattern ("military
        // support to Ukraine", "Fijian peacekeepers arrived in Lebanon").
        if id == NO_WORD
            || ms
                .iter()
                .any(|m| m.start <= i && i < m.end && !role_noun_at(m, i))
        {
            continue;
        }
        // "its detained centers", "the jailed publisher", "37 injured people": a participle that
        // modifies a noun is an adjective, unless the pattern names the two together ("two
        // improvised explosive devices").
        let participle = s.norm(i).ends_with("ed") || dict.participles.contains(&id);
        let adjective = participle
            && (t.rel[i] == Rel::Amod
                || ms
                    .iter()
                    .any(|m| m.start <= i && i + 1 < m.end && role_noun_at(m, i)));
        let mut candidates: Vec<(Partial, (usize, bool))> = Vec::new();
        // Only the patterns whose next word is near; with a trace, every pattern of the anchor.
        if trace.is_some() {
            pids.clear();
            pids.extend_from_slice(dict.verbs.anchored_at(id));
        } else {
            dict.verbs.candidates(s.ids, i, FAR, &mut pids);
        }
        for &pid in &pids {
            let p = dict.verbs.pattern(pid);
            let result = match_elements(dict, s, ms, Some(t), pid, i);
            if let Some(tr) = trace.as_deref_mut() {
                let _ = writeln!(
                    tr,
                    "    {} `{}` -> {}: {}",
                    dict.loc(p.loc),
                    p.text,
                    p.code,
                    if result.is_some() {
                        "matches"
                    } else {
                        "no match"
                    }
                );
            }
            let Some(m) = result else { continue };
            // "The weather was fine": an adjective after "be" is no verb when the pattern is the
            // word alone ("concerned about", "is critical of" name the adjective's use).
            let predicate_adjective = t.upos[i] == dyad_syntax::Upos::ADJ
                && t.child(i, Rel::Cop).is_some()
                && m.hit.n_words == 1;
            if predicate_adjective
                || adjective && m.hit.positions().get(1) != Some(&((i + 1) as u16))
            {
                if let Some(tr) = trace.as_deref_mut() {
                    let _ = writeln!(tr, "      an adjective here (amod), not a verb");
                }
                continue;
            }
            if m.hit
                .positions()
                .iter()
                .any(|&w| vetoed.get(w as usize) == Some(&true))
            {
                if let Some(tr) = trace.as_deref_mut() {
                    let _ = writeln!(tr, "      vetoed by a discard phrase");
                }
                continue;
            }
            let key = (p.specificity, m.hit.target.is_some());
            candidates.push((m, key));
        }
        // The most specific pattern that finds a source; working sources out only for the
        // candidates in that order keeps this cheap.
        candidates.sort_by_key(|c| std::cmp::Reverse(c.1));
        let mut first = None;
        for (m, _) in candidates {
            let h = complete(dict, s, ms, t, m);
            if h.source.is_some() {
                first = Some(h);
                break;
            }
            first.get_or_insert(h);
        }
        if let Some(h) = first {
            hits.push(h);
        }
    }
    // A hit inside a more specific hit's words is the same event read twice.
    let covered =
        |a: &Hit, b: &Hit| b.first() <= a.first() && a.last() <= b.last() && b.n_words > a.n_words;
    let keep: Vec<bool> = hits
        .iter()
        .map(|a| !hits.iter().any(|b| covered(a, b)))
        .collect();
    let mut hits: Vec<Hit> = hits
        .into_iter()
        .zip(keep)
        .filter_map(|(h, k)| k.then_some(h))
        .collect();
    // "promised to withdraw", "urged X to stop": the governing verb's code wins and takes the
    // inner verb's target. "demanded that Y refuse ...": the inner subject is the target.
    let mut i = 0;
    while i < hits.len() {
        let last = hits[i].last();
        let (to, that) = (s.norm(last) == "to", s.norm(last) == "that");
        let governor = hits[i].anchor;
        let inner = (to || that)
            .then(|| {
                hits.iter().position(|b| {
                    t.head_of(b.predicate) == Some(governor)
                        && matches!(t.rel[b.predicate], Rel::Xcomp | Rel::Ccomp | Rel::Advcl)
                })
            })
            .flatten();
        let Some(k) = inner else {
            i += 1;
            continue;
        };
        let inner = hits.remove(k);
        if k < i {
            i -= 1;
        }
        if hits[i].target.is_none() {
            hits[i].target = if that { inner.source } else { inner.target };
            if hits[i].target.is_none() && hits[i].object.is_none() {
                hits[i].object = inner.object;
            }
        }
    }
    // What a verbal act is about is not coded as fact: in "rejected an offer to host talks to
    // agree on a truce" or "accused X of violating rights, ignoring law", only the
    // rejection and the accusation happened. The content is what the act's verb dominates,
    // not a verb coordinated with it.
    let mut keep = vec![true; hits.len()];
    for a in 0..hits.len() {
        let code = &dict.verbs.pattern(hits[a].pattern).code;
        let charges = hits[a]
            .positions()
            .iter()
            .any(|&w| matches!(s.norm(w as usize), "of" | "for" | "with"));
        let charged = charges && code.starts_with("173");
        if !keep[a] || !(verbal(code) || charged) {
            continue;
        }
        for b in 0..hits.len() {
            if b == a {
                continue;
            }
            if branch(t, hits[a].node, hits[b].node).is_some_and(|x| content(s, t, x)) {
                keep[b] = false;
            }
        }
    }
    // "the threat of al-Shabab attacks": a feared noun event is none.
    for (b, h) in hits.iter().enumerate() {
        let first = h.first();
        let feared = (first.saturating_sub(6)..first).any(|k| {
            dict.words
                .match_at(Section::Unreal, s.ids, k)
                .is_some_and(|len| k + len <= first && !(k..first).any(|j| hard(s, j)))
        });
        if feared {
            keep[b] = false;
        }
    }
    // A protest's purpose hands the protest its target.
    let mut purposes: Vec<(usize, Option<usize>)> = Vec::new();
    for (b, h) in hits.iter().enumerate() {
        // "unless President X arranged a ceasefire": a condition is not an event.
        if conditional(dict, s, t, h.predicate) {
            keep[b] = false;
        }
        // "staged demonstrations to demand reforms", "blocked roads to press their demands":
        // the purpose of a protest, a show of force or a blockade is part of it. So is a demand
        // in a participle after it ("rallied in Barcelona demanding independence from Spain").
        let carrier = |a: &Hit| {
            let code = &dict.verbs.pattern(a.pattern).code;
            ["14", "15", "191"].iter().any(|c| code.starts_with(c))
        };
        let under = |a: &Hit| {
            t.head_of(clause_head(t, h.predicate)) == Some(a.predicate)
                && matches!(t.rel[clause_head(t, h.predicate)], Rel::Advcl | Rel::Xcomp)
        };
        if let Some(a) = hits.iter().position(|a| carrier(a) && under(a)) {
            keep[b] = false;
            purposes.push((a, h.target));
        } else if purpose(dict, s, t, h.predicate) {
            // "sent troops to help oust the regime": no ouster happened.
            keep[b] = false;
        }
    }
    for (a, target) in purposes {
        let code = |m: Option<usize>| m.and_then(|m| ms[m].code);
        // A place in the protesters' own country ("protested in Manila") names no target.
        let open = hits[a].target.is_none() || code(hits[a].target) == code(hits[a].source);
        if open && target.is_some() && target != hits[a].source {
            hits[a].target = target;
        }
    }
    // "Spain recalled its ambassador two days after police beat a reporter": only the news.
    let background: Vec<bool> = hits
        .iter()
        .map(|h| background(dict, s, t, h.predicate))
        .collect();
    let main_event = hits
        .iter()
        .enumerate()
        .any(|(b, h)| keep[b] && !background[b] && h.source.is_some());
    if main_event {
        for (k, bg) in keep.iter_mut().zip(&background) {
            *k &= !bg;
        }
    }
    hits.into_iter()
        .zip(keep)
        .filter_map(|(h, k)| k.then_some(h))
        .collect()
}

/// Is token `i` the role noun of mention `m` ("police", "Fijian peacekeepers"), which a pattern
/// may start with? Not a person's name or title.
fn role_noun_at(m: &Mention, i: usize) -> bool {
    m.via == Via::Agent || (m.agent.is_some() && !m.person && i > m.start)
}

/// Codes of saying, asking, intending, demanding, accusing, rejecting and threatening.
fn verbal(code: &str) -> bool {
    matches!(
        code.get(..2),
        Some("01" | "02" | "03" | "10" | "11" | "12" | "13")
    )
}

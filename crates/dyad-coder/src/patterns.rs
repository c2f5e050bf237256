//! Verb pattern matching: which patterns fire in a sentence, with their source and target slots,
//! passive voice, negation and modality.

use crate::mentions::{Mention, Via};
use crate::Sentence;
use dyad_core::TokenKind;
use dyad_dict::{Dictionary, Elem, Mode, Section, NO_WORD};
use std::fmt::Write;

/// How many other words may stand between two pattern elements.
const GAP: usize = 3;
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

/// Is the mention group headed by `head` the object of a preposition ("about Russian
/// interference", "at the G20 summit")?
fn after_preposition(dict: &Dictionary, s: &Sentence, ms: &[Mention], head: usize) -> bool {
    preposition_before(dict, s, ms, head).is_some()
}

/// The token of the preposition an actor group is the object of.
fn preposition_before(
    dict: &Dictionary,
    s: &Sentence,
    ms: &[Mention],
    head: usize,
) -> Option<usize> {
    let mut k = ms[head].start;
    while k > 0 {
        k -= 1;
        // "at least three Iraqi civilians", "up to 100 protesters": a number, not a place.
        if dict
            .words
            .match_at(Section::Approximator, s.ids, k)
            .is_some()
        {
            return None;
        }
        if dict.words.is(Section::Preposition, s.ids, k) {
            return Some(k);
        }
        // Determiners and adjectives stand between: "in neighbouring Lebanon", "in northern
        // Israel".
        let adjective = (s.ids[k] == NO_WORD && s.kind(k) == TokenKind::Word && !s.capitalized(k))
            || dict.words.is(Section::PlaceAdjective, s.ids, k);
        if !dict.words.is(Section::Determiner, s.ids, k) && !adjective {
            return None;
        }
    }
    None
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

/// The subject of a verb at token `i`: the nearest actor (head of its group) to the left that is
/// not the object of a preposition, not across a clause boundary. "Robert Muller, who took over":
/// `who` points back to Muller.
pub fn subject_before(dict: &Dictionary, s: &Sentence, ms: &[Mention], i: usize) -> Option<usize> {
    let mut j = i;
    // A verb in the past passed on the way back: "X killed the attackers who laid siege to a
    // hotel and later killed Y": the relative clause ended before this verb.
    // Only for a verb joined by "and" ("The rebels who attacked the base killed three soldiers"
    // has its subject right before the relative clause).
    let mut k = i;
    while k > 0 && dict.words.is(Section::Adverb, s.ids, k - 1) {
        k -= 1;
    }
    let joined = k > 0 && matches!(s.norm(k - 1), "and" | "but");
    let mut crossed_verb = false;
    // "A school for Somali children was shelled": with no actor heading the subject, the one
    // it is of or for stands in.
    let mut owner_of_subject = None;
    while j > 0 {
        j -= 1;
        if let Some(m) = ms.iter().rposition(|m| m.end == j + 1) {
            let head = ms[m].group;
            // "thousands of Sudanese began protesting": after a quantity, "of" heads the subject.
            if let Some(p) =
                preposition_before(dict, s, ms, head).filter(|&p| !quantity_of(dict, s, p))
            {
                // Not a share of the actor: "one of", "70% of", "part of".
                let share = p == 0
                    || s.kind(p - 1) == TokenKind::Number
                    || matches!(
                        s.norm(p - 1),
                        "one" | "part" | "%" | "percent" | "half" | "rest" | "each" | "any"
                    );
                if matches!(s.norm(p), "of" | "for") && !crossed_verb && !share {
                    owner_of_subject = Some(head);
                } else {
                    owner_of_subject = None;
                }
                j = ms[head].start;
                continue;
            }
            return Some(head);
        }
        if ms.iter().any(|m| m.start <= j && j < m.end) {
            continue;
        }
        // "the Kenyan Teachers' Union (KNUT) went on strike": a short parenthesis is skipped.
        if let Some(open) = parenthesis_closed_at(s, j) {
            j = open;
            continue;
        }
        let relative = matches!(s.norm(j), "who" | "which" | "that");
        if relative {
            let mut k = j;
            if k > 0 && s.norm(k - 1) == "," {
                k -= 1;
            }
            let antecedent = ms.iter().rposition(|m| m.end == k).map(|m| ms[m].group);
            match antecedent {
                Some(a) if crossed_verb && joined => {
                    j = ms[a].start;
                    crossed_verb = false;
                    continue;
                }
                _ => return antecedent,
            }
        }
        let w = s.norm(j);
        if (w.ends_with("ed") || dict.participles.contains(&s.ids[j]))
            && !dict.verbs.anchored_at(s.ids[j]).is_empty()
        {
            crossed_verb = true;
        }
        // "Muller, who took over the case, is investigating": skip the relative clause.
        if s.norm(j) == "," {
            if let Some(m) = relative_antecedent(s, ms, j) {
                return Some(m);
            }
        }
        let phrase = opens_phrase(dict, s, ms, j, i);
        if clause_word(dict, s, j) && !phrase {
            return owner_of_subject;
        }
        if (hard(s, j) && s.norm(j) != ",") || s.norm(j) == "\"" {
            return None;
        }
    }
    owner_of_subject
}

/// Does the clause word at `j` open a phrase rather than a clause, seen from the verb at `i`?
/// "reopened the crossing after six months to allow ...": "after" with no verb or actor before an
/// infinitive; "have since banned": "since" right before the verb is an adverb.
fn opens_phrase(dict: &Dictionary, s: &Sentence, ms: &[Mention], j: usize, i: usize) -> bool {
    if j + 1 == i && s.norm(j) == "since" {
        return true;
    }
    let infinitive = i > 0 && s.norm(i - 1) == "to";
    let preposition = matches!(
        s.norm(j),
        "after" | "before" | "since" | "during" | "following" | "amid" | "despite"
    );
    let no_verb_or_actor = (j + 1..i.saturating_sub(1)).all(|k| {
        let verb = s.ids[k] != NO_WORD
            && s.kind(k) == TokenKind::Word
            && (!dict.verbs.anchored_at(s.ids[k]).is_empty() || s.norm(k).ends_with("ed"));
        !verb && !hard(s, k) && !ms.iter().any(|m| m.start == k)
    });
    infinitive && preposition && no_verb_or_actor
}

/// Is token `p` the "of" after a number or a quantity word ("thousands of", "a group of")?
fn quantity_of(dict: &Dictionary, s: &Sentence, p: usize) -> bool {
    s.norm(p) == "of"
        && p > 0
        && (s.kind(p - 1) == TokenKind::Number || dict.words.is(Section::Quantity, s.ids, p - 1))
}

/// The opening bracket of a short parenthesis ("(SSS)", "(64.45 million dollars)") that closes
/// at token `j`.
fn parenthesis_closed_at(s: &Sentence, j: usize) -> Option<usize> {
    (s.norm(j) == ")")
        .then(|| (j.saturating_sub(6)..j).rev().find(|&k| s.norm(k) == "("))
        .flatten()
}

/// The first actor after a preposition in the rest of the clause that is not `source` (in a
/// compound, the first member that is not).
fn place_after(
    dict: &Dictionary,
    s: &Sentence,
    ms: &[Mention],
    from: usize,
    source: Option<usize>,
) -> Option<usize> {
    let source_code = source.and_then(|m| ms[m].code);
    let mut j = from;
    while j < s.ids.len() {
        if hard(s, j) || clause_word(dict, s, j) {
            return None;
        }
        let Some(m) = ms.iter().position(|m| m.start == j) else {
            j += 1;
            continue;
        };
        let head = ms[m].group;
        if after_preposition(dict, s, ms, head) {
            let fits = |k: &usize| {
                let k = *k;
                ms[k].group == head
                    && ms[k].via == Via::Name
                    && ms[k]
                        .code
                        .is_some_and(|c| !dict.actor_types.contains(c.as_str()))
                    && ms[k].code != source_code
            };
            if let Some(k) = (head..ms.len()).find(fits) {
                return Some(k);
            }
        }
        j = ms[m].end;
    }
    None
}

/// For the comma closing "X, who ...,": X (the head of its group).
fn relative_antecedent(s: &Sentence, ms: &[Mention], comma: usize) -> Option<usize> {
    let mut k = comma;
    while k > 1 {
        k -= 1;
        match s.norm(k) {
            "who" | "which" if s.norm(k - 1) == "," => {
                return ms.iter().rposition(|m| m.end == k - 1).map(|m| ms[m].group);
            }
            // "Pakistan, a key U.S. ally in the war, has refused": an apposition.
            // "Somali soldiers, supported by clan militias, are conducting": a participle
            // phrase.
            "," if comma - k <= 15
                && (matches!(s.norm(k + 1), "a" | "an" | "the")
                    || s.norm(k + 1).ends_with("ed") && s.norm(k + 2) == "by") =>
            {
                return ms.iter().rposition(|m| m.end == k).map(|m| ms[m].group);
            }
            ";" | "\"" | "." => return None,
            _ => {}
        }
    }
    None
}

/// The possessor of a noun anchor: "Russia's attempts", "their two-hour meeting", "Russian
/// cyberattacks".
fn possessor(s: &Sentence, ms: &[Mention], anchor: usize) -> Option<usize> {
    if let Some(m) = ms
        .iter()
        .rposition(|m| m.end == anchor && m.via != Via::Pronoun)
    {
        return Some(ms[m].group);
    }
    // A verb form ("Trump's actions surrounding") takes only a possessive right before it.
    // A verb form ("Trump's actions surrounding") is no possessed noun when a plural noun
    // stands between; an adjective may ("their two-hour meeting").
    let verb_form = s.norm(anchor).ends_with("ing") || s.norm(anchor).ends_with("ed");
    for back in 1..=3 {
        let k = anchor.checked_sub(back)?;
        if verb_form && back > 1 {
            let plural = |t: usize| {
                let w = s.norm(t);
                s.kind(t) == TokenKind::Word
                    && w.ends_with('s')
                    && !w.ends_with("ss")
                    && !w.contains('-')
            };
            if plural(k + 1) {
                return None;
            }
        }
        if s.kind(k) == TokenKind::Possessive {
            return ms.iter().rposition(|m| m.end == k).map(|m| ms[m].group);
        }
        if let Some(m) = ms
            .iter()
            .position(|m| m.start == k && m.end == k + 1 && m.via == Via::Pronoun)
        {
            let w = s.norm(k);
            return matches!(w, "his" | "her" | "their" | "its").then_some(ms[m].group);
        }
        if hard(s, k) || ms.iter().any(|m| m.start <= k && k < m.end) {
            return None;
        }
    }
    None
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
fn participle_form(dict: &Dictionary, s: &Sentence, k: usize) -> bool {
    let w = s.norm(k);
    w.ends_with("ed") || w.ends_with("en") || dict.participles.contains(&s.ids[k])
}

fn passive_at(dict: &Dictionary, s: &Sentence, ms: &[Mention], anchor: usize) -> bool {
    if s.norm(anchor).ends_with("ing") || anchor == 0 {
        return false;
    }
    let form = participle_form(dict, s, anchor);
    let by_follows =
        s.ids.get(anchor + 1).is_some() && dict.words.is(Section::By, s.ids, anchor + 1);
    if !form && !by_follows {
        return false;
    }
    // "among those killed in the attack": the people the act was done to.
    if form && s.norm(anchor - 1) == "those" {
        return true;
    }
    // "soldiers, supported by local militias", "books banned by the Taliban": a participle
    // followed by "by" is passive with or without "be"; "Putin spoke by phone" is not.
    let prev = anchor - 1;
    let after_noun = !dict.words.is(Section::Be, s.ids, prev)
        && !verb_like_aux(dict, s, prev)
        && !ms.iter().any(|m| m.end == anchor);
    if form && by_follows && after_noun {
        return true;
    }
    // "students kidnapped in Zamfara were freed": a participle right after an actor, then a
    // place, then the clause's own verb ("were") is a reduced relative: passive.
    let actor_before = ms.iter().any(|m| m.end == anchor);
    let preposition_follows = s
        .ids
        .get(anchor + 1)
        .is_some_and(|_| dict.words.is(Section::Preposition, s.ids, anchor + 1));
    if form && actor_before && preposition_follows {
        let place = ms
            .iter()
            .find(|m| m.start > anchor + 1 && m.start <= anchor + 3)
            .filter(|m| {
                (anchor + 2..m.start).all(|k| dict.words.is(Section::Determiner, s.ids, k))
            });
        let verb_after = |m: &Mention| {
            let k = group_end(ms, m.group);
            k < s.ids.len()
                && s.kind(k) != TokenKind::Possessive
                && dict.words.is(Section::Be, s.ids, k)
        };
        if place.is_some_and(verb_after) {
            return true;
        }
    }
    // "may be arrested and detained": the second participle shares the passive.
    if matches!(s.norm(prev), "and" | "or") && prev >= 1 && passive_at(dict, s, ms, prev - 1) {
        return form;
    }
    (1..=3).any(|back| {
        anchor >= back
            && dict.words.is(Section::Be, s.ids, anchor - back)
            && (anchor - back + 1..anchor).all(|k| {
                s.kind(k) == TokenKind::Word && s.norm(k).ends_with("ly")
                    || dict.words.is(Section::Negation, s.ids, k)
                    || dict.words.is(Section::Adverb, s.ids, k)
            })
    })
}

/// "the case of a journalist arrested over his posts": a participle after the object of a
/// preposition that names no place, then a preposition, is a reduced relative: passive.
fn reduced_relative(dict: &Dictionary, s: &Sentence, ms: &[Mention], anchor: usize) -> bool {
    let object_before = ms.iter().position(|m| m.end == anchor).is_some_and(|m| {
        preposition_before(dict, s, ms, m).is_some_and(|p| {
            matches!(
                s.norm(p),
                "of" | "for" | "against" | "with" | "to" | "about" | "on"
            )
        })
    });
    participle_form(dict, s, anchor)
        && object_before
        && anchor + 1 < s.ids.len()
        && dict.words.is(Section::Preposition, s.ids, anchor + 1)
}

/// Is token `k` an auxiliary that makes the next participle active ("has banned")?
fn verb_like_aux(dict: &Dictionary, s: &Sentence, k: usize) -> bool {
    matches!(s.norm(k), "has" | "have" | "had") || dict.words.is(Section::Negation, s.ids, k)
}

/// A light verb governing the noun phrase that ends at `anchor` ("provided tons of food aid"):
/// its token, if the words between are only modifiers, numbers and "of".
fn light_verb_before(
    dict: &Dictionary,
    s: &Sentence,
    ms: &[Mention],
    anchor: usize,
) -> Option<usize> {
    let mut k = anchor;
    while k > 0 && anchor - k < 8 {
        k -= 1;
        if hard(s, k) || clause_word(dict, s, k) || ms.iter().any(|m| m.start <= k && k < m.end) {
            return None;
        }
        if let Some(start) = (k.saturating_sub(1)..=k).find_map(|st| {
            dict.words
                .match_at(Section::LightVerb, s.ids, st)
                .filter(|len| st + len == k + 1)
                .map(|_| st)
        }) {
            return verb_like(dict, s, ms, start).then_some(start);
        }
        let w = s.norm(k);
        let modifier = s.ids[k] == NO_WORD
            || w == "of"
            || s.kind(k) == TokenKind::Number
            || w.ends_with("ly")
            || dict.words.is(Section::Determiner, s.ids, k)
            || dict.words.is(Section::Adverb, s.ids, k)
            || dict.words.is(Section::Quantity, s.ids, k)
            || dict.words.is(Section::Approximator, s.ids, k);
        if !modifier {
            return None;
        }
    }
    None
}

/// The conjunction or comma that joins the verb at `anchor` to an earlier one: "and urged",
/// "and has urged", ", killing".
fn coordination_before(s: &Sentence, anchor: usize) -> Option<usize> {
    let mut k = anchor;
    while k > 0
        && anchor - k < 3
        && matches!(
            s.norm(k - 1),
            "has" | "have" | "had" | "will" | "also" | "was" | "were" | "is" | "are" | "still"
        )
    {
        k -= 1;
    }
    if k == 0 {
        return None;
    }
    let joined = matches!(s.norm(k - 1), "and" | "but" | "then" | "or")
        || (k == anchor && s.norm(k - 1) == "," && s.norm(anchor).ends_with("ing"));
    joined.then_some(k - 1)
}

/// The first verb of a chain of coordinated verbs ending before token `before`: "opened fire,
/// killing one and arresting 12" gives "opened" for "arresting".
fn first_of_chain(dict: &Dictionary, s: &Sentence, ms: &[Mention], before: usize) -> Option<usize> {
    let mut verb = previous_verb(dict, s, ms, before)?;
    for _ in 0..4 {
        match coordination_before(s, verb).and_then(|c| previous_verb(dict, s, ms, c)) {
            Some(v) => verb = v,
            None => break,
        }
    }
    Some(verb)
}

/// The nearest verb before token `before` in the clause: a word some pattern is anchored on, or
/// a speech verb, that reads as a verb.
fn previous_verb(dict: &Dictionary, s: &Sentence, ms: &[Mention], before: usize) -> Option<usize> {
    let mut k = before;
    while k > 0 {
        k -= 1;
        if let Some(open) = parenthesis_closed_at(s, k) {
            k = open;
            continue;
        }
        if (hard(s, k) && s.norm(k) != ",") || clause_word(dict, s, k) {
            return None;
        }
        // Patterns may start with a preposition ("in protest at"); those are no verbs.
        let function_word = [Section::Preposition, Section::Determiner, Section::Adverb]
            .iter()
            .any(|&sec| dict.words.is(sec, s.ids, k));
        let anchors = s.ids[k] != NO_WORD
            && !function_word
            && (!dict.verbs.anchored_at(s.ids[k]).is_empty()
                || dict.words.is(Section::Speech, s.ids, k));
        // "migrants being held at its base, sending them back": a participle after "being"
        // modifies a noun; the clause's verb is further back.
        // "a proposal for signing a treaty, urging ...": a gerund after a preposition is no
        // verb of the clause.
        // "opened its borders to West Africans ordered out": a participle right after the
        // object of a preposition modifies it.
        let modifier = k > 0
            && (s.norm(k - 1) == "being"
                || s.norm(k).ends_with("ing") && dict.words.is(Section::Preposition, s.ids, k - 1)
                || ms
                    .iter()
                    .position(|m| m.end == k)
                    .is_some_and(|m| after_preposition(dict, s, ms, m)));
        // "migrants deported from Libya": a participle after a noun is no verb of the
        // clause.
        if anchors
            && !modifier
            && !ms.iter().any(|m| m.start <= k && k < m.end)
            && verb_like(dict, s, ms, k)
            && !passive_at(dict, s, ms, k)
        {
            return Some(k);
        }
    }
    None
}

/// Does the word at `anchor` read as a verb? Judged by what stands before it: a subject, an
/// auxiliary, a modal or "to" make a verb; a determiner, adjective, preposition or number make a
/// noun. A past form in -ed is a verb.
fn verb_like(dict: &Dictionary, s: &Sentence, ms: &[Mention], anchor: usize) -> bool {
    if s.norm(anchor).ends_with("ed") || dict.past_forms.contains(&s.ids[anchor]) {
        return true;
    }
    let mut k = anchor;
    while k > 0 {
        k -= 1;
        let w = s.norm(k);
        // Adverbs and negation stand between a subject and its verb.
        if (w.ends_with("ly") && s.kind(k) == TokenKind::Word && s.ids[k] == NO_WORD)
            || dict.words.is(Section::Negation, s.ids, k)
            || dict.words.is(Section::Adverb, s.ids, k)
        {
            continue;
        }
        // "Tuesday's attack", "their sentences": a possessive makes a noun (not "it's" = "it is").
        if s.kind(k) == TokenKind::Possessive
            || matches!(
                s.norm(k),
                "his" | "her" | "their" | "its" | "our" | "my" | "your"
            )
        {
            return false;
        }
        if ms.iter().any(|m| m.end == k + 1) {
            // "Russian cyberattacks": an adjective actor before a noun; "Russia attacks": a subject.
            return !ms.iter().any(|m| {
                m.end == k + 1 && m.via == Via::Name && !s.capitalized(anchor) && w.ends_with("ian")
            });
        }
        return w == "to"
            || dict.words.is(Section::Be, s.ids, k)
            || [
                Section::Intent,
                Section::Obligation,
                Section::Possibility,
                Section::Threat,
            ]
            .iter()
            .any(|&sec| {
                dict.words
                    .match_at(sec, s.ids, k)
                    .is_some_and(|len| k + len <= anchor)
            })
            || matches!(
                w,
                "has"
                    | "have"
                    | "had"
                    | "did"
                    | "does"
                    | "do"
                    | ","
                    | "who"
                    | "which"
                    | "that"
                    | "and"
            )
            || s.kind(k) == TokenKind::Punct && w != "-";
    }
    true
}

/// Matches the words and slots of one pattern with its anchor word at token `anchor`.
fn match_elements(
    dict: &Dictionary,
    s: &Sentence,
    ms: &[Mention],
    pid: u32,
    anchor: usize,
) -> Option<Partial> {
    let p = dict.verbs.pattern(pid);
    // A stance ("are concerned about", "is committed to") is an adjective, not a passive.
    // "a group of migrants arrived in Kenya": a verb with a preposition after it takes no
    // object and has no reduced-relative passive.
    let intransitive = matches!(p.elems.get(p.anchor + 1), Some(Elem::Word(ws))
        if ws.iter().any(|&w| dict.words.is(Section::Preposition, &[w], 0)));
    let passive = !p.code.starts_with("01")
        && (passive_at(dict, s, ms, anchor)
            || !intransitive && reduced_relative(dict, s, ms, anchor));
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
    };
    // An actor standing inside the object the pattern names: "rejected a Senegalese peace plan".
    let mut inside: Option<usize> = None;
    hit.words[0] = anchor as u16;
    let mut cursor = anchor + 1;
    for e in &p.elems[p.anchor + 1..] {
        match e {
            Elem::Word(_) => {
                let mut j = cursor;
                loop {
                    if j >= s.ids.len() || j > cursor + GAP {
                        return None;
                    }
                    if s.ids[j] != NO_WORD && e.accepts(s.ids[j]) {
                        break;
                    }
                    if hard(s, j) || clause_word(dict, s, j) {
                        return None;
                    }
                    if inside.is_none() {
                        inside = ms.iter().position(|m| m.start == j && m.via == Via::Name);
                    }
                    j += 1;
                }
                if hit.n_words < MAX_WORDS {
                    hit.words[hit.n_words] = j as u16;
                    hit.n_words += 1;
                }
                cursor = j + 1;
            }
            Elem::Target if passive => {}
            Elem::Target | Elem::Source => {
                // A target at the end of a pattern may be no actor: "criticized the plan".
                let last = std::ptr::eq(e, p.elems.last().unwrap_or(e));
                let Some(m) = mention_after(dict, s, ms, cursor) else {
                    if *e == Elem::Target && last {
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
    Some(Partial {
        hit,
        cursor,
        inside,
    })
}

/// A pattern whose words and slots matched, before its source and flags are worked out.
struct Partial {
    hit: Hit,
    /// The token after the last matched element.
    cursor: usize,
    /// An actor inside the named object.
    inside: Option<usize>,
}

/// Works out the source, the remaining target rules and the flags of a matched pattern.
fn complete(dict: &Dictionary, s: &Sentence, ms: &[Mention], partial: Partial) -> Hit {
    let Partial {
        mut hit,
        cursor,
        inside,
    } = partial;
    let (anchor, passive) = (hit.anchor, hit.passive);
    let p = dict.verbs.pattern(hit.pattern);
    // A noun anchor ("condemned the attack on X", "medical supplies to Y") has no subject of
    // its own: only a possessor can be its source.
    let noun_use = !verb_like(dict, s, ms, anchor);
    hit.verb_like = !noun_use;
    // "will provide 25,000 tons of food aid to X": the light verb's subject is the source.
    let light = noun_use
        .then(|| light_verb_before(dict, s, ms, anchor))
        .flatten();
    // "X killed one soldier and wounded two others": the second verb shares the first one's
    // subject, not the first one's object.
    // ", killing one person": a participle after a comma shares the subject too.
    let conjunction = coordination_before(s, anchor);
    let coordinated = conjunction.is_some();
    let shared = conjunction
        .filter(|_| !noun_use || s.norm(anchor).ends_with("ing"))
        .and_then(|c| first_of_chain(dict, s, ms, c));
    let light = light.or(shared);
    // "his arrest", "their release": the possessor of a noun of undergoing is its target.
    let owner = possessor(s, ms, anchor);
    let undergoes = noun_use && dict.words.is(Section::PatientNoun, s.ids, anchor);
    if undergoes && hit.target.is_none() {
        hit.target = owner;
    }
    let left = owner.filter(|_| !undergoes).or_else(|| {
        (!noun_use || light.is_some())
            .then(|| subject_before(dict, s, ms, light.unwrap_or(hit.first())))
            .flatten()
    });
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
            .map(|m| ms[m].group);
    }
    let slot_before = p.elems[..p.anchor].first();
    if passive {
        // "was attacked by X": X is the source, the subject the target.
        // "were met on the outside by armed men": "by" may come a few words later.
        let by = (cursor..(cursor + 2 * GAP).min(s.ids.len()))
            .take_while(|&k| !hard(s, k) || s.norm(k) == ",")
            .find(|&k| dict.words.is(Section::By, s.ids, k));
        hit.source = by
            .and_then(|k| mention_after(dict, s, ms, k + 1))
            .map(|m| ms[m].group);
        if p.has_target() {
            hit.target = left;
        }
    } else if slot_before == Some(&Elem::Target) {
        hit.target = left;
    } else if hit.source.is_none() {
        // "Protesters clashed with police": a pattern that starts on the actor's own role noun
        // and goes on with a verb in the past has that actor as its source when no other stands before it
        // ("opposition to the plan" or "suicide bombers" alone are no act of the actor).
        // A past form, so that a noun after the role noun ("terrorist attacks") is no verb.
        let verb_follows = hit.positions()[1..].iter().any(|&w| {
            let w = w as usize;
            s.norm(w).ends_with("ed") || dict.participles.contains(&s.ids[w])
        });
        hit.source = left.or_else(|| {
            ms.iter()
                .position(|m| {
                    verb_follows && m.start <= anchor && anchor < m.end && m.code.is_some()
                })
                .map(|m| ms[m].group)
        });
    }
    if hit.target.is_none() && !passive && !p.has_source() {
        hit.target = inside
            .map(|m| ms[m].group)
            .filter(|&t| Some(t) != hit.source);
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
        hit.target = place_after(dict, s, ms, hit.last() + 1, hit.source);
        hit.target_is_place = hit.target.is_some();
        hit.single.1 = hit.target_is_place;
    }
    // "will provide food aid": the light verb carries the noun's negation and modality.
    let verb = light.filter(|_| !coordinated).unwrap_or(hit.first());
    flags(dict, s, ms, verb, &mut hit);
    hit
}

/// Negation and modality from the words between the subject and the verb at `first`.
fn flags(dict: &Dictionary, s: &Sentence, ms: &[Mention], first: usize, hit: &mut Hit) {
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
                    if j + len <= first {
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

/// All pattern hits of a sentence after choosing the best per anchor and removing hits that a
/// more specific one covers. `vetoed(i)` tells tokens inside a discard phrase.
pub fn find(
    dict: &Dictionary,
    s: &Sentence,
    ms: &[Mention],
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
        // "its detained centers", "the jailed publisher", "37 injured people": a participle
        // between a determiner or number and a noun is an adjective, unless the pattern names
        // the two together ("two improvised explosive devices").
        let participle = s.norm(i).ends_with("ed") || dict.participles.contains(&id);
        let number_before = i > 0 && s.kind(i - 1) == TokenKind::Number;
        let adjective = participle
            && i > 0
            && (dict.words.is(Section::Determiner, s.ids, i - 1)
                || number_before
                || matches!(s.norm(i - 1), "its" | "their" | "his" | "her" | "our"))
            && i + 1 < s.ids.len()
            && s.kind(i + 1) == TokenKind::Word
            && !dict.words.is(Section::Preposition, s.ids, i + 1)
            && !dict.words.is(Section::Determiner, s.ids, i + 1)
            // "militants that attacked Israel": a name after "that" is an object.
            && (number_before || !ms.iter().any(|m| m.start == i + 1 && m.via != Via::Agent))
            // "Bosnian Croat and Moslem armed forces": the participle opens a role noun.
            || participle && ms.iter().any(|m| m.start <= i && i + 1 < m.end && role_noun_at(m, i));
        let mut candidates: Vec<(Partial, (usize, bool))> = Vec::new();
        // Only the patterns whose next word is near; with a trace, every pattern of the anchor.
        if trace.is_some() {
            pids.clear();
            pids.extend_from_slice(dict.verbs.anchored_at(id));
        } else {
            dict.verbs.candidates(s.ids, i, GAP, &mut pids);
        }
        for &pid in &pids {
            let p = dict.verbs.pattern(pid);
            let result = match_elements(dict, s, ms, pid, i);
            if let Some(t) = trace.as_deref_mut() {
                let _ = writeln!(
                    t,
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
            if adjective && m.hit.positions().get(1) != Some(&((i + 1) as u16)) {
                if let Some(t) = trace.as_deref_mut() {
                    let _ = writeln!(t, "      an adjective here, not a verb");
                }
                continue;
            }
            if m.hit
                .positions()
                .iter()
                .any(|&w| vetoed.get(w as usize) == Some(&true))
            {
                if let Some(t) = trace.as_deref_mut() {
                    let _ = writeln!(t, "      vetoed by a discard phrase");
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
            let h = complete(dict, s, ms, m);
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
        let reach = if that { 4 } else { 2 };
        let inner = (to || that)
            .then(|| {
                hits.iter()
                    .position(|b| b.first() > last && b.first() <= last + reach)
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
        }
    }
    // What a verbal act is about is not coded as fact: in "rejected a US offer to host a summit
    // to hammer out an agreement" or "accused X of violating rights, ignoring law", only the
    // rejection and the accusation happened.
    let mut keep = vec![true; hits.len()];
    for a in 0..hits.len() {
        let code = &dict.verbs.pattern(hits[a].pattern).code;
        // "accused the group of killing, maiming and looting", "was charged with robbing,
        // raping and kidnapping": a list of charges.
        let charges = hits[a]
            .positions()
            .iter()
            .any(|&w| matches!(s.norm(w as usize), "of" | "for" | "with"));
        let charged = charges && code.starts_with("173");
        if !keep[a] || !(verbal(code) || charged) {
            continue;
        }
        for b in a + 1..hits.len() {
            // "demanded withdraw from" read across "that the United States withdraw its
            // troops from Syria": the withdrawal inside the demand is its content too.
            let from = hits[a].first() + 1;
            let listed = charges
                && (hits[a].last() + 1..hits[b].first()).all(|k| {
                    !hard(s, k)
                        || s.norm(k) == "," && s.norm(k + 1).ends_with("ing")
                        || s.norm(k) == "," && s.norm(k + 1) == "and"
                });
            if hits[b].first() > hits[a].first()
                && (listed && (charged || s.norm(hits[b].first()).ends_with("ing"))
                    || !charged && !scope_break(dict, s, ms, from, hits[b].first()))
            {
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
        if conditional(s, h.first()) {
            keep[b] = false;
        }
        // "staged demonstrations to demand reforms", "blocked roads to press their demands",
        // "would blockade Paris to demand an end to ...": the purpose of a protest, a show of
        // force or a blockade is part of it. So is a demand in a participle after it
        // ("rallied in Barcelona demanding independence from Spain").
        let purpose = (h.first().saturating_sub(3)..h.first())
            .any(|k| s.norm(k) == "to" && !(k..h.first()).any(|j| hard(s, j)));
        let code = &dict.verbs.pattern(h.pattern).code;
        let demanding = s.norm(h.first()).ends_with("ing")
            && (code.starts_with("10") || code.starts_with("02"));
        let carrier = |a: &Hit| {
            let code = &dict.verbs.pattern(a.pattern).code;
            ["14", "15", "191"].iter().any(|c| code.starts_with(c))
        };
        let joined = |a: &Hit| {
            if purpose {
                !scope_break(dict, s, ms, a.last() + 1, h.first())
            } else {
                demanding && !(a.last() + 1..h.first()).any(|k| hard(s, k) && s.norm(k) != ",")
            }
        };
        if let Some(a) = hits[..b].iter().position(|a| carrier(a) && joined(a)) {
            keep[b] = false;
            purposes.push((a, h.target));
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
        .map(|h| in_background(dict, s, ms, h.first()))
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

/// Is token `i` in a clause that tells background: after a [background] word with no comma or
/// hard boundary between? "the attackers who laid siege to a hotel and later killed ..." goes
/// back to the main clause after the relative clause's verb, as in `subject_before`.
fn in_background(dict: &Dictionary, s: &Sentence, ms: &[Mention], i: usize) -> bool {
    let mut k = i;
    while k > 0 && dict.words.is(Section::Adverb, s.ids, k - 1) {
        k -= 1;
    }
    let joined = k > 0 && matches!(s.norm(k - 1), "and" | "but");
    let mut crossed_verb = false;
    for k in (0..i).rev() {
        if hard(s, k) || s.norm(k) == "\"" {
            return false;
        }
        if dict.words.is(Section::Background, s.ids, k) {
            // "reopened the crossing after six months to allow ...": a phrase, not a clause.
            return !(joined && crossed_verb || opens_phrase(dict, s, ms, k, i));
        }
        let w = s.norm(k);
        if (w.ends_with("ed") || dict.participles.contains(&s.ids[k]))
            && !dict.verbs.anchored_at(s.ids[k]).is_empty()
        {
            crossed_verb = true;
        }
    }
    false
}

/// Is token `i` the role noun of mention `m` ("police", "Fijian peacekeepers"), which a pattern
/// may start with? Not a person's name or title.
fn role_noun_at(m: &Mention, i: usize) -> bool {
    m.via == Via::Agent || (m.agent.is_some() && !m.person && i > m.start)
}

/// Is token `i` inside an "if", "unless" or "whether" clause (which runs to the next hard
/// boundary)?
fn conditional(s: &Sentence, i: usize) -> bool {
    let mut k = i;
    while k > 0 {
        k -= 1;
        match s.norm(k) {
            "if" | "unless" | "whether" => return true,
            "." | ";" | ":" | "\"" => return false,
            "," if k + 1 < i && !matches!(s.norm(k + 1), "if" | "unless" | "whether") => {
                return false
            }
            _ => {}
        }
    }
    false
}

/// Codes of saying, asking, intending, demanding, accusing, rejecting and threatening.
fn verbal(code: &str) -> bool {
    matches!(
        code.get(..2),
        Some("01" | "02" | "03" | "10" | "11" | "12" | "13")
    )
}

/// Does a new clause start in `from..to` (so that a verb there is not the content of the act
/// before)?
fn scope_break(dict: &Dictionary, s: &Sentence, ms: &[Mention], from: usize, to: usize) -> bool {
    (from..to).any(|k| {
        let w = s.norm(k);
        hard(s, k)
            || dict.words.is(Section::Adjunct, s.ids, k)
            || (matches!(w, "and" | "but") && k < to && verb_like(dict, s, ms, k + 1))
    })
}

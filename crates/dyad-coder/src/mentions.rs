//! Actor mentions in a sentence: dictionary names combined into actors ("Russian" + "Foreign
//! Minister" + "Sergey Lavrov"), compounds ("Trump and Putin"), pronouns and descriptions resolved
//! against what the document said before.

use crate::code::Code;
use crate::speech::Region;
use crate::Sentence;
use dyad_core::{Span, TokenKind};
use dyad_dict::{ActorKind, Dictionary, Section, NO_WORD};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    /// A dictionary name (person, country, organisation), possibly with a title.
    Name,
    /// A role noun with no country of its own ("police", "the president").
    Agent,
    /// A pronoun ("he", "their").
    Pronoun,
}

/// How a mention got its code, as [`crate::Coder::mentions`] reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MentionKind {
    /// A dictionary name (person, country, organisation), possibly with a title.
    Name,
    /// A role noun with no country of its own, not resolved ("police").
    Role,
    /// A role noun that took the code of an earlier actor with that role ("the president").
    Description,
    /// A last name alone: the person named before in full.
    Surname,
    /// "he", "their", "its": an earlier compatible actor.
    Pronoun,
    /// A first-person pronoun inside a statement, or the pronoun subject of what a speaker says:
    /// the speaker.
    Speaker,
}

impl MentionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MentionKind::Name => "name",
            MentionKind::Role => "role",
            MentionKind::Description => "description",
            MentionKind::Surname => "surname",
            MentionKind::Pronoun => "pronoun",
            MentionKind::Speaker => "speaker",
        }
    }
}

/// An actor mention as the coder resolved it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedMention {
    /// Index of the sentence in the document, as the coder segmented it.
    pub sentence: u32,
    /// Byte span in the document text.
    pub span: Span,
    pub code: Option<String>,
    pub kind: MentionKind,
    /// Byte span in the document text of the mention the code was taken from.
    pub antecedent: Option<Span>,
}

/// Appends the mentions of sentence `index` to `out`. With `speakers`, after the parse, only
/// those not reported yet: the speaker pronouns, on tokens no mention covered before.
pub fn report(
    s: &Sentence,
    index: u32,
    ms: &[Mention],
    speakers: bool,
    out: &mut Vec<ResolvedMention>,
) {
    let end = out.len();
    let start = end - out.iter().rev().take_while(|r| r.sentence == index).count();
    for m in ms {
        let span = s.span_of(m.start, m.end);
        if speakers && out[start..end].iter().any(|r| r.span == span) {
            continue;
        }
        let resolved = m.antecedent.is_some();
        let kind = match m.via {
            _ if speakers => MentionKind::Speaker,
            Via::Name if resolved => MentionKind::Surname,
            Via::Name => MentionKind::Name,
            Via::Agent if resolved => MentionKind::Description,
            Via::Agent => MentionKind::Role,
            Via::Pronoun => MentionKind::Pronoun,
        };
        out.push(ResolvedMention {
            sentence: index,
            span,
            code: m.code.map(|c| c.to_string()),
            kind,
            antecedent: m.antecedent.map(|a| a.span),
        });
    }
}

/// Where a resolved pronoun or description got its code.
#[derive(Debug, Clone, Copy)]
pub struct Antecedent {
    pub span: Span,
    pub entry: u32,
}

#[derive(Debug, Clone)]
pub struct Mention {
    /// Token range `[start, end)` in the sentence.
    pub start: usize,
    pub end: usize,
    pub code: Option<Code>,
    /// The dictionary entry that gave the code.
    pub entry: u32,
    /// The agent entry that added a role, if any.
    pub agent: Option<u32>,
    pub via: Via,
    /// Can be "he" or "she".
    pub person: bool,
    /// Can be "it" (countries, organisations, and singular roles like "the ministry").
    pub thing: bool,
    pub plural: bool,
    pub antecedent: Option<Antecedent>,
    /// Index of the first mention of this mention's compound group.
    pub group: usize,
    /// Joined to the mention before it regardless of the words between ("their" for two people).
    pub joined: bool,
}

/// How many sentences back a pronoun may find its antecedent.
const PRONOUN_REACH: u32 = 3;

/// What the document has named so far, for pronouns and descriptions.
#[derive(Debug, Clone, Default)]
pub struct Discourse {
    recent: Vec<Remembered>,
    /// Sentences seen so far.
    sentence: u32,
}

#[derive(Debug, Clone, Copy)]
struct Remembered {
    code: Code,
    entry: u32,
    span: Span,
    person: bool,
    thing: bool,
    plural: bool,
    sentence: u32,
    /// The last name of a person no dictionary knows ("politician Blessed Geza"), for a later
    /// "Geza".
    surname: Option<Span>,
    /// Named as the place of something ("met in Cairo"), not as one who acts.
    place: bool,
}

impl Discourse {
    /// The country the document is mostly about so far: the country code named most often by
    /// actors (at least twice), if one leads.
    pub fn main_country(&self, is_role: impl Fn(&str) -> bool) -> Option<String> {
        let mut counts: Vec<(&str, usize)> = Vec::new();
        for r in &self.recent {
            let Some(c) = r.code.as_str().get(..3) else {
                continue;
            };
            if is_role(c) {
                continue;
            }
            match counts.iter_mut().find(|(k, _)| *k == c) {
                Some((_, n)) => *n += 1,
                None => counts.push((c, 1)),
            }
        }
        counts.sort_by_key(|c| std::cmp::Reverse(c.1));
        match counts.as_slice() {
            [(c, n), rest @ ..] if *n >= 2 && rest.first().is_none_or(|(_, m)| m < n) => {
                Some(c.to_string())
            }
            _ => None,
        }
    }

    /// The antecedent of a pronoun: in the sentence before, its subject (first compatible actor)
    /// is preferred; before that, the most recent compatible actor, up to three sentences back
    /// (further back, a pronoun more often means someone no dictionary knows: measured on GUM).
    fn antecedent(&self, want: impl Fn(&Remembered) -> bool) -> Option<&Remembered> {
        let previous = self.sentence.checked_sub(1);
        self.recent
            .iter()
            .find(|r| Some(r.sentence) == previous && want(r))
            .or_else(|| self.recent.iter().rev().find(|r| want(r)))
            .filter(|r| self.sentence - r.sentence <= PRONOUN_REACH)
    }

    fn remember(&mut self, m: &Mention, s: &Sentence) {
        let Some(code) = m.code else { return };
        if m.via == Via::Pronoun {
            return;
        }
        if self.recent.len() == 64 {
            self.recent.remove(0);
        }
        let surname = unknown_last_name(s, m).map(|last| s.span_of(last, last + 1));
        self.recent.push(Remembered {
            code,
            entry: m.entry,
            span: s.span_of(m.start, m.end),
            person: m.person,
            thing: m.thing,
            plural: m.plural,
            sentence: self.sentence,
            surname,
            place: after_locative(s, m.start),
        });
    }
}

#[derive(Debug, Clone, Copy)]
struct Raw {
    start: usize,
    end: usize,
    entry: u32,
    kind: ActorKind,
}

/// Finds the actors of a sentence. `date` is the document date (`YYYYMMDD`) for dated roles.
pub fn find(
    dict: &Dictionary,
    s: &Sentence,
    date: Option<u32>,
    discourse: &mut Discourse,
    out: &mut Vec<Mention>,
) {
    out.clear();
    let ids = s.ids;
    let n = ids.len();
    let mut raws: Vec<Raw> = Vec::new();
    let mut i = 0;
    while i < n {
        // "Somlia": a capitalised word no dictionary knows, one letter from a country name,
        // not the first of a person's names ("Georgina Smith").
        let name_follows = i + 1 < n && s.kind(i + 1) == TokenKind::Word && s.capitalized(i + 1);
        let near = (ids[i] == NO_WORD
            && s.kind(i) == TokenKind::Word
            && s.capitalized(i)
            && !name_follows)
            .then(|| dict.actors.near_country(s.norm(i)))
            .flatten();
        if let Some(entry) = near.or_else(|| led_country(dict, s, i, date)) {
            raws.push(Raw {
                start: i,
                end: i + 1,
                entry,
                kind: ActorKind::Country,
            });
            i += 1;
            continue;
        }
        if ids[i] != NO_WORD {
            let at = |k: usize| {
                dict.actors
                    .longest_at(ids, k, date, |t, req| req.allows(s.original(t)))
            };
            if let Some(mut m) = at(i) {
                let mut start = i;
                // "the West Bank", "the West African states": a longer name after the
                // article wins over a name that starts with it ("the West").
                if m.len > 1 && dict.words.is(Section::Determiner, ids, i) {
                    if let Some(inner) = at(i + 1).filter(|x| x.len >= m.len) {
                        (m, start) = (inner, i + 1);
                    }
                }
                let kind = dict.actors.entry(m.entry).kind;
                raws.push(Raw {
                    start,
                    end: start + m.len,
                    entry: m.entry,
                    kind,
                });
                i = start + m.len;
                continue;
            }
        }
        i += 1;
    }

    // "in Western Cambodia", "North Korea" aside: a direction word before a country names a part
    // of it, not the West.
    let place_word = |r: &Raw| {
        r.kind == ActorKind::Country
            && (r.start..r.end).all(|t| dict.words.is(Section::PlaceAdjective, ids, t))
    };
    let part_of_country: Vec<bool> = (0..raws.len())
        .map(|k| {
            place_word(&raws[k])
                && raws
                    .get(k + 1)
                    .is_some_and(|n| n.start == raws[k].end && n.kind == ActorKind::Country)
        })
        .collect();
    let raws: Vec<Raw> = raws
        .into_iter()
        .zip(part_of_country)
        .filter_map(|(r, part)| (!part).then_some(r))
        .collect();
    let mut k = 0;
    while k < raws.len() {
        let first = raws[k];
        let (mut country, mut agent, mut person) = (None, None, None);
        let mut org = None;
        match first.kind {
            ActorKind::Country => country = Some(first.entry),
            ActorKind::Org => org = Some(first.entry),
            ActorKind::Agent => agent = Some(first.entry),
            ActorKind::Person => person = Some(first.entry),
        }
        let mut end = first.end;
        while let Some(next) = raws.get(k + 1) {
            let bare_country =
                (country.is_some() || org.is_some()) && agent.is_none() && person.is_none();
            // "Nigerian junior foreign minister": up to two words no dictionary knows.
            let modifiers = |from: usize| {
                next.start > from
                    && next.start <= from + 2
                    && (from..next.start).all(|t| {
                        s.ids[t] == NO_WORD && s.kind(t) == TokenKind::Word && !s.capitalized(t)
                    })
            };
            let adjacent = next.start == end
                || (bare_country && next.kind == ActorKind::Agent && modifiers(end))
                || (bare_country && next.start == end + 1 && s.kind(end) == TokenKind::Possessive);
            if !adjacent || person.is_some() {
                break;
            }
            match next.kind {
                ActorKind::Agent => agent = Some(next.entry),
                ActorKind::Person => person = Some(next.entry),
                _ => break,
            }
            end = next.end;
            k += 1;
        }
        // "the president of Armenia"
        if agent.is_some() && country.is_none() && org.is_none() && person.is_none() {
            if let Some(next) = raws.get(k + 1) {
                // "the president of Armenia", "opposition groups in Zimbabwe", "officials from Iran"
                let gap = next.start.saturating_sub(end);
                let of = (1..=2).contains(&gap)
                    && matches!(s.norm(end), "of" | "in" | "from")
                    && (end + 1..next.start).all(|t| s.norm(t) == "the");
                // Not "the insurgents in Qatar's capital": the country owns the place named.
                let owns_next = next.end < n && s.kind(next.end) == TokenKind::Possessive;
                if of && next.kind == ActorKind::Country && !owns_next {
                    country = Some(next.entry);
                    end = next.end;
                    k += 1;
                }
            }
        }
        // A title before an unknown name: "President Abdelaziz Bouteflika".
        let mut named = false;
        if agent.is_some() && person.is_none() {
            let mut j = end;
            while j < n && j < end + 4 && s.kind(j) == TokenKind::Word && s.capitalized(j) {
                if raws.get(k + 1).is_some_and(|r| r.start == j) {
                    break;
                }
                j += 1;
            }
            if j > end {
                named = true;
                end = j;
            }
        }

        let person_code = person.and_then(|p| dict.actors.entry(p).code_on(date));
        let agent_roles = agent.and_then(|a| dict.actors.entry(a).code.as_deref());
        let (code, entry, via) = if let (Some(p), Some(c)) = (person, person_code) {
            (Some(Code::new(c)), p, Via::Name)
        } else if let Some(c) = country.filter(|_| {
            (first.start > 0 && dict.words.is(Section::Ethnic, s.ids, first.start - 1))
                || (agent.is_some() && end < n && dict.words.is(Section::Proxy, ids, end))
        }) {
            // "ethnic Uzbeks in Kyrgyzstan": a people, not the state; "the UAE's militia ally":
            // not Israel's own. The role takes the country it acts in from the sentence.
            (Some(Code::new(agent_roles.unwrap_or("CVL"))), c, Via::Name)
        } else if let Some(c) = country {
            let mut code = Code::new(dict.actors.entry(c).code_on(date).unwrap_or(""));
            if let Some(r) = agent_roles {
                if code.len() == 3 {
                    code.push(r);
                }
            }
            (Some(code), c, Via::Name)
        } else if let Some(o) = org {
            (
                dict.actors.entry(o).code_on(date).map(Code::new),
                o,
                Via::Name,
            )
        } else if let (Some(a), Some(r)) = (agent, agent_roles) {
            (
                Some(Code::new(r)),
                a,
                if named { Via::Name } else { Via::Agent },
            )
        } else {
            (None, first.entry, Via::Name)
        };
        let last_word = s.norm(end - 1);
        // A country's own name is one thing ("the United States", "the Philippines"), an
        // acronym too ("ISIS"); its people are many ("Russians").
        let own_name = first.kind == ActorKind::Country
            && agent.is_none()
            && s.span_of(first.start, first.end)
                .slice(s.text)
                .eq_ignore_ascii_case(&dict.actors.entry(first.entry).name);
        let acronym = s.original(end - 1).chars().all(|c| !c.is_lowercase());
        let plural = dict.words.is(Section::PluralNoun, ids, end - 1)
            || (person.is_none()
                && !named
                && !own_name
                && !acronym
                && last_word.len() > 3
                && last_word.ends_with('s')
                && !last_word.ends_with("ss")
                && !last_word.ends_with("us"));
        let collective = dict.words.is(Section::Collective, ids, end - 1);
        // "the University", "a school": a body, even before a name no dictionary knows.
        let is_person = person.is_some()
            || (named && !collective)
            || (agent.is_some() && !plural && !collective);
        let is_thing = !plural && person.is_none() && (!named || collective);
        out.push(Mention {
            start: first.start,
            end,
            code,
            entry,
            agent: agent.filter(|_| entry != agent.unwrap_or(u32::MAX)),
            via,
            person: is_person,
            thing: is_thing,
            plural,
            antecedent: None,
            group: out.len(),
            joined: false,
        });
        k += 1;
    }

    distribute_shared_agent(dict, s, out);
    add_surnames(s, discourse, out);
    add_pronouns(dict, s, discourse, out);
    resolve_descriptions(s, discourse, out);
    add_descriptions(dict, s, discourse, out);
    group_compounds(dict, s, out);
    for m in out.iter() {
        discourse.remember(m, s);
    }
    discourse.sentence += 1;
}

/// Suffixes that make a country the actor of the noun after it: "Saudi-led coalition", "U.S.-led
/// forces". Not "-based" ("the U.S.-based lender" is no American actor) or "-backed".
const COUNTRY_SUFFIXES: [&str; 1] = ["-led"];

/// The country entry of a token like "Saudi-led", if its first part names a country.
fn led_country(dict: &Dictionary, s: &Sentence, i: usize, date: Option<u32>) -> Option<u32> {
    let (norm, original) = (s.norm(i), s.original(i));
    let suffix = COUNTRY_SUFFIXES.iter().find(|x| norm.ends_with(*x))?;
    let cut = norm.len() - suffix.len();
    let first = dict.vocab.get(norm.get(..cut)?);
    if first == NO_WORD {
        return None;
    }
    let head = original.get(..original.len().checked_sub(suffix.len())?)?;
    let m = dict
        .actors
        .longest_at(&[first], 0, date, |_, req| req.allows(head))?;
    (m.len == 1 && dict.actors.entry(m.entry).kind == ActorKind::Country).then_some(m.entry)
}

/// "Hungarian and Romanian officials": the bare first country takes the shared role.
fn distribute_shared_agent(dict: &Dictionary, s: &Sentence, ms: &mut [Mention]) {
    for b in 1..ms.len() {
        let (left, right) = ms.split_at_mut(b);
        let (a, bm) = (&mut left[b - 1], &right[0]);
        let between = s.ids.get(a.end..bm.start).unwrap_or(&[]);
        let joined = between.len() == 1 && dict.words.is(Section::Coordination, s.ids, a.end);
        let bare_country = a.agent.is_none()
            && a.via == Via::Name
            && dict.actors.entry(a.entry).kind == ActorKind::Country
            && a.code.is_some_and(|c| c.len() == 3);
        if joined && bare_country {
            if let (Some(ag), Some(bc)) = (bm.agent, bm.code) {
                if bc.len() > 3 {
                    let mut c = a.code.unwrap_or_default();
                    c.push(&bc.as_str()[3..]);
                    a.code = Some(c);
                    a.agent = Some(ag);
                    a.plural = bm.plural;
                    a.person = bm.person;
                    a.thing = bm.thing;
                }
            }
        }
    }
}

/// The token of a person's last name no dictionary knows ("politician Blessed Geza").
fn unknown_last_name(s: &Sentence, m: &Mention) -> Option<usize> {
    let last = m.end - 1;
    (m.person
        && m.via == Via::Name
        && s.ids[last] == NO_WORD
        && s.kind(last) == TokenKind::Word
        && s.capitalized(last))
    .then_some(last)
}

/// "Geza said": the last name alone of a person named earlier with a role ("politician Blessed
/// Geza") is that person.
fn add_surnames(s: &Sentence, discourse: &Discourse, ms: &mut Vec<Mention>) {
    let capitalized = |k: usize| s.kind(k) == TokenKind::Word && s.capitalized(k);
    let mut added = Vec::new();
    for i in 0..s.ids.len() {
        if s.ids[i] != NO_WORD
            || !capitalized(i)
            || (i > 0 && capitalized(i - 1))
            || (i + 1 < s.ids.len() && capitalized(i + 1))
            || ms.iter().any(|m| m.start <= i && i < m.end)
        {
            continue;
        }
        // Named earlier in this sentence, or in the document before.
        let here = ms.iter().find(|m| {
            m.end <= i
                && m.code.is_some()
                && unknown_last_name(s, m).is_some_and(|last| s.original(last) == s.original(i))
        });
        let named = match here {
            Some(m) => (
                m.code.unwrap_or_default(),
                m.entry,
                s.span_of(m.start, m.end),
            ),
            None => {
                let Some(r) = discourse.recent.iter().rev().find(|r| {
                    r.surname
                        .is_some_and(|sp| sp.slice(s.text) == s.original(i))
                }) else {
                    continue;
                };
                (r.code, r.entry, r.span)
            }
        };
        let (code, entry, span) = named;
        added.push(Mention {
            start: i,
            end: i + 1,
            code: Some(code),
            entry,
            agent: None,
            via: Via::Name,
            person: true,
            thing: false,
            plural: false,
            antecedent: Some(Antecedent { span, entry }),
            group: 0,
            joined: false,
        });
    }
    merge(ms, added);
}

/// Pronouns become mentions of the last compatible actor.
fn add_pronouns(dict: &Dictionary, s: &Sentence, discourse: &Discourse, ms: &mut Vec<Mention>) {
    let mut added = Vec::new();
    let mut next_named = 0;
    for i in 0..s.ids.len() {
        while next_named < ms.len() && ms[next_named].end <= i {
            next_named += 1;
        }
        if ms.get(next_named).is_some_and(|m| m.start <= i) {
            continue;
        }
        // (person, thing, plural) -> compatible?
        let want: fn(bool, bool, bool) -> bool = if dict.words.is(Section::PronounPerson, s.ids, i)
        {
            |person, _, _| person
        } else if dict.words.is(Section::PronounGroup, s.ids, i) {
            |_, _, plural| plural
        } else if dict.words.is(Section::PronounThing, s.ids, i) {
            |_, thing, _| thing
        } else {
            continue;
        };
        // "Bennett said he would": a speaker no dictionary knows is whom "he" means.
        if dict.words.is(Section::PronounPerson, s.ids, i) && unknown_speaker_before(dict, s, ms, i)
        {
            continue;
        }
        let here = ms[..next_named]
            .iter()
            .rev()
            .filter(|m| m.via != Via::Pronoun && m.code.is_some())
            .find(|m| want(m.person, m.thing, m.plural))
            .map(|m| (m.code, m.entry, s.span_of(m.start, m.end)));
        let before = || {
            discourse
                .antecedent(|r| want(r.person, r.thing, r.plural))
                .map(|r| (Some(r.code), r.entry, r.span))
        };
        let pronoun = |code, entry, span, joined| Mention {
            start: i,
            end: i + 1,
            code,
            entry,
            agent: None,
            via: Via::Pronoun,
            person: false,
            thing: false,
            plural: false,
            antecedent: Some(Antecedent { span, entry }),
            group: 0,
            joined,
        };
        if let Some((code, entry, span)) = here {
            added.push(pronoun(code, entry, span, false));
            continue;
        }
        // "Trump met Putin ... their meeting": with no plural antecedent, the last two people.
        if dict.words.is(Section::PronounGroup, s.ids, i) {
            let mut people = ms[..next_named]
                .iter()
                .rev()
                .filter(|m| m.via == Via::Name && m.person && m.code.is_some());
            if let (Some(b), Some(a)) = (people.next(), people.next()) {
                if a.code != b.code {
                    added.push(pronoun(a.code, a.entry, s.span_of(a.start, a.end), false));
                    added.push(pronoun(b.code, b.entry, s.span_of(b.start, b.end), true));
                    continue;
                }
            }
        }
        if let Some((code, entry, span)) = before() {
            added.push(pronoun(code, entry, span, false));
        }
    }
    merge(ms, added);
}

/// Does "he" at `i` follow "Name said (that)" where the name is no actor?
fn unknown_speaker_before(dict: &Dictionary, s: &Sentence, ms: &[Mention], i: usize) -> bool {
    let mut k = i;
    if k > 0 && s.norm(k - 1) == "that" {
        k -= 1;
    }
    if k == 0 || !dict.words.is(Section::Speech, s.ids, k - 1) {
        return false;
    }
    let mut name = k - 1;
    while name > 0 && dict.words.is(Section::Adverb, s.ids, name - 1) {
        name -= 1;
    }
    let pronoun = [
        Section::PronounPerson,
        Section::PronounGroup,
        Section::PronounThing,
        Section::PronounSpeaker,
    ]
    .iter()
    .any(|&sec| name >= 1 && dict.words.is(sec, s.ids, name - 1));
    name >= 1
        && s.kind(name - 1) == TokenKind::Word
        && s.capitalized(name - 1)
        && !pronoun
        && !ms.iter().any(|m| m.start < name && name - 1 < m.end)
}

/// "the president", "the ministry": a role with no country takes the code of the last actor in the
/// document with that role. "the two ministers", "both leaders": the last two with that role, as a
/// compound.
fn resolve_descriptions(s: &Sentence, discourse: &Discourse, ms: &mut Vec<Mention>) {
    let mut added = Vec::new();
    for idx in 0..ms.len() {
        let m = &ms[idx];
        if m.via != Via::Agent || m.start == 0 {
            continue;
        }
        let before = |k: usize| m.start.checked_sub(k).map(|t| s.norm(t));
        let pair = matches!(
            (before(2), before(1)),
            (Some("the"), Some("two")) | (_, Some("both"))
        );
        if !pair && before(1) != Some("the") {
            continue;
        }
        let Some(role) = m.code else { continue };
        let role = role.as_str().to_string();
        let fits = |c: &Code| c.len() > 3 && c.as_str()[3..].starts_with(&role);
        // Candidates, most recent first: earlier in this sentence, then earlier sentences.
        let here = ms[..idx]
            .iter()
            .rev()
            .filter(|o| o.via == Via::Name && o.code.is_some_and(|c| fits(&c)))
            .map(|o| (o.code, o.entry, s.span_of(o.start, o.end)));
        let earlier = discourse
            .recent
            .iter()
            .rev()
            .filter(|r| fits(&r.code))
            .map(|r| (Some(r.code), r.entry, r.span));
        let mut found = here.chain(earlier);
        let Some(last) = found.next() else { continue };
        let other = if pair {
            found.find(|c| c.0 != last.0)
        } else {
            None
        };
        let (start, end) = (m.start, m.end);
        let set = |m: &mut Mention, (code, entry, span): (Option<Code>, u32, Span)| {
            m.code = code;
            m.antecedent = Some(Antecedent { span, entry });
        };
        match other {
            // The earlier one first, as the text named them.
            Some(first) => {
                set(&mut ms[idx], first);
                let mut second = ms[idx].clone();
                set(&mut second, last);
                second.joined = true;
                debug_assert_eq!((second.start, second.end), (start, end));
                added.push(second);
            }
            None => set(&mut ms[idx], last),
        }
    }
    merge(ms, added);
}

/// Is the token before `start` a word that makes what follows a place ("in Cairo")?
fn after_locative(s: &Sentence, start: usize) -> bool {
    start > 0 && crate::patterns::LOCATIVE.contains(&s.norm(start - 1))
}

/// "the group", "the country", "the two leaders", "both countries", "the two sides": a
/// description that names no role takes the last actor of its kind (a person, a country, an
/// organisation, any actor for "sides") named before it in the sentence or the document; a
/// plural one the last two with different codes, as a compound.
fn add_descriptions(dict: &Dictionary, s: &Sentence, discourse: &Discourse, ms: &mut Vec<Mention>) {
    const KINDS: [Section; 4] = [
        Section::DescribedPerson,
        Section::DescribedCountry,
        Section::DescribedGroup,
        Section::DescribedSides,
    ];
    let mut added: Vec<Mention> = Vec::new();
    let n = s.ids.len();
    let mut i = 0;
    while i < n {
        // The determiner: "the" (one actor), "the two" or "both" (two).
        let (det_len, pair) = match s.norm(i) {
            "both" => (1, true),
            "the" if i + 1 < n && s.norm(i + 1) == "two" => (2, true),
            "the" => (1, false),
            _ => {
                i += 1;
                continue;
            }
        };
        let at = i + det_len;
        let found = (at < n)
            .then(|| {
                KINDS
                    .iter()
                    .find_map(|&k| dict.words.match_at(k, s.ids, at).map(|len| (k, len)))
            })
            .flatten();
        let Some((kind, len)) = found else {
            i += 1;
            continue;
        };
        let end = at + len;
        // A word of the description inside a named actor ("the Islamic State group") is not one,
        // nor one that says whose it is ("the leader of the opposition").
        let taken = |m: &Mention| m.start < end && i < m.end;
        let described_after = end < n && s.norm(end) == "of";
        if ms.iter().chain(&added).any(taken)
            || described_after
            || (kind == Section::DescribedSides && !pair)
        {
            i = end;
            continue;
        }
        let fits = |entry: u32, person: bool, code: &Code| match kind {
            Section::DescribedPerson => person,
            Section::DescribedCountry => {
                !person && dict.actors.entry(entry).kind == ActorKind::Country && code.len() >= 3
            }
            Section::DescribedGroup => !person && dict.actors.entry(entry).kind == ActorKind::Org,
            _ => true,
        };
        // A country stands for itself: "the country" after "Russian officials" is Russia.
        let own = |code: Code| match kind {
            Section::DescribedCountry => Code::new(code.as_str().get(..3).unwrap_or("")),
            _ => code,
        };
        let here = ms
            .iter()
            .filter(|m| m.end <= i && m.via != Via::Pronoun && !after_locative(s, m.start))
            .rev()
            .filter_map(|m| {
                let c = m.code?;
                fits(m.entry, m.person, &c).then(|| (own(c), m.entry, s.span_of(m.start, m.end)))
            });
        let earlier = discourse
            .recent
            .iter()
            .rev()
            .filter(|r| !r.place && fits(r.entry, r.person, &r.code))
            .map(|r| (own(r.code), r.entry, r.span));
        // "the country" alone is the one the document is about, when one leads.
        let main = (kind == Section::DescribedCountry && !pair)
            .then(|| discourse.main_country(|c| dict.actor_types.contains(c)))
            .flatten()
            .and_then(|c| {
                discourse
                    .recent
                    .iter()
                    .rev()
                    .find(|r| {
                        r.code.as_str().starts_with(c.as_str()) && fits(r.entry, r.person, &r.code)
                    })
                    .map(|r| (own(r.code), r.entry, r.span))
            });
        let mut candidates = main.into_iter().chain(here).chain(earlier);
        let Some(last) = candidates.next() else {
            i = end;
            continue;
        };
        // "the country's intelligence service": the role takes the country; another possessor
        // ("the country's leading newspaper") names no one who acts.
        if end < n && s.kind(end) == TokenKind::Possessive {
            let role = ms.iter_mut().find(|m| {
                m.start == end + 1 && m.via == Via::Agent && m.code.is_some_and(|c| c.len() == 3)
            });
            if let (Some(m), Section::DescribedCountry, false) = (role, kind, pair) {
                let mut code = last.0;
                if let Some(r) = m.code {
                    code.push(r.as_str());
                }
                m.code = Some(code);
                m.antecedent = Some(Antecedent {
                    span: last.2,
                    entry: last.1,
                });
            }
            i = end;
            continue;
        }
        let other = if pair {
            match candidates.find(|c| c.0 != last.0) {
                Some(o) => Some(o),
                None => {
                    i = end;
                    continue;
                }
            }
        } else {
            None
        };
        let mention = |(code, entry, span): (Code, u32, Span), joined: bool| Mention {
            start: i,
            end,
            code: Some(code),
            entry,
            agent: None,
            via: Via::Agent,
            person: kind == Section::DescribedPerson && !pair,
            thing: !pair && kind != Section::DescribedPerson,
            plural: pair,
            antecedent: Some(Antecedent { span, entry }),
            group: 0,
            joined,
        };
        match other {
            // The earlier one first, as the text named them.
            Some(first) => {
                added.push(mention(first, false));
                added.push(mention(last, true));
            }
            None => added.push(mention(last, false)),
        }
        i = end;
    }
    merge(ms, added);
}

/// First-person pronouns inside a statement are its speaker: "“We will not negotiate,” the
/// president said". Returns whether any were added (group indexes then change).
pub fn add_speaker_pronouns(
    dict: &Dictionary,
    s: &Sentence,
    regions: &[Region],
    ms: &mut Vec<Mention>,
) -> bool {
    let mut added = Vec::new();
    for i in 0..s.ids.len() {
        if !dict.words.is(Section::PronounSpeaker, s.ids, i)
            || ms.iter().any(|m| m.start <= i && i < m.end)
        {
            continue;
        }
        // The innermost statement around the pronoun.
        let Some(r) = regions
            .iter()
            .filter(|r| r.start <= i && i < r.end)
            .min_by_key(|r| r.end - r.start)
        else {
            continue;
        };
        let sp = &ms[r.speaker];
        if sp.code.is_none() {
            continue;
        }
        added.push(speaker_at(s, sp, i));
    }
    add(dict, s, ms, added)
}

/// "Syrian opposition members said they will release ...": the pronoun subject of what a
/// speaker says is the speaker, when no actor of the sentence or before was found for it.
/// Returns whether any were added.
pub fn add_reported_subjects(
    dict: &Dictionary,
    s: &Sentence,
    t: &crate::tree::Tree,
    regions: &[Region],
    ms: &mut Vec<Mention>,
) -> bool {
    let mut added = Vec::new();
    for r in regions {
        let said = t
            .children(r.verb.0)
            .find(|&k| t.rel[k] == crate::tree::Rel::Ccomp);
        let Some(subject) = said.and_then(|c| t.child(c, crate::tree::Rel::Nsubj)) else {
            continue;
        };
        let pronoun = [
            Section::PronounGroup,
            Section::PronounPerson,
            Section::PronounThing,
        ]
        .iter()
        .any(|&sec| dict.words.is(sec, s.ids, subject));
        let sp = &ms[r.speaker];
        if !pronoun || sp.code.is_none() || ms.iter().any(|m| m.start <= subject && subject < m.end)
        {
            continue;
        }
        added.push(speaker_at(s, sp, subject));
    }
    add(dict, s, ms, added)
}

/// A pronoun at token `i` that stands for the speaker `sp`.
fn speaker_at(s: &Sentence, sp: &Mention, i: usize) -> Mention {
    Mention {
        start: i,
        end: i + 1,
        via: Via::Pronoun,
        antecedent: Some(Antecedent {
            span: s.span_of(sp.start, sp.end),
            entry: sp.entry,
        }),
        joined: false,
        ..sp.clone()
    }
}

/// Adds mentions in order and regroups the compounds; whether any were added (group indexes
/// then change).
fn add(dict: &Dictionary, s: &Sentence, ms: &mut Vec<Mention>, added: Vec<Mention>) -> bool {
    if !merge(ms, added) {
        return false;
    }
    group_compounds(dict, s, ms);
    true
}

/// Puts `added` among the mentions in text order; whether there were any. The sort is stable:
/// a joined pair keeps its order.
fn merge(ms: &mut Vec<Mention>, added: Vec<Mention>) -> bool {
    if added.is_empty() {
        return false;
    }
    ms.extend(added);
    ms.sort_by_key(|m| m.start);
    true
}

/// "Trump and Putin", "Mauritania, Senegal and Mali": one group, one event per member.
fn group_compounds(dict: &Dictionary, s: &Sentence, ms: &mut [Mention]) {
    if let Some(first) = ms.first_mut() {
        first.group = 0;
    }
    for b in 1..ms.len() {
        let a = b - 1;
        let mut i = ms[a].end;
        let mut saw_joiner = false;
        let mut ok = i <= ms[b].start;
        while ok && i < ms[b].start {
            if s.norm(i) == "," {
                saw_joiner = true;
                i += 1;
            } else if let Some(len) = dict.words.match_at(Section::Coordination, s.ids, i) {
                saw_joiner = true;
                i += len;
            } else if s.norm(i) == "the" {
                i += 1;
            } else {
                ok = false;
            }
        }
        if ms[b].joined
            || (ok && saw_joiner && ms[b].via != Via::Pronoun && ms[a].via != Via::Pronoun)
        {
            ms[b].group = ms[a].group;
        } else {
            ms[b].group = b;
        }
    }
}

//! Closed-class words (`function-words.txt`) the engine reads sentence structure with.

use crate::phrase::{Compiler, Vocab};
use crate::{content_lines, Diagnostics, Loc};
use rustc_hash::FxHashSet;

/// The sections of `function-words.txt`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Section {
    Negation,
    NegatingVerbs,
    Intent,
    Obligation,
    Threat,
    Possibility,
    Speech,
    Denial,
    According,
    Audience,
    Clause,
    Be,
    By,
    PronounPerson,
    PronounGroup,
    PronounThing,
    Determiner,
    Coordination,
    Preposition,
    PronounSpeaker,
    LightVerb,
    Adverb,
    PatientNoun,
    Adjunct,
    Quantity,
    Condition,
    Foreign,
    PlaceAdjective,
    Approximator,
    Ethnic,
    Background,
    Unreal,
    Collective,
    Proxy,
    NaturalForce,
    Dispatch,
    DescribedPerson,
    DescribedCountry,
    DescribedGroup,
    DescribedSides,
    PluralNoun,
    Message,
}

const SECTIONS: [(&str, Section); 42] = [
    ("negation", Section::Negation),
    ("negating-verbs", Section::NegatingVerbs),
    ("intent", Section::Intent),
    ("obligation", Section::Obligation),
    ("threat", Section::Threat),
    ("possibility", Section::Possibility),
    ("speech", Section::Speech),
    ("denial", Section::Denial),
    ("according", Section::According),
    ("audience", Section::Audience),
    ("clause", Section::Clause),
    ("be", Section::Be),
    ("by", Section::By),
    ("pronoun-person", Section::PronounPerson),
    ("pronoun-group", Section::PronounGroup),
    ("pronoun-thing", Section::PronounThing),
    ("determiner", Section::Determiner),
    ("coordination", Section::Coordination),
    ("preposition", Section::Preposition),
    ("pronoun-speaker", Section::PronounSpeaker),
    ("light-verb", Section::LightVerb),
    ("adverb", Section::Adverb),
    ("patient-noun", Section::PatientNoun),
    ("adjunct", Section::Adjunct),
    ("quantity", Section::Quantity),
    ("condition", Section::Condition),
    ("foreign", Section::Foreign),
    ("place-adjective", Section::PlaceAdjective),
    ("approximator", Section::Approximator),
    ("ethnic", Section::Ethnic),
    ("background", Section::Background),
    ("unreal", Section::Unreal),
    ("collective", Section::Collective),
    ("proxy", Section::Proxy),
    ("natural-force", Section::NaturalForce),
    ("dispatch", Section::Dispatch),
    ("described-person", Section::DescribedPerson),
    ("described-country", Section::DescribedCountry),
    ("described-group", Section::DescribedGroup),
    ("described-sides", Section::DescribedSides),
    ("plural-noun", Section::PluralNoun),
    ("message", Section::Message),
];

#[derive(Debug, Default)]
struct Phrases {
    phrases: Vec<(Vec<Vec<u32>>, String)>,
    first: FxHashSet<u32>,
}

#[derive(Debug, Default)]
pub struct FunctionWords {
    sections: Vec<Phrases>,
}

impl FunctionWords {
    pub(crate) fn parse(
        text: &str,
        file: u16,
        vocab: &mut Vocab,
        ctx: &mut Compiler,
        diag: &mut Diagnostics,
    ) -> FunctionWords {
        let mut fw = FunctionWords {
            sections: (0..SECTIONS.len()).map(|_| Phrases::default()).collect(),
        };
        let mut current: Option<usize> = None;
        for (line, _, s) in content_lines(text) {
            let loc = Loc { file, line };
            if let Some(name) = s.strip_prefix('[').and_then(|n| n.strip_suffix(']')) {
                current = SECTIONS.iter().position(|(n, _)| *n == name);
                if current.is_none() {
                    diag.error(loc, format!("unknown section `[{name}]`"));
                }
                continue;
            }
            let Some(sec) = current else {
                diag.error(loc, "phrase before any `[section]`");
                continue;
            };
            for phrase in s.split(" | ").map(str::trim).filter(|p| !p.is_empty()) {
                match ctx.words(phrase, vocab) {
                    Ok(words) if !words.is_empty() => {
                        let p = &mut fw.sections[sec];
                        p.first.extend(words[0].iter().copied());
                        p.phrases.push((words, phrase.to_string()));
                    }
                    Ok(_) => {}
                    Err(e) => diag.error(loc, e),
                }
            }
        }
        for (i, (name, _)) in SECTIONS.iter().enumerate() {
            if fw.sections[i].phrases.is_empty() {
                diag.error(
                    Loc { file, line: 1 },
                    format!("section `[{name}]` is missing or empty"),
                );
            }
        }
        fw
    }

    fn section(&self, s: Section) -> &Phrases {
        let i = SECTIONS.iter().position(|(_, x)| *x == s).unwrap_or(0);
        &self.sections[i]
    }

    /// The longest phrase of `section` starting at `ids[i]`: its length in tokens.
    #[inline]
    pub fn match_at(&self, section: Section, ids: &[u32], i: usize) -> Option<usize> {
        self.match_phrase(section, ids, i).map(|(n, _)| n)
    }

    /// Like [`match_at`](Self::match_at), also giving the phrase as written.
    pub fn match_phrase(&self, section: Section, ids: &[u32], i: usize) -> Option<(usize, &str)> {
        let p = self.section(section);
        if !p.first.contains(ids.get(i)?) {
            return None;
        }
        let mut best: Option<(usize, &str)> = None;
        for (words, text) in &p.phrases {
            let n = words.len();
            if i + n <= ids.len()
                && words
                    .iter()
                    .zip(&ids[i..i + n])
                    .all(|(w, id)| w.binary_search(id).is_ok())
                && best.is_none_or(|(b, _)| n > b)
            {
                best = Some((n, text.as_str()));
            }
        }
        best
    }

    /// Is `ids[i]` a single-word member of `section`?
    #[inline]
    pub fn is(&self, section: Section, ids: &[u32], i: usize) -> bool {
        let p = self.section(section);
        ids.get(i).is_some_and(|id| {
            p.first.contains(id)
                && p.phrases
                    .iter()
                    .any(|(w, _)| w.len() == 1 && w[0].binary_search(id).is_ok())
        })
    }
}

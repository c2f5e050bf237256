//! Interning of dictionary words and compilation of phrases and pattern elements.

use dyad_core::{Span, TokenKind, Tokens};
use rustc_hash::FxHashMap;

/// Word id of a token that no dictionary uses.
pub const NO_WORD: u32 = u32::MAX;

/// Every word any dictionary mentions, interned.
#[derive(Debug, Default)]
pub struct Vocab {
    ids: FxHashMap<Box<str>, u32>,
    words: Vec<Box<str>>,
}

impl Vocab {
    pub fn intern(&mut self, word: &str) -> u32 {
        if let Some(&id) = self.ids.get(word) {
            return id;
        }
        let id = self.words.len() as u32;
        self.words.push(word.into());
        self.ids.insert(word.into(), id);
        id
    }
    /// The id of a normalized word, or [`NO_WORD`].
    #[inline]
    pub fn get(&self, word: &str) -> u32 {
        self.ids.get(word).copied().unwrap_or(NO_WORD)
    }
    pub fn word(&self, id: u32) -> &str {
        self.words.get(id as usize).map(|w| &**w).unwrap_or("")
    }
    pub fn len(&self) -> usize {
        self.words.len()
    }
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }
}

/// What the original text of a word must look like for a dictionary word to match it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CaseReq {
    Any,
    /// The dictionary word starts with a capital: so must the text.
    Capital,
    /// The dictionary word is all capitals (two letters or more): so must the text.
    AllCaps,
}

impl CaseReq {
    pub fn of(word: &str) -> CaseReq {
        let mut letters = word.chars().filter(|c| c.is_alphabetic());
        let Some(first) = letters.next() else {
            return CaseReq::Any;
        };
        if !first.is_uppercase() {
            return CaseReq::Any;
        }
        let mut n = 1;
        let mut all_upper = true;
        for c in letters {
            n += 1;
            all_upper &= c.is_uppercase();
        }
        if all_upper && n >= 2 {
            CaseReq::AllCaps
        } else {
            CaseReq::Capital
        }
    }

    /// Does `text` (an original token) satisfy this requirement?
    #[inline]
    pub fn allows(self, text: &str) -> bool {
        match self {
            CaseReq::Any => true,
            CaseReq::Capital => text.chars().next().is_some_and(|c| !c.is_lowercase()),
            CaseReq::AllCaps => !text.chars().any(|c| c.is_lowercase()),
        }
    }
}

/// Shared state for compiling phrases: a token buffer and the inflection table.
pub(crate) struct Compiler<'a> {
    irregulars: &'a dyad_text::Irregulars,
    tokens: Tokens,
    forms: Vec<String>,
    /// Compiled elements by their text: imported verb blocks repeat one long element per pattern.
    elements: FxHashMap<String, Vec<u32>>,
}

impl<'a> Compiler<'a> {
    pub fn new(irregulars: &'a dyad_text::Irregulars) -> Self {
        Compiler {
            irregulars,
            tokens: Tokens::default(),
            forms: Vec::new(),
            elements: FxHashMap::default(),
        }
    }

    /// Tokenizes a name as text is tokenized: word ids with their case requirements.
    pub fn name(&mut self, text: &str, vocab: &mut Vocab) -> Vec<(u32, CaseReq)> {
        self.tokens.clear();
        dyad_text::tokenize(text, Span::new(0, text.len() as u32), &mut self.tokens);
        let mut out = Vec::with_capacity(self.tokens.len());
        for (i, t) in self.tokens.tokens.iter().enumerate() {
            let orig = t.span.slice(text);
            let req = if t.kind == TokenKind::Word {
                CaseReq::of(orig)
            } else {
                CaseReq::Any
            };
            out.push((vocab.intern(self.tokens.norm(i)), req));
        }
        out
    }

    /// One pattern element: `word`, `word*` or `a|b*|c`, as the set of word ids it accepts.
    pub fn element(&mut self, elem: &str, vocab: &mut Vocab) -> Result<Vec<u32>, String> {
        if let Some(ids) = self.elements.get(elem) {
            return Ok(ids.clone());
        }
        let ids = self.compile_element(elem, vocab)?;
        self.elements.insert(elem.to_string(), ids.clone());
        Ok(ids)
    }

    fn compile_element(&mut self, elem: &str, vocab: &mut Vocab) -> Result<Vec<u32>, String> {
        let mut ids = Vec::new();
        for alt in elem.split('|') {
            if alt.is_empty() {
                return Err(format!("empty alternative in `{elem}`"));
            }
            let (base, inflect) = match alt.strip_suffix('*') {
                Some(b) => (b, true),
                None => (alt, false),
            };
            if base.is_empty() || base.contains('*') {
                return Err(format!("bad word `{alt}`"));
            }
            let base = normalize_word(base);
            if inflect {
                self.forms.clear();
                dyad_text::inflections(&base, self.irregulars, &mut self.forms);
                if !self.forms.iter().any(|f| f == &base) {
                    ids.push(vocab.intern(&base));
                }
                for f in &self.forms {
                    ids.push(vocab.intern(f));
                }
            } else {
                ids.push(vocab.intern(&base));
            }
        }
        ids.sort_unstable();
        ids.dedup();
        Ok(ids)
    }

    /// A sequence of pattern elements separated by spaces (no slots).
    pub fn words(&mut self, phrase: &str, vocab: &mut Vocab) -> Result<Vec<Vec<u32>>, String> {
        phrase
            .split_whitespace()
            .map(|e| self.element(e, vocab))
            .collect()
    }
}

/// Lowercases and folds quotes and dashes as the tokenizer does.
pub(crate) fn normalize_word(w: &str) -> String {
    let mut out = String::with_capacity(w.len());
    for c in w.chars() {
        match dyad_text::fold_char(c) {
            Some(f) => out.push_str(f),
            None => out.extend(c.to_lowercase()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_requirements() {
        assert_eq!(CaseReq::of("president"), CaseReq::Any);
        assert_eq!(CaseReq::of("Chad"), CaseReq::Capital);
        assert_eq!(CaseReq::of("US"), CaseReq::AllCaps);
        assert_eq!(CaseReq::of("U.S."), CaseReq::AllCaps);
        assert_eq!(CaseReq::of("I"), CaseReq::Capital);
        assert!(!CaseReq::Capital.allows("chad"));
        assert!(CaseReq::Capital.allows("CHAD"));
        assert!(!CaseReq::AllCaps.allows("us"));
        assert!(!CaseReq::AllCaps.allows("Us"));
        assert!(CaseReq::AllCaps.allows("US"));
    }

    #[test]
    fn vocab_interns_once() {
        let mut v = Vocab::default();
        let a = v.intern("putin");
        assert_eq!(v.intern("putin"), a);
        assert_eq!(v.get("putin"), a);
        assert_eq!(v.get("nobody"), NO_WORD);
    }
}

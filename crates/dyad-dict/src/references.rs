//! `event-references.tsv`: nouns that refer back to an event told before ("Kenya condemned the
//! attack": the attack's doer is the one condemned).

use crate::codebook::Codebook;
use crate::phrase::Vocab;
use crate::{content_lines, Diagnostics, Loc};
use rustc_hash::FxHashMap;

#[derive(Debug, Default)]
pub struct EventReferences {
    /// Word id -> CAMEO code prefixes of the events the noun can refer to.
    by_word: FxHashMap<u32, Vec<String>>,
}

impl EventReferences {
    pub(crate) fn parse(
        text: &str,
        file: u16,
        codebook: &Codebook,
        vocab: &mut Vocab,
        diag: &mut Diagnostics,
    ) -> EventReferences {
        let mut by_word: FxHashMap<u32, Vec<String>> = FxHashMap::default();
        for (line, _, s) in content_lines(text) {
            let loc = Loc { file, line };
            let cols: Vec<&str> = s.split('\t').collect();
            if cols.first() == Some(&"nouns") {
                continue;
            }
            let (Some(nouns), Some(codes)) = (cols.first(), cols.get(1)) else {
                diag.error(
                    loc,
                    "expected two tab-separated columns: nouns and code prefixes",
                );
                continue;
            };
            let codes: Vec<String> = codes.split_whitespace().map(str::to_string).collect();
            if codes.is_empty() {
                diag.error(loc, "no CAMEO code prefix");
                continue;
            }
            if let Some(bad) = codes.iter().find(|c| codebook.get(c).is_none()) {
                diag.error(loc, format!("unknown CAMEO code prefix `{bad}`"));
                continue;
            }
            for noun in nouns.split('|').map(str::trim) {
                if noun.is_empty() || noun.contains(char::is_whitespace) {
                    diag.error(loc, format!("`{noun}`: one word per noun"));
                    continue;
                }
                let id = vocab.intern(&noun.to_lowercase());
                if by_word.insert(id, codes.clone()).is_some() {
                    diag.error(loc, format!("`{noun}` is listed twice"));
                }
            }
        }
        EventReferences { by_word }
    }

    /// The code prefixes of the events `word` can refer to, if it is such a noun.
    pub fn codes(&self, word: u32) -> Option<&[String]> {
        self.by_word.get(&word).map(Vec::as_slice)
    }
}

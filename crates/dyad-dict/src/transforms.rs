//! `transforms.tsv`: how intent, obligation and refusal change an event's code.

use crate::codebook::Codebook;
use crate::{content_lines, Diagnostics, Loc};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Mode {
    /// "will meet" -> 03x; "will attack" -> 13x.
    Intent,
    /// "X said Y must withdraw" -> 10x by X on Y.
    Obligation,
    /// "refused to meet" -> 12x.
    Refusal,
    /// "agencies say Russia attacked" -> the speaker accuses Russia (11x).
    Allegation,
    /// "Xi and Biden met": a compound subject with no target acts on each other (code unchanged).
    Mutual,
    /// "evacuate settlements in the Gaza Strip": an actor after a preposition can be the target.
    PlaceTarget,
}

#[derive(Debug, Default)]
pub struct Transforms {
    table: BTreeMap<(Mode, String), String>,
}

impl Transforms {
    pub(crate) fn parse(
        text: &str,
        file: u16,
        codebook: &Codebook,
        diag: &mut Diagnostics,
    ) -> Transforms {
        let mut table = BTreeMap::new();
        for (line, _, s) in content_lines(text) {
            let loc = Loc { file, line };
            let cols: Vec<&str> = s.split('\t').collect();
            if cols.first() == Some(&"mode") {
                continue;
            }
            let mode = match cols.first() {
                Some(&"intent") => Mode::Intent,
                Some(&"obligation") => Mode::Obligation,
                Some(&"refusal") => Mode::Refusal,
                Some(&"allegation") => Mode::Allegation,
                Some(&"mutual") => Mode::Mutual,
                Some(&"place-target") => Mode::PlaceTarget,
                _ => {
                    diag.error(loc, "expected a mode (`intent`, `obligation`, `refusal`, `allegation`, `mutual`, `place-target`), a code prefix and a code");
                    continue;
                }
            };
            let (Some(from), Some(to)) = (cols.get(1), cols.get(2)) else {
                diag.error(loc, "expected three tab-separated columns");
                continue;
            };
            if codebook.get(from).is_none() {
                diag.error(loc, format!("unknown CAMEO code prefix `{from}`"));
            } else if codebook.get(to).is_none() {
                diag.error(loc, format!("unknown CAMEO event code `{to}`"));
            } else if table
                .insert((mode, from.to_string()), to.to_string())
                .is_some()
            {
                diag.error(loc, format!("`{from}` is given twice for this mode"));
            }
        }
        Transforms { table }
    }

    /// The code `code` becomes under `mode`, by the longest listed prefix.
    pub fn apply(&self, mode: Mode, code: &str) -> Option<&str> {
        (2..=code.len())
            .rev()
            .find_map(|n| self.table.get(&(mode, code.get(..n)?.to_string())))
            .map(String::as_str)
    }
}

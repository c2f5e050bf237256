//! The CAMEO event codebook and the CAMEO -> PLOVER mapping.

use crate::{content_lines, Diagnostics, Loc};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq)]
pub struct CodeInfo {
    pub code: String,
    pub label: String,
    pub goldstein: f32,
    pub quad_class: u8,
}

/// Every CAMEO event code the coder may emit.
#[derive(Debug, Default)]
pub struct Codebook {
    codes: BTreeMap<String, CodeInfo>,
}

fn is_event_code(code: &str) -> bool {
    (2..=4).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_digit())
}

impl Codebook {
    pub(crate) fn parse(text: &str, file: u16, diag: &mut Diagnostics) -> Codebook {
        let mut codes = BTreeMap::new();
        for (line, _, s) in content_lines(text) {
            let loc = Loc { file, line };
            let cols: Vec<&str> = s.split('\t').collect();
            if cols.first() == Some(&"code") {
                continue;
            }
            if cols.len() != 4 {
                diag.error(
                    loc,
                    format!("expected 4 tab-separated columns, found {}", cols.len()),
                );
                continue;
            }
            let (code, label) = (cols[0], cols[1]);
            let goldstein: Option<f32> = cols[2].parse().ok().filter(|g: &f32| g.abs() <= 10.0);
            let quad: Option<u8> = cols[3].parse().ok().filter(|q| (1..=4).contains(q));
            match (is_event_code(code), goldstein, quad) {
                (false, _, _) => diag.error(loc, format!("bad event code `{code}`")),
                (_, None, _) => diag.error(loc, format!("bad Goldstein score `{}`", cols[2])),
                (_, _, None) => diag.error(loc, format!("bad QuadClass `{}`", cols[3])),
                (true, Some(goldstein), Some(quad_class)) => {
                    let info = CodeInfo {
                        code: code.to_string(),
                        label: label.to_string(),
                        goldstein,
                        quad_class,
                    };
                    if codes.insert(code.to_string(), info).is_some() {
                        diag.error(loc, format!("duplicate code `{code}`"));
                    }
                }
            }
        }
        Codebook { codes }
    }

    pub fn get(&self, code: &str) -> Option<&CodeInfo> {
        self.codes.get(code)
    }
    pub fn len(&self) -> usize {
        self.codes.len()
    }
    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }
    pub fn iter(&self) -> impl Iterator<Item = &CodeInfo> {
        self.codes.values()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PloverType {
    pub event: String,
    pub mode: String,
    pub context: String,
}

/// CAMEO code prefix -> PLOVER type; the longest prefix with an entry wins.
#[derive(Debug, Default)]
pub struct Plover {
    by_prefix: BTreeMap<String, PloverType>,
}

impl Plover {
    pub(crate) fn parse(text: &str, file: u16, diag: &mut Diagnostics) -> Plover {
        let mut by_prefix = BTreeMap::new();
        for (line, _, s) in content_lines(text) {
            let cols: Vec<&str> = s.split('\t').collect();
            if cols.first() == Some(&"code") {
                continue;
            }
            if cols.len() < 2 || !is_event_code(cols[0]) || cols[1].is_empty() {
                diag.error(
                    Loc { file, line },
                    "expected `code<TAB>type[<TAB>mode<TAB>context]`",
                );
                continue;
            }
            let col = |i: usize| {
                cols.get(i)
                    .map(|s| s.trim().to_string())
                    .unwrap_or_default()
            };
            by_prefix.insert(
                cols[0].to_string(),
                PloverType {
                    event: col(1),
                    mode: col(2),
                    context: col(3),
                },
            );
        }
        Plover { by_prefix }
    }

    /// The PLOVER type of a CAMEO code; `None` for 01x statements.
    pub fn of(&self, code: &str) -> Option<&PloverType> {
        (2..=code.len())
            .rev()
            .find_map(|n| self.by_prefix.get(code.get(..n)?))
    }
}

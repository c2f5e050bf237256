//! `dyad dict check`: lints beyond what loading already rejects.

use crate::actors::ActorKind;
use crate::verbs::Elem;
use crate::{content_lines, DictError, Dictionary, Loc, SECTOR_PREFIXES};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// One lint finding. Errors fail the check; warnings are printed.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Finding {
    pub error: bool,
    pub file: String,
    pub line: u32,
    pub message: String,
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let level = if self.error { "error" } else { "warning" };
        write!(f, "{}:{}: {level}: {}", self.file, self.line, self.message)
    }
}

/// Loads the dictionaries in `dir` and lints them. Load errors come back as error findings.
pub fn check(dir: &Path) -> Vec<Finding> {
    let dict = match Dictionary::load(dir) {
        Ok(d) => d,
        Err(errs) => return errs.0.into_iter().map(from_error).collect(),
    };
    let mut out = Vec::new();
    let mut err = |loc: Loc, error: bool, message: String| {
        out.push(Finding {
            error,
            file: dict.files[loc.file as usize].clone(),
            line: loc.line,
            message,
        })
    };

    let roles = &dict.actor_types;
    let groups = &dict.known_groups;
    let countries: BTreeSet<String> = dict.actors.country_codes();
    if roles.is_empty() || groups.is_empty() {
        let file = dict
            .files
            .iter()
            .position(|f| f == "actor-types.tsv")
            .unwrap_or(0) as u16;
        err(
            Loc { file, line: 0 },
            true,
            "actor-types.tsv or known-groups.tsv missing or empty".into(),
        );
    }
    let check_code = |code: &str, agent: bool| code_problem(code, agent, &countries, roles, groups);

    for e in &dict.actors.entries {
        let agent = e.kind == ActorKind::Agent;
        if let Some(code) = &e.code {
            if let Some(m) = check_code(code, agent) {
                err(e.loc, true, m);
            }
        }
        let mut roles_sorted: Vec<_> = e.roles.iter().collect();
        roles_sorted.sort_by_key(|r| r.from);
        for r in &roles_sorted {
            if let Some(m) = check_code(&r.code, false) {
                err(r.loc, true, m);
            }
        }
        for w in roles_sorted.windows(2) {
            if w[1].from < w[0].to {
                err(
                    w[1].loc,
                    true,
                    format!(
                        "role of `{}` overlaps the one on line {}",
                        e.name, w[0].loc.line
                    ),
                );
            }
        }
        if e.kind == ActorKind::Person && e.code.is_none() && e.roles.is_empty() {
            err(e.loc, true, format!("`{}` has no code", e.name));
        }
    }
    for n in dict.actors.names() {
        let e = dict.actors.entry(n.entry);
        if e.kind != ActorKind::Agent && n.case.iter().all(|c| *c == crate::CaseReq::Any) {
            err(
                n.loc,
                false,
                format!(
                    "name of `{}` has no capital letter: it matches common words",
                    e.name
                ),
            );
        }
    }

    // The conversion table of imported codes: every target must be a code dyad knows.
    let unit_known = |u: &str| {
        countries.contains(u)
            || roles.contains(u)
            || groups.contains(u)
            || SECTOR_PREFIXES.contains(&u)
    };
    for (from, (to, loc)) in &dict.codes.units {
        if to != "-" && !unit_known(to) {
            err(
                *loc,
                true,
                format!("`{from}` maps to `{to}`, which dyad does not know"),
            );
        }
        if unit_known(from) {
            err(
                *loc,
                false,
                format!("`{from}` is already a dyad code: mapping it changes its meaning"),
            );
        }
    }
    for (from, (to, loc)) in &dict.codes.tail_units {
        if to != "-" && !unit_known(to) {
            err(
                *loc,
                true,
                format!("`.{from}` maps to `{to}`, which dyad does not know"),
            );
        }
        if roles.contains(from) || groups.contains(from) {
            err(
                *loc,
                false,
                format!("`{from}` is already a dyad actor type or group"),
            );
        }
    }
    for (from, (to, loc)) in &dict.codes.whole {
        if to != "-" {
            if let Some(m) = check_code(to, false) {
                err(*loc, true, format!("`{from}` maps to `{to}`: {m}"));
            }
        }
    }
    let mut imported = Vec::new();
    for n in &dict.import_notes {
        imported.push(Finding {
            error: false,
            file: n.file.clone(),
            line: n.line,
            message: n.message.clone(),
        });
    }

    // Same pattern twice: with one code it is a duplicate, with two it is a contradiction.
    let mut seen: BTreeMap<String, (String, Loc)> = BTreeMap::new();
    for p in &dict.verbs.patterns {
        let key = pattern_key(&p.elems);
        match seen.get(&key) {
            Some((code, loc)) if *code == p.code => err(
                p.loc,
                true,
                format!("duplicate of the pattern on {}", dict.loc(*loc)),
            ),
            Some((code, loc)) => err(
                p.loc,
                true,
                format!(
                    "same pattern codes {code} on {} and {} here",
                    dict.loc(*loc),
                    p.code
                ),
            ),
            None => {
                seen.insert(key, (p.code.clone(), p.loc));
            }
        }
    }
    let coded: BTreeSet<&str> = dict
        .verbs
        .patterns
        .iter()
        .map(|p| p.code.as_str())
        .collect();
    let codebook_file = dict
        .files
        .iter()
        .position(|f| f == "codebook.tsv")
        .unwrap_or(0) as u16;
    for c in dict.codebook.iter() {
        if c.code.len() == 3 && !c.code.starts_with("01") && !coded.contains(c.code.as_str()) {
            let loc = Loc {
                file: codebook_file,
                line: 0,
            };
            err(
                loc,
                false,
                format!("no pattern codes {} ({})", c.code, c.label),
            );
        }
    }
    out.extend(imported);
    out.sort();
    out
}

fn from_error(e: DictError) -> Finding {
    Finding {
        error: true,
        file: e.file,
        line: e.line,
        message: e.message,
    }
}

pub(crate) fn pattern_key(elems: &[Elem]) -> String {
    elems
        .iter()
        .map(|e| match e {
            Elem::Word(ws) => ws.iter().map(u32::to_string).collect::<Vec<_>>().join("|"),
            Elem::Source => "$".into(),
            Elem::Target => "+".into(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// What is wrong with an actor code, if anything: a country, region, sector or group code
/// followed by actor types or known groups; an agent's code is actor types only.
pub(crate) fn code_problem(
    code: &str,
    agent: bool,
    countries: &BTreeSet<String>,
    roles: &BTreeSet<String>,
    groups: &BTreeSet<String>,
) -> Option<String> {
    let unit_ok = |u: &str| roles.contains(u) || groups.contains(u);
    let units: Vec<&str> = (0..code.len() / 3)
        .map(|i| &code[i * 3..i * 3 + 3])
        .collect();
    let (head, rest) = units.split_first()?;
    if agent {
        return units
            .iter()
            .find(|u| !roles.contains(**u))
            .map(|u| format!("`{u}` in `{code}` is not a CAMEO actor type"));
    }
    if !countries.contains(*head) && !SECTOR_PREFIXES.contains(head) && !groups.contains(*head) {
        return Some(format!(
            "`{head}` in `{code}` is not a country, region or sector code"
        ));
    }
    rest.iter()
        .find(|u| !unit_ok(u))
        .map(|u| format!("`{u}` in `{code}` is neither an actor type nor a known group"))
}

/// The first column of a code table: three upper-case letters.
pub(crate) fn code_column(text: &str) -> BTreeSet<String> {
    content_lines(text)
        .filter_map(|(_, _, s)| s.split('\t').next())
        .filter(|c| c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase()))
        .map(str::to_string)
        .collect()
}

//! Actor dictionaries (countries, organisations, agents, people) compiled into one word trie.

use crate::phrase::{CaseReq, Compiler, Vocab};
use crate::{content_lines, parse_date, Diagnostics, Loc};
use rustc_hash::FxHashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ActorKind {
    /// A country or region: combines with a following agent ("Russian" + "officials").
    Country,
    /// An organisation or institution with a fixed code.
    Org,
    /// A role noun or title: gives role codes, takes its country from context.
    Agent,
    /// A named person whose code depends on the date.
    Person,
}

/// A dated role of a person. Dates are `YYYYMMDD` numbers; the range is `[from, to)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Role {
    pub code: String,
    pub from: u32,
    pub to: u32,
    pub title: String,
    pub loc: Loc,
    /// The code as an imported dictionary wrote it, where `codes.tsv` mapped it.
    pub original: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ActorEntry {
    pub kind: ActorKind,
    /// The code when no dated role applies (for non-persons: the code).
    pub code: Option<String>,
    pub roles: Vec<Role>,
    /// Canonical name (first name of the entry).
    pub name: String,
    pub loc: Loc,
    /// The undated code as an imported dictionary wrote it, where `codes.tsv` mapped it.
    pub original: Option<String>,
}

impl ActorEntry {
    /// The actor code on a date (`YYYYMMDD`); without a date, the undated code or else the most
    /// recent role.
    pub fn code_on(&self, date: Option<u32>) -> Option<&str> {
        if let Some(d) = date {
            if let Some(r) = self.roles.iter().find(|r| r.from <= d && d < r.to) {
                return Some(&r.code);
            }
            return self.code.as_deref();
        }
        self.code.as_deref().or_else(|| {
            self.roles
                .iter()
                .max_by_key(|r| r.from)
                .map(|r| r.code.as_str())
        })
    }

    /// The code as its imported source wrote it, where it was mapped (for `explain`).
    pub fn original_on(&self, date: Option<u32>) -> Option<&str> {
        match date.and_then(|d| self.role_on(d)) {
            Some(r) => r.original.as_deref(),
            None => self.original.as_deref(),
        }
    }

    /// The role in force on a date, if any.
    pub fn role_on(&self, date: u32) -> Option<&Role> {
        self.roles.iter().find(|r| r.from <= date && date < r.to)
    }
}

/// A name of an entry as compiled: which entry, and the case each word needs.
#[derive(Debug, Clone)]
pub(crate) struct Name {
    pub entry: u32,
    pub case: Box<[CaseReq]>,
    pub loc: Loc,
}

/// A longest match found in a sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActorMatch {
    pub entry: u32,
    /// Number of tokens matched.
    pub len: usize,
}

#[derive(Debug, Default)]
pub struct ActorDict {
    pub entries: Vec<ActorEntry>,
    /// Trie over word ids: (node, word) -> child node. Node 0 is the root.
    edges: FxHashMap<(u32, u32), u32>,
    /// Names ending at each node.
    ends: Vec<Vec<Name>>,
    /// One-word country names of at least `NEAR_MIN` letters (`near_names`) and each with one
    /// letter left out (`near_short`), for names misspelt by a letter missing ("Somlia") or
    /// added ("Ethiopiia"); `u32::MAX` where two entries meet. Not a letter changed: "Indiana"
    /// is no misspelt "Indians".
    near_names: FxHashMap<String, u32>,
    near_short: FxHashMap<String, u32>,
    /// Entries below this index are dyad's own; the rest were imported (`imports.tsv`).
    pub base_len: u32,
}

/// Names shorter than this are not matched by spelling near them ("Iran", "Iraq").
const NEAR_MIN: usize = 7;

/// The forms of a word with one letter left out.
fn one_left_out(word: &str) -> impl Iterator<Item = String> + '_ {
    word.char_indices().map(move |(at, c)| {
        let mut w = String::with_capacity(word.len());
        w.push_str(&word[..at]);
        w.push_str(&word[at + c.len_utf8()..]);
        w
    })
}

/// Records `key` for `entry`, marking keys two entries of different codes share.
fn note(map: &mut FxHashMap<String, u32>, key: String, entry: u32, same: impl Fn(u32) -> bool) {
    let slot = map.entry(key).or_insert(entry);
    if *slot != entry && *slot != u32::MAX && !same(*slot) {
        *slot = u32::MAX;
    }
}

impl ActorDict {
    /// The three-letter codes of the countries and regions.
    pub fn country_codes(&self) -> std::collections::BTreeSet<String> {
        self.entries
            .iter()
            .filter(|e| e.kind == ActorKind::Country)
            .filter_map(|e| e.code.clone())
            .filter(|c| c.len() == 3)
            .collect()
    }

    /// Up to `n` country names of one ASCII word with distinct codes, in dictionary order: what
    /// tests and benchmarks build generated text from, so that no code names a country.
    pub fn one_word_countries(&self, n: usize) -> Vec<&str> {
        let mut codes = std::collections::HashSet::new();
        self.entries
            .iter()
            .filter(|e| e.kind == ActorKind::Country)
            .filter(|e| e.name.chars().all(|c| c.is_ascii_alphabetic()))
            .filter(|e| {
                e.code
                    .as_deref()
                    .is_some_and(|c| c.len() == 3 && codes.insert(c))
            })
            .map(|e| e.name.as_str())
            .take(n)
            .collect()
    }

    pub(crate) fn add_entry(&mut self, entry: ActorEntry) -> u32 {
        self.entries.push(entry);
        (self.entries.len() - 1) as u32
    }

    fn add_name(
        &mut self,
        entry: u32,
        text: &str,
        loc: Loc,
        vocab: &mut Vocab,
        ctx: &mut Compiler,
        diag: &mut Diagnostics,
    ) {
        let words = ctx.name(text, vocab);
        self.insert_name(entry, text, &words, loc, diag);
    }

    /// Adds a tokenized name to the trie.
    fn insert_name(
        &mut self,
        entry: u32,
        text: &str,
        words: &[(u32, CaseReq)],
        loc: Loc,
        diag: &mut Diagnostics,
    ) {
        if words.is_empty() {
            diag.error(loc, format!("empty name `{text}`"));
            return;
        }
        if self.ends.is_empty() {
            self.ends.push(Vec::new());
        }
        let mut node = 0u32;
        for &(w, _) in words {
            let next = self.ends.len() as u32;
            node = *self.edges.entry((node, w)).or_insert(next);
            if node == next {
                self.ends.push(Vec::new());
            }
        }
        let country = self.entries[entry as usize].kind == ActorKind::Country;
        if country && words.len() == 1 && text.chars().count() >= NEAR_MIN {
            let name = text.to_lowercase();
            let code = self.entries[entry as usize].code.clone();
            let entries = &self.entries;
            let same = |other: u32| entries[other as usize].code == code;
            for key in one_left_out(&name) {
                note(&mut self.near_short, key, entry, same);
            }
            note(&mut self.near_names, name, entry, same);
        }
        let case: Box<[CaseReq]> = words.iter().map(|&(_, c)| c).collect();
        let ends = &mut self.ends[node as usize];
        // People may share a name ("Bush", "Castro"): the document date tells them apart.
        let both_people = |other: u32| {
            self.entries[other as usize].kind == ActorKind::Person
                && self.entries[entry as usize].kind == ActorKind::Person
        };
        if let Some(prev) = ends
            .iter()
            .find(|n| n.case == case && n.entry != entry && !both_people(n.entry))
        {
            let other = &self.entries[prev.entry as usize];
            diag.error(
                loc,
                format!(
                    "name `{text}` already names `{}` ({}:{})",
                    other.name, diag.files[prev.loc.file as usize], prev.loc.line
                ),
            );
            return;
        }
        if !ends.iter().any(|n| n.case == case && n.entry == entry) {
            ends.push(Name { entry, case, loc });
        }
    }

    /// Adds a name of an imported entry unless some entry already has it: dyad's own entries
    /// win, and of imported ones the first, except people, whom the date tells apart. Returns the
    /// entry that kept the name.
    pub(crate) fn add_imported_name(
        &mut self,
        entry: u32,
        text: &str,
        words: &[(u32, CaseReq)],
        loc: Loc,
    ) -> Result<(), u32> {
        if words.is_empty() {
            return Ok(());
        }
        let mut node = 0u32;
        let mut found = true;
        for &(w, _) in words {
            match self.edges.get(&(node, w)) {
                Some(&n) => node = n,
                None => {
                    found = false;
                    break;
                }
            }
        }
        if found {
            let person = self.entries[entry as usize].kind == ActorKind::Person;
            let taken = self.ends[node as usize].iter().find(|n| {
                n.entry != entry
                    && !(person
                        && n.entry >= self.base_len
                        && self.entries[n.entry as usize].kind == ActorKind::Person)
            });
            if let Some(t) = taken {
                return Err(t.entry);
            }
        }
        let mut diag = Diagnostics::default();
        self.insert_name(entry, text, words, loc, &mut diag);
        Ok(())
    }

    /// Parses `countries.txt`, `orgs.txt` or `agents.txt`: `CODE name | name`, indented
    /// `name | name [=> CODE]`.
    pub(crate) fn parse_coded(
        &mut self,
        text: &str,
        file: u16,
        kind: ActorKind,
        vocab: &mut Vocab,
        ctx: &mut Compiler,
        diag: &mut Diagnostics,
    ) {
        let mut current: Option<u32> = None;
        for (line, indented, s) in content_lines(text) {
            let loc = Loc { file, line };
            if !indented {
                let (code, names) = s.split_once(char::is_whitespace).unwrap_or((s, ""));
                if !is_actor_code(code) {
                    diag.error(
                        loc,
                        format!("expected an actor code like RUS, RUSGOV or GOV, found `{code}`"),
                    );
                    current = None;
                    continue;
                }
                let first = names.split('|').next().unwrap_or("").trim();
                if first.is_empty() {
                    diag.error(loc, format!("entry `{code}` has no name"));
                }
                let id = self.add_entry(ActorEntry {
                    kind,
                    code: Some(code.to_string()),
                    roles: Vec::new(),
                    name: first.to_string(),
                    loc,
                    original: None,
                });
                current = Some(id);
                for n in names.split('|').map(str::trim).filter(|n| !n.is_empty()) {
                    self.add_name(id, n, loc, vocab, ctx, diag);
                }
                continue;
            }
            let Some(parent) = current else {
                diag.error(loc, "indented line without an entry above it");
                continue;
            };
            // `CODE FROM TO`: a dated role ("the Taliban" govern Afghanistan from August 2021).
            let mut words = s.split_whitespace();
            let first = words.next().unwrap_or("");
            let rest: Vec<&str> = words.collect();
            if kind != ActorKind::Agent && is_actor_code(first) {
                match dated_role(first, &rest, loc) {
                    Some(Ok(role)) => {
                        self.entries[parent as usize].roles.push(role);
                        continue;
                    }
                    Some(Err(e)) => {
                        diag.error(loc, e);
                        continue;
                    }
                    None => {}
                }
            }
            let (names, target) = match s.split_once("=>") {
                Some((n, c)) => {
                    let c = c.trim();
                    if !is_actor_code(c) {
                        diag.error(loc, format!("bad actor code `{c}` after `=>`"));
                        continue;
                    }
                    let id = self.add_entry(ActorEntry {
                        kind: if kind == ActorKind::Agent {
                            kind
                        } else {
                            ActorKind::Org
                        },
                        code: Some(c.to_string()),
                        roles: Vec::new(),
                        name: n.split('|').next().unwrap_or("").trim().to_string(),
                        loc,
                        original: None,
                    });
                    (n, id)
                }
                None => (s, parent),
            };
            for n in names.split('|').map(str::trim).filter(|n| !n.is_empty()) {
                self.add_name(target, n, loc, vocab, ctx, diag);
            }
        }
    }

    /// Parses a `people/*.txt` file: `name | name`, indented `CODE [FROM TO] [title]`.
    pub(crate) fn parse_people(
        &mut self,
        text: &str,
        file: u16,
        vocab: &mut Vocab,
        ctx: &mut Compiler,
        diag: &mut Diagnostics,
    ) {
        let mut current: Option<u32> = None;
        for (line, indented, s) in content_lines(text) {
            let loc = Loc { file, line };
            if !indented {
                let names: Vec<&str> = s
                    .split('|')
                    .map(str::trim)
                    .filter(|n| !n.is_empty())
                    .collect();
                let id = self.add_entry(ActorEntry {
                    kind: ActorKind::Person,
                    code: None,
                    roles: Vec::new(),
                    name: names.first().copied().unwrap_or("").to_string(),
                    loc,
                    original: None,
                });
                current = Some(id);
                for n in names {
                    self.add_name(id, n, loc, vocab, ctx, diag);
                }
                continue;
            }
            let Some(id) = current else {
                diag.error(loc, "role line without a person above it");
                continue;
            };
            let mut parts = s.split_whitespace();
            let code = parts.next().unwrap_or("");
            if !is_actor_code(code) {
                diag.error(
                    loc,
                    format!("expected an actor code like USAGOV, found `{code}`"),
                );
                continue;
            }
            let rest: Vec<&str> = parts.collect();
            let entry = &mut self.entries[id as usize];
            match dated_role(code, &rest, loc) {
                Some(Ok(role)) => entry.roles.push(role),
                Some(Err(e)) => diag.error(loc, e),
                _ => {
                    if entry.code.is_some() {
                        diag.error(loc, format!("`{}` has two undated codes", entry.name));
                    }
                    entry.code = Some(code.to_string());
                }
            }
        }
    }

    /// The country a word no dictionary knows is one letter away from ("Somlia", "Ethiopiia").
    pub fn near_country(&self, word: &str) -> Option<u32> {
        if word.chars().count() + 1 < NEAR_MIN {
            return None;
        }
        // Built on the stack: this runs for every capitalised word no dictionary knows.
        let mut buf = [0u8; 64];
        if word.len() > buf.len() {
            return None;
        }
        let mut found = None;
        let missing = self.near_short.get(word);
        let added = word.char_indices().map(|(at, c)| {
            let rest = &word.as_bytes()[at + c.len_utf8()..];
            buf[..at].copy_from_slice(&word.as_bytes()[..at]);
            buf[at..at + rest.len()].copy_from_slice(rest);
            std::str::from_utf8(&buf[..word.len() - c.len_utf8()])
                .ok()
                .and_then(|w| self.near_names.get(w))
        });
        for hit in std::iter::once(missing).chain(added) {
            match (hit, found) {
                (Some(&u32::MAX), _) => return None,
                (Some(&e), Some(f)) if e != f => return None,
                (Some(&e), _) => found = Some(e),
                _ => {}
            }
        }
        found
    }

    /// Longest dictionary name starting at token `i`; `case_ok(token, req)` checks the original
    /// spelling of a token against a word's case requirement. A name that several people share
    /// matches only if exactly one of them holds a dated role on `date`.
    pub fn longest_at(
        &self,
        ids: &[u32],
        i: usize,
        date: Option<u32>,
        case_ok: impl Fn(usize, CaseReq) -> bool,
    ) -> Option<ActorMatch> {
        let mut node = 0u32;
        let mut best = None;
        let mut j = i;
        while j < ids.len() {
            match self.edges.get(&(node, ids[j])) {
                Some(&n) => node = n,
                None => break,
            }
            j += 1;
            let mut fits = self.ends[node as usize].iter().filter(|name| {
                name.case
                    .iter()
                    .enumerate()
                    .all(|(k, &c)| case_ok(i + k, c))
                    && !self.uncoded_import(name.entry, date)
            });
            let Some(first) = fits.next() else { continue };
            // The same person may match twice through spellings that differ in case.
            let mut fits = fits.filter(|n| n.entry != first.entry);
            let entry = match fits.next() {
                None => Some(first.entry),
                Some(second) => {
                    let holds = |e: u32| {
                        date.is_some_and(|d| self.entries[e as usize].role_on(d).is_some())
                    };
                    let mut holders = [first, second]
                        .into_iter()
                        .chain(fits)
                        .filter(|n| holds(n.entry));
                    match (holders.next(), holders.next()) {
                        (Some(h), None) => Some(h.entry),
                        _ => None,
                    }
                }
            };
            if let Some(entry) = entry {
                best = Some(ActorMatch { entry, len: j - i });
            }
        }
        best
    }

    /// An imported person with no code on the date is no actor (PETRARCH's null code), so that
    /// its words stay free for a title before an unknown name ("the Minister ... Firstname Lastname").
    fn uncoded_import(&self, entry: u32, date: Option<u32>) -> bool {
        let e = &self.entries[entry as usize];
        entry >= self.base_len
            && self.base_len > 0
            && e.kind == ActorKind::Person
            && date.is_some()
            && e.code_on(date).is_none()
    }

    pub fn entry(&self, id: u32) -> &ActorEntry {
        &self.entries[id as usize]
    }

    /// Every (entry, name loc) pair, for the linter.
    pub(crate) fn names(&self) -> impl Iterator<Item = &Name> {
        self.ends.iter().flatten()
    }
}

/// Three-letter upper-case units, one to four of them.
/// A dated role line `CODE FROM TO [title]` (dates `YYYY-MM-DD`, `..` leaves a range open), if
/// the words after the code start with a date; `None` for an undated line.
fn dated_role(code: &str, rest: &[&str], loc: Loc) -> Option<Result<Role, String>> {
    let date_shaped = |s: &str| {
        s.len() == 10
            && s.bytes().enumerate().all(|(i, b)| {
                if i == 4 || i == 7 {
                    b == b'-'
                } else {
                    b.is_ascii_digit()
                }
            })
    };
    if let Some(bad) = rest
        .iter()
        .take(2)
        .find(|s| date_shaped(s) && parse_date(s).is_none())
    {
        return Some(Err(format!("invalid date `{bad}`")));
    }
    let first = rest.first()?;
    if *first != ".." && parse_date(first).is_none() {
        return None;
    }
    let from = if *first == ".." {
        Some(0)
    } else {
        parse_date(first)
    };
    let to = match rest.get(1) {
        Some(&"..") => Some(99_999_999),
        Some(s) => parse_date(s),
        None => None,
    };
    Some(match (from, to) {
        (Some(from), Some(to)) if from < to => Ok(Role {
            code: code.to_string(),
            from,
            to,
            title: rest[2..].join(" "),
            loc,
            original: None,
        }),
        (Some(_), Some(_)) => Err("role ends before it starts".into()),
        _ => Err("expected `CODE FROM TO [title]` with dates YYYY-MM-DD or `..`".into()),
    })
}

pub(crate) fn is_actor_code(code: &str) -> bool {
    !code.is_empty()
        && code.len().is_multiple_of(3)
        && code.len() <= 12
        && code.bytes().all(|b| b.is_ascii_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_spellings_need_one_letter_missing_or_added() {
        let mut d = ActorDict::default();
        for (entry, name) in [(0u32, "ethiopia"), (1, "indians")] {
            for key in one_left_out(name) {
                note(&mut d.near_short, key, entry, |_| false);
            }
            note(&mut d.near_names, name.to_string(), entry, |_| false);
        }
        assert_eq!(d.near_country("ethopia"), Some(0));
        assert_eq!(d.near_country("ethiopiia"), Some(0));
        assert_eq!(
            d.near_country("indiana"),
            None,
            "a changed letter is another word"
        );
        assert_eq!(d.near_country("iran"), None);
    }
}

//! `imports.tsv`: dictionaries kept in TABARI/PETRARCH format, read as they are and merged under
//! dyad's own. dyad's entries win every conflict; every line not taken is a warning with its
//! file and line; codes pass through the conversion table (`codes.tsv`) in the open.

use crate::actors::{ActorDict, ActorEntry, ActorKind, Role};
use crate::check::{code_problem, pattern_key};
use crate::codebook::Codebook;
use crate::petrarch::{self, OPEN_END};
use crate::phrase::{Compiler, Vocab};
use crate::verbs::{Discard, VerbDict};
use crate::words::{FunctionWords, Section};
use crate::{content_lines, Diagnostics, DictError, Loc, SECTOR_PREFIXES};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::Path;

/// What one imported file gave.
#[derive(Debug, Clone, Default)]
pub struct ImportSummary {
    pub file: String,
    pub kind: String,
    /// Actors, agents, discards or patterns taken.
    pub taken: usize,
    pub names: usize,
    /// Names an entry already had with the same code (nothing new).
    pub names_known: usize,
    /// Names an entry already had with another code: the earlier one kept.
    pub conflicts: usize,
    pub unreadable: usize,
    pub codes_mapped: usize,
    pub codes_dropped: usize,
    /// Places (bare country codes) left out: not opted in.
    pub places: usize,
    /// Names left out: in a skip list, or a title before a name.
    pub skipped: usize,
    /// Open ranges (`>date`) closed at the file's as-of date.
    pub closed: usize,
    pub overlaps: usize,
    pub pattern_lines: usize,
    /// Patterns not carried over, by reason.
    pub dropped: BTreeMap<&'static str, usize>,
}

/// The conversion table: whole codes and 3-letter units, to a code or `-` (nothing).
#[derive(Debug, Default, Clone)]
pub struct CodeMap {
    pub whole: HashMap<String, (String, Loc)>,
    pub units: HashMap<String, (String, Loc)>,
    /// `.XXX` rows: units after the head (`MUS` heads a country code, follows as a religion).
    pub tail_units: HashMap<String, (String, Loc)>,
}

/// The code sets an actor code is checked against.
pub(crate) struct CodeSets<'a> {
    pub countries: &'a BTreeSet<String>,
    pub roles: &'a BTreeSet<String>,
    pub groups: &'a BTreeSet<String>,
}

impl CodeMap {
    fn parse(&mut self, text: &str, file: u16, diag: &mut Diagnostics) {
        for (line, _, s) in content_lines(text) {
            let loc = Loc { file, line };
            let mut parts = s.split_whitespace();
            let (Some(from), Some(to)) = (parts.next(), parts.next()) else {
                diag.error(loc, "expected `FROM TO why`");
                continue;
            };
            let shaped =
                |c: &str| c.len().is_multiple_of(3) && c.bytes().all(|b| b.is_ascii_uppercase());
            let (tail, from) = match from.strip_prefix('.') {
                Some(f) if f.len() == 3 => (true, f),
                _ => (false, from),
            };
            if !shaped(from) || from.is_empty() || !(to == "-" || shaped(to) && !to.is_empty()) {
                diag.error(loc, format!("bad code row `{from} {to}`"));
                continue;
            }
            let map = if tail {
                &mut self.tail_units
            } else if from.len() == 3 {
                &mut self.units
            } else {
                &mut self.whole
            };
            // Several tables may say the same; they must not say different things.
            match map.get(from) {
                Some((t, _)) if t != to => diag.error(
                    loc,
                    format!("`{from}` mapped to `{t}` already, here to `{to}`"),
                ),
                Some(_) => {}
                None => {
                    map.insert(from.into(), (to.into(), loc));
                }
            }
        }
    }

    /// Maps a code as written to a dyad code, or says why it cannot.
    pub(crate) fn map(&self, code: &str, agent: bool, sets: &CodeSets) -> Result<String, String> {
        if code.is_empty()
            || !code.len().is_multiple_of(3)
            || !code.bytes().all(|b| b.is_ascii_uppercase())
        {
            return Err(format!(
                "`{code}` is not a CAMEO actor code (3-letter units)"
            ));
        }
        let mut units: Vec<String> = match self.whole.get(code) {
            Some((to, loc)) if to == "-" => {
                return Err(format!(
                    "`{code}` has no dyad code (codes.tsv:{})",
                    loc.line
                ))
            }
            Some((to, _)) => vec![to.clone()],
            None => (0..code.len() / 3)
                .filter_map(|i| {
                    let u = &code[i * 3..i * 3 + 3];
                    let rule = self
                        .units
                        .get(u)
                        .or_else(|| (agent || i > 0).then(|| self.tail_units.get(u)).flatten());
                    match rule {
                        Some((to, _)) if to == "-" => None,
                        Some((to, _)) => Some(to.clone()),
                        None => Some(u.to_string()),
                    }
                })
                .collect(),
        };
        if units.is_empty() {
            return Err(format!("nothing of `{code}` is left after codes.tsv"));
        }
        let mut units: Vec<String> = units
            .drain(..)
            .flat_map(|u| {
                (0..u.len() / 3)
                    .map(|i| u[i * 3..i * 3 + 3].to_string())
                    .collect::<Vec<_>>()
            })
            .collect();
        if !agent {
            // Phoenix writes the nationality after the sector (`NGOUSAHRI`); dyad before it.
            if units.len() >= 2
                && SECTOR_PREFIXES.contains(&units[0].as_str())
                && sets.countries.contains(&units[1])
            {
                let c = units.remove(1);
                units.insert(0, c);
            }
            // A state within a former one (`USRUZB`, `YUGSVN`): the part.
            while units.len() >= 2
                && sets.countries.contains(&units[0])
                && sets.countries.contains(&units[1])
            {
                units.remove(0);
            }
        }
        let out = units.concat();
        match code_problem(&out, agent, sets.countries, sets.roles, sets.groups) {
            Some(p) if out != code => Err(format!("`{code}` maps to `{out}`, but {p}")),
            Some(p) => Err(p),
            None => Ok(out),
        }
    }
}

/// One line of `imports.tsv`.
struct ImportLine {
    loc: Loc,
    kind: String,
    path: String,
    as_of: Option<u32>,
    opt_in: Option<String>,
    /// Places (entries coded with a bare country code: cities, regions, misspellings) load only
    /// when `$DYAD_OPT_IN` names this.
    places_opt_in: Option<String>,
    /// A verb alone coded with its block's code (`verb* +`) loads only when this is opted in.
    bare_opt_in: Option<String>,
}

fn parse_manifest(text: &str, file: u16, diag: &mut Diagnostics) -> Vec<ImportLine> {
    let mut out = Vec::new();
    for (line, _, s) in content_lines(text) {
        let loc = Loc { file, line };
        let mut parts = s.split_whitespace();
        let (Some(kind), Some(path)) = (parts.next(), parts.next()) else {
            diag.error(
                loc,
                "expected `KIND PATH [as-of=YYYY-MM-DD] [opt-in=NAME] [places-opt-in=NAME] [bare-opt-in=NAME]`",
            );
            continue;
        };
        if !["codes", "skip", "actors", "agents", "verbs", "discards"].contains(&kind) {
            diag.error(
                loc,
                format!("unknown kind `{kind}` (codes, skip, actors, agents, verbs, discards)"),
            );
            continue;
        }
        let mut l = ImportLine {
            loc,
            kind: kind.into(),
            path: path.into(),
            as_of: None,
            opt_in: None,
            places_opt_in: None,
            bare_opt_in: None,
        };
        for opt in parts {
            match opt.split_once('=') {
                Some(("as-of", d)) => match crate::parse_date(d) {
                    Some(d) => l.as_of = Some(d),
                    None => diag.error(loc, format!("bad date `{d}`")),
                },
                Some(("opt-in", n)) if !n.is_empty() => l.opt_in = Some(n.into()),
                Some(("places-opt-in", n)) if !n.is_empty() => l.places_opt_in = Some(n.into()),
                Some(("bare-opt-in", n)) if !n.is_empty() => l.bare_opt_in = Some(n.into()),
                _ => diag.error(loc, format!("unknown option `{opt}`")),
            }
        }
        out.push(l);
    }
    out
}

/// The opt-in import sets named in `$DYAD_OPT_IN` (comma-separated).
pub fn opt_in_from_env() -> Vec<String> {
    std::env::var("DYAD_OPT_IN")
        .map(|v| {
            v.split(',')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect()
        })
        .unwrap_or_default()
}

/// Everything the loader needs to merge imports.
pub(crate) struct Merge<'a, 'b> {
    pub dir: &'a Path,
    pub opt_in: &'a [String],
    pub vocab: &'a mut Vocab,
    pub ctx: &'a mut Compiler<'b>,
    pub diag: &'a mut Diagnostics,
    pub actors: &'a mut ActorDict,
    pub verbs: &'a mut VerbDict,
    pub codebook: &'a Codebook,
    pub words: &'a FunctionWords,
    pub roles: &'a BTreeSet<String>,
    pub groups: &'a BTreeSet<String>,
    /// Names not to take (lower case), from `skip` files, with their line.
    pub skip: HashMap<String, u32>,
    /// First words of people's names of several words (the first of "Firstname Lastname"): alone,
    /// such a word is a given name, not one person.
    pub given: HashSet<String>,
}

/// Result of merging: summaries, warnings, the code table.
#[derive(Debug, Default)]
pub struct Imports {
    pub summaries: Vec<ImportSummary>,
    pub notes: Vec<DictError>,
    pub codes: CodeMap,
}

impl Merge<'_, '_> {
    pub fn run(mut self) -> Imports {
        let mut out = Imports::default();
        self.actors.base_len = self.actors.entries.len() as u32;
        let Ok(text) = std::fs::read_to_string(self.dir.join("imports.tsv")) else {
            return out; // no imports: dyad's own dictionaries only
        };
        let mfile = self.diag.add_file("imports.tsv");
        let lines = parse_manifest(&text, mfile, self.diag);
        let countries: BTreeSet<String> = self.actors.country_codes();
        let base_patterns: HashSet<String> = self
            .verbs
            .patterns
            .iter()
            .map(|p| pattern_key(&p.elems))
            .collect();
        let mut seen_patterns = HashSet::new();
        self.verbs.base_len = Some(self.verbs.patterns.len());
        // Codes and names to skip first: every other kind goes through them.
        let first = |l: &&ImportLine| l.kind == "codes" || l.kind == "skip";
        let mut order: Vec<&ImportLine> = lines.iter().filter(first).collect();
        order.extend(lines.iter().filter(|l| !first(l)));
        for l in order {
            if l.opt_in.as_ref().is_some_and(|n| !self.opt_in.contains(n)) {
                continue;
            }
            let file = self.diag.add_file(&l.path);
            let bytes = match std::fs::read(self.dir.join(&l.path)) {
                Ok(b) => b,
                Err(e) => {
                    self.diag
                        .error(l.loc, format!("cannot read `{}`: {e}", l.path));
                    continue;
                }
            };
            let mut sum = ImportSummary {
                file: l.path.clone(),
                kind: l.kind.clone(),
                ..Default::default()
            };
            let sets = CodeSets {
                countries: &countries,
                roles: self.roles,
                groups: self.groups,
            };
            let notes = match l.kind.as_str() {
                "codes" => {
                    match String::from_utf8(bytes) {
                        Ok(t) => out.codes.parse(&t, file, self.diag),
                        Err(_) => self.diag.error(l.loc, "codes table is not UTF-8"),
                    }
                    Vec::new()
                }
                "skip" => {
                    match String::from_utf8(bytes) {
                        Ok(t) => {
                            for (line, _, name) in content_lines(&t) {
                                self.skip.insert(name.to_lowercase(), line);
                            }
                        }
                        Err(_) => self.diag.error(l.loc, "skip list is not UTF-8"),
                    }
                    Vec::new()
                }
                "actors" => {
                    let (actors, notes) = petrarch::parse_actors(&bytes);
                    sum.unreadable = notes.len();
                    self.note_given_names(&actors);
                    let mut warn = Vec::new();
                    let places = l
                        .places_opt_in
                        .as_ref()
                        .is_none_or(|n| self.opt_in.contains(n));
                    for a in actors {
                        self.actor(
                            a, file, l.as_of, places, &out.codes, &sets, &mut sum, &mut warn,
                        );
                    }
                    notes
                        .into_iter()
                        .map(|n| (n.line, n.reason))
                        .chain(warn)
                        .collect()
                }
                "agents" => {
                    let (agents, notes) = petrarch::parse_agents(&bytes);
                    sum.unreadable = notes.len();
                    let mut warn = Vec::new();
                    for a in agents {
                        self.agent(a, file, &out.codes, &sets, &mut sum, &mut warn);
                    }
                    notes
                        .into_iter()
                        .map(|n| (n.line, n.reason))
                        .chain(warn)
                        .collect()
                }
                "discards" => {
                    let (discards, notes) = petrarch::parse_discards(&bytes);
                    sum.unreadable = notes.len();
                    for d in discards {
                        let loc = Loc { file, line: d.line };
                        let words: Result<Vec<_>, _> = d
                            .words
                            .iter()
                            .map(|w| self.ctx.element(w, self.vocab))
                            .collect();
                        if let Ok(words) = words {
                            sum.taken += 1;
                            self.verbs.discards.push(Discard {
                                words: words.into_iter().map(Vec::into_boxed_slice).collect(),
                                // PETRARCH drops the sentence (or, for `+`, the story): dyad's
                                // nearest is the sentence veto.
                                sentence: true,
                                text: d.words.join(" "),
                                loc,
                            });
                        }
                    }
                    notes.into_iter().map(|n| (n.line, n.reason)).collect()
                }
                "verbs" => {
                    let known = |c: &str| self.codebook.get(c).is_some();
                    let (v, notes) = petrarch::parse_verbs(&bytes, &known);
                    sum.unreadable = notes.len();
                    sum.pattern_lines = v.pattern_lines;
                    sum.dropped = v.dropped_by_reason();
                    let bare = l
                        .bare_opt_in
                        .as_ref()
                        .is_none_or(|n| self.opt_in.contains(n));
                    for p in v.patterns {
                        if p.bare && !bare {
                            *sum.dropped
                                .entry("verb alone with its block's code: not opted in")
                                .or_insert(0) += 1;
                            continue;
                        }
                        let loc = Loc { file, line: p.line };
                        match crate::verbs::compile_pattern(&p.text, self.vocab, self.ctx) {
                            Ok((elems, anchor)) => {
                                let key = pattern_key(&elems);
                                if base_patterns.contains(&key) {
                                    *sum.dropped
                                        .entry("same words as a dyad pattern: dyad's kept")
                                        .or_insert(0) += 1;
                                    continue;
                                }
                                if !seen_patterns.insert(key) {
                                    continue; // the same words from another line or verb
                                }
                                sum.taken += 1;
                                self.verbs.patterns.push(crate::verbs::Pattern {
                                    code: p.code,
                                    elems,
                                    anchor,
                                    text: p.text,
                                    loc,
                                    specificity: 0,
                                });
                            }
                            Err(_) => {
                                *sum.dropped
                                    .entry("dyad cannot compile the translation")
                                    .or_insert(0) += 1;
                            }
                        }
                    }
                    notes.into_iter().map(|n| (n.line, n.reason)).collect()
                }
                _ => Vec::new(),
            };
            for (line, message) in notes {
                out.notes.push(DictError {
                    file: l.path.clone(),
                    line,
                    message,
                });
            }
            out.summaries.push(sum);
        }
        out
    }

    #[allow(clippy::too_many_arguments)]
    fn actor(
        &mut self,
        a: petrarch::PetrActor,
        file: u16,
        as_of: Option<u32>,
        places: bool,
        codes: &CodeMap,
        sets: &CodeSets,
        sum: &mut ImportSummary,
        warn: &mut Vec<(u32, String)>,
    ) {
        let mut map =
            |code: &str, line: u32, sum: &mut ImportSummary| -> Option<(String, Option<String>)> {
                match codes.map(code, false, sets) {
                    Ok(c) if c == code => Some((c, None)),
                    Ok(c) => {
                        sum.codes_mapped += 1;
                        Some((c, Some(code.to_string())))
                    }
                    Err(e) => {
                        sum.codes_dropped += 1;
                        warn.push((line, format!("code dropped: {e}")));
                        None
                    }
                }
            };
        let default = a.default.as_ref().and_then(|(line, c)| map(c, *line, sum));
        let mut roles: Vec<Role> = Vec::new();
        for r in &a.roles {
            let Some((code, original)) = map(&r.code, r.line, sum) else {
                continue;
            };
            let mut to = r.to;
            if to == OPEN_END {
                // The file knows nothing after its as-of date: after it, the default code.
                if let Some(d) = as_of {
                    to = d.max(r.from + 1);
                    sum.closed += 1;
                }
            }
            roles.push(Role {
                code,
                from: r.from,
                to,
                title: String::new(),
                loc: Loc { file, line: r.line },
                original,
            });
        }
        roles.sort_by_key(|r| (r.from, r.to));
        // Overlaps: the same code joins; otherwise the later role holds from its start.
        let mut merged: Vec<Role> = Vec::new();
        for r in roles {
            if let Some(last) = merged.last_mut() {
                if r.from < last.to {
                    if r.code == last.code {
                        last.to = last.to.max(r.to);
                        continue;
                    }
                    sum.overlaps += 1;
                    warn.push((
                        r.loc.line,
                        format!(
                            "role `{}` overlaps `{}` of line {}: the later one holds from {}",
                            r.code, last.code, last.loc.line, r.from
                        ),
                    ));
                    last.to = r.from;
                    if last.to <= last.from {
                        merged.pop();
                    }
                }
            }
            merged.push(r);
        }
        if default.is_none() && merged.is_empty() {
            warn.push((a.line, "actor without a usable code: skipped".into()));
            return;
        }
        let kind = if !merged.is_empty() {
            ActorKind::Person
        } else if default
            .as_ref()
            .is_some_and(|(c, _)| c.len() == 3 && sets.countries.contains(c))
        {
            ActorKind::Country
        } else {
            ActorKind::Org
        };
        if kind == ActorKind::Country && !places {
            sum.places += 1;
            return;
        }
        let names: Vec<(u32, String)> = a
            .names
            .iter()
            .map(|(l, n)| (*l, self.display(n, a.names.len() == 1)))
            .collect();
        let (code, original) = default.unzip();
        let id = self.actors.add_entry(ActorEntry {
            kind,
            code,
            roles: merged,
            name: names[0].1.clone(),
            loc: Loc { file, line: a.line },
            original: original.flatten(),
        });
        sum.taken += 1;
        self.names(id, &names, file, sum, warn);
    }

    fn agent(
        &mut self,
        a: petrarch::PetrAgent,
        file: u16,
        codes: &CodeMap,
        sets: &CodeSets,
        sum: &mut ImportSummary,
        warn: &mut Vec<(u32, String)>,
    ) {
        let (code, original) = match codes.map(&a.code, true, sets) {
            Ok(c) if c == a.code => (c, None),
            Ok(c) => {
                sum.codes_mapped += 1;
                (c, Some(a.code.clone()))
            }
            Err(e) => {
                sum.codes_dropped += 1;
                warn.push((a.line, format!("agent skipped: {e}")));
                return;
            }
        };
        let id = self.actors.add_entry(ActorEntry {
            kind: ActorKind::Agent,
            code: Some(code),
            roles: Vec::new(),
            name: a.phrases[0].clone(),
            loc: Loc { file, line: a.line },
            original,
        });
        sum.taken += 1;
        let names: Vec<(u32, String)> = a.phrases.iter().map(|p| (a.line, p.clone())).collect();
        self.names(id, &names, file, sum, warn);
    }

    fn names(
        &mut self,
        id: u32,
        names: &[(u32, String)],
        file: u16,
        sum: &mut ImportSummary,
        warn: &mut Vec<(u32, String)>,
    ) {
        let person = self.actors.entry(id).kind == ActorKind::Person;
        for (line, n) in names {
            let loc = Loc { file, line: *line };
            if self.skip.contains_key(&n.to_lowercase()) {
                sum.skipped += 1;
                continue;
            }
            // "President Firstname Lastname": dyad joins a title and a name itself, and gives the title's
            // code where the person has none on the date.
            // A given name alone is no one person.
            if person && !n.contains(' ') && self.given.contains(&n.to_lowercase()) {
                sum.skipped += 1;
                continue;
            }
            let words = self.ctx.name(n, self.vocab);
            if person && self.titled(&words) {
                sum.skipped += 1;
                continue;
            }
            match self.actors.add_imported_name(id, n, &words, loc) {
                Ok(()) => sum.names += 1,
                Err(other) => {
                    let o = self.actors.entry(other);
                    let e = self.actors.entry(id);
                    let code = |e: &ActorEntry| {
                        e.code
                            .clone()
                            .or_else(|| e.roles.last().map(|r| r.code.clone()))
                            .unwrap_or_else(|| "-".into())
                    };
                    let same = code(o) == code(e)
                        || o.kind == ActorKind::Person && e.kind == ActorKind::Person;
                    if same {
                        sum.names_known += 1;
                    } else {
                        sum.conflicts += 1;
                        warn.push((
                            *line,
                            format!(
                                "conflict: `{n}` ({}) already names `{}` ({}) at {}:{}: that one kept",
                                code(e),
                                o.name,
                                code(o),
                                self.diag.files.get(o.loc.file as usize).map_or("", |f| f.as_str()),
                                o.loc.line
                            ),
                        ));
                    }
                }
            }
        }
    }

    fn note_given_names(&mut self, actors: &[petrarch::PetrActor]) {
        if self.given.is_empty() {
            for e in &self.actors.entries[..self.actors.base_len as usize] {
                let mut w = e.name.split_whitespace();
                if let (ActorKind::Person, Some(first), Some(_)) = (e.kind, w.next(), w.next()) {
                    self.given.insert(first.to_lowercase());
                }
            }
        }
        for a in actors.iter().filter(|a| !a.roles.is_empty()) {
            for (_, n) in &a.names {
                let mut w = n.split(' ');
                if let (Some(first), Some(_)) = (w.next(), w.next()) {
                    self.given.insert(first.to_lowercase());
                }
            }
        }
    }

    /// Does a person's name start with a title, role, country or organisation dyad knows
    /// ("President ...", "Foreign Minister ...")?
    fn titled(&self, words: &[(u32, crate::CaseReq)]) -> bool {
        let ids: Vec<u32> = words.iter().map(|w| w.0).collect();
        self.actors
            .longest_at(&ids, 0, None, |_, _| true)
            .is_some_and(|m| {
                m.len < ids.len() && self.actors.entry(m.entry).kind != ActorKind::Person
            })
    }

    /// A PETRARCH phrase (upper case) as news writes it: words capitalised, function words
    /// ("of", "the") in lower case, abbreviations with dots and one-word names of up to three
    /// letters ("UN") kept in capitals.
    fn display(&self, phrase: &str, single: bool) -> String {
        let mut words: Vec<&str> = phrase.split(' ').collect();
        // "THE_UNITED_NATIONS": dyad matches the name after an article itself; not "THE_FOUNDATION",
        // which without its article is a common word.
        if words.len() > 2 {
            let id = self.vocab.get(&words[0].to_lowercase());
            if self.words.is(Section::Determiner, &[id], 0) {
                words.remove(0);
            }
        }
        let mut out = Vec::with_capacity(words.len());
        for (i, w) in words.iter().enumerate() {
            let lower = w.to_lowercase();
            let id = self.vocab.get(&lower);
            let small = i > 0
                && [
                    Section::Preposition,
                    Section::Determiner,
                    Section::Coordination,
                ]
                .iter()
                .any(|s| self.words.is(*s, &[id], 0));
            if small {
                out.push(lower);
            } else if w.contains('.') || (single && words.len() == 1 && w.chars().count() <= 3) {
                out.push(w.to_string());
            } else {
                let mut s = String::with_capacity(w.len());
                let mut start = true;
                for c in w.chars() {
                    if start {
                        s.extend(c.to_uppercase());
                    } else {
                        s.extend(c.to_lowercase());
                    }
                    start = !c.is_alphanumeric();
                }
                out.push(s);
            }
        }
        out.join(" ")
    }
}

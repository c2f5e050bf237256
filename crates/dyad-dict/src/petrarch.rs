//! Reader of TABARI/PETRARCH dictionaries: actors, agents, verbs and discards, read as written
//! and turned into dyad's notions. Every line that cannot be taken is a [`Note`] with its line and
//! reason; every verb pattern that cannot be carried over is counted with its reason.

use std::collections::BTreeMap;

/// The end of a range that PETRARCH leaves open (`>date`) before the importer closes it.
pub const OPEN_END: u32 = 99_999_999;

/// A line that could not be taken (or was taken only in part), and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub line: u32,
    pub reason: String,
}

/// A dated (or undated, `from == 0 && to == OPEN_END`) code of an actor entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PetrRole {
    pub line: u32,
    pub code: String,
    /// `YYYYMMDD`; the range is `[from, to)`, the end date being the first day of what follows.
    pub from: u32,
    pub to: u32,
}

/// One actor record: a primary phrase, its `+` synonyms and its codes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PetrActor {
    pub line: u32,
    /// (line, phrase) with words separated by single spaces, as written (upper case).
    pub names: Vec<(u32, String)>,
    /// Undated codes (the first is the default).
    pub default: Option<(u32, String)>,
    pub roles: Vec<PetrRole>,
}

/// One agent phrase with its forms (singular, plurals, substitutions).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PetrAgent {
    pub line: u32,
    /// Lower-case phrases, words separated by spaces.
    pub phrases: Vec<String>,
    /// Role codes without the `~`.
    pub code: String,
}

/// A discard phrase; `story` for `+` lines (PETRARCH drops the whole story).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PetrDiscard {
    pub line: u32,
    /// Lower-case words; the last one ends with `*` where PETRARCH matches a stem.
    pub words: Vec<String>,
    pub story: bool,
}

/// A verb pattern translated into dyad's pattern syntax.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PetrPattern {
    pub line: u32,
    /// CAMEO event code as written (the first of `A:B`).
    pub code: String,
    /// dyad pattern syntax: words, `a|b*`, `+`, `$`.
    pub text: String,
    /// The verb alone with its block's code (`verb* +`), not a written pattern.
    pub bare: bool,
}

/// Verb patterns read from a verb dictionary, and what could not be carried.
#[derive(Debug, Default)]
pub struct PetrVerbs {
    pub patterns: Vec<PetrPattern>,
    /// Pattern lines not carried over: (line, reason).
    pub dropped: Vec<(u32, &'static str)>,
    pub pattern_lines: usize,
}

impl PetrVerbs {
    /// Dropped pattern lines per reason.
    pub fn dropped_by_reason(&self) -> BTreeMap<&'static str, usize> {
        let mut m = BTreeMap::new();
        for (_, r) in &self.dropped {
            *m.entry(*r).or_insert(0) += 1;
        }
        m
    }
}

/// The lines of a file as text: bytes that are not UTF-8 or are control characters are noted.
/// Lines with invalid UTF-8 come back as `None` (their names would be garbled).
pub fn lines(bytes: &[u8], notes: &mut Vec<Note>) -> Vec<Option<String>> {
    let mut out = Vec::new();
    let mut in_xml_comment = false;
    for (i, raw) in bytes.split(|&b| b == b'\n').enumerate() {
        let line = (i + 1) as u32;
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        let Ok(s) = std::str::from_utf8(raw) else {
            notes.push(Note {
                line,
                reason: "invalid UTF-8: line skipped".into(),
            });
            out.push(None);
            continue;
        };
        let mut s = if s.chars().any(|c| c.is_control() && c != '\t') {
            notes.push(Note {
                line,
                reason: "control character removed".into(),
            });
            s.chars()
                .filter(|c| !c.is_control() || *c == '\t')
                .collect()
        } else {
            s.to_string()
        };
        // `<!-- ... -->` comments of the validation files may span lines.
        let mut kept = String::new();
        let mut rest = s.as_str();
        loop {
            if in_xml_comment {
                match rest.find("-->") {
                    Some(e) => {
                        rest = &rest[e + 3..];
                        in_xml_comment = false;
                    }
                    None => break,
                }
            } else {
                // `<!--`, also written `<! --`.
                let open = rest.find("<!").and_then(|b| {
                    let after = rest[b + 2..].trim_start_matches(' ');
                    after
                        .starts_with("--")
                        .then(|| (b, rest.len() - after.len() + 2))
                });
                match open {
                    Some((b, e)) => {
                        kept.push_str(&rest[..b]);
                        rest = &rest[e..];
                        in_xml_comment = true;
                    }
                    None => {
                        kept.push_str(rest);
                        break;
                    }
                }
            }
        }
        s = kept;
        if let Some(c) = s.find('#') {
            s.truncate(c);
        }
        out.push(Some(s.trim_end().to_string()));
    }
    out
}

/// `YYMMDD` or `YYYYMMDD` as `YYYYMMDD`; two-digit years below 30 are 20xx (as TABARI reads them).
pub fn parse_date(s: &str) -> Option<u32> {
    if !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: u32 = s.parse().ok()?;
    let full = match s.len() {
        6 => {
            let yy = n / 10000;
            (if yy < 30 { 2000 } else { 1900 } + yy) * 10000 + n % 10000
        }
        8 => n,
        _ => return None,
    };
    let (y, m, d) = (full / 10000, full / 100 % 100, full % 100);
    crate::parse_date(&format!("{y:04}-{m:02}-{d:02}"))
}

/// Phrase as words: `_` and blanks separate words, a trailing `_` (no plural) is dropped.
fn phrase_words(s: &str) -> Vec<&str> {
    s.split(['_', ' ', '\t'])
        .filter(|w| !w.is_empty())
        .collect()
}

fn good_word(w: &str) -> bool {
    (w.chars().any(char::is_alphanumeric) || w.chars().all(|c| c == '-'))
        && w.chars().all(|c| {
            c.is_alphanumeric() || matches!(c, '-' | '.' | ',' | '\'' | '(' | ')' | '/' | '&')
        })
}

/// Reads one `[...]` code: `CODE`, `CODE <date`, `CODE >date`, `CODE date-date`.
fn parse_code(inner: &str, line: u32) -> Result<Option<PetrRole>, String> {
    let mut parts = inner.split_whitespace();
    let Some(code) = parts.next() else {
        return Err("empty code `[]`".into());
    };
    if code.trim_matches('-').is_empty() {
        return Ok(None); // `[---]`: the null code, no event
    }
    // Any code is read as written; whether dyad can use it is decided where codes are mapped.
    let code = code.to_uppercase();
    let mut range: Vec<String> = parts.map(str::to_string).collect();
    // `> 130701`, `950601 - 990815`: a range written with blanks.
    if range.len() > 1 {
        range = vec![range.concat()];
    }
    let range: Vec<&str> = range.iter().map(String::as_str).collect();
    let (from, to) = match range.as_slice() {
        [] => (0, OPEN_END),
        [r] => {
            if let Some(d) = r.strip_prefix('<') {
                (0, parse_date(d).ok_or(format!("bad date `{d}`"))?)
            } else if let Some(d) = r.strip_prefix('>') {
                (parse_date(d).ok_or(format!("bad date `{d}`"))?, OPEN_END)
            } else if let Some((a, b)) = r.split_once('-') {
                let a = parse_date(a).ok_or(format!("bad date `{a}`"))?;
                let b = parse_date(b).ok_or(format!("bad date `{b}`"))?;
                if b < a {
                    return Err(format!("range `{r}` ends before it starts"));
                }
                (a, b.max(a + 1))
            } else {
                return Err(format!("bad date restriction `{r}`"));
            }
        }
        _ => return Err(format!("bad date restriction `{}`", range.join(" "))),
    };
    Ok(Some(PetrRole {
        line,
        code,
        from,
        to,
    }))
}

/// Splits `PHRASE [CODE ..] [CODE ..]` into the phrase and the bracket contents.
fn split_brackets(s: &str) -> (&str, Vec<&str>, Option<String>) {
    let Some(b) = s.find('[') else {
        return (s, Vec::new(), None);
    };
    let mut codes = Vec::new();
    let mut rest = &s[b..];
    let mut bad = None;
    while let Some(open) = rest.find('[') {
        if !rest[..open].trim().is_empty() && bad.is_none() {
            bad = Some(format!("unexpected `{}`", rest[..open].trim()));
        }
        match rest[open..].find([']', '}']) {
            Some(close) => {
                codes.push(&rest[open + 1..open + close]);
                rest = &rest[open + close + 1..];
            }
            None => {
                bad = Some("`[` without `]`".into());
                rest = "";
                break;
            }
        }
    }
    if !rest.trim().is_empty() && bad.is_none() {
        bad = Some(format!("unexpected `{}` after the code", rest.trim()));
    }
    (&s[..b], codes, bad)
}

/// Reads an actor dictionary.
pub fn parse_actors(bytes: &[u8]) -> (Vec<PetrActor>, Vec<Note>) {
    let mut notes = Vec::new();
    let lines = lines(bytes, &mut notes);
    let mut out: Vec<PetrActor> = Vec::new();
    let mut current: Option<PetrActor> = None;
    for (i, l) in lines.iter().enumerate() {
        let line = (i + 1) as u32;
        let Some(l) = l else { continue };
        // TABARI's `; comment` after a name.
        let l = l.split(';').next().unwrap_or("");
        let t = l.trim();
        if t.is_empty() {
            continue;
        }
        let indented = l.starts_with([' ', '\t']);
        let mut note = |reason: String| notes.push(Note { line, reason });
        if indented && t.starts_with('[') || t.starts_with('[') {
            let Some(entry) = current.as_mut() else {
                note("code line without an actor above it".into());
                continue;
            };
            let (_, codes, bad) = split_brackets(t);
            if let Some(b) = bad {
                note(b);
            }
            for c in codes {
                add_code(entry, c, line, &mut note);
            }
            continue;
        }
        let synonym = t.starts_with('+');
        let (phrase, codes, bad) = split_brackets(t);
        if let Some(b) = bad {
            note(b);
        }
        if !synonym {
            if let Some(done) = current.take() {
                out.push(done);
            }
            current = Some(PetrActor {
                line,
                ..Default::default()
            });
        }
        let Some(entry) = current.as_mut() else {
            note("synonym without an actor above it".into());
            continue;
        };
        // A `+` inside a line starts another synonym.
        for p in phrase.split('+') {
            let words = phrase_words(p);
            if words.is_empty() {
                continue;
            }
            if let Some(w) = words.iter().find(|w| !good_word(w)) {
                note(format!("odd word `{w}` in a name: name skipped"));
                continue;
            }
            entry.names.push((line, words.join(" ")));
        }
        if entry.names.is_empty() && !synonym {
            note("actor without a name".into());
        }
        for c in codes {
            add_code(entry, c, line, &mut note);
        }
    }
    if let Some(done) = current {
        out.push(done);
    }
    out.retain(|a| !a.names.is_empty());
    (out, notes)
}

fn add_code(entry: &mut PetrActor, c: &str, line: u32, note: &mut impl FnMut(String)) {
    match parse_code(c, line) {
        Ok(Some(r)) if r.from == 0 && r.to == OPEN_END => {
            if entry.default.is_none() {
                entry.default = Some((line, r.code));
            } else if entry.default.as_ref().is_some_and(|(_, d)| *d != r.code) {
                note(format!("second undated code `{}`: ignored", r.code));
            }
        }
        Ok(Some(r)) => entry.roles.push(r),
        Ok(None) => {}
        Err(e) => note(e),
    }
}

/// Regular English plural of a phrase's last word, as PETRARCH forms it.
fn plural(phrase: &str) -> String {
    if let Some(stem) = phrase.strip_suffix('y') {
        format!("{stem}ies")
    } else if phrase.ends_with("ss") {
        format!("{phrase}es")
    } else {
        format!("{phrase}s")
    }
}

/// Reads an agent dictionary.
pub fn parse_agents(bytes: &[u8]) -> (Vec<PetrAgent>, Vec<Note>) {
    let mut notes = Vec::new();
    let lines = lines(bytes, &mut notes);
    let mut subst: Vec<(String, Vec<String>)> = Vec::new();
    let mut out = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let line = (i + 1) as u32;
        let Some(l) = l else { continue };
        let t = l.trim();
        if t.is_empty() {
            continue;
        }
        let mut note = |reason: String| notes.push(Note { line, reason });
        if t.starts_with('!') {
            if let Some((name, list)) = t.split_once('=') {
                let name = name.trim();
                if name.len() > 2 && name.ends_with('!') && !name[1..name.len() - 1].contains('!') {
                    subst.push((
                        name.to_string(),
                        list.split(',')
                            .map(|w| w.trim().to_lowercase())
                            .filter(|w| !w.is_empty())
                            .collect(),
                    ));
                    continue;
                }
            }
        }
        let (head, codes, bad) = split_brackets(t);
        if let Some(b) = bad {
            note(b);
        }
        let [code] = codes.as_slice() else {
            note("expected one `[~CODE]`".into());
            continue;
        };
        let code = code.trim();
        let units = match (code.strip_prefix('~'), code.strip_suffix('~')) {
            (Some(c), _) | (_, Some(c)) => c,
            _ => {
                note(format!("agent code `{code}` has no `~`"));
                continue;
            }
        };
        if units.is_empty() {
            note("empty agent code".into());
            continue;
        }
        let (phrase, plurals) = match head.split_once('{') {
            Some((p, rest)) => match rest.split_once('}') {
                Some((pl, after)) if after.trim().is_empty() => (
                    p,
                    Some(
                        pl.split_whitespace()
                            .map(|w| phrase_words(w).join(" ").to_lowercase())
                            .filter(|w| !w.is_empty())
                            .collect::<Vec<_>>(),
                    ),
                ),
                _ => {
                    note("`{` without `}`".into());
                    continue;
                }
            },
            None => (head, None),
        };
        let phrase = phrase.trim();
        // Substitution markers: every listed word replaces the marker, no plurals formed.
        let mut forms: Vec<String> = Vec::new();
        if phrase.contains('!') {
            let Some((name, words)) = subst.iter().find(|(n, _)| phrase.contains(n.as_str()))
            else {
                note(format!("unknown substitution marker in `{phrase}`"));
                continue;
            };
            for w in words {
                forms.push(phrase.replace(name.as_str(), w));
            }
        } else {
            forms.push(phrase.to_string());
        }
        let mut phrases = Vec::new();
        let mut odd = None;
        for f in &forms {
            let words = phrase_words(f);
            if let Some(w) = words.iter().find(|w| !good_word(w)) {
                odd = Some(w.to_string());
                continue;
            }
            let p = words.join(" ").to_lowercase();
            if p.is_empty() {
                continue;
            }
            if forms.len() == 1 {
                match &plurals {
                    Some(pl) => phrases.extend(pl.iter().cloned()),
                    None if !f.ends_with('_') => phrases.push(plural(&p)),
                    None => {}
                }
            }
            phrases.push(p);
        }
        if let Some(w) = odd {
            note(format!("odd word `{w}` in an agent phrase: form skipped"));
        }
        phrases.sort();
        phrases.dedup();
        if phrases.is_empty() {
            note("agent without a phrase".into());
            continue;
        }
        out.push(PetrAgent {
            line,
            phrases,
            code: units.to_uppercase(),
        });
    }
    (out, notes)
}

/// Reads a discard list.
pub fn parse_discards(bytes: &[u8]) -> (Vec<PetrDiscard>, Vec<Note>) {
    let mut notes = Vec::new();
    let lines = lines(bytes, &mut notes);
    let mut out = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let line = (i + 1) as u32;
        let Some(l) = l else { continue };
        let l = l.split(';').next().unwrap_or("");
        let t = l.trim();
        if t.is_empty() {
            continue;
        }
        let (story, phrase) = match t.strip_prefix('+') {
            Some(p) => (true, p.trim()),
            None => (false, t),
        };
        let exact = phrase.ends_with('_');
        let mut words: Vec<String> = phrase_words(phrase)
            .iter()
            .map(|w| w.to_lowercase())
            .collect();
        if let Some(w) = words.iter().find(|w| !good_word(w)) {
            notes.push(Note {
                line,
                reason: format!("odd word `{w}` in a discard"),
            });
            continue;
        }
        match words.last_mut() {
            Some(last) if !exact => last.push('*'),
            Some(_) => {}
            None => {
                notes.push(Note {
                    line,
                    reason: "empty discard".into(),
                });
                continue;
            }
        }
        out.push(PetrDiscard { line, words, story });
    }
    (out, notes)
}

/// A synonym set: its members as word sequences, and whether nouns get plurals.
struct Synset {
    members: Vec<Vec<String>>,
    plurals: bool,
}

/// A verb of a block: words before, the verb's forms, words after.
#[derive(Clone)]
struct VerbForm {
    before: Vec<String>,
    forms: Vec<String>,
    after: Vec<String>,
    code: Option<String>,
}

/// Reads a verb dictionary and translates its patterns. `known_code` says whether an event code
/// exists in dyad's codebook.
pub fn parse_verbs(bytes: &[u8], known_code: &dyn Fn(&str) -> bool) -> (PetrVerbs, Vec<Note>) {
    let mut notes = Vec::new();
    let lines = lines(bytes, &mut notes);
    let mut synsets: BTreeMap<String, Synset> = BTreeMap::new();
    let mut open_synset: Option<String> = None;
    let mut block_code: Option<String> = None;
    let mut verbs: Vec<VerbForm> = Vec::new();
    let mut block_started = false;
    let mut out = PetrVerbs::default();
    for (i, l) in lines.iter().enumerate() {
        let line = (i + 1) as u32;
        let Some(l) = l else { continue };
        // TABARI's `; comment`.
        let t = l.split(';').next().unwrap_or("").trim();
        // Blank and comment lines do not end a synset: the next line that is no member does.
        if t.is_empty() {
            continue;
        }
        let mut note = |reason: String| notes.push(Note { line, reason });
        if let Some(label) = t.strip_prefix('&') {
            let label = label.split_whitespace().next().unwrap_or("");
            if label.is_empty() {
                note("synset without a label".into());
                continue;
            }
            let plurals = !label.ends_with('_');
            synsets.insert(
                label.trim_end_matches('_').to_string(),
                Synset {
                    members: Vec::new(),
                    plurals,
                },
            );
            open_synset = Some(label.trim_end_matches('_').to_string());
            continue;
        }
        if let (Some(m), Some(label)) = (t.strip_prefix('+'), open_synset.as_ref()) {
            let words: Vec<String> = phrase_words(m).iter().map(|w| w.to_lowercase()).collect();
            if words.is_empty() || words.iter().any(|w| !good_word(w)) {
                note(format!("odd synset member `{m}`"));
                continue;
            }
            let exact = m.trim_end().ends_with('_');
            let set = synsets.get_mut(label).expect("open synset was inserted");
            let mut words = words;
            if set.plurals && !exact && words.len() == 1 {
                words[0].push('*');
            }
            set.members.push(words);
            continue;
        }
        open_synset = None;
        if let Some(h) = t.strip_prefix("---") {
            let (_, codes, _) = split_brackets(h.trim_end_matches('-'));
            block_code = codes
                .first()
                .map(|c| pick_code(c))
                .filter(|c| !c.is_empty());
            verbs.clear();
            block_started = true;
            continue;
        }
        if t.starts_with('~') {
            out.pattern_lines += 1;
            out.dropped.push((
                line,
                "transformation line (`~`): dyad's transforms.tsv does this",
            ));
            continue;
        }
        if let Some(body) = t.strip_prefix('-') {
            out.pattern_lines += 1;
            if !block_started || verbs.is_empty() {
                out.dropped.push((line, "pattern without a verb above it"));
                continue;
            }
            match translate(body, &verbs, &synsets) {
                Ok((code, texts)) => match code {
                    None => out
                        .dropped
                        .push((line, "null code `---`: dyad has no blocking pattern")),
                    Some(c) if !known_code(&c) => out
                        .dropped
                        .push((line, "event code not in dyad's CAMEO codebook")),
                    Some(c) => {
                        for text in texts {
                            out.patterns.push(PetrPattern {
                                line,
                                code: c.clone(),
                                text,
                                bare: false,
                            });
                        }
                    }
                },
                Err(reason) => out.dropped.push((line, reason)),
            }
            continue;
        }
        // A verb line of the current block.
        if !block_started {
            note("verb before any `--- NAME [CODE] ---` block".into());
            continue;
        }
        match parse_verb_line(t) {
            Ok(v) => {
                let code = v.code.clone().or_else(|| block_code.clone());
                if let Some(c) = code.filter(|c| c != "---") {
                    if known_code(&c) {
                        let elem = verb_elem(&v);
                        out.patterns.push(PetrPattern {
                            line,
                            code: c,
                            text: format!("{elem} +"),
                            bare: true,
                        });
                    } else {
                        out.dropped
                            .push((line, "event code not in dyad's CAMEO codebook"));
                    }
                }
                verbs.push(v);
            }
            Err(e) => note(e),
        }
    }
    (out, notes)
}

/// The first code of `A:B` (the second where the first is empty).
fn pick_code(c: &str) -> String {
    let c = c.trim();
    let (a, b) = c.split_once(':').unwrap_or((c, ""));
    if a.trim().is_empty() {
        b.trim().to_string()
    } else {
        a.trim().to_string()
    }
}

fn parse_verb_line(t: &str) -> Result<VerbForm, String> {
    let (head, codes, bad) = split_brackets(t);
    if let Some(b) = bad {
        return Err(b);
    }
    let code = codes.first().map(|c| pick_code(c));
    let (base, forms) = match head.split_once('{') {
        Some((b, rest)) => {
            let (f, after) = rest.split_once('}').ok_or("`{` without `}`")?;
            if !after.trim().is_empty() {
                return Err(format!("unexpected `{}` after the forms", after.trim()));
            }
            (b.trim(), f.split_whitespace().collect::<Vec<_>>())
        }
        None => (head.trim(), Vec::new()),
    };
    // "LASH OUT": a blank joins words as `_` does.
    let base = base.split_whitespace().collect::<Vec<_>>().join("_");
    let base = base.as_str();
    let split = |phrase: &str| -> Result<(Vec<String>, String, Vec<String>), String> {
        let words: Vec<&str> = phrase.split('_').filter(|w| !w.is_empty()).collect();
        // Without a `+`, the first word is the verb ("LASH OUT", a phrasal verb).
        let at = words.iter().position(|w| w.starts_with('+')).unwrap_or(0);
        if words.is_empty() {
            return Err(format!("empty verb `{phrase}`"));
        }
        let lower: Vec<String> = words
            .iter()
            .map(|w| w.trim_start_matches('+').to_lowercase())
            .collect();
        if let Some(w) = lower.iter().find(|w| !good_word(w)) {
            return Err(format!("odd word `{w}` in verb `{phrase}`"));
        }
        Ok((
            lower[..at].to_vec(),
            lower[at].clone(),
            lower[at + 1..].to_vec(),
        ))
    };
    let (before, verb, after) = split(base)?;
    let mut all = vec![if forms.is_empty() {
        format!("{verb}*")
    } else {
        verb
    }];
    for f in forms {
        let (_, v, _) = split(f)?;
        all.push(v);
    }
    all.dedup();
    Ok(VerbForm {
        before,
        forms: all,
        after,
        code,
    })
}

fn verb_elem(v: &VerbForm) -> String {
    let mut parts = v.before.clone();
    parts.push(v.forms.join("|"));
    parts.extend(v.after.iter().cloned());
    parts.join(" ")
}

/// Most variants one pattern line may expand into (multi-word verbs and synset phrases).
const MAX_VARIANTS: usize = 64;

/// Translates a pattern body (after `-`) for the verbs of its block: the code, and the dyad
/// pattern texts. Brackets of noun phrases `{..}` and prepositional phrases `(..)` become the
/// ordered words they enclose: dyad's phrase notion is words in order within one clause, with
/// at most three words between them.
fn translate(
    body: &str,
    verbs: &[VerbForm],
    synsets: &BTreeMap<String, Synset>,
) -> Result<(Option<String>, Vec<String>), &'static str> {
    let Some(open) = body.rfind('[') else {
        return Err("pattern without a `[CODE]`");
    };
    let Some(close) = body[open..].find(']') else {
        return Err("pattern without a `[CODE]`");
    };
    let code = pick_code(&body[open + 1..open + close]);
    let code = if code.is_empty() || code.trim_matches('-').is_empty() {
        None
    } else {
        Some(code)
    };
    let spaced: String = body[..open]
        .chars()
        .flat_map(|c| match c {
            '(' | ')' | '{' | '}' => vec![' ', c, ' '],
            c => vec![c],
        })
        .collect();
    let toks: Vec<&str> = spaced.split_whitespace().collect();
    let Some(star) = toks.iter().position(|t| *t == "*") else {
        return Err(if toks.iter().any(|t| t.contains('*')) {
            "verb `*` inside a phrase (`WOULD_*_TALKS`)"
        } else {
            "pattern without the verb `*`"
        });
    };
    if toks[..star].iter().any(|t| *t != "$") {
        return Err("words or `+` before the verb: a subject constraint needs a parse tree");
    }
    // Each element: alternatives, each a sequence of words (or a slot).
    let mut elems: Vec<Vec<Vec<String>>> = Vec::new();
    for t in &toks[star + 1..] {
        match *t {
            "(" | ")" | "{" | "}" => {}
            "*" => return Err("two verbs `*` in one pattern"),
            "+" | "$" => elems.push(vec![vec![t.to_string()]]),
            "%" => return Err("compound actor `%`: no dyad equivalent"),
            "^" => return Err("skip marker `^`: no dyad equivalent"),
            s if s.starts_with('&') => {
                let label = s[1..].trim_end_matches('_');
                let set = synsets
                    .get(label)
                    .ok_or("synset used before it is defined (PETRARCH ignores it too)")?;
                if set.members.is_empty() {
                    return Err("empty synset");
                }
                elems.push(set.members.clone());
            }
            s => {
                let words: Vec<String> = phrase_words(s).iter().map(|w| w.to_lowercase()).collect();
                if words.is_empty() || words.iter().any(|w| !good_word(w) || w.contains('&')) {
                    return Err("a word dyad cannot read");
                }
                for w in words {
                    elems.push(vec![vec![w]]);
                }
            }
        }
    }
    let slots = |t: &str| elems.iter().filter(|e| e[0][0] == t).count();
    if slots("+") > 1 || slots("$") > 1 {
        return Err("a slot (`+` or `$`) twice");
    }
    // Verbs: one element for all one-word verbs of the block, one variant per multi-word verb.
    let mut verb_variants: Vec<Vec<String>> = Vec::new();
    let single: Vec<String> = verbs
        .iter()
        .filter(|v| v.before.is_empty() && v.after.is_empty())
        .flat_map(|v| v.forms.iter().cloned())
        .collect();
    if !single.is_empty() {
        let mut s = single;
        s.dedup();
        verb_variants.push(vec![s.join("|")]);
    }
    for v in verbs
        .iter()
        .filter(|v| !v.before.is_empty() || !v.after.is_empty())
    {
        verb_variants.push(verb_elem(v).split(' ').map(str::to_string).collect());
    }
    // Expand elements: one-word alternatives join into `a|b`, phrases become variants.
    let mut variants: Vec<Vec<String>> = verb_variants;
    for e in &elems {
        let one: Vec<&str> = e
            .iter()
            .filter(|a| a.len() == 1)
            .map(|a| a[0].as_str())
            .collect();
        let mut choices: Vec<Vec<String>> = Vec::new();
        if !one.is_empty() {
            choices.push(vec![one.join("|")]);
        }
        choices.extend(e.iter().filter(|a| a.len() > 1).cloned());
        if variants.len() * choices.len() > MAX_VARIANTS {
            return Err("too many variants (multi-word synset members)");
        }
        variants = variants
            .iter()
            .flat_map(|v| {
                choices.iter().map(move |c| {
                    let mut v = v.clone();
                    v.extend(c.iter().cloned());
                    v
                })
            })
            .collect();
    }
    let texts: Vec<String> = variants.into_iter().map(|v| v.join(" ")).collect();
    if texts.iter().any(|t| t.contains("+ $") || t.contains("$ +")) {
        return Err("two slots in a row cannot be told apart");
    }
    Ok((code, texts))
}

/// The kinds of dictionary file this reader knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Actors,
    Agents,
    Verbs,
    Discards,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Actors => "actors",
            Kind::Agents => "agents",
            Kind::Verbs => "verbs",
            Kind::Discards => "discards",
        }
    }
}

/// What reading one file gave, before codes are mapped and entries merged.
#[derive(Debug, Default)]
pub struct FileReport {
    /// Actor records, agents, discards or translated patterns.
    pub entries: usize,
    /// Lines not taken (or taken in part).
    pub notes: Vec<Note>,
    pub pattern_lines: usize,
    pub dropped: BTreeMap<&'static str, usize>,
}

/// Reads a file of `kind` and reports what it holds and what it cannot take.
pub fn read_report(kind: Kind, bytes: &[u8], known_code: &dyn Fn(&str) -> bool) -> FileReport {
    fn counted<T>((entries, notes): (Vec<T>, Vec<Note>)) -> FileReport {
        FileReport {
            entries: entries.len(),
            notes,
            ..Default::default()
        }
    }
    match kind {
        Kind::Actors => counted(parse_actors(bytes)),
        Kind::Agents => counted(parse_agents(bytes)),
        Kind::Discards => counted(parse_discards(bytes)),
        Kind::Verbs => {
            let (v, notes) = parse_verbs(bytes, known_code);
            FileReport {
                entries: v.patterns.len(),
                notes,
                pattern_lines: v.pattern_lines,
                dropped: v.dropped_by_reason(),
            }
        }
    }
}

/// Copies dictionary files into `out/name/` and lists them in `out/imports.tsv`, so that the
/// dictionaries in `out` load them. `opt_in` marks verb files as opt-in under that name.
pub fn install(
    out: &std::path::Path,
    name: &str,
    files: &[(Kind, std::path::PathBuf)],
    as_of: Option<&str>,
    opt_in: Option<&str>,
) -> std::io::Result<Vec<String>> {
    use std::io::Write;
    let folder = out.join(name);
    std::fs::create_dir_all(&folder)?;
    let mut lines = Vec::new();
    for (kind, path) in files {
        let file_name = path
            .file_name()
            .ok_or_else(|| std::io::Error::other(format!("{} is no file", path.display())))?;
        std::fs::copy(path, folder.join(file_name))?;
        let mut line = format!("{}\t{name}/{}", kind.name(), file_name.to_string_lossy());
        if let (Kind::Actors, Some(d)) = (kind, as_of) {
            line.push_str(&format!("\tas-of={d}"));
        }
        if let (Kind::Verbs, Some(o)) = (kind, opt_in) {
            line.push_str(&format!("\topt-in={o}"));
        }
        lines.push(line);
    }
    let mut manifest = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(out.join("imports.tsv"))?;
    for l in &lines {
        writeln!(manifest, "{l}")?;
    }
    Ok(lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_two_and_four_digit_years() {
        assert_eq!(parse_date("950101"), Some(19950101));
        assert_eq!(parse_date("070723"), Some(20070723));
        assert_eq!(parse_date("18970101"), Some(18970101));
        assert_eq!(parse_date("2004017"), None);
        assert_eq!(parse_date("991341"), None);
    }

    #[test]
    fn actors_with_synonyms_roles_and_open_ranges() {
        let text = b"# c\nJOHN_QUINCY_ROE_  ; source.txt\n\t[AFGELI 320101-331108]\n\t[AFGGOV 331108-730717]\n\t[AFGELI]\n+QUINCY_ROE\nRURITANIA_  [AFG]\n+STREL\x1aSAU_\nX_ [USAGOV >170120] [USAELI]# c\n\t[USAGOV 2004017-20061201]\n";
        let (actors, notes) = parse_actors(text);
        assert_eq!(actors.len(), 3);
        assert_eq!(actors[0].names[1].1, "QUINCY ROE");
        assert_eq!(actors[0].roles.len(), 2);
        assert_eq!(actors[0].roles[1].from, 19331108);
        assert_eq!(actors[0].default.as_ref().unwrap().1, "AFGELI");
        assert_eq!(actors[1].names[1].1, "STRELSAU");
        assert_eq!(actors[2].roles[0].to, OPEN_END);
        assert_eq!(actors[2].default.as_ref().unwrap().1, "USAELI");
        let lines: Vec<u32> = notes.iter().map(|n| n.line).collect();
        assert_eq!(lines, vec![8, 10], "{notes:?}");
    }

    #[test]
    fn agents_plurals_and_substitutions() {
        let text = b"!PERSON! = MAN, MEN\nCONGRESS!PERSON! [~LEG}\nPOLICE {} [~COP]\nPARTY [~PTY]\nATTORNEY_GENERAL {ATTORNEYS_GENERAL} [~GOV]\nHUMAN_RIGHTS_BODY  [NGO~]\nBAD [GOV]\n";
        let (agents, notes) = parse_agents(text);
        assert_eq!(agents[0].phrases, vec!["congressman", "congressmen"]);
        assert_eq!(agents[1].phrases, vec!["police"]);
        assert_eq!(agents[2].phrases, vec!["parties", "party"]);
        assert_eq!(
            agents[3].phrases,
            vec!["attorney general", "attorneys general"]
        );
        assert_eq!(agents[4].code, "NGO");
        assert_eq!(notes.len(), 1);
        assert_eq!(notes[0].line, 7);
    }

    #[test]
    fn verb_patterns_translate_brackets_and_synsets() {
        let text = b"&AID\n+ASSISTANCE\n+FOOD_AID\n\n--- GIVE [070] ---\nGIVE {GIVES GAVE GIVEN GIVING}\nPROVIDE\n+HAND_OVER\n- * (FOR {FINANCIAL AID}) [:0231]\n- * &AID (TO +) [073:073] # x\n- &MILITARY * [190]\n- * (FROM ^) [042]\n- * PLAN [---]\n~ a (a b ATTACK) SAY = a b 015\n";
        let (v, notes) = parse_verbs(text, &|c: &str| c.len() >= 3);
        assert!(notes.is_empty(), "{notes:?}");
        let texts: Vec<(u32, &str, &str)> = v
            .patterns
            .iter()
            .map(|p| (p.line, p.code.as_str(), p.text.as_str()))
            .collect();
        assert!(texts.contains(&(6, "070", "give|gives|gave|given|giving +")));
        assert!(texts.contains(&(8, "070", "hand* over +")));
        assert!(texts.contains(&(
            9,
            "0231",
            "give|gives|gave|given|giving|provide* for financial aid"
        )));
        assert!(texts.contains(&(10, "073", "hand* over assistance* to +")));
        assert!(texts.contains(&(
            10,
            "073",
            "give|gives|gave|given|giving|provide* food aid to +"
        )));
        assert_eq!(v.pattern_lines, 6);
        assert_eq!(v.dropped.len(), 4, "{:?}", v.dropped);
    }

    #[test]
    fn discards_story_and_stem() {
        let (d, notes) = parse_discards(b"+WORLD CUP\nBASEBALL_\n<!-- x\n y -->\n");
        assert!(notes.is_empty());
        assert_eq!(d[0].words, vec!["world", "cup*"]);
        assert!(d[0].story);
        assert_eq!(d[1].words, vec!["baseball"]);
    }
}

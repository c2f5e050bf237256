//! dyad dictionaries: the plain-text files under `dict/` (grammar in `dict/README.md`), loaded,
//! validated with `file:line` errors, and compiled into matchers over interned word ids.
//!
//! Every word in every dictionary is interned once into a [`Vocab`]; the coder looks each token
//! of a sentence up once and from then on matches integers, never strings.

mod actors;
mod check;
mod codebook;
mod import;
pub mod petrarch;
mod phrase;
mod references;
mod transforms;
mod verbs;
mod words;

pub use actors::{ActorDict, ActorEntry, ActorKind, ActorMatch, Role};
pub use check::{check, Finding};
pub use codebook::{CodeInfo, Codebook, Plover, PloverType};
pub use import::{opt_in_from_env, CodeMap, ImportSummary};
pub use phrase::{CaseReq, Vocab, NO_WORD};
pub use references::EventReferences;
pub use transforms::{Mode, Transforms};
pub use verbs::{Discard, Elem, Pattern, VerbDict};
pub use words::{FunctionWords, Section};

use std::collections::BTreeSet;
use std::fmt;
use std::path::{Path, PathBuf};

/// CAMEO actor types that stand where a country code would (`IGOUNO`, `NGOAMN`): an actor coded
/// with one of these alone has no country to guess.
pub const SECTOR_PREFIXES: [&str; 7] = ["IGO", "NGO", "IMG", "MNC", "INT", "NGM", "UIS"];

/// A place in a dictionary file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Loc {
    pub file: u16,
    pub line: u32,
}

/// One problem found in a dictionary file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {message}")]
pub struct DictError {
    pub file: String,
    pub line: u32,
    pub message: String,
}

/// All problems found while loading; loading stops only after reading every file.
#[derive(Debug, thiserror::Error)]
pub struct DictErrors(pub Vec<DictError>);

impl fmt::Display for DictErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

/// Collects errors with their file names while files are parsed.
#[derive(Debug, Default)]
pub(crate) struct Diagnostics {
    pub files: Vec<String>,
    pub errors: Vec<DictError>,
}

impl Diagnostics {
    pub fn add_file(&mut self, name: &str) -> u16 {
        self.files.push(name.to_string());
        (self.files.len() - 1) as u16
    }
    pub fn error(&mut self, loc: Loc, message: impl Into<String>) {
        self.errors.push(DictError {
            file: self
                .files
                .get(loc.file as usize)
                .cloned()
                .unwrap_or_default(),
            line: loc.line,
            message: message.into(),
        });
    }
}

/// The compiled dictionaries.
#[derive(Debug)]
pub struct Dictionary {
    pub dir: PathBuf,
    pub version: String,
    /// File names relative to `dir`, indexed by [`Loc::file`].
    pub files: Vec<String>,
    pub vocab: Vocab,
    pub codebook: Codebook,
    pub plover: Plover,
    pub actors: ActorDict,
    pub verbs: VerbDict,
    pub words: FunctionWords,
    pub transforms: Transforms,
    /// Nouns that refer back to an earlier event (`event-references.tsv`).
    pub references: EventReferences,
    /// Word ids of irregular past participles, to see the passive in "were met by".
    pub participles: rustc_hash::FxHashSet<u32>,
    /// Word ids of irregular past forms unlike their base ("sought", "held"): always verbs.
    pub past_forms: rustc_hash::FxHashSet<u32>,
    /// CAMEO actor type codes (`actor-types.tsv`).
    pub actor_types: BTreeSet<String>,
    /// CAMEO known-group codes (`known-groups.tsv`).
    pub known_groups: BTreeSet<String>,
    /// What each imported file (`imports.tsv`) gave.
    pub imports: Vec<ImportSummary>,
    /// Lines of imported files not taken, conflicts and dropped codes: warnings for the linter.
    pub import_notes: Vec<DictError>,
    /// The conversion table of imported codes.
    pub codes: CodeMap,
}

impl Dictionary {
    /// Loads and compiles every dictionary file under `dir`, with the opt-in imports named in
    /// `$DYAD_OPT_IN`.
    pub fn load(dir: impl AsRef<Path>) -> Result<Dictionary, DictErrors> {
        Self::load_with(dir, &opt_in_from_env())
    }

    /// Loads and compiles every dictionary file under `dir`; imports marked `opt-in=NAME` in
    /// `imports.tsv` are read only when `opt_in` names them.
    pub fn load_with(dir: impl AsRef<Path>, opt_in: &[String]) -> Result<Dictionary, DictErrors> {
        let dir = dir.as_ref();
        let mut diag = Diagnostics::default();
        let mut vocab = Vocab::default();
        let irregulars = read(dir, "irregular.tsv", &mut diag)
            .map(|(text, file)| {
                dyad_text::Irregulars::parse(&text).unwrap_or_else(|(line, msg)| {
                    diag.error(
                        Loc {
                            file,
                            line: line as u32,
                        },
                        msg,
                    );
                    dyad_text::Irregulars::default()
                })
            })
            .unwrap_or_default();
        let participles = irregulars.participles().map(|w| vocab.intern(w)).collect();
        let past_forms = irregulars
            .distinct_past_forms()
            .map(|w| vocab.intern(w))
            .collect();
        let mut ctx = phrase::Compiler::new(&irregulars);

        let actor_types = read(dir, "actor-types.tsv", &mut diag)
            .map(|(t, _)| check::code_column(&t))
            .unwrap_or_default();
        let known_groups = read(dir, "known-groups.tsv", &mut diag)
            .map(|(t, _)| check::code_column(&t))
            .unwrap_or_default();
        let version = read(dir, "VERSION", &mut diag)
            .map(|(t, _)| t.trim().to_string())
            .unwrap_or_default();
        let codebook = read(dir, "codebook.tsv", &mut diag)
            .map(|(t, f)| Codebook::parse(&t, f, &mut diag))
            .unwrap_or_default();
        let plover = read(dir, "plover.tsv", &mut diag)
            .map(|(t, f)| Plover::parse(&t, f, &mut diag))
            .unwrap_or_default();
        let transforms = read(dir, "transforms.tsv", &mut diag)
            .map(|(t, f)| Transforms::parse(&t, f, &codebook, &mut diag))
            .unwrap_or_default();
        let references = read(dir, "event-references.tsv", &mut diag)
            .map(|(t, f)| EventReferences::parse(&t, f, &codebook, &mut vocab, &mut diag))
            .unwrap_or_default();
        let words = read(dir, "function-words.txt", &mut diag)
            .map(|(t, f)| FunctionWords::parse(&t, f, &mut vocab, &mut ctx, &mut diag))
            .unwrap_or_default();

        let mut actors = ActorDict::default();
        for (name, kind) in [
            ("countries.txt", ActorKind::Country),
            ("orgs.txt", ActorKind::Org),
            ("agents.txt", ActorKind::Agent),
        ] {
            if let Some((t, f)) = read(dir, name, &mut diag) {
                actors.parse_coded(&t, f, kind, &mut vocab, &mut ctx, &mut diag);
            }
        }
        for name in list_dir(dir, "people", &mut diag) {
            if let Some((t, f)) = read(dir, &name, &mut diag) {
                actors.parse_people(&t, f, &mut vocab, &mut ctx, &mut diag);
            }
        }
        let mut verbs = VerbDict::default();
        for name in list_dir(dir, "verbs", &mut diag) {
            if let Some((t, f)) = read(dir, &name, &mut diag) {
                verbs.parse_patterns(&t, f, &codebook, &mut vocab, &mut ctx, &mut diag);
            }
        }
        if let Some((t, f)) = read(dir, "discards.txt", &mut diag) {
            verbs.parse_discards(&t, f, &mut vocab, &mut ctx, &mut diag);
        }
        let imports = import::Merge {
            dir,
            opt_in,
            vocab: &mut vocab,
            ctx: &mut ctx,
            diag: &mut diag,
            actors: &mut actors,
            verbs: &mut verbs,
            codebook: &codebook,
            words: &words,
            roles: &actor_types,
            groups: &known_groups,
            skip: Default::default(),
            given: Default::default(),
        }
        .run();
        verbs.index();
        verbs.rank(|id| {
            words.is(Section::Determiner, &[id], 0) && !words.is(Section::Clause, &[id], 0)
        });
        if version.is_empty() {
            diag.errors.push(DictError {
                file: "VERSION".into(),
                line: 1,
                message: "empty dictionary version".into(),
            });
        }
        if !diag.errors.is_empty() {
            return Err(DictErrors(diag.errors));
        }
        Ok(Dictionary {
            dir: dir.to_path_buf(),
            version,
            files: diag.files,
            vocab,
            codebook,
            plover,
            actors,
            verbs,
            words,
            transforms,
            references,
            participles,
            past_forms,
            actor_types,
            known_groups,
            imports: imports.summaries,
            import_notes: imports.notes,
            codes: imports.codes,
        })
    }

    /// `file:line` of a dictionary place, for provenance.
    pub fn loc(&self, loc: Loc) -> String {
        format!("{}:{}", self.files[loc.file as usize], loc.line)
    }
}

/// The default dictionary directory: `$DYAD_DICT`, else `dict/` next to the working directory or
/// at the repository root this binary was built from.
pub fn default_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("DYAD_DICT") {
        return PathBuf::from(d);
    }
    let local = PathBuf::from("dict");
    if local.join("VERSION").exists() {
        return local;
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../dict")
}

fn read(dir: &Path, name: &str, diag: &mut Diagnostics) -> Option<(String, u16)> {
    let file = diag.add_file(name);
    match std::fs::read(dir.join(name)) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(s) => Some((s, file)),
            Err(e) => {
                let line = e.as_bytes()[..e.utf8_error().valid_up_to()]
                    .iter()
                    .filter(|&&b| b == b'\n')
                    .count() as u32
                    + 1;
                diag.error(Loc { file, line }, "invalid UTF-8");
                None
            }
        },
        Err(e) => {
            diag.error(Loc { file, line: 0 }, format!("cannot read: {e}"));
            None
        }
    }
}

/// `sub/*.txt` file names, sorted, relative to `dir`.
fn list_dir(dir: &Path, sub: &str, diag: &mut Diagnostics) -> Vec<String> {
    let mut names = Vec::new();
    match std::fs::read_dir(dir.join(sub)) {
        Ok(rd) => {
            for e in rd.flatten() {
                let n = e.file_name().to_string_lossy().into_owned();
                if n.ends_with(".txt") {
                    names.push(format!("{sub}/{n}"));
                }
            }
        }
        Err(e) => {
            let file = diag.add_file(sub);
            diag.error(Loc { file, line: 0 }, format!("cannot read directory: {e}"));
        }
    }
    names.sort();
    names
}

/// Strips a `#` comment (at line start or after whitespace) and trailing space.
pub(crate) fn strip_comment(line: &str) -> &str {
    let b = line.as_bytes();
    let mut cut = line.len();
    for i in 0..b.len() {
        if b[i] == b'#' && (i == 0 || b[i - 1].is_ascii_whitespace()) {
            cut = i;
            break;
        }
    }
    line[..cut].trim_end()
}

/// Lines of a file as (1-based line number, indented?, content without comment), skipping blanks.
pub(crate) fn content_lines(text: &str) -> impl Iterator<Item = (u32, bool, &str)> {
    text.lines().enumerate().filter_map(|(i, raw)| {
        let s = strip_comment(raw);
        let t = s.trim_start();
        if t.is_empty() {
            None
        } else {
            Some(((i + 1) as u32, s.len() != t.len(), t))
        }
    })
}

/// `YYYY-MM-DD` as the number `YYYYMMDD`, validated.
pub fn parse_date(s: &str) -> Option<u32> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> { s.get(r)?.parse().ok() };
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => return None,
    };
    (d >= 1 && d <= days).then_some(y * 10000 + m * 100 + d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_need_space_before_hash() {
        assert_eq!(strip_comment("a # b"), "a");
        assert_eq!(strip_comment("# all"), "");
        assert_eq!(strip_comment("C# language"), "C# language");
    }

    #[test]
    fn dates_are_validated() {
        assert_eq!(parse_date("2017-01-20"), Some(20170120));
        assert_eq!(parse_date("2017-02-29"), None);
        assert_eq!(parse_date("2016-02-29"), Some(20160229));
        assert_eq!(parse_date("2017-13-01"), None);
        assert_eq!(parse_date("17-01-20"), None);
    }
}

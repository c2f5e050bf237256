//! CoNLL-U reading and writing (https://universaldependencies.org/format.html).
//!
//! Only the basic tree is read: empty nodes (`5.1`) are skipped, multiword-token lines (`3-4`) are
//! kept apart from the words for their surface form, and the word lines of a sentence must be
//! numbered 1..n with heads in 0..=n.

use crate::{SyntaxError, Upos};
use std::io::BufRead;
use std::path::Path;

/// One word of a treebank sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub form: String,
    pub lemma: String,
    pub upos: Upos,
    pub xpos: String,
    pub feats: String,
    /// 0 is the root; words count from 1.
    pub head: u32,
    pub deprel: String,
    pub deps: String,
    pub misc: String,
}

/// A multiword token (`3-4 don't`): the surface form of words `first..=last` (counted from 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Multiword {
    pub first: u32,
    pub last: u32,
    pub form: String,
}

/// One treebank sentence: its comment lines (`# text = ...` among them) and its words.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sentence {
    pub comments: Vec<String>,
    pub words: Vec<Word>,
    /// 1-based line of the sentence's first line in its file, for messages.
    pub line: usize,
    /// The multiword tokens, in order; not written back by [`write`].
    pub multiwords: Vec<Multiword>,
    /// The 1-based line of each word, for messages about its columns.
    pub word_lines: Vec<usize>,
}

impl Sentence {
    /// The `# text = ...` comment, if any.
    pub fn text(&self) -> Option<&str> {
        self.comments
            .iter()
            .find_map(|c| c.strip_prefix("# text = "))
    }

    pub fn forms(&self) -> Vec<&str> {
        self.words.iter().map(|w| w.form.as_str()).collect()
    }

    /// Whether no two arcs cross (arcs from the root included).
    pub fn is_projective(&self) -> bool {
        let heads: Vec<u32> = self.words.iter().map(|w| w.head).collect();
        crate::tree::is_projective(&heads)
    }
}

/// Reads a whole CoNLL-U file. Errors name the file and line.
pub fn read_file(path: &Path) -> Result<Vec<Sentence>, SyntaxError> {
    let file = std::fs::File::open(path).map_err(|e| SyntaxError::Io {
        path: path.display().to_string(),
        source: e,
    })?;
    read(std::io::BufReader::new(file), &path.display().to_string())
}

/// Reads CoNLL-U from any reader; `name` is used in error messages.
pub fn read<R: BufRead>(reader: R, name: &str) -> Result<Vec<Sentence>, SyntaxError> {
    let mut out = Vec::new();
    let mut cur = Sentence::default();
    let bad = |line: usize, why: String| SyntaxError::Format {
        file: name.to_string(),
        line,
        why,
    };
    for (i, line) in reader.lines().enumerate() {
        let lineno = i + 1;
        let line = line.map_err(|e| bad(lineno, format!("unreadable line: {e}")))?;
        let line = line.strip_suffix('\r').unwrap_or(&line);
        if line.trim().is_empty() {
            if !cur.words.is_empty() {
                finish(&cur, name).map_err(|why| bad(cur.line, why))?;
                out.push(std::mem::take(&mut cur));
            } else if !cur.comments.is_empty() {
                return Err(bad(lineno, "a sentence with comments but no words".into()));
            }
            // Multiword tokens of a sentence without words do not carry over to the next.
            cur.multiwords.clear();
            continue;
        }
        if cur.words.is_empty() && cur.comments.is_empty() {
            cur.line = lineno;
        }
        if line.starts_with('#') {
            if !cur.words.is_empty() {
                return Err(bad(
                    lineno,
                    "a comment line inside a sentence's words".into(),
                ));
            }
            cur.comments.push(line.to_string());
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() != 10 {
            return Err(bad(
                lineno,
                format!("{} tab-separated columns, CoNLL-U has 10", cols.len()),
            ));
        }
        let id = cols[0];
        if id.contains('-') || id.contains('.') {
            // Multiword tokens and empty nodes: not part of the basic tree.
            let ok = id
                .split(['-', '.'])
                .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
            if !ok {
                return Err(bad(lineno, format!("malformed ID {id:?}")));
            }
            if let Some((a, b)) = id.split_once('-') {
                let range = a.parse::<u32>().ok().zip(b.parse::<u32>().ok());
                let Some((first, last)) = range.filter(|&(a, b)| a <= b) else {
                    return Err(bad(lineno, format!("malformed ID {id:?}")));
                };
                cur.multiwords.push(Multiword {
                    first,
                    last,
                    form: cols[1].to_string(),
                });
            }
            continue;
        }
        let n: usize = id
            .parse()
            .map_err(|_| bad(lineno, format!("malformed ID {id:?}")))?;
        if n != cur.words.len() + 1 {
            return Err(bad(
                lineno,
                format!(
                    "word ID {n} out of order (expected {})",
                    cur.words.len() + 1
                ),
            ));
        }
        let upos = Upos::parse(cols[3])
            .ok_or_else(|| bad(lineno, format!("unknown UPOS {:?}", cols[3])))?;
        let head: u32 = if cols[6] == "_" {
            return Err(bad(lineno, "no HEAD (\"_\") on a word line".into()));
        } else {
            cols[6]
                .parse()
                .map_err(|_| bad(lineno, format!("malformed HEAD {:?}", cols[6])))?
        };
        if cols[1].is_empty() || cols[7].is_empty() || cols[7] == "_" {
            return Err(bad(lineno, "empty FORM or DEPREL".into()));
        }
        cur.words.push(Word {
            form: cols[1].to_string(),
            lemma: cols[2].to_string(),
            upos,
            xpos: cols[4].to_string(),
            feats: cols[5].to_string(),
            head,
            deprel: cols[7].to_string(),
            deps: cols[8].to_string(),
            misc: cols[9].to_string(),
        });
        cur.word_lines.push(lineno);
    }
    if !cur.words.is_empty() {
        finish(&cur, name).map_err(|why| bad(cur.line, why))?;
        out.push(cur);
    }
    Ok(out)
}

/// Checks a finished sentence: heads in range, one root, no cycle.
fn finish(s: &Sentence, _name: &str) -> Result<(), String> {
    let heads: Vec<u32> = s.words.iter().map(|w| w.head).collect();
    crate::tree::check(&heads).map_err(|e| format!("sentence starting here: {e}"))
}

/// Writes one sentence as CoNLL-U, with a blank line after it.
pub fn write<W: std::io::Write>(out: &mut W, s: &Sentence) -> std::io::Result<()> {
    for c in &s.comments {
        writeln!(out, "{c}")?;
    }
    for (i, w) in s.words.iter().enumerate() {
        let dash = |s: &str| {
            if s.is_empty() {
                "_".to_string()
            } else {
                s.to_string()
            }
        };
        writeln!(
            out,
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
            i + 1,
            w.form,
            dash(&w.lemma),
            w.upos.as_str(),
            dash(&w.xpos),
            dash(&w.feats),
            w.head,
            w.deprel,
            dash(&w.deps),
            dash(&w.misc)
        )?;
    }
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Result<Vec<Sentence>, SyntaxError> {
        read(std::io::Cursor::new(s), "t.conllu")
    }

    const GOOD: &str = "# text = Don't go.\n1-2\tDon't\t_\t_\t_\t_\t_\t_\t_\t_\n1\tDo\tdo\tAUX\tVBP\t_\t3\taux\t_\t_\n2\tn't\tnot\tPART\tRB\t_\t3\tadvmod\t_\t_\n3\tgo\tgo\tVERB\tVB\t_\t0\troot\t_\t_\n3.1\tx\t_\t_\t_\t_\t_\t_\t_\t_\n4\t.\t.\tPUNCT\t.\t_\t3\tpunct\t_\t_\n\n";

    #[test]
    fn skips_multiword_tokens_and_empty_nodes() {
        let s = parse(GOOD).unwrap();
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].forms(), vec!["Do", "n't", "go", "."]);
        assert_eq!(s[0].text(), Some("Don't go."));
        assert_eq!(s[0].words[2].head, 0);
        assert_eq!(s[0].line, 1);
        let mw = &s[0].multiwords;
        assert_eq!((mw.len(), mw[0].first, mw[0].last), (1, 1, 2));
        assert_eq!(mw[0].form, "Don't");
        assert_eq!(s[0].word_lines, vec![3, 4, 5, 7]);
    }

    #[test]
    fn refuses_malformed_lines_with_their_line_number() {
        let cases = [
            (GOOD.replace("3\tgo\tgo\tVERB", "3\tgo\tgo\tVRB"), 5, "UPOS"),
            (
                GOOD.replace("\tadvmod\t_\t_\n", "\tadvmod\t_\n"),
                4,
                "columns",
            ),
            (
                GOOD.replace("4\t.\t.\tPUNCT\t.\t_\t3", "5\t.\t.\tPUNCT\t.\t_\t3"),
                7,
                "order",
            ),
            (GOOD.replace("3\taux", "x\taux"), 3, "HEAD"),
            (
                GOOD.replace("4\t.\t.\tPUNCT\t.\t_\t3", "4\t.\t.\tPUNCT\t.\t_\t9"),
                1,
                "range",
            ),
            (
                GOOD.replace("3\tgo\tgo\tVERB\tVB\t_\t0", "3\tgo\tgo\tVERB\tVB\t_\t4"),
                1,
                "root",
            ),
        ];
        for (text, line, what) in cases {
            match parse(&text) {
                Err(SyntaxError::Format { file, line: l, why }) => {
                    assert_eq!(file, "t.conllu");
                    assert_eq!(l, line, "{why}");
                    assert!(why.contains(what), "{why} lacks {what}");
                }
                other => panic!("expected a format error for {what}, got {other:?}"),
            }
        }
    }

    #[test]
    fn writes_what_it_reads() {
        let s = parse(GOOD).unwrap();
        let mut buf = Vec::new();
        write(&mut buf, &s[0]).unwrap();
        let again = parse(std::str::from_utf8(&buf).unwrap()).unwrap();
        assert_eq!(again[0].words, s[0].words);
    }
}

//! Plain-text files, and paragraph normalization of text fields.

use std::io::BufRead;

use dyad_core::{Document, Origin};

use crate::html::collapse_ws;
use crate::input::{io_reason, read_line_limited};
use crate::{Record, RecordError};

/// Streams a text file as one document, or several split at paragraph breaks when it is larger
/// than `max` bytes (ids `path`, `path#2`, `path#3`, ...). Text is kept as is apart from BOM,
/// CRLF and invalid UTF-8.
pub(crate) struct TextReader<R> {
    path: String,
    src: R,
    max: usize,
    part: u32,
    carry: Vec<u8>,
    done: bool,
}

impl<R: BufRead> TextReader<R> {
    pub(crate) fn new(path: String, src: R, max: usize) -> Self {
        TextReader {
            path,
            src,
            max: max.max(1),
            part: 0,
            carry: Vec::new(),
            done: false,
        }
    }

    fn document(&self, bytes: &[u8], split_before: bool, split_after: bool) -> Option<Document> {
        let mut warnings = Vec::new();
        let mut text = match String::from_utf8_lossy(bytes) {
            std::borrow::Cow::Borrowed(s) => s.to_string(),
            std::borrow::Cow::Owned(s) => {
                warnings.push("invalid UTF-8 replaced".to_string());
                s
            }
        };
        if self.part == 1 {
            if let Some(s) = text.strip_prefix('\u{FEFF}') {
                text = s.to_string();
            }
        }
        if text.contains('\r') {
            text = text.replace("\r\n", "\n");
        }
        if split_after {
            text.truncate(text.trim_end().len());
        }
        if split_before {
            text = text.trim_start_matches(['\n', '\r']).to_string();
        }
        if text.trim().is_empty() {
            return None;
        }
        let id = if self.part == 1 {
            self.path.clone()
        } else {
            format!("{}#{}", self.path, self.part)
        };
        Some(Document {
            id,
            text,
            origin: Origin {
                path: self.path.clone(),
                ..Default::default()
            },
            warnings,
            ..Default::default()
        })
    }
}

/// End of the last blank line (`\n` + optional spaces + `\n`) at or before `limit`.
fn last_paragraph_break(buf: &[u8], limit: usize) -> Option<usize> {
    let limit = limit.min(buf.len());
    let mut end = limit;
    while let Some(nl) = memchr::memrchr(b'\n', &buf[..end]) {
        // Is the line ending at `nl` blank, with a newline before it?
        let line_start = memchr::memrchr(b'\n', &buf[..nl]);
        if let Some(ls) = line_start {
            if buf[ls + 1..nl]
                .iter()
                .all(|b| matches!(b, b' ' | b'\t' | b'\r'))
            {
                return Some(nl + 1);
            }
        }
        end = nl;
    }
    None
}

impl<R: BufRead> Iterator for TextReader<R> {
    type Item = Record;

    fn next(&mut self) -> Option<Record> {
        while !self.done {
            let mut buf = std::mem::take(&mut self.carry);
            let mut eof = false;
            while buf.len() <= self.max {
                let limit = self.max + 1 - buf.len();
                match read_line_limited(&mut self.src, &mut buf, limit) {
                    Ok(0) => {
                        eof = true;
                        break;
                    }
                    Ok(_) => {}
                    Err(e) => {
                        self.done = true;
                        return Some(Err(RecordError::new(&self.path, io_reason(&e))));
                    }
                }
            }
            let split_before = self.part > 0;
            self.part += 1;
            if eof {
                self.done = true;
                return match self.document(&buf, split_before, false) {
                    Some(d) => Some(Ok(d)),
                    None if self.part == 1 => Some(Err(RecordError::new(&self.path, "empty file"))),
                    None => None,
                };
            }
            // Too big: cut at a paragraph break, else a line break, else a character boundary.
            let cut = last_paragraph_break(&buf, self.max)
                .filter(|&c| c > 0)
                .or_else(|| memchr::memrchr(b'\n', &buf[..self.max]).map(|i| i + 1))
                .unwrap_or_else(|| {
                    let mut c = self.max;
                    let mut steps = 0;
                    while c > 0 && steps < 3 && (buf[c] & 0xC0) == 0x80 {
                        c -= 1;
                        steps += 1;
                    }
                    if c == 0 {
                        self.max
                    } else {
                        c
                    }
                });
            self.carry = buf.split_off(cut);
            if let Some(d) = self.document(&buf, split_before, true) {
                return Some(Ok(d));
            }
            self.part -= 1;
        }
        None
    }
}

/// Normalizes a text field (JSONL `text`, WARC text/plain): paragraphs separated by exactly
/// `\n\n`, whitespace inside a paragraph collapsed. Paragraphs are split at blank lines, or at
/// every line break when the text has no blank line (feeds that use single newlines).
pub(crate) fn normalize_paragraphs(s: &str) -> String {
    let s = s.replace("\r\n", "\n").replace('\r', "\n");
    let lines: Vec<&str> = s.split('\n').collect();
    let has_blank = lines
        .windows(3)
        .any(|w| !w[0].trim().is_empty() && w[1].trim().is_empty() && !w[2].trim().is_empty());
    let mut paras: Vec<String> = Vec::new();
    let mut cur = String::new();
    for line in lines {
        if line.trim().is_empty() || !has_blank {
            if !has_blank {
                cur.push_str(line);
            }
            let p = collapse_ws(&cur);
            if !p.is_empty() {
                paras.push(p);
            }
            cur.clear();
        } else {
            cur.push_str(line);
            cur.push(' ');
        }
    }
    let p = collapse_ws(&cur);
    if !p.is_empty() {
        paras.push(p);
    }
    paras.join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    fn read(data: &[u8], max: usize) -> Vec<Record> {
        TextReader::new("f.txt".into(), Cursor::new(data.to_vec()), max).collect()
    }

    #[test]
    fn keeps_text_but_strips_bom_and_crlf() {
        let docs = read(b"\xEF\xBB\xBFTitle\r\n\r\nBody  text.\r\n", 1000);
        let d = docs[0].as_ref().unwrap();
        assert_eq!(d.text, "Title\n\nBody  text.\n");
        assert_eq!(d.id, "f.txt");
        assert!(d.warnings.is_empty());
    }

    #[test]
    fn invalid_utf8_is_replaced_with_warning() {
        let docs = read(b"caf\xe9 au lait\n", 1000);
        let d = docs[0].as_ref().unwrap();
        assert_eq!(d.text, "caf\u{FFFD} au lait\n");
        assert_eq!(d.warnings, vec!["invalid UTF-8 replaced".to_string()]);
    }

    #[test]
    fn large_files_split_at_paragraph_breaks() {
        let para = "word ".repeat(10).trim_end().to_string() + "\n\n";
        let data = para.repeat(10);
        let docs: Vec<Document> = read(data.as_bytes(), 130)
            .into_iter()
            .map(Result::unwrap)
            .collect();
        assert!(docs.len() > 1);
        assert_eq!(docs[0].id, "f.txt");
        assert_eq!(docs[1].id, "f.txt#2");
        for d in &docs {
            assert!(d.text.len() <= 130, "{}", d.text.len());
            assert!(d.text.starts_with("word"), "{:?}", d.text);
        }
        let words: usize = docs.iter().map(|d| d.text.split_whitespace().count()).sum();
        assert_eq!(words, 100);
    }

    #[test]
    fn a_huge_line_is_cut_on_char_boundaries() {
        let data = "é".repeat(100);
        let docs: Vec<Document> = read(data.as_bytes(), 15)
            .into_iter()
            .map(Result::unwrap)
            .collect();
        let total: String = docs.iter().map(|d| d.text.as_str()).collect();
        assert_eq!(total, data);
        assert!(docs.iter().all(|d| d.warnings.is_empty()));
    }

    #[test]
    fn whitespace_only_is_empty() {
        let docs = read(b"  \n\n ", 100);
        assert_eq!(docs[0].as_ref().unwrap_err().reason, "empty file");
    }

    #[test]
    fn paragraphs_are_normalized() {
        assert_eq!(
            normalize_paragraphs("a\n b\n\n\n  c  d\r\n\r\ne"),
            "a b\n\nc d\n\ne"
        );
        assert_eq!(
            normalize_paragraphs("one\ntwo\n three "),
            "one\n\ntwo\n\nthree"
        );
        assert_eq!(normalize_paragraphs("  "), "");
    }
}

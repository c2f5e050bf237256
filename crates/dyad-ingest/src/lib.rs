//! Reads news inputs into [`dyad_core::Document`]s.
//!
//! [`read_inputs`] streams documents from files, directories and stdin, in any mix of plain
//! text, HTML, JSON Lines and WARC, each optionally gzipped. It never fails as a whole: a record
//! that cannot be read becomes one [`RecordError`] in the stream and reading goes on with the next
//! record or input. Memory stays bounded by [`Options::max_document_bytes`] per document.
//!
//! HTML pages go through [`extract_html`], which keeps the headline, dek and article paragraphs
//! and collects metadata (title, author, dates, canonical URL).

pub mod date;
pub mod html;
mod input;
mod jsonl;
mod text;
mod warc;

pub use html::{extract_html, extract_html_bytes, Extracted};
pub use input::{input_size, read_inputs, read_stream, Inputs};
pub use jsonl::parse_record as parse_jsonl_record;

/// A record that could not be read: one clear line for stderr.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}{}: {reason}", location(.line, .offset))]
pub struct RecordError {
    /// Input path as given (`-` for stdin).
    pub path: String,
    /// 1-based line number, for line-oriented inputs.
    pub line: Option<u64>,
    /// Byte offset in the (decompressed) input, for WARC records.
    pub offset: Option<u64>,
    pub reason: String,
}

fn location(line: &Option<u64>, offset: &Option<u64>) -> String {
    match (line, offset) {
        (Some(l), _) => format!(":{l}"),
        (None, Some(o)) => format!(":offset {o}"),
        (None, None) => String::new(),
    }
}

impl RecordError {
    pub fn new(path: impl Into<String>, reason: impl Into<String>) -> Self {
        RecordError {
            path: path.into(),
            line: None,
            offset: None,
            reason: reason.into(),
        }
    }

    pub fn at_line(mut self, line: u64) -> Self {
        self.line = Some(line);
        self
    }

    pub fn at_offset(mut self, offset: u64) -> Self {
        self.offset = Some(offset);
        self
    }
}

/// What one item of the stream is.
pub type Record = Result<dyad_core::Document, RecordError>;

/// A size in words for messages: `16 MiB`, `64 KiB`, `1000 bytes`.
pub(crate) fn size_words(n: usize) -> String {
    match n {
        n if n >= 1 << 20 && n % (1 << 20) == 0 => format!("{} MiB", n >> 20),
        n if n >= 1 << 10 && n % (1 << 10) == 0 => format!("{} KiB", n >> 10),
        n => format!("{n} bytes"),
    }
}

/// Reading options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// Largest document (JSONL line, HTML page, WARC record, text chunk) read into memory.
    /// Larger JSONL lines, pages and records are skipped with an error; larger text files are
    /// split at paragraph breaks.
    pub max_document_bytes: usize,
    /// Descend into hidden files and directories (names starting with `.`) when walking a
    /// directory. Inputs named explicitly are always read.
    pub include_hidden: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            max_document_bytes: 16 << 20,
            include_hidden: false,
        }
    }
}

/// Input formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Html,
    Jsonl,
    Warc,
}

impl Format {
    /// Format and gzip flag from a file name; `None` format means "sniff the content".
    pub fn from_path(path: &str) -> (Option<Format>, bool) {
        let lower = path.to_ascii_lowercase();
        let (stem, gz) = match lower.strip_suffix(".gz") {
            Some(s) => (s, true),
            None => (lower.as_str(), false),
        };
        let ext = std::path::Path::new(stem)
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("");
        let fmt = match ext {
            "txt" | "text" => Some(Format::Text),
            "html" | "htm" | "xhtml" => Some(Format::Html),
            "jsonl" | "ndjson" => Some(Format::Jsonl),
            "warc" => Some(Format::Warc),
            _ => None,
        };
        (fmt, gz)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_display_has_location() {
        let e =
            RecordError::new("feed.jsonl", "malformed JSON: expected `,` at column 80").at_line(17);
        assert_eq!(
            e.to_string(),
            "feed.jsonl:17: malformed JSON: expected `,` at column 80"
        );
        let e = RecordError::new("crawl.warc.gz", "truncated WARC record").at_offset(1234);
        assert_eq!(
            e.to_string(),
            "crawl.warc.gz:offset 1234: truncated WARC record"
        );
        assert_eq!(
            RecordError::new("x", "empty file").to_string(),
            "x: empty file"
        );
    }

    #[test]
    fn format_from_extension() {
        assert_eq!(
            Format::from_path("a/b.JSONL.gz"),
            (Some(Format::Jsonl), true)
        );
        assert_eq!(Format::from_path("x.warc"), (Some(Format::Warc), false));
        assert_eq!(Format::from_path("x.htm"), (Some(Format::Html), false));
        assert_eq!(Format::from_path("x.gz"), (None, true));
        assert_eq!(Format::from_path("README"), (None, false));
    }
}
